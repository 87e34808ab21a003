/**
 * The chat benchmark (run by scripts/bench-chat.mjs): Tandem in a real VS Code
 * (code-server) driven by headless Chromium, answering one long question from
 * the scripted model server, which runs in this process.
 *
 * Measures:
 * - activate(): the `activationMs` the extension computes (and exports on its
 *   API) is also logged to its output channel as "Activated in N ms"; we read
 *   that line from the channel's log file in code-server's user-data-dir,
 *   once per extension-host start (the first start, then window reloads).
 * - time to first text: from the first SSE content chunk leaving the model
 *   server (its write callback, timed here) to the assistant message's body
 *   first holding text in the webview (a MutationObserver there). Both sides
 *   read `performance.timeOrigin + performance.now()`; the offset between the
 *   two clocks is measured by round trips and subtracted.
 * - the webview's longest main-thread task while the answer streams: the
 *   Long Tasks API in the webview's inner frame, plus requestAnimationFrame
 *   gaps there, and Long Tasks and Long Animation Frames (which name the
 *   scripts that ran) in the workbench window, whose main thread the webview
 *   shares: code-server serves webviews from the workbench's origin.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { TANDEM_ACTIVITY } from '../e2e/fixture';
import { findWebviewFrame, launchBrowser, openWorkbench, runCommand } from '../runner/browser';
import { CODE_SERVER_VERSION, startCodeServer, type CodeServer } from '../runner/codeServer';
import { copyFixtureWorkspace, repoRoot } from '../runner/workspace';
import { lastUserText, ScriptedModelServer, type RecordedRequest, type Reply } from '../support/modelServer';
import { GC_TRACE_CATEGORIES, summarizeGc, summarizeProfile, summarizeTrace, type CpuProfile, type GcSummary, type ProfileSummary, type TraceSummary } from './cpuProfile';
import { waitForActivations } from './activationLog';
import { cpuSnapshot, cpuUsage, type CpuUsage } from './cpuUsage';
import { longAnswer, type LongAnswer } from './longAnswer';
import { longChatReply, memory, runLongChatBench, type LongChatResult, type MemoryFigures } from './longChatBench';
import { mainThreadFigures } from './mainThreadFigures';
import { INSTALL_PROBE, INSTALL_TOP_PROBE, PROBE_DONE, READ_PROBE, READ_TOP_PROBE, type ProbeResult, type TopProbeResult } from './pageProbe';

export const benchResultsDir = path.join(repoRoot, 'test-results', 'bench');

export interface ChatBenchOptions {
  tokens?: number;
  tokensPerSecond?: number;
  /** Extension-host starts to time: the first, then window reloads. Default 3. */
  activations?: number;
  /**
   * Also record a V8 CPU profile of the page's main thread while the answer
   * streams (test-results/bench/webview.cpuprofile, open it in Chrome DevTools)
   * and list the functions that took the most time. The profiler slows the page
   * a little, so the figures of a profiled run are not the benchmark's.
   */
  profile?: boolean;
  /**
   * Record a Chrome trace of the first stream (test-results/bench/stream.trace.json):
   * its long tasks broken down (style, layout, script, garbage collection) and
   * every garbage-collection pause on the renderer's main thread. Tracing
   * slows the page a little: the figures of a traced run are not the benchmark's.
   */
  traceStream?: boolean;
  /** Record and summarise a CPU profile of the long chat's first scroll to the top and back (long-chat-scroll.cpuprofile). */
  profileScroll?: boolean;
  /** Record a Chrome trace of the long chat's first scroll (long-chat-scroll.trace.json) and break its long tasks down (style, layout, paint, GC, script). */
  traceScroll?: boolean;
  /**
   * CSS added to the webview (as a constructed stylesheet) before the question
   * is sent: tries a style change, e.g. a containment rule, without a rebuild.
   */
  extraCss?: string;
  /** Times each figure is measured (median and worst are reported). Default 3. */
  runs?: number;
  /** The 100-answer conversation: restored, scrolled, streamed into (longChatBench.ts). Default on. */
  longChat?: boolean;
  /** Its size: answers, and tokens per answer. Default 100 × 3,000. */
  historyAnswers?: number;
  historyTokens?: number;
  /** Progress lines. Default: console.log with a prefix. */
  log?: (line: string) => void;
}

