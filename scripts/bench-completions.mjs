#!/usr/bin/env node
// `npm run bench:completions`: the inline completion figures, each next to its
// goal. A benchmark, not a test: a missed goal is reported (exit status 1),
// it does not stop the run.
//
//   1. The recorded typing run (test/fixtures/typing/ttlCache.typing.json,
//      1963 keystrokes) replayed through the completion engine in-process
//      against the scripted model server: real HTTP, virtual time (150 ms
//      model latency, recorded pauses), so the counts are exact. Twice:
//      "typing along" (the model suggests what comes next in the file and
//      the person types exactly that) and "free typing" (wrong suggestions).
//      Figures: model requests per 100 keystrokes, keystrokes answered from
//      the cache, the service's own time per request (p50/p99: time in the
//      engine minus debounce and model waits; measured on a second run, the
//      first warms up the JIT).
//   2. The built service (`node dist/server.js lsp --stdio`, needs
//      `node scripts/build.mjs --no-tests`) fed the same run over LSP in real
//      time, pauses scaled by --scale (default 0.05), model latency 30 ms:
//      its memory (RSS, peak RSS, heap) and its own overhead figures,
//      JSON-RPC included, from tandem/completionStats.
//   3. The inline-suggestion corpus (test/unit/completions/corpus, issue 11)
//      at the service level, in-process over LSP, once per template (fill-in-
//      the-middle, chat): runs inserting exactly the expected text, by class
//      and by language (goal: all), and the corpus's wall time.
//
//   node --import tsx scripts/bench-completions.mjs [--scale F] [--skip-service] [--corpus-only [--failing]]
//   (--failing: list the failing corpus runs, in the form of corpus/pending.ts entries)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CancellationTokenSource,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  InlineCompletionRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { CompletionStatsRequest } from '../src/shared/protocol.ts';
import { ScriptedModelServer } from '../test/support/modelServer.ts';
import { formatSummary, runCorpus } from '../test/unit/completions/corpus/summary.ts';
import { FIXTURES, loadRecording, REPLAY_LATENCY_MS, REPLAY_MODEL, replay, simulatedAnswer } from '../test/unit/completions/replay.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GOALS = { p50Ms: 2, p99Ms: 10, callsPer100Along: 25 };
const args = process.argv.slice(2);
const scale = Number(args[args.indexOf('--scale') + 1]) > 0 && args.includes('--scale') ? Number(args[args.indexOf('--scale') + 1]) : 0.05;
const skipService = args.includes('--skip-service');
const corpusOnly = args.includes('--corpus-only');
let missed = 0;

const verdict = (ok) => {
  if (!ok) missed++;
  return ok ? 'OK' : 'MISSED';
};
const ms = (value) => `${value.toFixed(3)} ms`;
const pct = (part, whole) => `${((100 * part) / whole).toFixed(1)} %`;

function report(title, result, goalCalls) {
  const { stats, keystrokes } = result;
  const per100 = (100 * stats.modelCalls) / keystrokes;
  console.log(`\n${title}`);
  const callsGoal = goalCalls ? `(goal < ${GOALS.callsPer100Along})  ${verdict(per100 < GOALS.callsPer100Along)}` : '(no goal; for comparison)';
  console.log(`  model requests per 100 keystrokes  ${per100.toFixed(1).padStart(6)}      ${callsGoal}`);
  console.log(`  answered from the cache            ${pct(stats.cacheHits, keystrokes).padStart(8)}    (${stats.cacheHits} of ${keystrokes} keystrokes)`);
  console.log(`  answered by a call in flight       ${pct(stats.reusedInFlight, keystrokes).padStart(8)}    (${stats.reusedInFlight})`);
  console.log(`  suggestion shown before next key   ${pct(result.answered, keystrokes).padStart(8)}`);
  console.log(`  model calls / cancelled            ${String(stats.modelCalls).padStart(6)} / ${stats.modelCallsCancelled}   (closed early on the server: ${result.serverClosedEarly})`);
  console.log(`  requests ended in the debounce     ${String(stats.debounced).padStart(6)}`);
  const { p50, p99, max, count } = stats.overheadMs;
  console.log(`  service overhead per request       p50 ${ms(p50)} (goal < ${GOALS.p50Ms} ms) ${verdict(p50 < GOALS.p50Ms)}, p99 ${ms(p99)} (goal < ${GOALS.p99Ms} ms) ${verdict(p99 < GOALS.p99Ms)}, max ${ms(max)}, n=${count}`);
}

