/**
 * The worker thread that aggregates a later part of the trail (parallel.ts):
 * it gets the part's files, range and options, and posts back the part's
 * MetricsPartial. Bundled on its own as dist/metricsWorker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isRecord } from '../../../shared/guards';
import { aggregatePart } from './folder';

const data: unknown = workerData;
if (parentPort && isRecord(data) && Array.isArray(data.files) && data.files.every((file) => typeof file === 'string') && isRecord(data.range)) {
  const { since, until } = data.range;
  const range = { ...(typeof since === 'number' ? { since } : {}), ...(typeof until === 'number' ? { until } : {}) };
  const prices = isRecord(data.options) && isRecord(data.options.prices) ? data.options.prices : undefined;
  parentPort.postMessage(aggregatePart(data.files, range, prices !== undefined ? { prices } : {}));
}
