#!/usr/bin/env node
// `npm run bench:edits`: how fast and how right the edit engine is.
//   1. Apply time of a 50-hunk apply_patch patch to a generated 20,000-line
//      file (median and max of 20 runs; goal: median under 50 ms).
//   2. The corpus (test/fixtures/edits): applied correctly, refused as
//      expected, refused unexpectedly, applied wrongly (goal: 0).
//   3. The mutation corpus (test/fixtures/edits/mutations.json): answers in
//      every format with mangled markers, headers, order and endings, applied
//      correctly or refused; applied wrongly and marker lines written (goal: 0).
//   4. The built command line as other tools start it, one process per edit:
//      wall time, CPU time and peak memory of `tandem apply-patch` with the
//      patch of 1. (median of 9, interleaved with `node -e 0` as the floor;
//      goal: at most 1.3x the floor's wall time), and of `tandem lsp --stdio`
//      until it answers `initialize` (median of 9). Needs a build
//      (node scripts/build.mjs --no-tests); skipped without one.
// Runs the TypeScript sources through tsx: node --import tsx scripts/bench-edits.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { applyEdits } from '../src/server/edits/index.ts';
import { judge, loadCorpus } from '../test/unit/edits/corpus.ts';
import { mutationFigures } from '../test/unit/edits/mutations/corpus.ts';

const LINES = 20_000;
const HUNKS = 50;
const RUNS = 20;
const GOAL_MS = 50;

/** A file of small functions (5 lines each) and a patch changing HUNKS of them, spread over the file. */
function generate() {
  const functions = LINES / 5;
  const lines = [];
  for (let i = 0; i < functions; i++) {
    lines.push(`function fn${i}(x) {`, `  const v${i} = x * ${i};`, `  return v${i} + 1;`, '}', '');
  }
  const patch = ['*** Begin Patch', '*** Update File: src/big.js'];
  const expected = [...lines];
  const step = Math.floor(functions / HUNKS);
  // Hunks in reverse order, to also exercise out-of-order hunks.
  for (let h = HUNKS - 1; h >= 0; h--) {
    const i = h * step + 7;
    patch.push('@@', ` function fn${i}(x) {`, `-  const v${i} = x * ${i};`, `+  const v${i} = x * ${i} + ${h};`, `   return v${i} + 1;`, ' }');
    expected[i * 5 + 1] = `  const v${i} = x * ${i} + ${h};`;
  }
  patch.push('*** End Patch');
  return { text: `${lines.join('\n')}\n`, patch: `${patch.join('\n')}\n`, expected: `${expected.join('\n')}\n` };
}

function speed() {
  const { text, patch, expected } = generate();
  const times = [];
  for (let run = 0; run < RUNS + 2; run++) {
    const started = performance.now();
    const outcome = applyEdits({ text: patch, readFile: (path) => (path === 'src/big.js' ? text : undefined) });
    const elapsed = performance.now() - started;
    if (!outcome.ok || outcome.changeSet.changes[0]?.newText !== expected) {
      throw new Error(`the generated patch did not apply correctly: ${JSON.stringify(outcome.ok ? 'wrong text' : outcome.failures[0])}`);
    }
    if (run >= 2) times.push(elapsed); // the first runs warm up the JIT
  }
  times.sort((a, b) => a - b);
  const median = (times[Math.floor((times.length - 1) / 2)] + times[Math.ceil((times.length - 1) / 2)]) / 2;
  const max = times[times.length - 1];
  console.log(`Apply ${HUNKS} hunks (apply_patch) to a ${LINES.toLocaleString('en')}-line file, ${RUNS} runs:`);
  console.log(`  median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms (goal: median < ${GOAL_MS} ms): ${median < GOAL_MS ? 'OK' : 'SLOW'}`);
  return median < GOAL_MS;
}

