#!/usr/bin/env node
// `npm run bench:context`: the codebase index (src/server/services/codebase)
// on three workspaces: the sample workspace (test/fixtures/workspace), the
// source of a real package (node_modules/mocha/lib, the labelled set's
// codebase) and a generated 10,000-file workspace. For each: the time to
// build the index from nothing, the time to load it again from its stored
// snapshot (files unchanged), the snapshot's size, the index's files and
// chunks, the longest the event loop waited while the build ran (what an
// inline completion would have waited at most; the build hands the loop back
// every 10 ms), and query latency p50 / p95 (goal < 50 ms). Then the quality
// on the labelled set (test/fixtures/retrieval): hit@5, recall@5 and MRR,
// lexical ranking (hybrid needs /v1/embeddings: not built yet).
// Runs the TypeScript sources through tsx: node --import tsx scripts/bench-context.mjs
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CodebaseIndex } from '../src/server/services/codebase/codebaseIndex.ts';
import { snapshotPath } from '../src/server/services/codebase/snapshot.ts';
import { loadLabelledSet, score } from '../test/bench/retrievalEval.ts';
import { seededRandom, pick } from '../test/support/random.ts';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'pel', 'dar', 'sin', 'gu', 'bex', 'tor', 'fen', 'wil', 'zu', 'nor', 'qua', 'hap', 'jet', 'yol'];

/** A vocabulary of `size` made-up words, drawn with a skew (word i about as often as a power law says): code reuses a few names a lot. */
function vocabulary(random, size) {
  const words = new Set();
  while (words.size < size) words.add(Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(random, SYLLABLES)).join(''));
  const list = [...words];
  return () => list[Math.floor(Math.pow(random(), 2.5) * list.length)];
}

/** A workspace of `count` TypeScript files in nested folders: functions named from a skewed vocabulary, with comments. */
function generateWorkspace(count) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-context-'));
  const random = seededRandom(14);
  const word = vocabulary(random, 3000);
  const name = () => `${word()}${word().replace(/^./, (c) => c.toUpperCase())}`;
  for (let i = 0; i < count; i++) {
    const folder = path.join(root, 'src', `${word()}${i % 40}`, `${word()}${i % 7}`);
    mkdirSync(folder, { recursive: true });
    const lines = [`import { ${name()} } from '../../shared/${word()}';`, ''];
    for (let d = 0; d < 3 + Math.floor(random() * 5); d++) {
      const fn = name();
      lines.push(`/** Turns a ${word()} into a ${word()} for the ${word()} ${word()}. */`);
      lines.push(`export function ${fn}(${word()}: string, options: { ${word()}: number }): string[] {`);
      for (let l = 0; l < 4 + Math.floor(random() * 25); l++) lines.push(`  const ${word()}${word().replace(/^./, (c) => c.toUpperCase())} = ${name()}(${word()}, options.${word()} + ${l}); // ${word()} ${word()}`);
      lines.push('  return [];', '}', '');
    }
    writeFileSync(path.join(folder, `${name()}.ts`), lines.join('\n'));
  }
  return { root, word };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measureFolder(label, root, queries) {
  const storage = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-storage-'));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  // A timer that wants to run every millisecond: its delay is what a completion request would wait.
  const ticker = setInterval(() => undefined, 1);
  delay.enable();
  const started = performance.now();
  const index = new CodebaseIndex({ storage });
  await index.setRoots([root]);
  const buildMs = performance.now() - started;
  delay.disable();
  clearInterval(ticker);
  const state = index.state();
  const realRoot = index.hits(queries[0] ?? 'x', 1)[0]?.folder.boundary.realRoot ?? root;
  let snapshotBytes = 0;
  try {
    snapshotBytes = statSync(snapshotPath(storage, realRoot)).size;
  } catch {
    // Not stored (too large, or nothing found by the first query).
  }
  await index.dispose();
  const reloadStarted = performance.now();
  const again = new CodebaseIndex({ storage });
  await again.setRoots([root]);
  const reloadMs = performance.now() - reloadStarted;
  const latencies = [];
  for (let round = 0; round < 5; round++) {
    for (const query of queries) {
      const t = performance.now();
      await again.search({ query, limit: 10 });
      latencies.push(performance.now() - t);
    }
  }
  latencies.sort((a, b) => a - b);
  await again.dispose();
  rmSync(storage, { recursive: true, force: true });
  return {
    workspace: label,
    files: state.files,
    chunks: state.chunks,
    'build ms': Math.round(buildMs),
    'reload ms': Math.round(reloadMs),
    'snapshot KB': Math.round(snapshotBytes / 1024),
    'max loop stall ms': Math.round(delay.max / 1e6),
    'query p50 ms': Number(percentile(latencies, 50).toFixed(2)),
    'query p95 ms': Number(percentile(latencies, 95).toFixed(2)),
    queries: latencies.length,
  };
}

