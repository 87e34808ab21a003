/**
 * Runs a function of a test module in a worker thread, with a deadline. A
 * pattern that backtracks for hours blocks the thread it runs on, so mocha's
 * own timeout never fires when it runs in the test's thread; a worker can be
 * terminated mid-match. A missed deadline is a test failure that names it, not
 * a hung test run. (A deadline is a safety net, not a measurement: the cases
 * here finish in milliseconds when they pass.)
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** The worker registers tsx itself: Node 20 does not pass the test process's loader on to workers. */
const BOOTSTRAP = `
require('tsx/cjs');
const { parentPort, workerData } = require('node:worker_threads');
Promise.resolve()
  .then(() => require(workerData.module)[workerData.name](...workerData.args))
  .then(
    (value) => parentPort.postMessage({ ok: true, value }),
    (error) => parentPort.postMessage({ ok: false, message: error instanceof Error ? error.stack || error.message : String(error) }),
  );
`;

type Reply = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Calls `module[name](...args)` in a worker and resolves with its (structured-cloned)
 * result; rejects when it throws, or when it has not returned after `deadlineMs`.
 */
export function runIsolated<T>(module: string, name: string, args: readonly unknown[], deadlineMs: number): Promise<T> {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { module: path.resolve(module), name, args } });
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`${name}(…) was still running after ${deadlineMs} ms: the service would have been frozen`));
    }, deadlineMs);
    const settle = (finish: () => void): void => {
      clearTimeout(timer);
      void worker.terminate();
      finish();
    };
    worker.once('message', (reply: Reply) => settle(() => (reply.ok ? resolve(reply.value as T) : reject(new Error(reply.message)))));
    worker.once('error', (error) => settle(() => reject(error)));
  });
}