function corpus() {
  const counts = { applied: 0, refusedAsExpected: 0, refusedUnexpectedly: 0, appliedWrongly: 0 };
  const problems = [];
  const cases = loadCorpus(fileURLToPath(new URL('../test/fixtures/edits', import.meta.url)));
  let expectedRefusals = 0;
  for (const corpusCase of cases) {
    if (corpusCase.expected.kind === 'error') expectedRefusals++;
    const outcome = applyEdits({
      text: corpusCase.patch,
      readFile: (path) => corpusCase.before.get(path),
      ...(corpusCase.defaultPath !== undefined ? { defaultPath: corpusCase.defaultPath } : {}),
      ...(corpusCase.selection !== undefined ? { selection: corpusCase.selection } : {}),
    });
    const verdict = judge(corpusCase, outcome);
    counts[verdict.kind]++;
    if (verdict.kind === 'refusedUnexpectedly' || verdict.kind === 'appliedWrongly') problems.push(`  ${corpusCase.name} (${verdict.kind}): ${verdict.detail.split('\n')[0]}`);
  }
  const total = cases.length;
  const pct = (n) => `${((100 * n) / total).toFixed(1)}%`;
  const correct = counts.applied + counts.refusedAsExpected;
  console.log(`\nCorpus: ${total} cases (${total - expectedRefusals} should apply, ${expectedRefusals} should be refused)`);
  console.log(`  applied correctly:        ${String(counts.applied).padStart(4)}  ${pct(counts.applied)}`);
  console.log(`  refused with a reason:    ${String(counts.refusedAsExpected + counts.refusedUnexpectedly).padStart(4)}  (expected ${counts.refusedAsExpected}, unexpected ${counts.refusedUnexpectedly})`);
  console.log(`  applied wrongly:          ${String(counts.appliedWrongly).padStart(4)}  (goal: 0)`);
  console.log(`  success rate (applied correctly or refused as expected): ${pct(correct)}`);
  if (problems.length > 0) console.log(problems.join('\n'));
  return counts.appliedWrongly === 0 && counts.refusedUnexpectedly === 0;
}

function mutations() {
  const figures = mutationFigures();
  console.log(`\nMutation corpus: ${figures.cases} cases`);
  console.log(`  applied correctly:        ${String(figures.appliedCorrectly).padStart(4)}`);
  console.log(`  refused with a reason:    ${String(figures.refused).padStart(4)}`);
  console.log(`  applied wrongly:          ${String(figures.appliedWrongly).padStart(4)}  (goal: 0)`);
  console.log(`  marker lines written:     ${String(figures.markerLinesWritten).padStart(4)}  (goal: 0)`);
  return figures.appliedWrongly === 0 && figures.markerLinesWritten === 0;
}

const PROCESS_RUNS = 9;
const FLOOR_RATIO_GOAL = 1.3;

/**
 * Preloaded into every measured process (floor included, so it costs both the same): on exit it
 * writes the process's own peak RSS and CPU time to fd 3. Node cannot read a child's rusage.
 */
const USAGE_HOOK = `process.on('exit', () => {
  const usage = process.resourceUsage();
  require('node:fs').writeSync(3, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
});
`;

/**
 * One whole process, from spawn to its exit: `node -r hook ...args`, `input` on stdin.
 * `talk(child)` may drive it instead (the language server); it resolves with the moment that
 * counts as the answer, else the process's exit does.
 */
function measureProcess(hook, args, { input = '', talk, env } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-r', hook, ...args], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    let stdout = '';
    let stderr = '';
    let usage = '';
    let answeredAt;
    if (!talk) child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
    child.stdio[3].setEncoding('utf8').on('data', (text) => (usage += text));
    child.on('error', reject);
    child.on('close', (code) => {
      const ended = performance.now();
      try {
        const { maxRssKiB, cpuMs } = JSON.parse(usage);
        resolve({ code, stdout, stderr, ms: (answeredAt ?? ended) - started, cpuMs, rssMiB: maxRssKiB / 1024 });
      } catch {
        reject(new Error(`no usage figures from ${args.join(' ')} (exit ${code}): ${stderr}`));
      }
    });
    if (talk) {
      talk(child).then((at) => (answeredAt = at), reject);
    } else {
      child.stdin.end(input);
    }
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
}

function describe(label, runs) {
  const ms = runs.map((run) => run.ms);
  return `  ${label.padEnd(24)} wall median ${median(ms).toFixed(0).padStart(4)} ms (max ${Math.max(...ms).toFixed(0).padStart(4)}), CPU ${median(runs.map((run) => run.cpuMs)).toFixed(0).padStart(4)} ms, peak RSS ${median(runs.map((run) => run.rssMiB)).toFixed(1)} MiB`;
}

