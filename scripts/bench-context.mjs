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
// lexical ranking, and hybrid (reciprocal rank fusion of BM25 and cosine)
// with stand-in vectors from the scripted model server: a hashed bag of
// words, NOT a real embedding model, so the hybrid figure measures the fusion
// code path (and the embedding requests through the data boundary), not the
// quality a real model would add. Then inline completion latency with the
// service idle and while it indexes the generated workspace (same process),
// next to the completion goals, and the MCP tool call round trip.
// Runs the TypeScript sources through tsx: node --import tsx scripts/bench-context.mjs [--only index|quality|completions|mcp]
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CodebaseIndex } from '../src/server/services/codebase/codebaseIndex.ts';
import { readFileSync } from 'node:fs';
import { chunkFile } from '../src/server/services/codebase/chunker.ts';
import { ChunkEmbedder } from '../src/server/services/codebase/embedder.ts';
import { nearest } from '../src/server/services/codebase/fusion.ts';
import { FUSION_DEPTH, fuseHits } from '../src/server/services/codebase/hybrid.ts';
import { loadSnapshot, saveSnapshot, snapshotPath } from '../src/server/services/codebase/snapshot.ts';
import { chunkKey, VectorStore } from '../src/server/services/codebase/vectors.ts';
import { DataBoundary } from '../src/server/services/dataBoundary.ts';
import { loadLabelledSet, rankedFiles, score, scoreRanking } from '../test/bench/retrievalEval.ts';
import { hashedEmbedding, HASHED_DIMS } from '../test/support/hashedEmbedding.ts';
import { ScriptedModelServer } from '../test/support/modelServer.ts';
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

/** Runs `work` with the event loop watched: its time and the longest the loop was held (what a completion would have waited at most). */
async function watched(work) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const ticker = setInterval(() => undefined, 1);
  delay.enable();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  delay.disable();
  clearInterval(ticker);
  return { result, ms, maxBlockMs: delay.max / 1e6 };
}