async function main() {
  const set = loadLabelledSet('mocha-lib.json', repository);
  const questions = set.questions.map((question) => question.q);
  const rows = [];
  rows.push(await measureFolder('sample (test/fixtures/workspace)', path.join(repository, 'test/fixtures/workspace'), ['add two numbers', 'todo list items', 'multiply', 'package scripts']));
  rows.push(await measureFolder(`${set.package} ${set.version} (${set.root})`, set.absoluteRoot, questions));
  const generated = generateWorkspace(10_000);
  try {
    // Questions of three words drawn like the code's own words (common ones included).
    const queries = Array.from({ length: 60 }, () => `where is the ${generated.word()} ${generated.word()} of ${generated.word()}`);
    rows.push(await measureFolder('generated, 10,000 files', generated.root, queries));
  } finally {
    rmSync(generated.root, { recursive: true, force: true });
  }
  console.log('\nCodebase index: build, reload from its snapshot, size, event-loop stalls while building, query latency (goal p95 < 50 ms)');
  console.table(rows);

  const index = new CodebaseIndex();
  await index.setRoots([set.absoluteRoot]);
  const scores = score(index, set);
  console.log(`\nRetrieval quality, lexical (BM25 over path, declaration names and text), ${scores.questions} labelled questions over ${set.package} ${set.version} lib/:`);
  console.table([{ ranking: 'lexical', 'hit@5': scores.hitAt5.toFixed(3), 'recall@5': scores.recallAt5.toFixed(3), MRR: scores.mrr.toFixed(3) }]);
  const misses = scores.ranks.filter((entry) => entry.rank !== 1);
  if (misses.length > 0) {
    console.log('Questions whose first file was not ranked first:');
    for (const miss of misses) console.log(`  rank ${miss.rank ?? '>10'}: ${miss.q}  →  ${miss.top.slice(0, 3).join(', ')}`);
  }
  console.log('Hybrid (embeddings): not measured; the service has no embeddings path yet.');
  await index.dispose();
}

await main();

// ---- MCP tool call round trip (issue 14's last figure; kept apart from the retrieval figures above) ----

/**
 * A call of a tool that does no work (the fixture server's `shout`): what is measured is Tandem's and the
 * SDK's overhead per call (JSON-RPC over stdio, the client's checks, the result as text), not the server's
 * own work; unsandboxed, and in the OS sandbox a repository's server runs in when one is available.
 */
async function mcpRoundTrip() {
  const { measureMcpRoundTrip } = await import('../test/bench/mcpRoundTrip.ts');
  const rows = await measureMcpRoundTrip(Number(process.env.TANDEM_BENCH_MCP_CALLS ?? 300));
  console.log('\nMCP tool call round trip overhead (a tool that does no work; after 20 warm-up calls)');
  console.table(rows.map((row) => ({ server: row.label, 'start + tools/list ms': Math.round(row.startMs), 'call p50 ms': row.p50Ms.toFixed(2), 'call p95 ms': row.p95Ms.toFixed(2), calls: row.runs })));
  if (rows.length === 1) console.log('No OS sandbox (bubblewrap / Seatbelt) here: only the unsandboxed figure.');
}

await mcpRoundTrip();
