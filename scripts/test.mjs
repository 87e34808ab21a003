#!/usr/bin/env node
// `npm test`: every test stage in order, or only those named:
//   node scripts/test.mjs                 typecheck, lint, build, unit, security, standalone, integration, e2e
//   node scripts/test.mjs unit e2e        just these (in the canonical order)
//   npm run lint                          the lint stage alone
// All selected stages run even when one fails; a summary follows, ending with
// the line "N passed, N failed, N skipped" (tests summed over the stages; a
// stage that fails without reporting a failing test, e.g. a type error or a
// crash, counts as one failure). Exit status: 0 only when nothing failed.
//
// Mocha stages use test/runner/mochaReporter.cjs: spec-style lines on stdout
// and a JSON summary in test-results/stages/<stage>.json, which we add up.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const stagesDir = path.join(root, 'test-results', 'stages');
const node = process.execPath;
const tsc = require.resolve('typescript/bin/tsc');
const mocha = require.resolve('mocha/bin/mocha.js');
// eslint's package exports do not include its bin.
const eslint = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');
const MINUTE = 60_000;

/** mocha with our reporter, which writes the stage's JSON summary. */
const mochaWith = (stage, args) => [node, [mocha, ...args, '--reporter', 'test/runner/mochaReporter.cjs', '--reporter-option', `json=${summaryFile(stage)}`]];

const standaloneTests = () =>
  existsSync(path.join(root, 'test/standalone'))
    ? readdirSync(path.join(root, 'test/standalone')).filter((f) => f.endsWith('.test.ts')).map((f) => `test/standalone/${f}`)
    : [];

const securityTests = () =>
  existsSync(path.join(root, 'test/security'))
    ? readdirSync(path.join(root, 'test/security')).filter((f) => f.endsWith('.test.ts')).map((f) => `test/security/${f}`)
    : [];

/**
 * Each stage: commands run one after another (2 cores: nothing in parallel),
 * `counts` when it reports tests, `needs` what must have run first,
 * `keepGoing` when a failing command should not hide what the next ones find.
 */
const STAGES = [
  {
    name: 'typecheck',
    timeoutMs: 5 * MINUTE,
    commands: () => [[node, [tsc, '-p', '.']], [node, [tsc, '-p', 'media']]],
  },
  {
    // ESLint with the import boundaries (eslint.config.mjs), then the contributions in
    // package.json against the command table, then import cycles in src.
    name: 'lint',
    keepGoing: true,
    timeoutMs: 5 * MINUTE,
    commands: () => [
      [node, [eslint, '--max-warnings', '0', '.']],
      [node, ['scripts/check-contributions.mjs']],
      [node, ['scripts/check-cycles.mjs']],
    ],
  },
  { name: 'build', timeoutMs: 5 * MINUTE, commands: () => [[node, ['scripts/build.mjs']]] },
  { name: 'unit', counts: true, timeoutMs: 10 * MINUTE, commands: () => [mochaWith('unit', [])] },
  {
    // Hostile inputs (commands, paths, patterns, edit answers) against the service's code, in plain Node.
    name: 'security',
    counts: true,
    timeoutMs: 10 * MINUTE,
    commands: () => (securityTests().length === 0 ? [] : [mochaWith('security', ['--no-config', '--node-option', 'import=tsx', '--timeout', '30000', ...securityTests()])]),
  },
  {
    name: 'standalone',
    counts: true,
    needs: ['build'],
    timeoutMs: 10 * MINUTE,
    // --no-config: mocha would otherwise add the unit specs from .mocharc.json.
    commands: () => {
      const files = standaloneTests();
      return files.length === 0 ? [] : [mochaWith('standalone', ['--no-config', '--node-option', 'import=tsx', '--timeout', '30000', ...files])];
    },
  },
  {
    name: 'integration',
    counts: true,
    needs: ['build', 'deps'],
    timeoutMs: 10 * MINUTE,
    commands: () => [[node, ['--import', 'tsx', 'test/runner/runIntegration.ts'], { TANDEM_STAGE_JSON: summaryFile('integration') }]],
  },
  {
    name: 'e2e',
    counts: true,
    needs: ['build', 'deps'],
    timeoutMs: 20 * MINUTE,
    commands: () => [mochaWith('e2e', ['--config', 'test/e2e/.mocharc.json'])],
  },
];

/** Prerequisites run only when a stage needs them and the user did not select them. */
const PREREQUISITES = {
  build: [[node, ['scripts/build.mjs']]],
  deps: [['bash', ['scripts/install-test-deps.sh']]],
};

function summaryFile(stage) {
  return path.join(stagesDir, `${stage}.json`);
}

