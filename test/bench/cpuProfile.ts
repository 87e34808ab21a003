/**
 * Reading a V8 CPU profile (Chrome DevTools' .cpuprofile format) of the page's
 * renderer main thread: where the time went overall, and what the longest
 * runs of the webview's own code spent their time on.
 */
import path from 'node:path';

export interface CpuProfile {
  nodes: Array<{ id: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time per function over the whole profile, most first ("(idle)" left out). */
  top: Array<{ fn: string; selfMs: number }>;
  /**
   * The longest uninterrupted runs of the webview's code: consecutive samples
   * under the same outermost function of `scriptName` (e.g. the animation-frame
   * callback), each with the time per function called directly from it and
   * per leaf function (self time, natives such as layout included).
   */
  longestRuns: Array<{ entry: string; durationMs: number; /** Start, ms after the profile's start. */ atMs: number; callees: Array<{ fn: string; ms: number }>; leaves: Array<{ fn: string; ms: number }> }>;
  /**
   * The longest stretches of the thread not idle (whoever's work: a long task
   * seen from the profile), over 50 ms, each with its most self time and the
   * time in `scriptName`'s code by outermost function.
   */
  busy: Array<{ atMs: number; durationMs: number; leaves: Array<{ fn: string; ms: number }>; ours: Array<{ fn: string; ms: number }> }>;
}

/** Idle gaps shorter than this do not end a busy stretch (sampling jitter; a task boundary inside a frame). */
const BUSY_GAP_MS = 2;

type Frame = CpuProfile['nodes'][number]['callFrame'];

function label(frame: Frame): string {
  const file = frame.url ? path.basename(frame.url.split('?')[0] ?? '') : '';
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function topOf(map: Map<string, number>, count: number): Array<{ fn: string; ms: number }> {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, ms]) => ({ fn, ms }));
}

export function summarizeProfile(profile: CpuProfile, scriptName: string): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const isOurs = (id: number): boolean => (nodes.get(id)?.callFrame.url ?? '').split('?')[0]?.endsWith(`/${scriptName}`) ?? false;
  /** The outermost node of our script on the sample's stack, and the node just below it. */
  const entryOf = (leaf: number): { entry: number; callee: number } | undefined => {
    let found: { entry: number; callee: number } | undefined;
    let below = leaf;
    for (let id: number | undefined = leaf; id !== undefined; below = id, id = parent.get(id)) {
      if (isOurs(id)) {
        found = { entry: id, callee: below };
      }
    }
    return found;
  };

  const self = new Map<string, number>();
  type Stretch = { atMs: number; durationMs: number; idleMs: number; leaves: Map<string, number>; ours: Map<string, number> };
  const stretches: Stretch[] = [];
  let stretch: Stretch | undefined;
  type Run = { entry: number; durationMs: number; atMs: number; callees: Map<string, number>; leaves: Map<string, number> };
  const runs: Run[] = [];
  let current: Run | undefined;
  let clockUs = 0;
  profile.samples.forEach((id, index) => {
    clockUs += profile.timeDeltas[index] ?? 0;
    // A sample's time is the gap to the next one.
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const node = nodes.get(id);
    if (!node) {
      return;
    }
    add(self, label(node.callFrame), ms);
    const where = entryOf(id);
    if (node.callFrame.functionName === '(idle)') {
      if (stretch && (stretch.idleMs += ms) >= BUSY_GAP_MS) {
        stretch = undefined;
      }
    } else {
      if (!stretch) {
        stretch = { atMs: clockUs / 1000, durationMs: 0, idleMs: 0, leaves: new Map(), ours: new Map() };
        stretches.push(stretch);
      }
      stretch.durationMs += stretch.idleMs + ms;
      stretch.idleMs = 0;
      add(stretch.leaves, label(node.callFrame), ms);
      if (where) {
        add(stretch.ours, label(nodes.get(where.entry)?.callFrame ?? node.callFrame), ms);
      }
    }
    if (!where) {
      current = undefined;
      return;
    }
    if (!current || current.entry !== where.entry) {
      current = { entry: where.entry, durationMs: 0, atMs: clockUs / 1000, callees: new Map(), leaves: new Map() };
      runs.push(current);
    }
    current.durationMs += ms;
    const callee = nodes.get(where.callee);
    add(current.callees, where.callee === where.entry ? '(self)' : callee ? label(callee.callFrame) : '?', ms);
    add(current.leaves, label(node.callFrame), ms);
  });
  self.delete('(idle)');
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    top: topOf(self, 15).map(({ fn, ms }) => ({ fn, selfMs: ms })),
    longestRuns: runs
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, 5)
      .map((run) => ({
        entry: label(nodes.get(run.entry)?.callFrame ?? { functionName: '?', url: '', lineNumber: 0, columnNumber: 0 }),
        durationMs: run.durationMs,
        atMs: run.atMs,
        callees: topOf(run.callees, 5),
        leaves: topOf(run.leaves, 6),
      })),
    busy: stretches
      .filter((candidate) => candidate.durationMs > 50)
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, 8)
      .map((candidate) => ({ atMs: candidate.atMs, durationMs: candidate.durationMs, leaves: topOf(candidate.leaves, 8), ours: topOf(candidate.ours, 4) })),
  };
}

/** A Chrome trace event (the JSON `browser.stopTracing()` returns; complete events only are read). */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { url?: string; functionName?: string } };
}

