import { systemClock, type Clock } from './clock';

export const DELTA_INTERVAL_MS = 16;

/**
 * Batches streamed text into few notifications: the first piece is sent at
 * once (fast first paint); after that at most one send per interval, carrying
 * everything received meanwhile. `flush()` sends what is pending right away.
 */
export class DeltaCoalescer {
  private pending = '';
  private lastSentAt: number | undefined;
  private timer: unknown;
  private disposed = false;

  constructor(
    private readonly send: (text: string) => void,
    private readonly clock: Clock = systemClock,
    private readonly intervalMs: number = DELTA_INTERVAL_MS,
  ) {}

  push(text: string): void {
    if (this.disposed || text === '') {
      return;
    }
    this.pending += text;
    if (this.timer !== undefined) {
      return;
    }
    const wait = this.lastSentAt === undefined ? 0 : this.lastSentAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.flush();
    } else {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
    }
  }

  /** Sends whatever is pending now. */
  flush(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending === '' || this.disposed) {
      return;
    }
    const text = this.pending;
    this.pending = '';
    this.lastSentAt = this.clock.now();
    this.send(text);
  }

  /** Flushes and stops; later pushes are ignored. */
  dispose(): void {
    this.flush();
    this.disposed = true;
  }
}
