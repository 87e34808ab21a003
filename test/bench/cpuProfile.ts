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