export interface TraceSummary {
  /** Tasks over 50 ms on a renderer main thread, each with where its time went (self time by event, most first). */
  longTasks: Array<{ atMs: number; durationMs: number; thread: string; parts: Array<{ fn: string; ms: number }> }>;
}

/** The trace categories `summarizeTrace` reads. */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'];

/**
 * The long tasks of every renderer main thread in a trace, each broken down
 * by the self time of the events inside it (script by its file, style, layout,
 * paint, garbage collection): what the CPU profile shows only as "(program)".
 */
export function summarizeTrace(trace: { traceEvents: TraceEvent[] }, longerThanMs = 50): TraceSummary {
  const events = trace.traceEvents;
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    const key = `${event.pid}:${event.tid}`;
    if (event.ph !== 'X' || event.dur === undefined || !mainThreads.has(key)) continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(event);
  }
  // A loop: a trace has too many events to spread into Math.min.
  let start = Infinity;
  for (const event of events) {
    if (event.ts > 0 && event.ts < start) start = event.ts;
  }
  const longTasks: TraceSummary['longTasks'] = [];
  for (const [thread, list] of byThread) {
    // Outer events first at equal start: a task, then what ran inside it.
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    let index = 0;
    while (index < list.length) {
      const task = list[index] as TraceEvent;
      const end = task.ts + (task.dur ?? 0);
      let next = index + 1;
      while (next < list.length && (list[next] as TraceEvent).ts < end) next++;
      if ((task.dur ?? 0) / 1000 > longerThanMs) {
        longTasks.push({ atMs: (task.ts - start) / 1000, durationMs: (task.dur ?? 0) / 1000, thread, parts: selfTimes(list.slice(index, next)) });
      }
      index = next;
    }
  }
  longTasks.sort((a, b) => a.atMs - b.atMs);
  return { longTasks };
}

/** Self time (ms) per event name in one task's events (sorted, the task first), the most first. */
function selfTimes(events: TraceEvent[]): Array<{ fn: string; ms: number }> {
  const self = new Map<string, number>();
  const stack: Array<{ end: number; key: string }> = [];
  const labelOf = (event: TraceEvent): string => {
    const url = event.args?.data?.url;
    return url && /^(?:FunctionCall|EvaluateScript|v8\.compile|V8\.ParseFunction)/.test(event.name) ? `${event.name} ${path.basename(url.split('?')[0] ?? '')}` : event.name;
  };
  for (const event of events) {
    const dur = (event.dur ?? 0) / 1000;
    while (stack.length > 0 && (stack[stack.length - 1] as { end: number }).end <= event.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) add(self, parent.key, -dur);
    const key = labelOf(event);
    add(self, key, dur);
    stack.push({ end: event.ts + (event.dur ?? 0), key });
  }
  return topOf(self, 8).filter((part) => part.ms >= 0.5);
}

/**
 * Trace categories for a whole stream: tasks and the collectors' own events
 * (V8's and the DOM's, Oilpan), without the per-frame detail of
 * disabled-by-default-devtools.timeline, which makes a 40 s trace too large.
 */
export const GC_TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-v8.gc', 'blink_gc', 'cppgc'];

export interface GcSummary {
  /** Garbage-collection work on renderer main threads (outermost GC events: nested ones are inside them). */
  gc: {
    pauses: number;
    totalMs: number;
    /** V8's major (mark-compact) and minor (scavenge) collections started. */
    major: number;
    minor: number;
    /** The longest pauses, each with the collector phases that took most of it. */
    longest: Array<{ atMs: number; durationMs: number; name: string; parts: Array<{ fn: string; ms: number }> }>;
  };
}

const GC_EVENT = /GC|Sweep/;

/**
 * Where a trace's main threads paused for garbage collection: the cost the
 * CPU profile only shows as "(garbage collector)" and the Long Animation
 * Frames API adds to the script that ran when it struck.
 */
export function summarizeGc(trace: { traceEvents: TraceEvent[] }): GcSummary {
  const events = trace.traceEvents;
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  let start = Infinity;
  for (const event of events) {
    if (event.ts > 0 && event.ts < start) start = event.ts;
  }
  const gcEvents = events
    .filter((e) => e.ph === 'X' && e.dur !== undefined && GC_EVENT.test(e.name) && mainThreads.has(`${e.pid}:${e.tid}`))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const pauses: Array<{ event: TraceEvent; nested: TraceEvent[] }> = [];
  let major = 0;
  let minor = 0;
  for (const event of gcEvents) {
    if (event.name === 'MajorGC') major++;
    if (event.name === 'MinorGC') minor++;
    const outer = pauses[pauses.length - 1];
    if (outer && `${outer.event.pid}:${outer.event.tid}` === `${event.pid}:${event.tid}` && event.ts < outer.event.ts + (outer.event.dur ?? 0)) {
      outer.nested.push(event);
    } else {
      pauses.push({ event, nested: [] });
    }
  }
  const totalMs = pauses.reduce((sum, pause) => sum + (pause.event.dur ?? 0) / 1000, 0);
  const longest = [...pauses]
    .sort((a, b) => (b.event.dur ?? 0) - (a.event.dur ?? 0))
    .slice(0, 5)
    .map(({ event, nested }) => ({
      atMs: (event.ts - start) / 1000,
      durationMs: (event.dur ?? 0) / 1000,
      name: event.name,
      parts: selfTimes([event, ...nested]).slice(0, 4),
    }));
  return { gc: { pauses: pauses.length, totalMs, major, minor, longest } };
}
