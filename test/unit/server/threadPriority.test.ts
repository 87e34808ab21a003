import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { currentThreadId, lowerThisThreadPriority } from '../../../src/server/util/threadPriority';

/** Runs lowerThisThreadPriority in a fresh worker thread; answers its thread id and whether it was lowered. */
function lowerInWorker(): Promise<{ tid: number | undefined; lowered: boolean; priorityInWorker: number | undefined }> {
  const source = `
    const { parentPort } = require('node:worker_threads');
    const { getPriority } = require('node:os');
    require('tsx/cjs');
    const { currentThreadId, lowerThisThreadPriority } = require(${JSON.stringify(require.resolve('../../../src/server/util/threadPriority'))});
    const lowered = lowerThisThreadPriority();
    const tid = currentThreadId();
    parentPort.postMessage({ tid, lowered, priorityInWorker: tid === undefined ? undefined : getPriority(tid) });
    // Stay alive until told, so the thread id still names this thread when the test looks.
    parentPort.once('message', () => process.exit(0));
  `;
  const worker = new Worker(source, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (answer: { tid: number | undefined; lowered: boolean; priorityInWorker: number | undefined }) => {
      resolve(answer);
      worker.postMessage('done');
    });
  });
}

describe('background thread priority', () => {
  const linux = process.platform === 'linux';

  it('lowers only the worker thread: the service thread keeps its priority (Linux)', async function () {
    if (!linux) this.skip();
    const before = getPriority(0);
    const { tid, lowered, priorityInWorker } = await lowerInWorker();
    assert.equal(lowered, true);
    assert.ok(tid !== undefined && tid !== currentThreadId(), 'the worker has its own thread id');
    assert.equal(priorityInWorker, Math.min(19, before + 10));
    assert.equal(getPriority(0), before, 'the process (its main thread) is unchanged');
    assert.equal(getPriority(currentThreadId()), before);
  });

  it('elsewhere it changes nothing and says so', function () {
    if (linux) this.skip();
    assert.equal(currentThreadId(), undefined);
    assert.equal(lowerThisThreadPriority(), false);
  });
});
