import type { EmbeddedDownloadPhase } from '../../../shared/embeddedProtocol';

export interface DownloadProgress {
  phase: EmbeddedDownloadPhase;
  receivedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  secondsLeft?: number;
}

/** Speed is measured over this much recent time: steady enough to read, quick to follow a change of network. */
const SPEED_WINDOW_MS = 5_000;

/**
 * Turns byte counts into throttled progress reports: at most one per
 * `intervalMs` (a 1 GB download would otherwise send tens of thousands),
 * except phase changes and the last byte, which always go out.
 */
export class ProgressMeter {
  private samples: Array<{ at: number; bytes: number }> = [];
  private lastSent = -Infinity;
  private lastPhase: EmbeddedDownloadPhase | undefined;

  constructor(
    private readonly totalBytes: number,
    private readonly send: ((progress: DownloadProgress) => void) | undefined,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** A new connection: bytes already on disk do not count towards the speed. */
  restart(): void {
    this.samples = [];
  }

  report(phase: EmbeddedDownloadPhase, receivedBytes: number): void {
    const at = this.now();
    if (phase === 'downloading') {
      this.samples.push({ at, bytes: receivedBytes });
      while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) >= SPEED_WINDOW_MS) this.samples.shift();
    }
    const due = at - this.lastSent >= this.intervalMs || phase !== this.lastPhase || receivedBytes >= this.totalBytes;
    if (!this.send || !due) return;
    this.lastSent = at;
    this.lastPhase = phase;
    const bytesPerSecond = phase === 'downloading' ? this.speed() : 0;
    const left = this.totalBytes - receivedBytes;
    this.send({
      phase,
      receivedBytes,
      totalBytes: this.totalBytes,
      bytesPerSecond,
      ...(bytesPerSecond > 0 ? { secondsLeft: Math.ceil(left / bytesPerSecond) } : {}),
    });
  }

  private speed(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 200) return 0;
    return Math.round(((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }
}