/** The answer streamed at the end of the long conversation. */
const FOLLOW_UP_TOKENS = 3000;

export interface LongFrame {
  /** Milliseconds after the first SSE chunk. */
  atMs: number;
  durationMs: number;
  blockingMs: number;
  renderMs: number;
  styleAndLayoutMs: number;
  scripts: string[];
}

export interface ChatBenchResult {
  environment: {
    cpus: number;
    node: string;
    chromium: string;
    codeServer: string;
  };
  /** CPUs kept busy during the stream by our processes and by others (the machine may be shared); Linux only. */
  cpu?: CpuUsage;
  activation: { samplesMs: number[]; source: string };
  answer: { tokens: number; chars: number; tokensPerSecond: number; stats: LongAnswer['stats'] };
  firstText: { latencyMs: number; deltaArrivalMs: number | null; text: string };
  stream: {
    /** First to last SSE content chunk, as the model server sent them. */
    serverMs: number;
    /** First SSE content chunk to the webview showing the answer as finished. */
    endToEndMs: number;
    chunksSent: number;
    deltas: number;
    deltaChars: number;
    otherMessages: Record<string, number>;
    endState: string | null;
  };
  mainThread: {
    method: string;
    /** Longest task in the webview's own frame during the stream ("self"). */
    longestWebviewTaskMs: number;
    /** Longest task on the renderer main thread the webview shares with the workbench (same origin in code-server). */
    longestAnyTaskMs: number;
    tasksOver50: { webview: number; any: number };
    longestFrameGapMs: number;
    frames: number;
    /** The longest tasks, when they started (ms after the first SSE chunk) and whose they were. */
    longTasks: Array<{ atMs: number; durationMs: number; attribution: string }>;
    longFrames: LongFrame[];
  };
  rendered: { textChars: number; codeBlocks: number; highlightedBlocks: number; tables: number; headings: number; listItems: number; endMarkerShown: boolean };
  clock: { offsetMs: number; uncertaintyMs: number };
  /** With `profile`: where the page's main thread spent the stream (file: the .cpuprofile). */
  profile?: ProfileSummary & { file: string };
  /** With `traceStream`: the first stream's long tasks and garbage-collection pauses (file: the trace). */
  streamTrace?: TraceSummary & GcSummary & { file: string };
  /** Each run of the stream (the fields above describe the worst of them). */
  streamRuns: Array<{ longestWebviewTaskMs: number; tasksOver50: number; longestAnyTaskMs: number; firstTextMs: number; cpu?: CpuUsage } & MemoryFigures>;
  longChat?: LongChatResult;
  screenshots: string[];
  logs: string[];
}

const QUESTION = 'Write a complete, production-ready guide to building a small web service, with code for every step.';

const now = (): number => performance.timeOrigin + performance.now();

