/**
 * A part of the trail aggregated in a worker thread while the service (or
 * the CLI) aggregates the part before it: parsing the lines is most of the
 * cost, and the machine has more than one core. The worker answers with a
 * MetricsPartial that the caller merges (aggregate.ts); when a worker cannot
 * start or fails, the answer is undefined and the caller reads those files
 * itself, so the figures never depend on whether a worker ran.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { isRecord } from '../../../shared/guards';
import type { MetricsOptions, MetricsPartial, MetricsRange } from './aggregate';

/**
 * The worker's script: worker.ts beside this file when running from the
 * sources (the tsx loader of the process comes along in its execArgv), or
 * the bundle's dist/metricsWorker.js beside dist/server.js.
 */
function workerScript(): string | undefined {
  if (typeof __filename !== 'string') return undefined;
  const script = path.join(path.dirname(__filename), __filename.endsWith('.ts') ? 'worker.ts' : 'metricsWorker.js');
  return existsSync(script) ? script : undefined;
}

function isPartial(value: unknown): value is MetricsPartial {
  return isRecord(value) && typeof value.exact === 'boolean' && typeof value.events === 'number' && Array.isArray(value.days) && isRecord(value.totals) && typeof value.linked === 'string' && Array.isArray(value.ttft) && value.costAt instanceof Int32Array && value.costUsd instanceof Float64Array;
}

/** The partial of `files` (in trail order) from a worker thread, or undefined when none could make it. */
export function aggregateInWorker(files: readonly string[], range: MetricsRange, options: MetricsOptions): Promise<MetricsPartial | undefined> {
  const script = workerScript();
  if (script === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    try {
      const workerData = { files, range, options };
      // From the sources, the worker loads tsx itself: a worker does not take the loader hooks of the thread that starts it.
      const worker = script.endsWith('.ts') ? new Worker(`require('tsx/cjs');require(${JSON.stringify(script)});`, { eval: true, workerData }) : new Worker(script, { workerData });
      worker.once('message', (message: unknown) => resolve(isPartial(message) ? message : undefined));
      worker.once('error', () => resolve(undefined));
      worker.once('exit', () => resolve(undefined));
    } catch {
      resolve(undefined);
    }
  });
}