/** Storing and loading one folder's index directly (snapshot.ts), and MiniSearch's one-pass toJSON() for comparison (how it was stored before). */
async function measurePersistence(folder) {
  const storage = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-persist-'));
  const persist = await watched(() => saveSnapshot(storage, folder));
  const load = await watched(() => loadSnapshot(storage, folder.boundary));
  rmSync(storage, { recursive: true, force: true });
  const onePass = await watched(async () => JSON.stringify(folder['search_'].toJSON()).length);
  return {
    'persist ms': Math.round(persist.ms),
    'persist max block ms': Math.round(persist.maxBlockMs),
    'load ms': Math.round(load.ms),
    'load max block ms': Math.round(load.maxBlockMs),
    'loaded': 'index' in load.result ? 'yes' : Object.values(load.result)[0],
    'one-pass toJSON ms': Math.round(onePass.ms),
  };
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
  const folder = index.hits(queries[0] ?? 'x', 1)[0]?.folder;
  persistence.push({ workspace: label, ...(folder ? await measurePersistence(folder) : {}) });
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

/** Hybrid figures on the labelled set: every chunk embedded through the embedder (data boundary, batches) by the scripted server. */
async function measureHybrid(index, set) {
  const server = await ScriptedModelServer.start({ embeddings: (text) => hashedEmbedding(text) });
  try {
    const embedder = new ChunkEmbedder({ boundary: new DataBoundary(), endpoint: () => ({ baseUrl: server.baseUrl, apiKey: '', model: 'hashed-bag-of-words', timeoutSeconds: 30 }), onLog: (message) => console.log(message) });
    const folder = index.hits('test', 1)[0]?.folder;
    const chunks = [];
    const where = new Map();
    for (const file of folder ? folder.indexedFiles().keys() : []) {
      for (const chunk of chunkFile(file, readFileSync(path.join(set.absoluteRoot, file), 'utf8'))) {
        chunks.push({ file, text: chunk.text });
        const key = chunkKey(chunk.text);
        if (!where.has(key)) where.set(key, { file, start: chunk.startLine });
      }
    }
    const store = new VectorStore('hashed-bag-of-words');
    const started = performance.now();
    await embedder.embedMissing(chunks, store, new AbortController().signal);
    const embedMs = Math.round(performance.now() - started);
    const ranked = new Map();
    for (const { q } of set.questions) {
      const query = await embedder.embedQuery(q, new AbortController().signal);
      const vector = query ? nearest(query, store.entries(), FUSION_DEPTH).map(({ key, score }) => ({ ...where.get(key), score })) : [];
      const fused = fuseHits(index.hits(q, FUSION_DEPTH), vector, FUSION_DEPTH);
      const files = [];
      for (const hit of fused) if (!files.includes(hit.file)) files.push(hit.file);
      ranked.set(q, files.slice(0, 10));
    }
    return { scores: scoreRanking(set, (q) => ranked.get(q) ?? rankedFiles(index, q)), chunks: chunks.length, embedMs, requests: server.embeddingRequests().length };
  } finally {
    await server.close();
  }
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const runs = (part) => only === undefined || only === part;

const persistence = [];

async function main() {
  if (!runs('index') && !runs('quality')) return;
  const set = loadLabelledSet('mocha-lib.json', repository);
  const questions = set.questions.map((question) => question.q);
  const rows = [];
  if (runs('index')) {
    persistence.length = 0;
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
    console.log('\nStoring and loading each index (snapshot.ts, in time slices), the longest the event loop was held during each, and MiniSearch toJSON() in one pass (how a store was made before; indexes over 8,000 chunks were then not stored)');
    console.table(persistence);
    console.log(`Machine: ${os.cpus().length} cores, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' / ')}: the longest hold includes time the process waited for a CPU.`);
  }
  if (!runs('quality')) return;

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
  const hybrid = await measureHybrid(index, set);
  console.log(`\nRetrieval quality, lexical vs hybrid (RRF of BM25 and cosine, top ${FUSION_DEPTH} of each). The hybrid vectors are NOT from a real embedding model:`);
  console.log(`the scripted server answers /v1/embeddings with a ${HASHED_DIMS}-dimension hashed bag of words, so this measures the fusion code, not model quality.`);
  console.table([
    { ranking: 'lexical', 'hit@5': scores.hitAt5.toFixed(3), 'recall@5': scores.recallAt5.toFixed(3), MRR: scores.mrr.toFixed(3) },
    { ranking: 'hybrid (hashed stand-in vectors)', 'hit@5': hybrid.scores.hitAt5.toFixed(3), 'recall@5': hybrid.scores.recallAt5.toFixed(3), MRR: hybrid.scores.mrr.toFixed(3) },
  ]);
  console.log(`Embedding ${hybrid.chunks} chunks took ${hybrid.embedMs} ms in ${hybrid.requests} requests (local scripted server, through the data boundary).`);
  await index.dispose();
}

await main();

// ---- Inline completions while the index builds (the service's one event loop is shared) ----

/** The service overhead goals of inline completions (bench:completions, README "Inline completions"). */
const COMPLETION_GOALS = { p50Ms: 2, p99Ms: 10 };

async function completionsWhileIndexing() {
  const { measureCompletionsWhileIndexing } = await import('../test/bench/completionsWhileIndexing.ts');
  const generated = generateWorkspace(10_000);
  try {
    const [idle, busy] = await measureCompletionsWhileIndexing(generated.root);
    const f = (value) => value.toFixed(2);
    console.log('\nInline completion latency end to end (stdio, service from the sources, scripted model without latency), idle vs while the same service indexes 10,000 files');
    console.table([idle, busy].map((row) => ({ phase: row.phase, requests: row.requests, 'p50 ms': f(row.p50Ms), 'p95 ms': f(row.p95Ms), 'p99 ms': f(row.p99Ms), 'max ms': f(row.maxMs), 'phase s': (row.phaseMs / 1000).toFixed(1) })));
    const added50 = busy.p50Ms - idle.p50Ms;
    const added95 = busy.p95Ms - idle.p95Ms;
    const added99 = busy.p99Ms - idle.p99Ms;
    const verdict = (ok) => (ok ? 'OK' : 'MISSED');
    console.log(`Added by indexing: p50 ${f(added50)} ms (goal < ${COMPLETION_GOALS.p50Ms} ms) ${verdict(added50 < COMPLETION_GOALS.p50Ms)}, p95 ${f(added95)} ms, p99 ${f(added99)} ms (goal < ${COMPLETION_GOALS.p99Ms} ms) ${verdict(added99 < COMPLETION_GOALS.p99Ms)}`);
    console.log('(the goals are the completion service overhead goals of bench:completions, applied to what indexing adds)');
    console.log(`Machine: ${os.cpus().length} cores, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' / ')} (1 / 5 / 15 min): with more runnable processes than cores, every figure above includes waiting for a CPU.`);
  } finally {
    rmSync(generated.root, { recursive: true, force: true });
  }
}

if (runs('completions')) await completionsWhileIndexing();

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

if (runs('mcp')) await mcpRoundTrip();
