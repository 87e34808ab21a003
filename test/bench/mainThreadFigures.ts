import path from 'node:path';
import type { ChatBenchResult } from './benchChat';
import type { ProbeResult, TopProbeResult } from './pageProbe';

/** Long-task attributions as the workbench window reports them. */
const ATTRIBUTION: Record<string, string> = {
  self: 'the workbench',
  'same-origin-descendant': 'a webview frame',
  'multiple-contexts': 'several frames',
};

/** The main-thread figures while the answer streamed: from the first delta's arrival to the answer's end (page clock). */
export function mainThreadFigures(probe: ProbeResult, top: TopProbeResult, fromFirstChunk: (pageTime: number) => number): ChatBenchResult['mainThread'] {
  const start = probe.firstDeltaAt ?? probe.firstTextAt ?? probe.installedAt;
  const end = probe.endedAt ?? Infinity;
  // A task or frame that overlaps the window counts.
  const inWindow = (entry: { start: number; duration: number }): boolean => entry.start + entry.duration >= start && entry.start <= end;
  const own = probe.longtask.entries.filter(inWindow).filter((task) => task.name === 'self');
  // The workbench window sees every task of the thread, the webview's included (attributed to a descendant frame).
  const tasks = (top.longtask.supported ? top.longtask.entries : probe.longtask.entries).filter(inWindow);
  const longest = (list: Array<{ duration: number }>): number => list.reduce((max, entry) => Math.max(max, entry.duration), 0);
  const gaps = probe.frames.gaps.filter((gap) => gap.at >= start && gap.at - gap.gap <= end);
  const longFrames = [...probe.loaf.entries, ...top.loaf.entries]
    .filter(inWindow)
    .sort((a, b) => b.duration - a.duration)
    .slice(0, 5)
    .map((entry) => ({
      atMs: fromFirstChunk(entry.start),
      durationMs: entry.duration,
      blockingMs: entry.blockingDuration,
      renderMs: entry.renderMs,
      styleAndLayoutMs: entry.styleAndLayoutMs,
      scripts: entry.scripts
        .sort((a, b) => b.duration - a.duration)
        .slice(0, 3)
        // No URL: code evaluated into the page, such as this benchmark's own probe.
        .map((script) => `${script.sourceFunctionName || script.invoker || '(anonymous)'} in ${path.basename(script.sourceURL.split('?')[0] ?? '') || '(no URL)'} ${script.duration.toFixed(0)} ms`),
    }));
  const longestGap = gaps.reduce((max, gap) => Math.max(max, gap.gap), 0);
  // Without the Long Tasks API, the longest gap between animation frames is the next best thing.
  const method = probe.longtask.supported ? 'PerformanceObserver "longtask" in the webview frame' : 'requestAnimationFrame gaps in the webview frame';
  return {
    method,
    longestWebviewTaskMs: probe.longtask.supported ? longest(own) : longestGap,
    longestAnyTaskMs: longest(tasks),
    tasksOver50: { webview: own.length, any: tasks.length },
    longestFrameGapMs: longestGap,
    frames: gaps.length,
    longTasks: [...tasks]
      .sort((a, b) => b.duration - a.duration)
      .slice(0, 5)
      .map((task) => ({ atMs: fromFirstChunk(task.start), durationMs: task.duration, attribution: ATTRIBUTION[task.name] ?? task.name })),
    longFrames,
  };
}
