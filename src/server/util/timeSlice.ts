/**
 * Long work on the service's one thread (walking a workspace, searching its
 * files) hands the event loop back now and then, so that completions, chat
 * and Stop are answered while it runs.
 */

/** Work runs at most about this long before the event loop gets a turn. */
export const SLICE_MS = 10;

export class TimeSlice {
  private readonly started = performance.now();
  private sliceStarted = this.started;

  /** `yieldTo`: awaited at each hand-back too (background work giving way to foreground work, util/foreground.ts). */
  constructor(
    private readonly sliceMs: number = SLICE_MS,
    private readonly yieldTo?: () => Promise<void>,
  ) {}

  /** This slice is used up: the work should `await handBack()` (checked first, so that the common case costs no await). */
  due(): boolean {
    return performance.now() - this.sliceStarted > this.sliceMs;
  }

  /** Gives the event loop a turn, then starts a new slice. */
  async handBack(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.yieldTo) await this.yieldTo();
    this.sliceStarted = performance.now();
  }

  /** Milliseconds since the work began. */
  elapsed(): number {
    return performance.now() - this.started;
  }
}

/** Arrays up to this length are sorted at once (about a millisecond). */
const SORT_AT_ONCE = 2048;

/**
 * `items` sorted by `compare`, in the same order as `Array.prototype.sort`
 * (both are stable), with the event loop getting turns while a large array
 * is sorted: runs sorted at once, then merged pairwise.
 */
export async function sortInSlices<T>(items: readonly T[], compare: (a: T, b: T) => number, slice: TimeSlice = new TimeSlice()): Promise<T[]> {
  if (items.length <= SORT_AT_ONCE) return [...items].sort(compare);
  let runs: T[][] = [];
  for (let start = 0; start < items.length; start += SORT_AT_ONCE) {
    if (slice.due()) await slice.handBack();
    runs.push(items.slice(start, start + SORT_AT_ONCE).sort(compare));
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const left = runs[i] ?? [];
      const right = runs[i + 1];
      merged.push(right ? await merge(left, right, compare, slice) : left);
    }
    runs = merged;
  }
  return runs[0] ?? [];
}

/** Stable: on a tie the left run's item comes first. */
async function merge<T>(left: readonly T[], right: readonly T[], compare: (a: T, b: T) => number, slice: TimeSlice): Promise<T[]> {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left[i] as T;
    const b = right[j] as T;
    if (compare(b, a) < 0) {
      out.push(b);
      j++;
    } else {
      out.push(a);
      i++;
    }
    if ((out.length & 1023) === 0 && slice.due()) await slice.handBack();
  }
  for (; i < left.length; i++) out.push(left[i] as T);
  for (; j < right.length; j++) out.push(right[j] as T);
  return out;
}
