/**
 * What the chat benchmark runs inside the chat webview's inner frame, as
 * JavaScript source: the project's tsconfig has no DOM library for test/ (and
 * must not get one), and Playwright evaluates strings as they are.
 *
 * All times are `performance.timeOrigin + performance.now()`: wall-clock
 * milliseconds with sub-millisecond precision, comparable with the same
 * expression in the bench process once the offset between the two clocks is
 * measured (see `calibrateClock` in benchChat.ts).
 */

/** What the probe collected; read back with `frame.evaluate(READ_PROBE)`. */
export interface ProbeResult {
  installedAt: number;
  /** The assistant message's body first held text (MutationObserver callback). */
  firstTextAt: number | null;
  firstText: string;
  /** The assistant message's data-state left "streaming". */
  endedAt: number | null;
  endState: string | null;
  /** `delta` messages from the extension, as the webview's window received them. */
  deltas: number;
  deltaChars: number;
  firstDeltaAt: number | null;
  lastDeltaAt: number | null;
  /** Other messages from the extension (state snapshots, message updates). */
  otherMessages: Record<string, number>;
  longtask: { supported: boolean; entries: Array<{ start: number; duration: number; name: string }> };
  /** Long animation frames (> 50 ms) with the scripts that ran in them: where the time went. */
  loaf: {
    supported: boolean;
    entries: Array<{
      start: number;
      duration: number;
      blockingDuration: number;
      renderMs: number;
      styleAndLayoutMs: number;
      scripts: Array<{ invoker: string; sourceURL: string; sourceFunctionName: string; sourceCharPosition: number; duration: number; forcedStyleAndLayoutDuration: number }>;
    }>;
  };
  /** Gaps between consecutive requestAnimationFrame callbacks (event-loop lag as the page sees it). */
  frames: { count: number; gaps: Array<{ at: number; gap: number }> };
}

/** Long Tasks and Long Animation Frames observers, filling probe.longtask and probe.loaf. */
const OBSERVERS = String.raw`
  const types = PerformanceObserver.supportedEntryTypes || [];
  if (types.includes('longtask')) {
    probe.longtask.supported = true;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        probe.longtask.entries.push({ start: performance.timeOrigin + e.startTime, duration: e.duration, name: e.name });
      }
    }).observe({ type: 'longtask' });
  }
  if (types.includes('long-animation-frame')) {
    probe.loaf.supported = true;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        probe.loaf.entries.push({
          start: performance.timeOrigin + e.startTime,
          duration: e.duration,
          blockingDuration: e.blockingDuration,
          renderMs: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
          styleAndLayoutMs: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
          scripts: (e.scripts || []).map((s) => ({
            invoker: s.invoker, sourceURL: s.sourceURL, sourceFunctionName: s.sourceFunctionName,
            sourceCharPosition: s.sourceCharPosition, duration: s.duration, forcedStyleAndLayoutDuration: s.forcedStyleAndLayoutDuration,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame' });
  }
`;

/** Installs the webview frame's observers; call it before the question is sent. Evaluates to true. */
export const INSTALL_PROBE = String.raw`(() => {
  const now = () => performance.timeOrigin + performance.now();
  const probe = {
    installedAt: now(),
    firstTextAt: null, firstText: '', endedAt: null, endState: null,
    deltas: 0, deltaChars: 0, firstDeltaAt: null, lastDeltaAt: null, otherMessages: {},
    longtask: { supported: false, entries: [] },
    loaf: { supported: false, entries: [] },
    frames: { count: 0, gaps: [] },
  };
  window.__tandemBench = probe;

  // Capture phase on window: counted before the chat's own listener handles the message.
  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || typeof data.type !== 'string') return;
    if (data.type === 'delta') {
      const t = now();
      probe.deltas++;
      probe.deltaChars += typeof data.text === 'string' ? data.text.length : 0;
      if (probe.firstDeltaAt === null) probe.firstDeltaAt = t;
      probe.lastDeltaAt = t;
    } else {
      probe.otherMessages[data.type] = (probe.otherMessages[data.type] || 0) + 1;
    }
  }, true);

  ${OBSERVERS}

  // Frame gaps: a requestAnimationFrame loop until the answer has ended (it costs next to nothing).
  let last = null;
  const onFrame = (t) => {
    const at = now();
    if (last !== null) probe.frames.gaps.push({ at, gap: t - last });
    probe.frames.count++;
    last = t;
    if (probe.endedAt === null) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);

  // Phase 1: the first text in the (new) assistant message. Phase 2: only its data-state.
  const answerSelector = '[data-testid="message"][data-role="assistant"]';
  const known = new Set(document.querySelectorAll(answerSelector));
  const watchEnd = (answer) => {
    const end = () => {
      const state = answer.getAttribute('data-state');
      if (state && state !== 'streaming' && probe.endedAt === null) {
        probe.endedAt = now();
        probe.endState = state;
        ended.disconnect();
      }
    };
    const ended = new MutationObserver(end);
    ended.observe(answer, { attributes: true, attributeFilter: ['data-state'] });
    end();
  };
  const first = new MutationObserver(() => {
    for (const answer of document.querySelectorAll(answerSelector)) {
      if (known.has(answer)) continue;
      const body = answer.querySelector('.message-body');
      const text = body ? body.textContent.trim() : '';
      const state = answer.getAttribute('data-state');
      if (text.length > 0 || (state && state !== 'streaming')) {
        if (text.length > 0) {
          probe.firstTextAt = now();
          probe.firstText = text.slice(0, 80);
        }
        first.disconnect();
        watchEnd(answer);
        return;
      }
    }
  });
  first.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
  return true;
})()`;

export const READ_PROBE = 'JSON.stringify(window.__tandemBench)';

export const PROBE_DONE = 'window.__tandemBench && window.__tandemBench.endedAt !== null';

/** Tasks and long animation frames (with their scripts) of the workbench page: the webview's frames share its main thread. */
export interface TopProbeResult {
  longtask: ProbeResult['longtask'];
  loaf: ProbeResult['loaf'];
}

/** Observers for the workbench's top-level window; Chromium reports long animation frames there, not in the webview's frame. */
export const INSTALL_TOP_PROBE = String.raw`(() => {
  const probe = { longtask: { supported: false, entries: [] }, loaf: { supported: false, entries: [] } };
  window.__tandemBenchTop = probe;
  ${OBSERVERS}
  return true;
})()`;

export const READ_TOP_PROBE = 'JSON.stringify(window.__tandemBenchTop)';