/** An LSP message with its Content-Length header. */
function frame(message) {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Calls `onMessage` with each LSP message read from `stream`. */
function readMessages(stream, onMessage) {
  let buffer = Buffer.alloc(0);
  stream.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, Math.max(headerEnd, 0)).toString('ascii'))?.[1]);
      if (headerEnd < 0 || !Number.isInteger(length) || buffer.length < headerEnd + 4 + length) return;
      onMessage(JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')));
      buffer = buffer.subarray(headerEnd + 4 + length);
    }
  });
}

/** Sends `initialize`, notes when its result arrives, then shuts the server down so it exits (and reports its usage). */
function initializeThenExit(child) {
  return new Promise((resolve, reject) => {
    readMessages(child.stdout, (message) => {
      if (message.id !== 1) return;
      const at = performance.now();
      if (!message.result?.serverInfo) reject(new Error(`initialize failed: ${JSON.stringify(message).slice(0, 500)}`));
      child.stdin.write(frame({ id: 2, method: 'shutdown' }));
      child.stdin.end(frame({ method: 'exit' }));
      resolve(at);
    });
    child.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {}, clientInfo: { name: 'bench-edits' } } }));
  });
}

async function commandLine() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const serverJs = path.join(root, 'dist', 'server.js');
  if (!existsSync(serverJs)) {
    console.log(`\nThe command line: skipped, ${serverJs} is missing (run node scripts/build.mjs --no-tests).`);
    return true;
  }
  let buildKind = 'unknown build';
  try {
    buildKind = JSON.parse(readFileSync(path.join(root, 'dist', '.build-info.json'), 'utf8')).production ? 'production build' : 'development build';
  } catch {
    // An older build without its info file: the kind is only a label.
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-edits-'));
  try {
    const hook = path.join(work, 'usage-hook.cjs');
    writeFileSync(hook, USAGE_HOOK);
    const { text, patch, expected } = generate();
    const file = path.join(work, 'repo', 'src', 'big.js');
    mkdirSync(path.dirname(file), { recursive: true });
    const floor = [];
    const apply = [];
    // Interleaved, so a busy moment costs the floor and the command alike; the first pair warms the file cache.
    for (let run = 0; run < PROCESS_RUNS + 1; run++) {
      const floorRun = await measureProcess(hook, ['-e', '0']);
      writeFileSync(file, text);
      const applyRun = await measureProcess(hook, [serverJs, 'apply-patch', '--cwd', path.join(work, 'repo')], { input: patch });
      if (applyRun.code !== 0 || readFileSync(file, 'utf8') !== expected) {
        throw new Error(`tandem apply-patch did not apply the patch (exit ${applyRun.code}): ${applyRun.stderr.slice(0, 500)}`);
      }
      if (run > 0) {
        floor.push(floorRun);
        apply.push(applyRun);
      }
    }
    const env = { ...process.env, TANDEM_AUDIT: 'off', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const lsp = [];
    for (let run = 0; run < PROCESS_RUNS + 1; run++) {
      const lspRun = await measureProcess(hook, [serverJs, 'lsp', '--stdio'], { talk: initializeThenExit, env });
      if (run > 0) lsp.push(lspRun);
    }
    const ratio = median(apply.map((run) => run.ms)) / median(floor.map((run) => run.ms));
    const rssRatio = median(apply.map((run) => run.rssMiB)) / median(floor.map((run) => run.rssMiB));
    console.log(`\nThe command line, one process per call (dist/server.js, ${buildKind}; median of ${PROCESS_RUNS} runs; load average ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} CPUs):`);
    console.log(describe('node -e 0 (the floor)', floor));
    console.log(describe(`tandem apply-patch`, apply));
    console.log(`    ${HUNKS} hunks on a ${LINES.toLocaleString('en')}-line file: ${ratio.toFixed(2)}x the floor's wall time (goal: at most ${FLOOR_RATIO_GOAL}x): ${ratio <= FLOOR_RATIO_GOAL ? 'OK' : 'SLOW'}; ${rssRatio.toFixed(2)}x its peak memory`);
    console.log(describe('tandem lsp --stdio', lsp));
    console.log('    wall: from start to the initialize result; CPU and memory: until it exits after shutdown');
    return ratio <= FLOOR_RATIO_GOAL;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const fast = speed();
const right = corpus();
const mutated = mutations();
const lean = await commandLine();
process.exitCode = fast && right && mutated && lean ? 0 : 1;