async function inProcess(recording) {
  console.log(`In-process replay: ${recording.file}, ${recording.events.length} keystrokes, model ${REPLAY_MODEL}, latency ${REPLAY_LATENCY_MS} ms (virtual), debounce base 75 ms`);
  await replay(recording, { mode: 'along' }); // JIT warm-up
  let peakHeap = 0;
  const sample = (index) => {
    if (index % 50 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const heapBefore = process.memoryUsage().heapUsed;
  report('Typing along (the person types the suggested text):', await replay(recording, { mode: 'along', onKeystroke: sample }), true);
  report('Free typing (the model suggests wrong things):', await replay(recording, { mode: 'free', onKeystroke: sample }), false);
  console.log(`\n  bench process heap during the replays: ${(heapBefore / 2 ** 20).toFixed(1)} MB before, ${(peakHeap / 2 ** 20).toFixed(1)} MB peak (sampled)`);
}

async function service(recording) {
  const serverJs = path.join(root, 'dist', 'server.js');
  if (!existsSync(serverJs)) {
    console.log(`\nBuilt service: skipped, ${serverJs} is missing (run node scripts/build.mjs --no-tests).`);
    return;
  }
  const latency = 30;
  const model = await ScriptedModelServer.start({ models: [REPLAY_MODEL] });
  model.setDefaultReply((request) => ({
    kind: 'json',
    text: simulatedAnswer(recording.final, request.body.prompt, 'along'),
    holdUntil: new Promise((resolve) => setTimeout(resolve, latency)),
  }));
  const env = { ...process.env, OPENAI_BASE_URL: model.baseUrl };
  delete env.OPENAI_API_KEY;
  const child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
  child.stderr.resume();
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    const workspace = 'file:///work/app';
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: workspace,
      capabilities: { workspace: { configuration: false } },
      initializationOptions: { tandem: { completionModel: REPLAY_MODEL, completions: { debounceMs: 75 } } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    const { readFileSync } = await import('node:fs');
    for (const related of recording.related) {
      const text = readFileSync(path.join(FIXTURES, related), 'utf8');
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: `${workspace}/src/${related}`, languageId: recording.languageId, version: 1, text } });
    }
    const uri = `${workspace}/src/${recording.file}`;
    let version = 1;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: recording.languageId, version, text: recording.initial } });
    let text = recording.initial;
    let offset = 0;
    const positionAt = (at) => {
      const before = text.slice(0, at);
      const line = before.split('\n').length - 1;
      return { line, character: at - (before.lastIndexOf('\n') + 1) };
    };
    let previous;
    const pending = [];
    const started = Date.now();
    for (const [delay, edit] of recording.events) {
      await new Promise((resolve) => setTimeout(resolve, delay * scale));
      previous?.cancel();
      const start = typeof edit === 'string' ? offset : offset + edit;
      const inserted = typeof edit === 'string' ? edit : '';
      const range = { start: positionAt(start), end: positionAt(offset) };
      text = text.slice(0, start) + inserted + text.slice(offset);
      offset = start + inserted.length;
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: ++version }, contentChanges: [{ range, text: inserted }] });
      previous = new CancellationTokenSource();
      const params = { textDocument: { uri }, position: positionAt(offset), context: { triggerKind: 2 } };
      pending.push(connection.sendRequest(InlineCompletionRequest.type, params, previous.token).catch(() => null));
    }
    await Promise.all(pending);
    const stats = await connection.sendRequest(CompletionStatsRequest.type, {});
    const { p50, p99, max, count } = stats.overheadMs;
    console.log(`\nBuilt service over stdio (real time, pauses ×${scale}, model latency ${latency} ms, ${((Date.now() - started) / 1000).toFixed(1)} s):`);
    console.log(`  requests ${stats.requests}, cache hits ${stats.cacheHits}, in flight ${stats.reusedInFlight}, model calls ${stats.modelCalls} (cancelled ${stats.modelCallsCancelled})`);
    console.log(`  service overhead per request       p50 ${ms(p50)} (goal < ${GOALS.p50Ms} ms) ${verdict(p50 < GOALS.p50Ms)}, p99 ${ms(p99)} (goal < ${GOALS.p99Ms} ms) ${verdict(p99 < GOALS.p99Ms)}, max ${ms(max)}, n=${count}`);
    const memory = stats.memory ?? { rssMb: 0, peakRssMb: 0, heapUsedMb: 0 };
    console.log(`  memory of the service              RSS ${memory.rssMb} MB (peak ${memory.peakRssMb} MB), heap used ${memory.heapUsedMb} MB`);
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
    await model.close();
  }
}

async function corpus() {
  const { runs, summary } = await runCorpus();
  if (args.includes('--failing')) {
    console.log('\nFailing corpus runs:');
    for (const run of runs.filter((r) => !r.passed)) console.log(`  '${run.case.id}/${run.template}',`);
  }
  console.log(`\nCorpus (${summary.cases} cases, ${summary.runs} runs over LSP in ${(summary.elapsedMs / 1000).toFixed(2)} s): inserting exactly the expected text`);
  console.log(`  runs   ${summary.passed}/${summary.runs} (${pct(summary.passed, summary.runs)}) (goal: all)  ${verdict(summary.passed === summary.runs)}`);
  console.log(`  cases  ${summary.casesPassed}/${summary.cases} (${pct(summary.casesPassed, summary.cases)}) with every template`);
  console.log(formatSummary(summary).join('\n'));
}

if (!corpusOnly) {
  const recording = loadRecording();
  await inProcess(recording);
  if (!skipService) await service(recording);
}
await corpus();
console.log(missed === 0 ? '\nAll goals met.' : `\n${missed} goal(s) missed.`);
process.exitCode = missed === 0 ? 0 : 1;
