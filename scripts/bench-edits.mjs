#!/usr/bin/env node
// `npm run bench:edits`: how fast and how right the edit engine is.
//   1. Apply time of a 50-hunk apply_patch patch to a generated 20,000-line
//      file (median and max of 20 runs; goal: median under 50 ms).
//   2. The corpus (test/fixtures/edits): applied correctly, refused as
//      expected, refused unexpectedly, applied wrongly (goal: 0).
//   3. The mutation corpus (test/fixtures/edits/mutations.json): answers in
//      every format with mangled markers, headers, order and endings, applied
//      correctly or refused; applied wrongly and marker lines written (goal: 0).
// Runs the TypeScript sources through tsx: node --import tsx scripts/bench-edits.mjs
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

const fast = speed();
const right = corpus();
const mutated = mutations();
process.exitCode = fast && right && mutated ? 0 : 1;
