import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much lower than the service's thread background work runs (nice steps; 19 is the lowest). */
export const BACKGROUND_NICE_STEPS = 10;

/**
 * The kernel's id of the calling thread, on Linux (where a nice value is per
 * thread); undefined elsewhere or if /proc is not there.
 */
export function currentThreadId(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lowers the calling thread's CPU priority (a worker thread doing
 * background work, such as indexing the codebase): when the machine's cores
 * are all busy, the service's own thread, which answers inline completions
 * while a person types, gets the CPU first. Only this thread changes: the
 * process and its other threads keep theirs. Best effort; returns whether
 * the priority was lowered.
 */
export function lowerThisThreadPriority(steps = BACKGROUND_NICE_STEPS): boolean {
  const tid = currentThreadId();
  if (tid === undefined) return false;
  try {
    setPriority(tid, Math.min(19, getPriority(tid) + steps));
    return true;
  } catch {
    return false;
  }
}
