/**
 * A clock the test moves by hand (the engine's debounce, grace periods and a
 * virtual model latency run on it), while HTTP stays real.
 */
import type { Clock } from '../../../src/server/services/clock';

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

/** Lets pending promise callbacks and I/O callbacks run (a few event-loop turns). */
export async function turns(count = 3): Promise<void> {
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly timers = new Set<Timer>();

  constructor(private readonly settle: () => Promise<void> = () => turns()) {}

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, callback };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as Timer);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.size;
  }

  /** Fires every timer due up to `time`, in order, settling after each; then sets the time. */
  async advanceTo(time: number): Promise<void> {
    await this.settle();
    for (;;) {
      const next = this.nextDue(time);
      if (!next) {
        break;
      }
      this.timers.delete(next);
      this.time = next.at;
      next.callback();
      await this.settle();
    }
    this.time = Math.max(this.time, time);
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.time + ms);
  }

  private nextDue(time: number): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers) {
      if (timer.at <= time && (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq))) {
        best = timer;
      }
    }
    return best;
  }
}