export async function runChatBench(options: ChatBenchOptions = {}): Promise<ChatBenchResult> {
  const tokens = options.tokens ?? 20_000;
  const tokensPerSecond = options.tokensPerSecond ?? 500;
  const activations = Math.max(1, options.activations ?? 3);
  const log = options.log ?? ((line: string) => console.log(`[bench] ${line}`));
  mkdirSync(benchResultsDir, { recursive: true });
  const serverLogFile = path.join(benchResultsDir, 'code-server.log');
  const browserLogFile = path.join(benchResultsDir, 'browser.log');
  const serverLog = createWriteStream(serverLogFile);
  const browserLog = createWriteStream(browserLogFile);

  const answer = longAnswer(tokens);
  const streamReply: Reply = { kind: 'stream', text: answer.text, tokensPerSecond };
  const model = await ScriptedModelServer.start({
    models: ['bench-model'],
    defaultReply: (request) => {
      const question = lastUserText(request.body);
      if (question.includes(QUESTION)) {
        return streamReply;
      }
      return longChatReply(question, { tokensPerAnswer: options.historyTokens ?? 3000, followUpTokens: FOLLOW_UP_TOKENS, tokensPerSecond }) ?? { kind: 'stream', text: 'OK.' };
    },
  });

  // The server's own record of the streamed request: its chunk counter is
  // bumped right after each content chunk's write callback, so timing its
  // first and last change times the first and last chunk leaving the server.
  const sent: SentTracker = { request: undefined, firstAt: 0, lastAt: 0 };
  const streamRuns = Math.max(1, options.runs ?? 3);
  model.onRequest((record) => {
    if (record.reply !== 'stream' || !lastUserText(record.body).includes(QUESTION)) {
      return;
    }
    sent.request = record;
    let count = record.chunksSent;
    Object.defineProperty(record, 'chunksSent', {
      configurable: true,
      enumerable: true,
      get: () => count,
      set: (value: number) => {
        const at = now();
        if (count === 0 && value > 0) {
          sent.firstAt = at;
        }
        sent.lastAt = at;
        count = value;
      },
    });
  });

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const workspace = await copyFixtureWorkspace();
    server = await startCodeServer({
      workspace,
      extensionDevelopmentPath: repoRoot,
      userSettings: { 'tandem.baseUrl': model.baseUrl, 'tandem.model': 'bench-model' },
      log: (line) => serverLog.write(`${line}\n`),
    });
    log(`code-server ${CODE_SERVER_VERSION} at ${server.baseUrl}`);
    browser = await launchBrowser();
    const page = await openWorkbench(browser, server.workbenchUrl(), (line) => browserLog.write(`${line}\n`));
    await page.locator(TANDEM_ACTIVITY).waitFor({ state: 'visible', timeout: 60_000 });

    // activate(), once per extension-host start.
    let activation = await waitForActivations(server.userDataDir, 1);
    while (activation.length < activations) {
      await runCommand(page, 'Developer: Reload Window');
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator(TANDEM_ACTIVITY).waitFor({ state: 'visible', timeout: 60_000 });
      activation = await waitForActivations(server.userDataDir, activation.length + 1);
    }
    log(`activate(): ${activation.map((ms) => `${ms} ms`).join(', ')}`);

    // The chat view, idle, with the model service ready.
    await runCommand(page, 'Tandem: Focus Chat');
    const frame = await findWebviewFrame(page, '[data-testid="input"]', 60_000);
    await frame.locator('[data-testid="welcome"]').waitFor({ state: 'visible' });
    await frame.locator('[data-testid="service-banner"][data-service="ready"]').waitFor({ state: 'attached', timeout: 60_000 });

    if (options.extraCss) {
      await frame.evaluate(`(() => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(${JSON.stringify(options.extraCss)});
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      })()`);
      log(`added CSS to the webview: ${options.extraCss}`);
    }
    const runs: StreamRun[] = [];
    for (let run = 0; run < streamRuns; run++) {
      if (run > 0) {
        // Each run in a new chat, as the first.
        await frame.locator('[data-testid="new-chat"]').click();
        await frame.locator('[data-testid="welcome"]').waitFor({ state: 'visible' });
      }
      log(`streaming a ${answer.tokens}-token answer (${answer.text.length} chars) at ${tokensPerSecond} tokens/s (run ${run + 1} of ${streamRuns})`);
      runs.push(await streamOnce(page, frame, {
        answer, tokensPerSecond, sent, profile: options.profile === true && run === 0, trace: options.traceStream === true && run === 0, screenshots: run === 0,
      }));
      const last = runs[runs.length - 1] as StreamRun;
      log(`run ${run + 1}: longest webview task ${last.mainThread.longestWebviewTaskMs.toFixed(0)} ms (${last.mainThread.tasksOver50.webview} over 50 ms), heap ${(last.memory.heapBytes / 1e6).toFixed(1)} MB`);
    }
    const worst = runs.reduce((a, b) => (b.mainThread.longestWebviewTaskMs > a.mainThread.longestWebviewTaskMs ? b : a));
    const first = runs[0] as StreamRun;

    const longChat = options.longChat === false
      ? undefined
      : await runLongChatBench(page, frame, {
        answers: options.historyAnswers ?? 100,
        tokensPerAnswer: options.historyTokens ?? 3000,
        followUpTokens: FOLLOW_UP_TOKENS,
        tokensPerSecond,
        runs: streamRuns,
        log,
        screenshot: path.join(benchResultsDir, 'chat-long-conversation-restored.png'),
        ...(options.profile ? { profileFile: path.join(benchResultsDir, 'long-chat.cpuprofile') } : {}),
        ...(options.profileScroll ? { profileScrollFile: path.join(benchResultsDir, 'long-chat-scroll.cpuprofile') } : {}),
        ...(options.traceScroll ? { traceScrollFile: path.join(benchResultsDir, 'long-chat-scroll.trace.json') } : {}),
      });

    return {
      environment: { cpus: os.cpus().length, node: process.version, chromium: browser.version(), codeServer: CODE_SERVER_VERSION },
      ...(worst.cpu ? { cpu: worst.cpu } : {}),
      activation: { samplesMs: activation, source: '"Activated in N ms" in the Tandem output channel log (the activationMs the API exports)' },
      answer: { tokens: answer.tokens, chars: answer.text.length, tokensPerSecond, stats: answer.stats },
      firstText: worst.firstText,
      stream: worst.stream,
      mainThread: worst.mainThread,
      rendered: worst.rendered,
      clock: worst.clock,
      ...(first.profile ? { profile: first.profile } : {}),
      ...(first.trace ? { streamTrace: first.trace } : {}),
      streamRuns: runs.map((run) => ({
        longestWebviewTaskMs: run.mainThread.longestWebviewTaskMs,
        tasksOver50: run.mainThread.tasksOver50.webview,
        longestAnyTaskMs: run.mainThread.longestAnyTaskMs,
        firstTextMs: run.firstText.latencyMs,
        ...run.memory,
        ...(run.cpu ? { cpu: run.cpu } : {}),
      })),
      ...(longChat ? { longChat } : {}),
      screenshots: [...first.screenshots, ...(longChat ? [longChat.screenshot] : [])],
      logs: [serverLogFile, browserLogFile],
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await model.close();
    serverLog.end();
    browserLog.end();
  }
}

