/**
 * A mocha reporter that prints spec-style lines AND writes a JSON summary, so
 * `scripts/test.mjs` can both show progress and count tests across stages.
 * Mocha's own spec reporter cannot be pointed anywhere but stdout, and inside
 * a code-server extension host stdout is not ours to read; hence `log`.
 *
 * Reporter options (all optional):
 *   json=<file>  write the summary there when the run ends (atomically)
 *   log=<file>   append every line there as it happens (the runner tails it)
 */
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  err?: { message: string; stack?: string };
}

export interface TestSummary {
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  tests: TestResult[];
}

interface ReporterOptions {
  json?: string;
  log?: string;
}

const { EVENT_RUN_BEGIN, EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

export class SpecJsonReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const reporterOptions = readOptions(options);
    const tests: TestResult[] = [];
    const failed: Array<{ fullTitle: string; err: Error }> = [];
    let depth = 0;
    let started = Date.now();

    const write = (line: string): void => {
      process.stdout.write(`${line}\n`);
      if (reporterOptions.log) {
        appendFileSync(reporterOptions.log, `${line}\n`);
      }
    };
    const indent = (): string => '  '.repeat(depth);

    if (reporterOptions.log) {
      mkdirSync(path.dirname(reporterOptions.log), { recursive: true });
      writeFileSync(reporterOptions.log, '');
    }

    runner.on(EVENT_RUN_BEGIN, () => {
      started = Date.now();
    });
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (!suite.root) {
        write(`${indent()}${suite.title}`);
      }
      depth++;
    });
    runner.on(EVENT_SUITE_END, () => {
      depth--;
    });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      tests.push({ title: test.title, fullTitle: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      write(`${indent()}✔ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
      tests.push({ title: test.title, fullTitle: test.fullTitle(), state: 'pending' });
      write(`${indent()}- ${test.title} (skipped)`);
    });
    // Also fires for failing hooks, which then stand for the tests they block.
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, err: Error) => {
      failed.push({ fullTitle: test.fullTitle(), err });
      tests.push({ title: test.title, fullTitle: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, err: { message: err.message, stack: err.stack } });
      write(`${indent()}✖ ${failed.length}) ${test.title}`);
    });
    runner.once(EVENT_RUN_END, () => {
      const summary: TestSummary = {
        passes: tests.filter((t) => t.state === 'passed').length,
        failures: failed.length,
        pending: tests.filter((t) => t.state === 'pending').length,
        durationMs: Date.now() - started,
        tests,
      };
      write('');
      write(`  ${summary.passes} passing (${summary.durationMs} ms)`);
      if (summary.pending > 0) {
        write(`  ${summary.pending} pending`);
      }
      if (summary.failures > 0) {
        write(`  ${summary.failures} failing`);
      }
      failed.forEach(({ fullTitle, err }, index) => {
        write('');
        write(`  ${index + 1}) ${fullTitle}:`);
        // The stack starts with the message; node:assert puts its diff there too.
        for (const line of (err.stack ?? err.message).split('\n')) {
          write(`     ${line}`);
        }
      });
      if (reporterOptions.json) {
        writeSummary(reporterOptions.json, summary);
      }
    });
  }
}

/** Written via a temporary file so a watcher never reads half a report. */
export function writeSummary(file: string, summary: TestSummary): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(summary, null, 2));
  renameSync(temporary, file);
}

function readOptions(options: Mocha.MochaOptions | undefined): ReporterOptions {
  // Mocha passes `--reporter-option k=v` as `reporterOption`; the API as `reporterOptions`.
  const raw: unknown = (options as { reporterOption?: unknown } | undefined)?.reporterOption ?? options?.reporterOptions;
  if (typeof raw !== 'object' || raw === null) {
    return {};
  }
  const record = raw as Record<string, unknown>;
  return {
    json: typeof record.json === 'string' ? path.resolve(record.json) : undefined,
    log: typeof record.log === 'string' ? path.resolve(record.log) : undefined,
  };
}
