/**
 * Completion counters for `tandem/completionStats`, with the service's own
 * overhead per answered request kept in a bounded reservoir (uniform sample
 * of all values; percentiles from the sample, max and count exact).
 */
import type { CompletionEventParams, CompletionStatsResult } from '../../shared/protocol';

export const RESERVOIR_SIZE = 2048;

export class Reservoir {
  private readonly values: number[] = [];
  private seen = 0;
  private maximum = 0;
  /** Deterministic pseudo-random state (xorshift32), so runs are repeatable. */
  private state = 0x9e3779b9;

  constructor(private readonly size: number = RESERVOIR_SIZE) {}

  add(value: number): void {
    this.seen++;
    this.maximum = Math.max(this.maximum, value);
    if (this.values.length < this.size) {
      this.values.push(value);
      return;
    }
    const slot = this.random() % this.seen;
    if (slot < this.size) {
      this.values[slot] = value;
    }
  }

  get count(): number {
    return this.seen;
  }

  get max(): number {
    return this.maximum;
  }

  /** The p-th percentile (0..100) of the sample, nearest rank; 0 when empty. */
  percentile(p: number): number {
    if (this.values.length === 0) {
      return 0;
    }
    const sorted = [...this.values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank] ?? 0;
  }

  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
}

type Counter = Exclude<keyof CompletionStatsResult, 'overheadMs' | 'memory'>;

export class CompletionStats {
  private readonly counts: Record<Counter, number> = {
    requests: 0,
    cacheHits: 0,
    reusedInFlight: 0,
    modelCalls: 0,
    modelCallsCancelled: 0,
    debounced: 0,
    shown: 0,
    accepted: 0,
    partiallyAccepted: 0,
  };
  private readonly overhead = new Reservoir();

  count(counter: Counter): void {
    this.counts[counter]++;
  }

  /** The service's own time for one answered request, ms. */
  addOverhead(ms: number): void {
    this.overhead.add(ms);
  }

  event(kind: CompletionEventParams['kind']): void {
    this.count(kind);
  }

  snapshot(): CompletionStatsResult {
    const round = (ms: number): number => Math.round(ms * 1000) / 1000;
    return {
      ...this.counts,
      overheadMs: {
        p50: round(this.overhead.percentile(50)),
        p99: round(this.overhead.percentile(99)),
        max: round(this.overhead.max),
        count: this.overhead.count,
      },
    };
  }
}
