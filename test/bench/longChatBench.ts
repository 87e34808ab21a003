/**
 * The long-conversation part of the chat benchmark (run from benchChat.ts in
 * the same code-server session): a chat of 100 questions and answers (about
 * 300,000 tokens of markdown with code blocks and tables), built through the
 * UI with answers the scripted model server sends in a few large chunks,
 * then, three times each:
 *
 * - restored by a window reload: the time from the webview being ready (its
 *   `tandem:ready` mark, set as it posts `ready`) to its last screen being
 *   complete (`tandem:chat-shown`, set once nothing near the viewport is left
 *   to render), and the tasks over 50 ms the page reports meanwhile; the
 *   webview shows it from its own saved state (`tandem:chat-restored`) and
 *   reconciles it with the extension's state when that arrives
 *   (`tandem:chat-reconciled`), both timed from ready;
 * - scrolled to the top and back, a screen per animation frame: the longest
 *   webview task;
 * - scrolled up 60 screens from the end at reading speed (an eighth of a
 *   screen per frame, so answers render as they come near): the longest
 *   webview task;
 * - a new answer streamed at the end of it: the longest webview task;
 * - after each, the renderer's JS heap after a garbage collection, and the
 *   elements in the webview's document.
 */
import { writeFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { TANDEM_ACTIVITY } from '../e2e/fixture';
import { findWebviewFrame, runCommand } from '../runner/browser';
import type { Reply } from '../support/modelServer';
import { summarizeProfile, summarizeTrace, TRACE_CATEGORIES, type CpuProfile, type ProfileSummary, type TraceSummary } from './cpuProfile';
import { cpuSnapshot, cpuUsage, type CpuUsage } from './cpuUsage';
import { longAnswer } from './longAnswer';
import { INSTALL_PROBE, PROBE_DONE, READ_PROBE, type ProbeResult } from './pageProbe';

export const HISTORY_QUESTION = 'History question';
export const FOLLOW_UP_QUESTION = 'Follow-up question';

export interface LongChatOptions {
  answers: number;
  tokensPerAnswer: number;
  followUpTokens: number;
  tokensPerSecond: number;
  runs: number;
  log: (line: string) => void;
  /** Where to save the screenshot of the restored conversation. */
  screenshot: string;
  /** Write a V8 CPU profile of the first scroll and follow-up stream here (the figures of that run are then not the benchmark's). */
  profileFile?: string;
  /**
   * Write a V8 CPU profile of the first run's scroll alone here, and summarise
   * it (the longest runs of chat.js); that run's figures are then not the benchmark's.
   */
  profileScrollFile?: string;
  /** Write a Chrome trace of the first run's scroll here and break its long tasks down; that run's figures are then not the benchmark's. */
  traceScrollFile?: string;
}

export interface MemoryFigures {
  /** The renderer's used JS heap after a GC (the webview shares the workbench's renderer in code-server). */
  heapBytes: number;
  /** Elements in the webview's document. */
  webviewElements: number;
}

export interface LongChatRun {
  /**
   * lastScreenMs: ready → the last screen complete (from the saved state, or else the extension's state);
   * stateMs: ready → the extension's state arrived and was built (reconciled with a screen from the saved state).
   */
  restore: { lastScreenMs: number | null; stateMs: number | null; fromSavedState: boolean; tasksOver50: number; longestTaskMs: number; placeholdersInView: number } & MemoryFigures;
  scroll: { longestTaskMs: number; tasksOver50: number; longTasks: Array<{ atMs: number; durationMs: number }>; frames: number; durationMs: number; heightPx: number; cpu?: CpuUsage } & MemoryFigures;
  /** Scrolling up SLOW_SCREENS screens at reading speed: answers render on the way (`rendered`: how many did). */
  slowScroll: { longestTaskMs: number; tasksOver50: number; longTasks: Array<{ atMs: number; durationMs: number }>; screens: number; frames: number; durationMs: number; rendered: number; cpu?: CpuUsage };
  stream: { longestTaskMs: number; tasksOver50: number; longTasks: Array<{ atMs: number; durationMs: number }>; chars: number; durationMs: number; cpu?: CpuUsage } & MemoryFigures;
}

export interface LongChatResult {
  conversation: { answers: number; tokens: number; chars: number; buildSeconds: number };
  runs: LongChatRun[];
  screenshot: string;
  /** With profileScrollFile: where the page's main thread spent the first scroll. */
  scrollProfile?: ProfileSummary & { file: string };
  /** With traceScrollFile: the first scroll's long tasks on the renderer main threads, by what they did. */
  scrollTrace?: TraceSummary & { file: string };
}

/** The model server's replies for this part: big chunks for the history, a paced stream for the follow-ups. */
export function longChatReply(question: string, options: Pick<LongChatOptions, 'tokensPerAnswer' | 'followUpTokens' | 'tokensPerSecond'>): Reply | undefined {
  const history = new RegExp(`${HISTORY_QUESTION} (\\d+)`).exec(question);
  if (history) {
    const text = longAnswer(options.tokensPerAnswer, 1000 + Number(history[1])).text;
    // A few large chunks: building the chat should not take 100 paced streams.
    const size = Math.ceil(text.length / 8);
    return { kind: 'stream', chunks: Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size)) };
  }
  const followUp = new RegExp(`${FOLLOW_UP_QUESTION} (\\d+)`).exec(question);
  if (followUp) {
    return { kind: 'stream', text: longAnswer(options.followUpTokens, 2000 + Number(followUp[1])).text, tokensPerSecond: options.tokensPerSecond };
  }
  return undefined;
}

