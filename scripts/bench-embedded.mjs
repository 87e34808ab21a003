#!/usr/bin/env node
// `npm run bench:embedded`: the built-in model on a tiny generated GGUF
// (test/support/tinyGguf.ts; random weights, so the text is gibberish and the
// figures are the plumbing's): load time, time to first token, tokens per
// second, Tandem's overhead over raw node-llama-cpp generation (the whole
// answer path: data boundary, redaction, coalesced deltas, log, and the
// process boundary to the engine; goal < 1.05), and memory (RSS) of the
// service and of its engine process, before loading, after loading and after
// unloading, over 50 load/unload cycles (goal: the service back within 10 %
// of before). One thread, CPU only, as the tests run. Needs the engine
// (scripts/engine); uses dist/embeddedHost.js when built (else the sources through tsx).
// Run it alone: flock /tmp/tandem-heavy.lock npm run bench:embedded [runs] [--vsix]
// (--vsix packages the universal VSIX and this platform's first, ~40 s; else their sizes are shown when built).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ServiceLog } from '../src/server/log.ts';
import { startEngine, stopEngine } from '../src/server/providers/embedded/engine.ts';
import { toHistory } from '../src/server/providers/embedded/history.ts';
import { EngineHost } from '../src/server/providers/embedded/engineHost.ts';
import { streamAnswer, readyPrompt } from '../src/server/services/modelAnswer.ts';
import { resolveSettings } from '../src/server/settings.ts';
import { writeTinyGguf } from '../test/support/tinyGguf.ts';

