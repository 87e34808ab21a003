/**
 * The metrics of an audit folder: its chains' files in order, through one
 * MetricsAggregator (aggregate.ts); for a large trail the later files go to
 * a worker thread meanwhile (parallel.ts) and its partial is merged, with the
 * same figures as one pass.
 */
import { isAscii } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { MetricsReport } from '../../../shared/metrics';
import { listChains } from '../audit/files';
import { MetricsAggregator, type MetricsOptions, type MetricsPartial, type MetricsRange } from './aggregate';
import { aggregateInWorker } from './parallel';

/** The audit files of `dir`, chain by chain, each chain's files in order. */
function segmentPaths(dir: string): string[] {
  return [...listChains(dir).values()].flatMap((segments) => segments.map((segment) => segment.path));
}

/**
 * A file's text: most audit files are ASCII (paths and contents may hold any
 * character), and decoding ASCII as Latin-1 gives the same text at a
 * fraction of the cost of UTF-8 decoding.
 */
function decode(buffer: Buffer): string {
  return isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
}

/**
 * The metrics of every chain of `dir` within `range`. Reads one file (at most
 * the writer's 8 MiB) at a time, line by line; the piece after a file's last
 * newline is torn (or empty) and not an event. An empty or missing folder
 * gives a report of zeros.
 */
export function aggregateFolder(dir: string, range: MetricsRange = {}, options: MetricsOptions = {}): MetricsReport {
  const aggregator = new MetricsAggregator(range, options);
  for (const file of segmentPaths(dir)) aggregator.addText(decode(readFileSync(file)));
  return aggregator.report();
}

/** Least bytes of audit files for which a worker thread takes a part: its start (about 40 ms) costs more than parsing less. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

/** The share of the bytes the calling thread reads itself: it also merges the worker's part, and the worker starts later. */
const CALLER_SHARE = 0.5;

export interface ParallelOptions {
  /** Least bytes for which a worker thread aggregates part of the trail (default PARALLEL_MIN_BYTES; Infinity: never). */
  minBytes?: number;
}

/** The partial of a later part of the trail (what a worker thread computes; MetricsPartial). */
export function aggregatePart(files: readonly string[], range: MetricsRange, options: MetricsOptions): MetricsPartial {
  const aggregator = new MetricsAggregator(range, options, true);
  for (const file of files) aggregator.addText(decode(readFileSync(file)));
  return aggregator.partial();
}

/** The files of `dir` in trail order, split in the part this thread reads and the part after it that a worker thread reads. */
function splitFiles(files: readonly string[], minBytes: number): [string[], string[]] {
  // With one core a second thread only adds the merge's work (measured: about 0.6 s of CPU for 1,000,000 events).
  if (files.length < 2 || !Number.isFinite(minBytes) || availableParallelism() < 2) return [[...files], []];
  const sizes = files.map((file) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  });
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total < minBytes) return [[...files], []];
  let mine = 0;
  let at = 0;
  while (at < files.length - 1 && mine + (sizes[at] ?? 0) / 2 < total * CALLER_SHARE) mine += sizes[at++] ?? 0;
  return [files.slice(0, Math.max(at, 1)), files.slice(Math.max(at, 1))];
}

/**
 * aggregateFolder for the service: it lets other requests in between files
 * (inline suggestions must not wait seconds behind a dashboard). Files are
 * read whole and at once: the trail is on a local disk, mostly cached, and
 * a read of 8 MiB costs little next to parsing it. A large trail's later
 * files are aggregated meanwhile in a worker thread (parallel.ts) and merged:
 * the figures are the same as in one pass.
 */
export async function aggregateFolderAsync(dir: string, range: MetricsRange = {}, options: MetricsOptions = {}, parallel: ParallelOptions = {}): Promise<MetricsReport> {
  const aggregator = new MetricsAggregator(range, options);
  const [mine, theirs] = splitFiles(segmentPaths(dir), parallel.minBytes ?? PARALLEL_MIN_BYTES);
  const later = theirs.length > 0 ? aggregateInWorker(theirs, range, options) : undefined;
  for (const file of mine) {
    aggregator.addText(decode(readFileSync(file)));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const partial = later === undefined ? undefined : await later;
  if (partial?.exact) aggregator.merge(partial);
  else {
    for (const file of theirs) {
      aggregator.addText(decode(readFileSync(file)));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return aggregator.report();
}
