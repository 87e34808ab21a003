/**
 * Entry of the integration suite inside a VS Code extension host: VS Code
 * calls `run()` (the `@vscode/test-electron` contract, which code-server
 * honours for `extensionTestsPath` too). It runs every `*.test.js` bundled
 * next to this file.
 *
 * With TANDEM_TEST_REPORT set (the code-server runner), results go to that
 * JSON file and spec lines to TANDEM_TEST_LOG (default: the report path with
 * `.log`), because nobody reads the extension host's stdout there. Without it
 * (test-electron), mocha's spec reporter prints to the console as usual.
 * Either way run() rejects when a test fails, as test-electron expects; the
 * report is complete before it does.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { SpecJsonReporter, writeSummary } from '../../runner/specJsonReporter';

export async function run(): Promise<void> {
  const report = process.env.TANDEM_TEST_REPORT;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false });
  if (report) {
    mocha.reporter(SpecJsonReporter, { json: report, log: process.env.TANDEM_TEST_LOG ?? report.replace(/(\.json)?$/, '.log') });
  } else {
    mocha.reporter('spec');
  }
  if (process.env.TANDEM_TEST_GREP) {
    mocha.grep(process.env.TANDEM_TEST_GREP);
  }
  for (const file of testFiles(__dirname)) {
    mocha.addFile(file);
  }

  let failures: number;
  try {
    failures = await new Promise<number>((resolve) => mocha.run(resolve));
  } catch (error) {
    // A test file that throws while loading never reaches the reporter: say so
    // in the report, or the runner would wait for it until its timeout.
    const err = error instanceof Error ? error : new Error(String(error));
    if (report) {
      writeSummary(report, {
        passes: 0,
        failures: 1,
        pending: 0,
        durationMs: 0,
        tests: [{ title: 'loading the test files', fullTitle: 'loading the test files', state: 'failed', err: { message: err.message, stack: err.stack } }],
      });
    }
    throw err;
  }
  if (failures > 0) {
    throw new Error(`${failures} integration test(s) failed`);
  }
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(dir, file));
}