const ANSWERS = '[data-testid="message"][data-role="assistant"]';

async function ask(frame: Frame, question: string, answersBefore: number, timeoutMs: number): Promise<void> {
  const input = frame.locator('[data-testid="input"]');
  await input.click();
  await input.fill(question);
  await input.press('Enter');
  await frame.locator(`${ANSWERS} >> nth=${answersBefore}`).waitFor({ state: 'attached', timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  while ((await frame.locator(`${ANSWERS}[data-state="streaming"]`).count()) > 0) {
    if (Date.now() > deadline) {
      throw new Error(`"${question}" was not answered within ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function chatFrame(page: Page): Promise<Frame> {
  return findWebviewFrame(page, '[data-testid="input"]', 60_000);
}

/** Long tasks of the webview's frame from now on (and, where the browser keeps them, from its start). */
const INSTALL_TASKS = String.raw`(() => {
  const tasks = window.__tandemTasks = { entries: [], supported: (PerformanceObserver.supportedEntryTypes || []).includes('longtask') };
  if (tasks.supported) {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.entries.push({ start: e.startTime, duration: e.duration, name: e.name });
    }).observe({ type: 'longtask', buffered: true });
  }
  return true;
})()`;

/** The webview's own tasks (attribution "self") from `since` (page ms) on. */
const readTasks = (since: number): string => `JSON.stringify((window.__tandemTasks ? window.__tandemTasks.entries : []).filter((t) => t.name === 'self' && t.start + t.duration >= ${since}))`;

async function tasksSince(frame: Frame, since: number): Promise<{ longestTaskMs: number; tasksOver50: number; longTasks: Array<{ atMs: number; durationMs: number }> }> {
  // Observer callbacks are delivered after the task: give them a moment.
  await frame.waitForTimeout(200);
  const tasks = JSON.parse((await frame.evaluate(readTasks(since))) as string) as Array<{ start: number; duration: number }>;
  return {
    longestTaskMs: tasks.reduce((max, task) => Math.max(max, task.duration), 0),
    tasksOver50: tasks.length,
    longTasks: tasks.map((task) => ({ atMs: task.start - since, durationMs: task.duration })),
  };
}

export async function memory(page: Page, frame: Frame): Promise<MemoryFigures> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const webviewElements = (await frame.evaluate('document.getElementsByTagName("*").length')) as number;
    return { heapBytes: usage.usedSize, webviewElements };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Reload the window; the chat view comes back with the latest chat. */
async function restore(page: Page, log: (line: string) => void): Promise<{ frame: Frame; figures: Omit<LongChatRun['restore'], keyof MemoryFigures> }> {
  await runCommand(page, 'Developer: Reload Window');
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator(TANDEM_ACTIVITY).waitFor({ state: 'visible', timeout: 60_000 });
  let frame: Frame;
  try {
    frame = await findWebviewFrame(page, '[data-testid="input"]', 10_000);
  } catch {
    // The view was not restored open: open it (the time still counts from its own ready).
    await runCommand(page, 'Tandem: Focus Chat');
    frame = await chatFrame(page);
  }
  await frame.evaluate(INSTALL_TASKS);
  const deadline = Date.now() + 60_000;
  let marks: { ready?: number; opened?: number; shown?: number; restored?: number; reconciled?: number } = {};
  while (Date.now() < deadline) {
    marks = JSON.parse((await frame.evaluate(`JSON.stringify({
      ready: performance.getEntriesByName('tandem:ready')[0]?.startTime,
      opened: performance.getEntriesByName('tandem:chat-opened').pop()?.startTime,
      shown: performance.getEntriesByName('tandem:chat-shown').pop()?.startTime,
      restored: performance.getEntriesByName('tandem:chat-restored')[0]?.startTime,
      reconciled: performance.getEntriesByName('tandem:chat-reconciled')[0]?.startTime,
    })`)) as string) as typeof marks;
    // A screen from the saved state: also wait for the extension's state (its work counts in the tasks).
    if (marks.shown !== undefined && (marks.restored === undefined || marks.reconciled !== undefined) && (await frame.locator(ANSWERS).count()) > 0) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (marks.ready === undefined || marks.shown === undefined) {
    log('note: the restored chat never marked its last screen as shown');
  }
  // Whether the last screen is really complete: answers in view still waiting to render.
  const placeholdersInView = (await frame.evaluate(`(() => {
    const transcript = document.querySelector('[data-testid="transcript"]');
    if (!transcript) return -1;
    const view = transcript.getBoundingClientRect();
    return [...document.querySelectorAll('.markdown-placeholder')].filter((element) => {
      const box = element.getBoundingClientRect();
      return box.bottom > view.top && box.top < view.bottom;
    }).length;
  })()`)) as number;
  // From ready on: loading the page's script before it is not restoring the chat.
  const tasks = await tasksSince(frame, marks.ready ?? 0);
  return {
    frame,
    figures: {
      lastScreenMs: marks.ready !== undefined && marks.shown !== undefined ? marks.shown - marks.ready : null,
      stateMs: marks.ready === undefined ? null : marks.restored !== undefined ? (marks.reconciled ?? marks.ready) - marks.ready : marks.opened !== undefined ? marks.opened - marks.ready : null,
      fromSavedState: marks.restored !== undefined,
      ...tasks,
      placeholdersInView,
    },
  };
}

/** Scrolls the transcript to the top a screen per frame, then back to the bottom. */
const SCROLL_TOP_AND_BACK = String.raw`new Promise((resolve) => {
  const transcript = document.querySelector('[data-testid="transcript"]');
  const started = performance.now();
  let frames = 0;
  let direction = -1;
  let still = 0;
  let heightPx = 0;
  const step = () => {
    frames++;
    const before = transcript.scrollTop;
    transcript.scrollTop = before + direction * transcript.clientHeight;
    heightPx = Math.max(heightPx, transcript.scrollHeight);
    const atEnd = direction < 0 ? transcript.scrollTop <= 0 : transcript.scrollTop + transcript.clientHeight >= transcript.scrollHeight - 1;
    // At an end for a few frames in a row (rendering near it may still move it): turn, or finish.
    still = atEnd ? still + 1 : 0;
    if (still >= 5) {
      if (direction > 0) {
        resolve(JSON.stringify({ started, frames, durationMs: performance.now() - started, heightPx }));
        return;
      }
      direction = 1;
      still = 0;
    }
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})`;

/** How far (screens) and how fast (screens per frame) the reading-speed scroll goes: well under a fling (a screen per 100 ms). */
export const SLOW_SCREENS = 60;
export const SLOW_PER_FRAME = 1 / 8;

/** Scrolls the transcript up SLOW_SCREENS screens at SLOW_PER_FRAME of a screen per frame, counting the answers rendered meanwhile. */
const SCROLL_UP_SLOWLY = String.raw`new Promise((resolve) => {
  const transcript = document.querySelector('[data-testid="transcript"]');
  // By id: a page of older messages replaces a placeholder's element with the message's own.
  const unrendered = () => new Set([...document.querySelectorAll('.markdown-placeholder')].map((element) => element.closest('[data-message-id]')?.dataset.messageId));
  // Answers that were placeholders at the start and were rendered at some point on the way.
  const waiting = unrendered();
  const rendered = new Set();
  const look = () => {
    const still = unrendered();
    for (const id of waiting) if (id && !still.has(id)) rendered.add(id);
  };
  const started = performance.now();
  const end = Math.max(0, transcript.scrollTop - ${SLOW_SCREENS} * transcript.clientHeight);
  let frames = 0;
  const step = () => {
    frames++;
    look();
    transcript.scrollTop = Math.max(end, transcript.scrollTop - transcript.clientHeight * ${SLOW_PER_FRAME});
    if (transcript.scrollTop <= end) {
      // A few frames more for what came near at the end.
      requestAnimationFrame(() => requestAnimationFrame(() => {
        look();
        resolve(JSON.stringify({ frames, durationMs: performance.now() - started, rendered: rendered.size }));
      }));
      return;
    }
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})`;

export async function runLongChatBench(page: Page, frame: Frame, options: LongChatOptions): Promise<LongChatResult> {
  const { log } = options;
  await frame.locator('[data-testid="new-chat"]').click();
  await frame.locator('[data-testid="welcome"]').waitFor({ state: 'visible' });
  const started = Date.now();
  let chars = 0;
  for (let i = 0; i < options.answers; i++) {
    await ask(frame, `${HISTORY_QUESTION} ${i}: explain the next part of the service.`, i, 60_000);
    chars += longAnswer(options.tokensPerAnswer, 1000 + i).text.length;
    if ((i + 1) % 25 === 0) {
      log(`long chat: ${i + 1} of ${options.answers} answers (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  const conversation = { answers: options.answers, tokens: options.answers * options.tokensPerAnswer, chars, buildSeconds: (Date.now() - started) / 1000 };

  const runs: LongChatRun[] = [];
  let scrollProfile: LongChatResult['scrollProfile'];
  let scrollTrace: LongChatResult['scrollTrace'];
  for (let run = 0; run < options.runs; run++) {
    const restored = await restore(page, log);
    frame = restored.frame;
    const restoreMemory = await memory(page, frame);
    if (run === 0) {
      await page.screenshot({ path: options.screenshot });
    }

    const profiler = run === 0 && (options.profileFile || options.profileScrollFile) ? await page.context().newCDPSession(page) : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 500 });
      await profiler.send('Profiler.start');
    }
    const tracer = run === 0 && options.traceScrollFile ? page.context().browser() : null;
    await tracer?.startTracing(page, { categories: TRACE_CATEGORIES });
    const cpuBeforeScroll = cpuSnapshot();
    const scrollStart = (await frame.evaluate('performance.now()')) as number;
    const scrolled = JSON.parse((await frame.evaluate(SCROLL_TOP_AND_BACK)) as string) as { frames: number; durationMs: number; heightPx: number };
    const scrollCpu = cpuUsage(cpuBeforeScroll, cpuSnapshot());
    if (tracer && options.traceScrollFile) {
      const trace = (await tracer.stopTracing()).toString('utf8');
      writeFileSync(options.traceScrollFile, trace);
      scrollTrace = { file: options.traceScrollFile, ...summarizeTrace(JSON.parse(trace) as Parameters<typeof summarizeTrace>[0]) };
      log(`trace of the scroll: ${options.traceScrollFile}`);
    }
    if (profiler && options.profileScrollFile) {
      const { profile } = (await profiler.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      writeFileSync(options.profileScrollFile, JSON.stringify(profile));
      scrollProfile = { file: options.profileScrollFile, ...summarizeProfile(profile, 'chat.js') };
      log(`CPU profile of the scroll: ${options.profileScrollFile}`);
      if (options.profileFile) {
        // The stream after it gets a profile of its own.
        await profiler.send('Profiler.start');
      }
    }
    const scrollTasks = await tasksSince(frame, scrollStart);
    const scrollMemory = await memory(page, frame);
    if (run === 0) {
      // The middle of the conversation, rendered on approach: it should look like the rest.
      await frame.evaluate(`(() => {
        const answers = document.querySelectorAll('${ANSWERS}');
        answers[Math.floor(answers.length / 2)]?.scrollIntoView({ block: 'start' });
      })()`);
      await frame.waitForTimeout(500);
      await page.screenshot({ path: options.screenshot.replace(/\.png$/, '-middle.png') });
      await frame.evaluate(`(() => { const t = document.querySelector('[data-testid="transcript"]'); t.scrollTop = t.scrollHeight; })()`);
      await frame.waitForTimeout(300);
    }

    const cpuBeforeSlow = cpuSnapshot();
    const slowStart = (await frame.evaluate('performance.now()')) as number;
    const slow = JSON.parse((await frame.evaluate(SCROLL_UP_SLOWLY)) as string) as { frames: number; durationMs: number; rendered: number };
    const slowCpu = cpuUsage(cpuBeforeSlow, cpuSnapshot());
    const slowTasks = await tasksSince(frame, slowStart);
    // Back to the end for the next answer, and what renders there done before it streams.
    await frame.evaluate(`(() => { const t = document.querySelector('[data-testid="transcript"]'); t.scrollTop = t.scrollHeight; })()`);
    await frame.waitForTimeout(500);

    const answersBefore = await frame.locator(ANSWERS).count();
    await frame.evaluate(INSTALL_PROBE);
    const cpuBeforeStream = cpuSnapshot();
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill(`${FOLLOW_UP_QUESTION} ${run}: and one more thing?`);
    await input.press('Enter');
    const expectedMs = (options.followUpTokens / options.tokensPerSecond) * 1000;
    const deadline = Date.now() + expectedMs * 3 + 60_000;
    while (!(await frame.evaluate(PROBE_DONE))) {
      if (Date.now() > deadline) {
        throw new Error('the follow-up answer did not finish');
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const streamCpu = cpuUsage(cpuBeforeStream, cpuSnapshot());
    if (profiler && options.profileFile) {
      const { profile } = (await profiler.send('Profiler.stop')) as unknown as { profile: unknown };
      writeFileSync(options.profileFile, JSON.stringify(profile));
      log(`CPU profile of the ${options.profileScrollFile ? '' : 'scroll and the '}follow-up stream: ${options.profileFile}`);
    }
    await profiler?.detach().catch(() => undefined);
    const probe = JSON.parse((await frame.evaluate(READ_PROBE)) as string) as ProbeResult;
    const from = (probe.firstDeltaAt ?? probe.installedAt) - 0;
    const to = probe.endedAt ?? Infinity;
    // The probe's times are timeOrigin-based; long task entries are too.
    const own = probe.longtask.entries.filter((task) => task.name === 'self' && task.start + task.duration >= from && task.start <= to);
    const streamMemory = await memory(page, frame);
    if ((await frame.locator(ANSWERS).count()) !== answersBefore + 1) {
      log('note: the follow-up answer is not the last message');
    }
    runs.push({
      restore: { ...restored.figures, ...restoreMemory },
      scroll: { ...scrollTasks, ...scrolled, ...(scrollCpu ? { cpu: scrollCpu } : {}), ...scrollMemory },
      slowScroll: { ...slowTasks, ...slow, screens: SLOW_SCREENS, ...(slowCpu ? { cpu: slowCpu } : {}) },
      stream: {
        longestTaskMs: own.reduce((max, task) => Math.max(max, task.duration), 0),
        tasksOver50: own.length,
        longTasks: own.map((task) => ({ atMs: task.start - from, durationMs: task.duration })),
        chars: probe.deltaChars,
        durationMs: probe.endedAt !== null && probe.firstDeltaAt !== null ? probe.endedAt - probe.firstDeltaAt : NaN,
        ...(streamCpu ? { cpu: streamCpu } : {}),
        ...streamMemory,
      },
    });
    const last = runs[runs.length - 1] as LongChatRun;
    log(`long chat run ${run + 1}: last screen ${last.restore.lastScreenMs?.toFixed(0) ?? '?'} ms after ready; scroll longest task ${last.scroll.longestTaskMs.toFixed(0)} ms; at reading speed ${last.slowScroll.longestTaskMs.toFixed(0)} ms (${last.slowScroll.rendered} answers rendered); stream longest task ${last.stream.longestTaskMs.toFixed(0)} ms`);
  }
  return { conversation, runs, screenshot: options.screenshot, ...(scrollProfile ? { scrollProfile } : {}), ...(scrollTrace ? { scrollTrace } : {}) };
}
