/**
 * Bounded percentiles: every sample is kept up to `capacity` (the result is
 * then exact); past it, a uniform random sample of `capacity` of them is kept
 * (reservoir sampling, Vitter's algorithm R) and the percentiles are read
 * from that. Memory stays `capacity` numbers however many samples come; with
 * 2,048 kept, the p95 of a sample is within about ±0.5 percentile points of
 * the true one (binomial standard error, sqrt(0.95·0.05/2048) ≈ 0.005).
 * The random choice is seeded, so the same trail always gives the same figures.
 */
import type { Quantiles } from '../../../shared/metrics';

export const QUANTILE_CAPACITY = 2048;

export class QuantileSketch {
  private readonly samples: number[] = [];
  private seen = 0;
  private state: number;

  constructor(
    private readonly capacity = QUANTILE_CAPACITY,
    seed = 0x9e3779b9,
  ) {
    this.state = seed >>> 0 || 1;
  }

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    this.seen += 1;
    if (this.samples.length < this.capacity) {
      this.samples.push(value);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity) this.samples[slot] = value;
  }

  get count(): number {
    return this.seen;
  }

  result(): Quantiles {
    const exact = this.seen <= this.capacity;
    if (this.seen === 0) return { count: 0, exact };
    const sorted = [...this.samples].sort((a, b) => a - b);
    return { count: this.seen, p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95), exact };
  }

  /** xorshift32: small, fast, deterministic; quality enough to pick reservoir slots. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}

/** The nearest-rank percentile: the smallest sample with at least p of the samples at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}