interface StreamRun {
  cpu?: CpuUsage;
  firstText: ChatBenchResult['firstText'];
  stream: ChatBenchResult['stream'];
  mainThread: ChatBenchResult['mainThread'];
  rendered: ChatBenchResult['rendered'];
  clock: ChatBenchResult['clock'];
  profile?: ChatBenchResult['profile'];
  trace?: ChatBenchResult['streamTrace'];
  memory: MemoryFigures;
  screenshots: string[];
}

interface SentTracker {
  request: RecordedRequest | undefined;
  firstAt: number;
  lastAt: number;
}

/** Asks the long question in the open (empty) chat and measures the answer streaming in. */
async function streamOnce(
  page: Page,
  frame: Frame,
  options: { answer: LongAnswer; tokensPerSecond: number; sent: SentTracker; profile: boolean; trace: boolean; screenshots: boolean },
): Promise<StreamRun> {
  const { answer, tokensPerSecond, sent } = options;
  sent.request = undefined;
  sent.firstAt = 0;
  sent.lastAt = 0;
  // Observers first, then the clock offset, then the question.
  await frame.evaluate(INSTALL_PROBE);
  await page.evaluate(INSTALL_TOP_PROBE);
  const clockBefore = await calibrateClock(frame);
  const profiler = options.profile ? await startProfiler(page) : undefined;
  const tracer = options.trace ? await startTracer(page) : undefined;
  const cpuBefore = cpuSnapshot();
  const input = frame.locator('[data-testid="input"]');
  await input.click();
  await input.fill(QUESTION);
  await input.press('Enter');
  const expectedMs = (answer.tokens / tokensPerSecond) * 1000;
  await waitForProbe(frame, expectedMs * 3 + 60_000);
  const cpu = cpuUsage(cpuBefore, cpuSnapshot());
  const profile = await profiler?.stop();
  const trace = await tracer?.stop();
  const probeJson = (await frame.evaluate(READ_PROBE)) as string;
  writeFileSync(path.join(benchResultsDir, 'probe.json'), probeJson);
  const probe = JSON.parse(probeJson) as ProbeResult;
  const topJson = (await page.evaluate(READ_TOP_PROBE)) as string;
  writeFileSync(path.join(benchResultsDir, 'probe-workbench.json'), topJson);
  const top = JSON.parse(topJson) as TopProbeResult;
  const clockAfter = await calibrateClock(frame);
  const clock = clockBefore.uncertaintyMs <= clockAfter.uncertaintyMs ? clockBefore : clockAfter;
  // Set by the model server's request hook meanwhile (TypeScript cannot know).
  const request = sent.request as RecordedRequest | undefined;
  if (!request || sent.firstAt === 0) {
    throw new Error('the model server never streamed the answer');
  }
  if (probe.firstTextAt === null) {
    throw new Error(`no answer text appeared in the webview (answer state: ${probe.endState ?? 'unknown'})`);
  }
  // Page times to our clock.
  const local = (pageTime: number): number => pageTime - clock.offsetMs;
  const fromFirstChunk = (pageTime: number): number => local(pageTime) - sent.firstAt;
  const rendered = await inspectAnswer(frame, answer.endMarker);
  const screenshots = options.screenshots ? await takeScreenshots(page, frame) : [];
  const memoryFigures = await memory(page, frame);
  return {
    ...(cpu ? { cpu } : {}),
    firstText: {
      latencyMs: fromFirstChunk(probe.firstTextAt),
      deltaArrivalMs: probe.firstDeltaAt === null ? null : fromFirstChunk(probe.firstDeltaAt),
      text: probe.firstText,
    },
    stream: {
      serverMs: sent.lastAt - sent.firstAt,
      endToEndMs: probe.endedAt === null ? NaN : fromFirstChunk(probe.endedAt),
      chunksSent: request.chunksSent,
      deltas: probe.deltas,
      deltaChars: probe.deltaChars,
      otherMessages: probe.otherMessages,
      endState: probe.endState,
    },
    mainThread: mainThreadFigures(probe, top, fromFirstChunk),
    rendered,
    clock,
    ...(profile ? { profile } : {}),
    ...(trace ? { trace } : {}),
    memory: memoryFigures,
    screenshots,
  };
}

