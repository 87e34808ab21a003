#!/usr/bin/env node
// `npm run bench` (= `npm run bench:chat`): Tandem's performance figures, each
// printed next to its goal. A benchmark, not a test: missing a goal is
// reported, not failed; the exit status is 0 unless the benchmark itself broke.
//
//   1. `npm run package` (production build into dist/, then the VSIX): its size.
//   2. `node scripts/build.mjs --no-tests`: the development build back in dist/,
//      the bundles the tests and `npm start` use (and readable function names
//      in the attribution of long frames).
//   3. test/bench/benchChat.ts in code-server + headless Chromium: activate()
//      per extension-host start, then a 20,000-token markdown answer streamed
//      by the scripted model server at 500 tokens/s into the chat webview.
//   4. test/bench/longChatBench.ts, same session: a conversation of 100
//      questions and answers (about 300,000 tokens) restored by a window
//      reload (time to its last screen), scrolled to the top and back (a
//      screen per frame), scrolled up 60 screens at reading speed, and a new
//      answer streamed at its end.
//   Each figure of 3 and 4 is measured --runs times (3): median and worst are
//   reported, with the renderer's JS heap after each.
//
//   node scripts/bench-chat.mjs [--tokens N] [--rate TOKENS_PER_S] [--activations N] [--runs N] [--history-answers N] [--no-long-chat] [--profile] [--trace-stream] [--profile-scroll] [--trace-scroll] [--css RULES] [--skip-package]
//
// Results: the report below, test-results/bench/results.json, screenshots and
// logs in test-results/bench/. --profile adds a V8 CPU profile of the page's
// main thread during the stream (its figures are then not the benchmark's);
// --trace-stream a Chrome trace of the first stream (stream.trace.json): its
// long tasks broken down, and every garbage-collection pause of the renderer;
// --profile-scroll one of the long chat's first scroll to the top and back;
// --trace-scroll a Chrome trace of it, its long tasks broken down by style,
// layout, paint, garbage collection and script (long-chat-scroll.trace.json);
// --css adds style rules to the webview first, to try a fix without a rebuild.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'test-results', 'bench');
const vsixFile = path.join(root, 'dist-vsix', 'tandem.vsix');

const GOALS = { activationMs: 50, vsixBytes: 3_000_000, firstTextMs: 50, longestTaskMs: 50, lastScreenMs: 200 };
/** Other processes keeping more CPUs than this busy on average make a run "busy" (test/bench/cpuUsage.ts). */
const BUSY_OTHERS = 0.25;