// Each command runs in its own process group, so a signal reaches all of it:
// mocha's wrapper, for one, forwards SIGINT to its worker but not SIGTERM.
// On Ctrl+C or SIGTERM the running command cleans up (code-server, Chromium)
// and stops; no further stage starts; the summary shows what finished. A
// second signal kills the command's whole group at once.
let current; // the running child
let interrupted = false;
function signalGroup(signal) {
  try {
    process.kill(-current.pid, signal);
  } catch {
    // no child, or already gone
  }
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    signalGroup(interrupted ? 'SIGKILL' : signal);
    interrupted = true;
  });
}

function run([command, args, extraEnv], timeoutMs) {
  console.log(`$ ${[command === node ? 'node' : command, ...args].map((a) => a.replaceAll(root + path.sep, '')).join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', detached: true, env: { ...process.env, ...extraEnv } });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`[test] ${command} exceeded ${timeoutMs / MINUTE} min: stopping it`);
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.on('error', (error) => {
      console.error(`[test] could not start ${command}: ${error.message}`);
    });
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      // The leader may exit before the rest of its group has cleaned up (mocha's
      // wrapper dies at once on SIGTERM while its worker stops code-server):
      // give them a bounded grace period, then kill what is left.
      await groupGone(child.pid, 10_000);
      signalGroup('SIGKILL');
      current = undefined;
      resolve(code === 0 && !signal && !timedOut);
    });
  });
}

async function groupGone(pgid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pgid, 0); // throws once no process of the group is left
    } catch {
      return;
    }
    if (Date.now() > deadline) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runAll(commands, timeoutMs, keepGoing = false) {
  let ok = true;
  for (const command of commands) {
    if (interrupted) {
      return false;
    }
    if (!(await run(command, timeoutMs))) {
      ok = false;
      if (!keepGoing) {
        return false;
      }
    }
  }
  return ok;
}

function readCounts(stage) {
  try {
    const { passes, failures, pending } = JSON.parse(readFileSync(summaryFile(stage), 'utf8'));
    return { passed: passes, failed: failures, skipped: pending };
  } catch {
    return undefined;
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !STAGES.some((stage) => stage.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown stage(s): ${unknown.join(', ')}. Stages: ${STAGES.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  const selected = names.length === 0 ? STAGES : STAGES.filter((stage) => names.includes(stage.name));
  const done = new Map(); // prerequisite or stage name -> succeeded
  const results = [];
  rmSync(stagesDir, { recursive: true, force: true });
  mkdirSync(stagesDir, { recursive: true });

  for (const stage of selected) {
    if (interrupted) {
      results.push({ name: stage.name, ok: false, ms: 0, counts: undefined, note: 'interrupted' });
      continue;
    }
    console.log(`\n━━━━ ${stage.name} ━━━━`);
    const started = Date.now();
    let ok = true;
    for (const need of stage.needs ?? []) {
      if (!done.has(need)) {
        console.log(`(${need} first)`);
        done.set(need, await runAll(PREREQUISITES[need], 10 * MINUTE));
      }
      ok &&= done.get(need);
    }
    const commands = stage.commands();
    let note = '';
    if (!ok) {
      note = 'prerequisite failed';
    } else if (commands.length === 0) {
      note = 'nothing to run';
    } else {
      ok = await runAll(commands, stage.timeoutMs, stage.keepGoing);
    }
    if (interrupted && !ok) {
      note = 'interrupted';
    }
    done.set(stage.name, ok);
    const counts = stage.counts ? readCounts(stage.name) : undefined;
    const result = { name: stage.name, ok, ms: Date.now() - started, counts, note };
    results.push(result);
    console.log(`──── ${stage.name}: ${ok ? 'ok' : 'FAILED'} in ${seconds(result.ms)}${note ? ` (${note})` : ''}`);
  }

  const total = { passed: 0, failed: 0, skipped: 0 };
  console.log('\n━━━━ summary ━━━━');
  for (const { name, ok, ms, counts, note } of results) {
    const c = counts ?? { passed: 0, failed: 0, skipped: 0 };
    // A failed stage with no failing test (type error, crash, timeout) still counts once.
    const failed = !ok && c.failed === 0 ? 1 : c.failed;
    total.passed += c.passed;
    total.failed += failed;
    total.skipped += c.skipped;
    const detail = counts ? `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : note;
    console.log(`  ${name.padEnd(12)} ${(ok ? "ok" : "FAILED").padEnd(7)} ${seconds(ms).padStart(8)}   ${detail}`.trimEnd());
  }
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exitCode = total.failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