/** A V8 sampling profile of the page's renderer main thread (the webview's frames share it: same origin). */
async function startProfiler(page: Page): Promise<{ stop(): Promise<NonNullable<ChatBenchResult['profile']>> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return {
    async stop() {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      await cdp.detach().catch(() => undefined);
      const file = path.join(benchResultsDir, 'webview.cpuprofile');
      writeFileSync(file, JSON.stringify(profile));
      return { file, ...summarizeProfile(profile, 'chat.js') };
    },
  };
}

/** A Chrome trace of the browser while the answer streams, summarised (see `traceStream`). */
async function startTracer(page: Page): Promise<{ stop(): Promise<NonNullable<ChatBenchResult['streamTrace']>> }> {
  const browser = page.context().browser();
  if (!browser) {
    throw new Error('tracing needs the browser of the page');
  }
  await browser.startTracing(page, { categories: GC_TRACE_CATEGORIES });
  return {
    async stop() {
      const json = (await browser.stopTracing()).toString('utf8');
      const file = path.join(benchResultsDir, 'stream.trace.json');
      writeFileSync(file, json);
      const trace = JSON.parse(json) as Parameters<typeof summarizeGc>[0];
      return { file, ...summarizeTrace(trace), ...summarizeGc(trace) };
    },
  };
}