function parseArgs(argv) {
  const options = { tokens: 20_000, rate: 500, activations: 3, runs: 3, historyAnswers: 100, longChat: true, profile: false, traceStream: false, profileScroll: false, traceScroll: false, skipPackage: false, css: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const number = () => {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value <= 0) {
        throw new Error(`${arg} needs a positive number`);
      }
      return value;
    };
    if (arg === '--tokens') options.tokens = Math.round(number());
    else if (arg === '--rate') options.rate = number();
    else if (arg === '--activations') options.activations = Math.round(number());
    else if (arg === '--runs') options.runs = Math.round(number());
    else if (arg === '--history-answers') options.historyAnswers = Math.round(number());
    else if (arg === '--no-long-chat') options.longChat = false;
    else if (arg === '--profile') options.profile = true;
    else if (arg === '--trace-stream') options.traceStream = true;
    else if (arg === '--profile-scroll') options.profileScroll = true;
    else if (arg === '--trace-scroll') options.traceScroll = true;
    else if (arg === '--skip-package') options.skipPackage = true;
    else if (arg === '--css') options.css = argv[++i];
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

/** Runs a build step with its output in test-results/bench/<log>; on failure shows the end of it. */
function step(title, command, args, log) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  writeFileSync(path.join(resultsDir, log), output);
  if (result.status !== 0) {
    const tail = output.trimEnd().split('\n').slice(-30).join('\n');
    throw new Error(`${title} failed (${result.error?.message ?? `exit ${result.status}`}); test-results/bench/${log}:\n${tail}`);
  }
  console.log(`[bench] ${title}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const ms = (value, digits = 1) => `${value.toFixed(digits)} ms`;
/** A longest task from the longtask observer, which only sees tasks over 50 ms: 0 means none was. */
const taskMs = (value) => (value === 0 ? 'none > 50' : ms(value, 0));
const count = (value) => value.toLocaleString('en-US');
const verdict = (value, goal) => (value < goal ? 'meets goal' : 'OVER GOAL');
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function report(vsix, chat) {
  const lines = [];
  const row = (name, value, goal, status, detail) => lines.push(`  ${name.padEnd(38)} ${value.padStart(10)}   ${goal.padEnd(9)} ${status.padEnd(10)}  ${detail}`);
  const { environment: env, activation, answer, firstText, stream, mainThread, rendered, clock } = chat;
  lines.push(`Tandem benchmarks: ${env.cpus} CPUs, Node ${env.node}, VS Code via code-server ${env.codeServer}, Chromium ${env.chromium} (headless)`);
  lines.push('');
  lines.push(`  ${'figure'.padEnd(38)} ${'measured'.padStart(10)}   ${'goal'.padEnd(9)} ${''.padEnd(10)}  detail`);
  const activationMs = median(activation.samplesMs);
  row('activate() in the extension host', ms(activationMs), '< 50 ms', verdict(activationMs, GOALS.activationMs),
    `median of ${activation.samplesMs.length} extension-host starts: ${activation.samplesMs.map((v) => ms(v)).join(', ')}`);
  if (vsix) {
    row('VSIX size', `${(vsix.bytes / 1e6).toFixed(2)} MB`, '< 3 MB', verdict(vsix.bytes, GOALS.vsixBytes), `${count(vsix.bytes)} bytes, ${path.relative(root, vsix.file)}`);
  } else {
    row('VSIX size', 'skipped', '< 3 MB', '', '--skip-package');
  }
  row('first SSE chunk → first answer text', ms(firstText.latencyMs), '< 50 ms', verdict(firstText.latencyMs, GOALS.firstTextMs),
    `delta reached the webview after ${firstText.deltaArrivalMs === null ? '?' : ms(firstText.deltaArrivalMs)}; clocks agree within ±${ms(clock.uncertaintyMs, 2)}`);
  // The Long Tasks API reports only tasks over 50 ms: none reported means all were shorter.
  const noLongTask = mainThread.method.includes('longtask') && mainThread.tasksOver50.webview === 0;
  row('longest webview task while streaming', noLongTask ? 'none > 50' : ms(mainThread.longestWebviewTaskMs, 0), '< 50 ms', verdict(mainThread.longestWebviewTaskMs, GOALS.longestTaskMs),
    `the worst of ${chat.streamRuns?.length ?? 1} run(s); ${mainThread.method}; ${mainThread.tasksOver50.webview} task(s) over 50 ms`);
  lines.push('');
  lines.push(`  The answer: ${count(answer.tokens)} tokens, ${count(answer.chars)} chars of markdown (${answer.stats.headings} headings, ${answer.stats.codeBlocks} code blocks in ${answer.stats.languages.length} languages, ${answer.stats.tables} tables, ${answer.stats.lists} lists), streamed at ${answer.tokensPerSecond} tokens/s`);
  lines.push(`    stream duration      ${(stream.serverMs / 1000).toFixed(2)} s from first to last SSE chunk (${count(stream.chunksSent)} chunks); answer shown as ${stream.endState} ${(stream.endToEndMs / 1000).toFixed(2)} s after the first chunk`);
  lines.push(`    webview received     ${count(stream.deltas)} delta messages carrying ${count(stream.deltaChars)} of ${count(answer.chars)} chars sent ${stream.deltaChars === answer.chars ? '(all of it)' : '(MISSING TEXT)'}; other messages: ${Object.entries(stream.otherMessages).map(([type, n]) => `${n} ${type}`).join(', ') || 'none'}`);
  lines.push(`    rendered             ${count(rendered.textChars)} chars of text (markup removed); ${rendered.codeBlocks}/${answer.stats.codeBlocks} code blocks (${rendered.highlightedBlocks} highlighted), ${rendered.tables}/${answer.stats.tables} tables, ${rendered.headings}/${answer.stats.headings} headings; last sentence ${rendered.endMarkerShown ? 'shown' : 'MISSING'}`);
  lines.push(`    main thread          longest task on the thread the webview shares with the workbench ${mainThread.tasksOver50.any === 0 ? 'under 50 ms' : ms(mainThread.longestAnyTaskMs, 0)} (${mainThread.tasksOver50.any} over 50 ms); longest gap between animation frames ${ms(mainThread.longestFrameGapMs)} over ${count(mainThread.frames)} frames`);
  for (const task of mainThread.longTasks) {
    lines.push(`      long task          ${ms(task.durationMs, 0)} at ${(task.atMs / 1000).toFixed(2)} s (${task.attribution})`);
  }
  for (const frame of mainThread.longFrames) {
    lines.push(`      long frame         ${ms(frame.durationMs, 0)} at ${(frame.atMs / 1000).toFixed(2)} s (blocking ${ms(frame.blockingMs, 0)}): scripts ${frame.scripts.join('; ') || 'none'}; rendering ${ms(frame.renderMs, 0)} (style and layout ${ms(frame.styleAndLayoutMs, 0)})`);
  }
  if (chat.profile) {
    lines.push(...profileLines('CPU profile', chat.profile));
  }
  if (chat.streamTrace) {
    lines.push(...streamTraceLines(chat.streamTrace));
  }
  if (chat.cpu) {
    lines.push(`    CPU during stream    ${cpuText(chat.cpu)}`);
  }
  lines.push(...repeatedFigures(chat));
  lines.push(`    screenshots          ${chat.screenshots.map((file) => path.relative(root, file)).join(', ')}`);
  return lines.join('\n');
}

/** A CPU profile's summary: most self time, then the longest runs of chat.js (with their start in the profile). */
function profileLines(title, profile) {
  const lines = [`    ${title.padEnd(20)} ${path.relative(root, profile.file)} (${(profile.totalMs / 1000).toFixed(1)} s); most self time:`];
  for (const entry of profile.top) {
    lines.push(`      ${ms(entry.selfMs, 0).padStart(10)}  ${entry.fn}`);
  }
  lines.push('    longest runs of the webview\'s code (chat.js):');
  for (const run of profile.longestRuns) {
    lines.push(`      ${ms(run.durationMs, 1).padStart(10)}  at ${(run.atMs / 1000).toFixed(2)} s  ${run.entry}`);
    lines.push(`                  calls: ${run.callees.map((c) => `${c.fn} ${ms(c.ms, 1)}`).join(', ')}`);
    lines.push(`                  self time in: ${run.leaves.map((c) => `${c.fn} ${ms(c.ms, 1)}`).join(', ')}`);
  }
  if (profile.busy?.length) {
    lines.push('    the thread busy for over 50 ms (whoever\'s work):');
    for (const stretch of profile.busy) {
      lines.push(`      ${ms(stretch.durationMs, 1).padStart(10)}  at ${(stretch.atMs / 1000).toFixed(2)} s; chat.js: ${stretch.ours.map((c) => `${c.fn} ${ms(c.ms, 1)}`).join(', ') || 'none'}`);
      lines.push(`                  self time in: ${stretch.leaves.map((c) => `${c.fn} ${ms(c.ms, 1)}`).join(', ')}`);
    }
  }
  return lines;
}

/** The traced stream: garbage-collection pauses (the longest with their phases), then its long tasks by self time. */
function streamTraceLines(trace) {
  const { gc } = trace;
  const lines = [`    stream trace         ${path.relative(root, trace.file)}: ${gc.pauses} garbage-collection pauses on renderer main threads, ${ms(gc.totalMs, 0)} in all (${gc.major} major, ${gc.minor} minor); the longest:`];
  for (const pause of gc.longest) {
    lines.push(`      ${ms(pause.durationMs, 1).padStart(9)} at ${(pause.atMs / 1000).toFixed(2)} s ${pause.name}: ${pause.parts.map((p) => `${p.fn} ${ms(p.ms, 1)}`).join(', ')}`);
  }
  lines.push(`    ${trace.longTasks.length} task(s) over 50 ms on renderer main threads, by self time:`);
  for (const task of trace.longTasks) {
    lines.push(`      ${ms(task.durationMs, 0).padStart(7)} at ${(task.atMs / 1000).toFixed(2)} s [${task.thread}]: ${task.parts.map((p) => `${p.fn} ${ms(p.ms, 0)}`).join(', ')}`);
  }
  return lines;
}

function cpuText(cpu) {
  const busy = cpu.others > BUSY_OTHERS;
  const who = cpu.topOthers?.length ? ` (${cpu.topOthers.map((p) => `${p.name} ${p.cpus.toFixed(2)}`).join(', ')})` : '';
  return `${cpu.ours.toFixed(2)} of ${cpu.cpus} CPUs busy with the benchmark (VS Code, Tandem, Chromium), ${cpu.others.toFixed(2)} with other processes${who}${busy ? ': BUSY, other work competed for the CPUs, timings are inflated' : ''}`;
}

/** "median / worst" of a figure over the runs (worst: the largest). */
function spread(values, format) {
  const known = values.filter((value) => value !== null && value !== undefined && Number.isFinite(value));
  if (known.length === 0) return 'n/a';
  return `${format(median(known))} / ${format(Math.max(...known))}`;
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const busyRuns = (cpus) => {
  const busy = cpus.filter((cpu) => cpu && cpu.others > BUSY_OTHERS).length;
  const worst = Math.max(0, ...cpus.filter(Boolean).map((cpu) => cpu.others));
  return `others used up to ${worst.toFixed(2)} CPUs${busy ? `; ${busy} run(s) BUSY` : ''}`;
};

/** The figures measured several times: median and worst of each, and the heap after each. */
function repeatedFigures(chat) {
  const lines = [''];
  const runs = chat.streamRuns ?? [];
  const row = (name, values, goal, detail) => lines.push(`  ${name.padEnd(46)} ${values.padStart(21)}   ${goal.padEnd(9)} ${detail}`);
  lines.push(`  Each figure ${runs.length} times: median / worst`);
  row(`${count(chat.answer.tokens)}-token stream: longest webview task`, spread(runs.map((r) => r.longestWebviewTaskMs), taskMs), '< 50 ms',
    `tasks over 50 ms per run: ${runs.map((r) => r.tasksOver50).join(', ')}; ${busyRuns(runs.map((r) => r.cpu))}`);
  row('  JS heap after it', spread(runs.map((r) => r.heapBytes), mb), '', `webview elements: ${runs.map((r) => count(r.webviewElements)).join(', ')}`);
  const long = chat.longChat;
  if (!long) {
    return lines;
  }
  const { conversation: c, runs: longRuns } = long;
  lines.push(`  A conversation of ${c.answers} answers, ${count(c.tokens)} tokens (${count(c.chars)} chars of markdown), built in ${c.buildSeconds.toFixed(0)} s:`);
  const restore = longRuns.map((r) => r.restore);
  row('restored (window reload): last screen', spread(restore.map((r) => r.lastScreenMs), (v) => ms(v, 0)), '< 200 ms',
    `after the webview is ready (${restore.filter((r) => r.fromSavedState).length} of ${restore.length} shown from the webview's saved state; the extension's state arrived after ${spread(restore.map((r) => r.stateMs), (v) => ms(v, 0))}); answers in view still unrendered then: ${restore.map((r) => r.placeholdersInView).join(', ')}; tasks over 50 ms in the webview: ${restore.map((r) => r.tasksOver50).join(', ')} (longest ${spread(restore.map((r) => r.longestTaskMs), taskMs)})`);
  row('  JS heap after it', spread(restore.map((r) => r.heapBytes), mb), '', `webview elements: ${restore.map((r) => count(r.webviewElements)).join(', ')}`);
  const scroll = longRuns.map((r) => r.scroll);
  row('scrolling to the top and back: longest task', spread(scroll.map((r) => r.longestTaskMs), taskMs), '< 50 ms',
    `tasks over 50 ms per run: ${scroll.map((r) => r.tasksOver50).join(', ')}; a screen per frame over ${count(Math.round(median(scroll.map((r) => r.heightPx))))} px, ${count(Math.round(median(scroll.map((r) => r.frames))))} frames; ${busyRuns(scroll.map((r) => r.cpu))}`);
  row('  JS heap after it', spread(scroll.map((r) => r.heapBytes), mb), '', `webview elements: ${scroll.map((r) => count(r.webviewElements)).join(', ')}`);
  scroll.forEach((r, i) => {
    if (r.longTasks?.length) {
      lines.push(`    run ${i + 1}: tasks over 50 ms at ${r.longTasks.map((t) => `${(t.atMs / 1000).toFixed(2)} s (${ms(t.durationMs, 0)})`).join(', ')}`);
    }
  });
  if (long.scrollProfile) {
    lines.push(...profileLines('scroll CPU profile', long.scrollProfile));
  }
  if (long.scrollTrace) {
    lines.push(`    scroll trace         ${path.relative(root, long.scrollTrace.file)}: ${long.scrollTrace.longTasks.length} task(s) over 50 ms on renderer main threads, by self time:`);
    for (const task of long.scrollTrace.longTasks) {
      lines.push(`      ${ms(task.durationMs, 0).padStart(7)} at ${(task.atMs / 1000).toFixed(2)} s [${task.thread}]: ${task.parts.map((p) => `${p.fn} ${ms(p.ms, 0)}`).join(', ')}`);
    }
  }
  const slow = longRuns.map((r) => r.slowScroll).filter(Boolean);
  if (slow.length > 0) {
    row(`scrolling up ${slow[0].screens ?? '?'} screens at reading speed`, spread(slow.map((r) => r.longestTaskMs), taskMs), '< 50 ms',
      `an eighth of a screen per frame, answers rendering as they come near (${slow.map((r) => r.rendered).join(', ')} rendered); tasks over 50 ms per run: ${slow.map((r) => r.tasksOver50).join(', ')}; ${busyRuns(slow.map((r) => r.cpu))}`);
    slow.forEach((r, i) => {
      if (r.longTasks?.length) {
        lines.push(`    run ${i + 1}: tasks over 50 ms at ${r.longTasks.map((t) => `${(t.atMs / 1000).toFixed(2)} s (${ms(t.durationMs, 0)})`).join(', ')}`);
      }
    });
  }
  const stream = longRuns.map((r) => r.stream);
  row('new answer streamed at its end: longest task', spread(stream.map((r) => r.longestTaskMs), taskMs), '< 50 ms',
    `tasks over 50 ms per run: ${stream.map((r) => r.tasksOver50).join(', ')}; ${count(median(stream.map((r) => r.chars)))} chars each; ${busyRuns(stream.map((r) => r.cpu))}`);
  row('  JS heap after it', spread(stream.map((r) => r.heapBytes), mb), '', `webview elements: ${stream.map((r) => count(r.webviewElements)).join(', ')}`);
  return lines;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  let vsix;
  if (!options.skipPackage) {
    // First: it leaves a production build in dist/, which the next step replaces.
    // vsce does not create the folder of its -o file.
    mkdirSync(path.dirname(vsixFile), { recursive: true });
    step('npm run package', 'npm', ['run', 'package'], 'package.log');
    vsix = { file: vsixFile, bytes: statSync(vsixFile).size };
  }
  step('development build', process.execPath, ['scripts/build.mjs', '--no-tests'], 'build.log');
  step('test dependencies', 'bash', ['scripts/install-test-deps.sh'], 'install-test-deps.log');

  const { runChatBench } = await tsImport('../test/bench/benchChat.ts', import.meta.url);
  const chat = await runChatBench({
    tokens: options.tokens, tokensPerSecond: options.rate, activations: options.activations, profile: options.profile, traceStream: options.traceStream, profileScroll: options.profileScroll, traceScroll: options.traceScroll, extraCss: options.css,
    runs: options.runs, longChat: options.longChat, historyAnswers: options.historyAnswers,
  });

  const text = report(vsix, chat);
  console.log(`\n${text}\n`);
  writeFileSync(path.join(resultsDir, 'results.json'), JSON.stringify({ measuredAt: new Date().toISOString(), host: os.hostname(), goals: GOALS, vsix, ...chat }, null, 2));
  writeFileSync(path.join(resultsDir, 'report.txt'), `${text}\n`);
}

main().then(
  // code-server and Chromium are gone by now; exit even if a stray handle lingers.
  () => process.exit(0),
  (error) => {
    console.error(`[bench] the benchmark broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