const RUNS = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 25);
const PACKAGE = process.argv.includes('--vsix');
const CYCLES = 50;
const TOKENS = 128;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MESSAGES = [
  { role: 'system', content: 'You are a coding assistant.' },
  { role: 'user', content: 'Write a TypeScript function that sums the numbers of an array, with a test.' },
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rss = () => {
  globalThis.gc?.();
  return process.memoryUsage().rss;
};
/** The JavaScript heap (what Tandem's objects take; llama.cpp's memory is outside it). */
const heap = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};
/** A VSIX's size when it was built (packaging is not run here: it takes a production build and, for a platform, npm pack). */
const vsix = (name, how) => {
  const file = path.join(root, 'dist-vsix', name);
  if (!existsSync(file)) return `not built (${how})`;
  const { size, mtime } = statSync(file);
  return `${mb(size)} (dist-vsix/${name}, built ${mtime.toISOString().slice(0, 16).replace('T', ' ')})`;
};
/** A process's RSS by its id (Linux: /proc; elsewhere ps), 0 when it is gone. */
const rssOf = (pid) => {
  if (pid === undefined) return 0;
  try {
    if (process.platform === 'linux') return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
  } catch {
    return 0;
  }
};
const built = path.join(root, 'dist', 'embeddedHost.js');
const script = existsSync(built) ? { path: built, execArgv: [] } : undefined;
const quietLog = new ServiceLog({ info: () => undefined, warn: () => undefined, error: () => undefined });

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-bench-embedded-'));
  const modelPath = writeTinyGguf(path.join(dir, 'tiny-bench.gguf'));
  try {
    const runtime = new EngineHost({ env: {}, engineFrom: root, threads: 1, gpu: false, maxAnswerTokens: TOKENS, seed: 1, ...(script ? { script } : {}) });
    runtime.configure({ modelPath, idleUnloadMinutes: 0 });
    // As the service does when it announces its status: the file's header is read (node-llama-cpp's JavaScript, no native engine).
    await runtime.check();
    const before = rss();

    // Memory first, on a fresh process: before anything, after the first load, after its unload, then 50 cycles.
    // Meanwhile, the longest the service's event loop waited (the LSP answers nothing while it does).
    const stalls = monitorEventLoopDelay({ resolution: 1 });
    stalls.enable();
    let started = performance.now();
    await runtime.chat(MESSAGES, new AbortController().signal, () => undefined);
    const firstTotal = performance.now() - started;
    const firstLoad = runtime.info?.loadMs ?? 0;
    const afterLoad = rss();
    const engineLoaded = rssOf(runtime.pid);
    await runtime.unload();
    const afterFirstUnload = rss();
    const heapAfterFirstUnload = heap();
    const unloaded = [];
    const loads = [];
    const engineRss = [];
    for (let i = 0; i < CYCLES; i++) {
      started = performance.now();
      await runtime.promptBudget();
      loads.push({ wall: performance.now() - started, engine: runtime.info?.loadMs ?? 0 });
      await runtime.chat(MESSAGES.slice(1), new AbortController().signal, () => undefined);
      engineRss.push(rssOf(runtime.pid));
      await runtime.unload();
      unloaded.push(rss());
    }
    stalls.disable();
    const heapAfterCycles = heap();

    // Tandem's answer path (streamAnswer: boundary, redaction, coalesced deltas, log; the engine in its process) against raw
    // node-llama-cpp in this process (the same model, context, chat wrapper, history and sampling, nothing around it), runs interleaved.
    const resolved = resolveSettings({}, { TANDEM_EMBEDDED_MODEL: modelPath });
    const deps = { sendDelta: () => undefined, sendNotice: () => undefined, log: quietLog };
    await runtime.chat(MESSAGES, new AbortController().signal, () => undefined);
    const engine = await startEngine({ env: {}, threads: 1, gpu: false, from: root });
    const model = await engine.llama.loadModel({ modelPath });
    const context = await model.createContext({ contextSize: runtime.info?.contextSize ?? 1024, sequences: 2, threads: 1 });
    const chat = new engine.module.LlamaChat({ contextSequence: context.getSequence(), chatWrapper: engine.module.resolveChatWrapper(model), autoDisposeSequence: false });
    const tandem = [];
    const raw = [];
    for (let i = 0; i < RUNS; i++) {
      let first;
      let pieces = 0;
      started = performance.now();
      const result = await streamAnswer(
        { streamId: `b${i}`, method: 'bench', purpose: 'chat', prompt: () => readyPrompt(MESSAGES) },
        resolved.settings,
        new AbortController().signal,
        { ...deps, stream: (request, signal, onText) => runtime.chat(request.messages, signal, (text) => ((first ??= performance.now()), pieces++, onText(text))) },
      );
      tandem.push({ ms: performance.now() - started, ttft: (first ?? performance.now()) - started, tokens: result.usage?.completionTokens ?? 0, pieces });

      let rawFirst;
      let tokens = 0;
      started = performance.now();
      await chat.generateResponse(toHistory(MESSAGES), {
        maxTokens: TOKENS,
        temperature: 0.2,
        seed: 1,
        onTextChunk: () => (rawFirst ??= performance.now()),
        onToken: (t) => (tokens += t.length),
      });
      raw.push({ ms: performance.now() - started, ttft: (rawFirst ?? performance.now()) - started, tokens });
    }
    chat.dispose({ disposeSequence: false });
    await context.dispose();
    await model.dispose();
    await runtime.dispose();
    await stopEngine();
    const afterEngineStop = rss();

    const perSecond = (runs) => median(runs.map((r) => (r.tokens / r.ms) * 1000));
    const ratio = median(tandem.map((r) => r.ms)) / median(raw.map((r) => r.ms));
    const last = unloaded.at(-1) ?? 0;
    const vsBefore = ((last - before) / before) * 100;
    const vsFirstUnload = ((last - afterFirstUnload) / afterFirstUnload) * 100;
    const engineMedian = median(engineRss);
    console.log(`\nTandem built-in model figures (tiny GGUF, ${cpus().length} cores, 1 thread, CPU; ${RUNS} answers of ${TOKENS} tokens; engine process: ${script ? 'dist/embeddedHost.js' : 'the sources through tsx'})\n`);
    console.log(`first load (process + engine start + model + context)  ${firstLoad.toFixed(0)} ms in the engine process (first answer in all: ${firstTotal.toFixed(0)} ms)`);
    console.log(`load after an unload (a new process), median of ${CYCLES}  ${median(loads.map((l) => l.wall)).toFixed(0)} ms in all, ${median(loads.map((l) => l.engine)).toFixed(0)} ms of it in the engine process`);
    console.log(`longest event-loop stall of the service while loading  ${(stalls.max / 1e6).toFixed(0)} ms (over the first load and ${CYCLES} reloads)`);
    console.log(`time to first token, Tandem / raw            ${median(tandem.map((r) => r.ttft)).toFixed(1)} ms / ${median(raw.map((r) => r.ttft)).toFixed(1)} ms`);
    console.log(`tokens per second, Tandem / raw              ${perSecond(tandem).toFixed(0)} / ${perSecond(raw).toFixed(0)} (messages of streamed text per answer, median: ${median(tandem.map((r) => r.pieces))})`);
    console.log(`answer time, Tandem / raw (median)           ${median(tandem.map((r) => r.ms)).toFixed(1)} ms / ${median(raw.map((r) => r.ms)).toFixed(1)} ms: ratio ${ratio.toFixed(3)} (goal < 1.05)`);
    console.log(`RSS                          service     engine process   total`);
    const row = (label, service, engineBytes) => console.log(`${label.padEnd(29)}${mb(service).padEnd(12)}${(engineBytes ? mb(engineBytes) : '(none)').padEnd(17)}${mb(service + engineBytes)}`);
    row('before load', before, 0);
    row('loaded', afterLoad, engineLoaded);
    row('after the first unload', afterFirstUnload, 0);
    row(`after ${CYCLES} load/unload cycles`, last, 0);
    console.log(`  service after cycle 1, 10, 25, 50: ${[1, 10, 25, 50].map((n) => mb(unloaded[n - 1] ?? 0)).join(', ')} (min ${mb(Math.min(...unloaded))}, max ${mb(Math.max(...unloaded))})`);
    console.log(`  engine process loaded, over the cycles: median ${mb(engineMedian)}, min ${mb(Math.min(...engineRss))}, max ${mb(Math.max(...engineRss))}`);
    console.log(`  service vs before load: ${vsBefore >= 0 ? '+' : ''}${vsBefore.toFixed(1)} % (goal within 10 %); vs after the first unload: ${vsFirstUnload >= 0 ? '+' : ''}${vsFirstUnload.toFixed(1)} %`);
    console.log(`RSS of this process after raw node-llama-cpp ran in it (for comparison)  ${mb(afterEngineStop)}`);
    console.log(`JS heap after the first unload / ${CYCLES} cycles   ${mb(heapAfterFirstUnload)} / ${mb(heapAfterCycles)}${globalThis.gc ? '' : ' (run with --expose-gc for exact figures)'}`);
    const target = `${process.platform}-${process.arch}`;
    if (PACKAGE) {
      execFileSync('npm', ['run', 'package'], { cwd: root, stdio: 'ignore' });
      execFileSync(process.execPath, [path.join(root, 'scripts', 'package-platform.mjs'), '--target', target], { cwd: root, stdio: 'ignore' });
    }
    console.log(`universal VSIX (goal < 3 MB)                 ${vsix('tandem.vsix', 'npm run package, or --vsix')}`);
    console.log(`platform VSIX (${target}, goal < 15 MB)      ${vsix(`tandem-${target}.vsix`, `npm run package:platform -- --target ${target}, or --vsix`)}`);
    // Below the figure before load is fine (the service gave back more than the model took).
    console.log(ratio < 1.05 && vsBefore <= 10 ? '\nGoals met.' : `\nGoal missed: ${ratio >= 1.05 ? 'overhead ' : ''}${vsBefore > 10 ? 'service memory after unload' : ''}.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
