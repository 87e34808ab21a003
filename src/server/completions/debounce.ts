/**
 * The adaptive debounce. Per document, the intervals between content changes
 * are the person's typing rhythm; a completion request waits
 *
 *   debounce = clamp(base, FACTOR × median(recent intervals), max(base, MAX_MS))
 *
 * before calling the model: someone typing every 100 ms gets a model call
 * once they pause for 150 ms, not after every keystroke; a slow typist does
 * not get a call between two keystrokes either, but waits no more than
 * MAX_MS. Intervals of PAUSE_MS or more are pauses, not rhythm, and are not
 * counted. Until MIN_SAMPLES intervals are known, the base (the
 * `tandem.completions.debounceMs` setting) applies.
 */

export const DEBOUNCE_FACTOR = 1.5;
export const MAX_DEBOUNCE_MS = 350;
export const PAUSE_MS = 1500;
export const RHYTHM_WINDOW = 10;
export const MIN_SAMPLES = 3;

interface Rhythm {
  lastChangeAt: number | undefined;
  /** The most recent intervals, oldest first. */
  intervals: number[];
}

export class TypingRhythm {
  private readonly docs = new Map<string, Rhythm>();

  /** A content change of the document at `now` (ms). */
  record(uri: string, now: number): void {
    let rhythm = this.docs.get(uri);
    if (!rhythm) {
      rhythm = { lastChangeAt: undefined, intervals: [] };
      this.docs.set(uri, rhythm);
    }
    if (rhythm.lastChangeAt !== undefined) {
      const interval = now - rhythm.lastChangeAt;
      if (interval >= 0 && interval < PAUSE_MS) {
        rhythm.intervals.push(interval);
        if (rhythm.intervals.length > RHYTHM_WINDOW) {
          rhythm.intervals.shift();
        }
      }
    }
    rhythm.lastChangeAt = now;
  }

  forget(uri: string): void {
    this.docs.delete(uri);
  }

  /** Median of the recent intervals, undefined until MIN_SAMPLES are known. */
  median(uri: string): number | undefined {
    const intervals = this.docs.get(uri)?.intervals;
    if (!intervals || intervals.length < MIN_SAMPLES) {
      return undefined;
    }
    const sorted = [...intervals].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  }

  /** The debounce for the next request in this document. */
  delayMs(uri: string, baseMs: number): number {
    return adaptiveDebounce(baseMs, this.median(uri));
  }
}

/** clamp(base, FACTOR × median, max(base, MAX_DEBOUNCE_MS)). Pure. */
export function adaptiveDebounce(baseMs: number, medianIntervalMs: number | undefined): number {
  if (medianIntervalMs === undefined) {
    return baseMs;
  }
  const ceiling = Math.max(baseMs, MAX_DEBOUNCE_MS);
  return Math.round(Math.min(ceiling, Math.max(baseMs, DEBOUNCE_FACTOR * medianIntervalMs)));
}