/**
 * Waits for the answer to end, asking the page once a second (the webview's
 * CSP rules out Playwright's string predicates, which it evaluates with eval).
 */
async function waitForProbe(frame: Frame, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await frame.evaluate(PROBE_DONE))) {
    if (Date.now() > deadline) {
      throw new Error(`the answer did not finish within ${Math.round(timeoutMs / 1000)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * The offset of the page's clock from ours (page = ours + offset), from the
 * round trip with the smallest delay: the page's reading is taken somewhere
 * inside it, so the error is at most half of it.
 */
async function calibrateClock(frame: Frame, samples = 20): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best = { offsetMs: 0, uncertaintyMs: Infinity };
  for (let i = 0; i < samples; i++) {
    const before = now();
    const pageTime = (await frame.evaluate('performance.timeOrigin + performance.now()')) as number;
    const after = now();
    if ((after - before) / 2 < best.uncertaintyMs) {
      best = { offsetMs: pageTime - (before + after) / 2, uncertaintyMs: (after - before) / 2 };
    }
  }
  return best;
}

/** What the finished answer looks like in the webview's DOM. */
async function inspectAnswer(frame: Frame, endMarker: string): Promise<ChatBenchResult['rendered']> {
  const json = (await frame.evaluate(`(() => {
    const answer = [...document.querySelectorAll('[data-testid="message"][data-role="assistant"]')].pop();
    const body = answer ? answer.querySelector('.message-body') : null;
    if (!body) return JSON.stringify(null);
    const text = body.textContent || '';
    return JSON.stringify({
      textChars: text.length,
      codeBlocks: body.querySelectorAll('[data-testid="code-block"]').length,
      highlightedBlocks: [...body.querySelectorAll('[data-testid="code-block"]')].filter((block) => block.querySelector('[class^="hljs-"]')).length,
      tables: body.querySelectorAll('table').length,
      headings: body.querySelectorAll('h1, h2, h3, h4').length,
      listItems: body.querySelectorAll('li').length,
      endMarkerShown: text.includes(${JSON.stringify(endMarker)}),
    });
  })()`)) as string;
  const rendered = JSON.parse(json) as ChatBenchResult['rendered'] | null;
  if (!rendered) {
    throw new Error('the answer is not in the webview');
  }
  return rendered;
}

/** The end of the answer as left after streaming, then a table and a code block from the middle. */
async function takeScreenshots(page: Page, frame: Frame): Promise<string[]> {
  const end = path.join(benchResultsDir, 'chat-long-answer-end.png');
  await page.screenshot({ path: end });
  await frame.evaluate(`(() => {
    const tables = document.querySelectorAll('[data-role="assistant"] table');
    const target = tables[Math.floor(tables.length / 2)];
    if (target) target.scrollIntoView({ block: 'center' });
  })()`);
  await page.waitForTimeout(300);
  const table = path.join(benchResultsDir, 'chat-long-answer-table.png');
  await page.screenshot({ path: table });
  await frame.evaluate(`(() => {
    const blocks = document.querySelectorAll('[data-role="assistant"] [data-testid="code-block"]');
    const target = blocks[Math.floor(blocks.length / 2)];
    if (target) target.scrollIntoView({ block: 'start' });
  })()`);
  await page.waitForTimeout(300);
  const code = path.join(benchResultsDir, 'chat-long-answer-code.png');
  await page.screenshot({ path: code });
  return [end, table, code];
}

// As a script: `node --import tsx test/bench/benchChat.ts` prints the result as JSON.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  runChatBench({ profile: process.env.TANDEM_BENCH_PROFILE === '1' }).then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
