import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { CodebaseIndexState, SearchCodebaseResult } from '../../../src/shared/codebaseProtocol';
import { CodebaseIndex } from '../../../src/server/services/codebase/codebaseIndex';
import type { IndexEmbedder } from '../../../src/server/services/codebase/embedder';
import { IndexThread, indexWorkerScript, type IndexThreadOptions } from '../../../src/server/services/codebase/indexThread';
import { isFromWorker, isToWorker } from '../../../src/server/services/codebase/threadMessages';
import { chunkKey, VectorStore } from '../../../src/server/services/codebase/vectors';
import { seededRandom } from '../../support/random';
import { loadLabelledSet } from '../../bench/retrievalEval';

const temporaries: string[] = [];
const open: Array<{ dispose(): Promise<void> }> = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-index-thread-'));
  temporaries.push(dir);
  return dir;
}

/** A folder of `files` generated modules, each with a few named functions (enough for a build that takes a while). */
function generated(files: number, seed = 1): string {
  const root = tempDir();
  const random = seededRandom(seed);
  const words = ['parse', 'render', 'cache', 'retry', 'token', 'stream', 'config', 'socket', 'buffer', 'queue', 'digest', 'layout'];
  const pick = (): string => words[Math.floor(random() * words.length)] ?? 'value';
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, `src/m${i % 20}`);
    mkdirSync(dir, { recursive: true });
    const body = Array.from({ length: 4 }, (_, f) => `/** ${pick()} the ${pick()} of ${pick()} */\nexport function ${pick()}${pick()}${i}x${f}(input: string): string {\n  return input + '${pick()}';\n}\n`).join('\n');
    writeFileSync(path.join(dir, `file${i}.ts`), body);
  }
  writeFileSync(path.join(root, 'src/marker.ts'), 'export function mooringLine(): number {\n  return 1;\n}\n');
  return root;
}

function thread(options: IndexThreadOptions = {}): IndexThread {
  const script = indexWorkerScript();
  assert.ok(script, 'the worker script is beside indexThread.ts');
  const index = new IndexThread(script, { debounceMs: 5, ...options });
  open.push(index);
  return index;
}

/** Settles with what the promise did, so a test can tell an answer, an error and "still waiting" apart. */
function settled<T>(promise: Promise<T>): Promise<{ value: T } | { error: Error }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
  );
}

/** Resolves once `index` reports a state that passes `test`. */
function stateWhere(states: CodebaseIndexState[], listeners: Array<() => void>, test: (state: CodebaseIndexState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (states.some(test)) resolve();
    };
    listeners.push(check);
    check();
  });
}

describe('codebase index in a worker thread', function () {
  this.timeout(120_000);
  after(async () => {
    await Promise.all(open.map((index) => index.dispose()));
    for (const dir of temporaries) rmSync(dir, { recursive: true, force: true });
  });

  it('answers every labelled question exactly as the index in this thread does', async () => {
    const set = loadLabelledSet();
    const here = new CodebaseIndex();
    await here.setRoots([set.absoluteRoot]);
    const there = thread();
    await there.setRoots([set.absoluteRoot]);
    await there.idle();
    for (const { q } of set.questions) {
      for (const params of [{ query: q }, { query: q, limit: 3, snippets: false }, { query: q, paths: ['lib/cli'] }]) {
        assert.deepEqual(await there.search(params), await here.search(params), `${JSON.stringify(params)}`);
      }
    }
    assert.deepEqual(there.state(), here.state());
    await here.dispose();
  });

  it('follows file changes and unsaved buffers like the index in this thread', async () => {
    const root = generated(30);
    const there = thread({ bufferDebounceMs: 5 });
    await there.setRoots([root]);
    writeFileSync(path.join(root, 'src/fresh.ts'), 'export function zebraCrossing(): number {\n  return 1;\n}\n');
    there.fileChanged(path.join(root, 'src/fresh.ts'));
    there.bufferChanged(path.join(root, 'src/m0/file0.ts'), 'export function unsavedAardvark(): void {}\n');
    await there.idle();
    assert.equal((await there.search({ query: 'zebraCrossing' })).results[0]?.path, 'src/fresh.ts');
    const buffered = (await there.search({ query: 'unsavedAardvark' })).results[0];
    assert.equal(buffered?.path, 'src/m0/file0.ts');
    assert.match(buffered?.snippet ?? '', /unsavedAardvark/);
    there.bufferClosed(path.join(root, 'src/m0/file0.ts'));
    await there.idle();
    assert.deepEqual((await there.search({ query: 'unsavedAardvark' })).results, []);
  });

  it('answers many concurrent searches during a build, each with the results of the index it waited for', async () => {
    const root = generated(400, 7);
    const states: CodebaseIndexState[] = [];
    const there = thread({ onState: (state) => states.push(state) });
    const here = new CodebaseIndex();
    await here.setRoots([root]);
    void there.setRoots([root]);
    const random = seededRandom(3);
    const words = ['parse', 'render', 'cache', 'retry', 'token', 'stream', 'config', 'socket'];
    const queries = Array.from({ length: 60 }, () => `${words[Math.floor(random() * words.length)]} ${words[Math.floor(random() * words.length)]}`);
    const answers = await Promise.all(queries.map((query) => there.search({ query, snippets: false })));
    for (const [i, answer] of answers.entries()) assert.deepEqual(answer, await here.search({ query: queries[i] ?? '', snippets: false }), queries[i]);
    assert.ok(states.some((state) => state.state === 'building'));
    assert.equal(there.state().state, 'ready');
    await here.dispose();
  });

  describe('when the worker dies', () => {
    for (const moment of ['mid-build', 'mid-search', 'when ready'] as const) {
      it(`${moment}: searches in flight end with an error, a new worker takes over, and searches answer again`, async () => {
        const root = generated(moment === 'when ready' ? 20 : 3000, 11);
        const workers: Worker[] = [];
        const logs: string[] = [];
        const states: CodebaseIndexState[] = [];
        const listeners: Array<() => void> = [];
        const there = thread({ onWorker: (worker) => workers.push(worker), onLog: (message) => logs.push(message), onState: (state) => (states.push(state), listeners.forEach((listener) => listener())) });
        const build = there.setRoots([root]);
        if (moment === 'when ready') await build;
        else await stateWhere(states, listeners, (state) => state.state === 'building' && (state.progress?.done ?? 0) > 0);
        // A search in flight: during a build it waits for the build; when ready it is answered quickly, so it races the crash.
        const inFlight = Array.from({ length: moment === 'mid-search' ? 10 : 1 }, () => settled(there.search({ query: 'mooringLine' })));
        await workers[0]?.terminate();
        for (const outcome of await Promise.all(inFlight)) {
          if ('error' in outcome) assert.match(outcome.error.message, /codebase index stopped .*starting again/);
          else assert.ok(outcome.value.results.length > 0, 'an answer given before the crash is a real one');
        }
        if (moment !== 'when ready') assert.ok((await Promise.all(inFlight)).some((outcome) => 'error' in outcome), 'a search waiting for the build cannot have been answered');
        assert.equal(workers.length, 2, 'a new worker started');
        assert.ok(logs.some((line) => /worker thread stopped .*starting it again/.test(line)), logs.join('\n'));
        await there.idle();
        const again = await there.search({ query: 'mooringLine' });
        assert.ok(again.results.length > 0);
        assert.equal(again.indexState.state, 'ready');
        assert.equal(again.indexState.files, moment === 'when ready' ? 21 : 3001);
      });
    }

    it('after too many deaths in a minute, says the index is unavailable at once instead of waiting', async () => {
      const root = generated(10, 5);
      const workers: Worker[] = [];
      const logs: string[] = [];
      const there = thread({ maxRestarts: 2, onWorker: (worker) => workers.push(worker), onLog: (message) => logs.push(message) });
      await there.setRoots([root]);
      for (let i = 0; i < 3; i++) {
        const worker = workers.at(-1);
        const exited = new Promise((resolve) => worker?.once('exit', resolve));
        await worker?.terminate();
        await exited;
      }
      assert.equal(workers.length, 3);
      assert.equal(there.state().state, 'failed');
      assert.match(there.state().message ?? '', /unavailable/);
      const outcome = await settled(there.search({ query: 'mooringLine' }));
      assert.ok('error' in outcome);
      assert.match(outcome.error.message, /unavailable/);
      assert.ok(logs.some((line) => /unavailable until the service restarts/.test(line)));
      await there.idle();
    });

    it('a worker that stops answering is taken for dead after the search wait, not waited for forever', async () => {
      const root = generated(10, 6);
      const workers: Worker[] = [];
      const logs: string[] = [];
      const there = thread({ hungAfterMs: 200, onWorker: (worker) => workers.push(worker), onLog: (message) => logs.push(message) });
      await there.setRoots([root]);
      // A worker whose thread is stuck: it never reads its messages again.
      const stuck = workers[0];
      assert.ok(stuck);
      stuck.removeAllListeners('message');
      const outcome = await settled(there.search({ query: 'parse' }, { waitMs: 0 }));
      // Either the stuck worker answered before it was silenced, or the search ends with the error.
      if ('error' in outcome) assert.match(outcome.error.message, /did not answer/);
      await there.idle();
      assert.ok((await there.search({ query: 'mooringLine' })).results.length > 0);
    });
  });

  it('shutdown with a build and searches in flight ends the worker and answers every request', async () => {
    const root = generated(600, 13);
    const workers: Worker[] = [];
    const states: CodebaseIndexState[] = [];
    const listeners: Array<() => void> = [];
    const there = thread({ onWorker: (worker) => workers.push(worker), onState: (state) => (states.push(state), listeners.forEach((listener) => listener())) });
    const build = there.setRoots([root]);
    // Any building state: a quick build may end before a progress report with files done.
    await stateWhere(states, listeners, (state) => state.state === 'building');
    const exited = new Promise<number>((resolve) => workers[0]?.once('exit', resolve));
    const searches = Array.from({ length: 5 }, () => settled(there.search({ query: 'render cache' })));
    await there.dispose();
    await exited;
    await build;
    for (const outcome of await Promise.all(searches)) {
      if ('error' in outcome) assert.match(outcome.error.message, /closed/);
      else assert.ok(Array.isArray((outcome.value as SearchCodebaseResult).results));
    }
    assert.equal(workers.length, 1, 'no new worker after shutdown');
    const after = await settled(there.search({ query: 'render' }));
    assert.ok('error' in after && /closed/.test(after.error.message));
  });

  it('ranks with the service embedder through the worker (hybrid), the same as in this thread', async () => {
    const root = generated(40, 17);
    const asked: string[] = [];
    // A deterministic embedder: a vector from the text's letters (what matters is that both sides get the same).
    const vectorOf = (text: string): Float32Array => {
      const vector = new Float32Array(26);
      for (const char of text.toLowerCase()) {
        const code = char.charCodeAt(0) - 97;
        if (code >= 0 && code < 26) vector[code] = (vector[code] ?? 0) + 1;
      }
      return vector;
    };
    const embedder: IndexEmbedder = {
      unavailable: undefined,
      enabled: () => true,
      reset: () => undefined,
      embedQuery: async (query) => (asked.push(query), vectorOf(query)),
      embedMissing: async (chunks, store: VectorStore) => {
        for (const chunk of chunks) store.set(chunkKey(chunk.text), vectorOf(chunk.text));
        return true;
      },
    };
    const storage = tempDir();
    const here = new CodebaseIndex({ embedder, embeddingsModel: () => 'letters', storage: tempDir() });
    await here.setRoots([root]);
    await here.idle();
    const there = thread({ embedder, embeddingsModel: () => 'letters', storage });
    await there.setRoots([root]);
    await there.idle();
    assert.equal(there.state().ranking, 'hybrid');
    for (const query of ['parse the token', 'render queue', 'socket digest layout']) assert.deepEqual(await there.search({ query }), await here.search({ query }), query);
    assert.ok(asked.length >= 6, 'the worker asked the service for the query vectors');
    await here.dispose();
  });

  it('checks every message crossing the boundary: generated malformed messages are refused', () => {
    const random = seededRandom(23);
    const good = [
      { kind: 'search', id: 1, params: { query: 'x', limit: 3, paths: ['a'], snippets: false } },
      { kind: 'setRoots', id: 2, roots: ['/a'] },
      { kind: 'embedded', id: 3, status: { enabled: true, model: 'm' }, vectors: [['k', new Float32Array(2)]], done: true },
      { kind: 'bufferChanged', path: '/a/b.ts', text: '' },
    ];
    for (const message of good) assert.ok(isToWorker(message), JSON.stringify(message));
    assert.ok(isFromWorker({ kind: 'answer', id: 1, result: { results: [{ path: 'a', uri: 'file:///a' }], indexState: { state: 'ready', files: 1, chunks: 1 } } }));
    assert.ok(isFromWorker({ kind: 'embedMissing', id: 1, model: 'm', chunks: [{ file: 'a', text: 'b' }] }));
    const junk: unknown[] = [undefined, null, 1.5, true, [1], { kind: 'nope' }];
    for (let i = 0; i < 200; i++) {
      const base = structuredClone(good[i % good.length]) as Record<string, unknown>;
      // A required field (every one but the optional `vectors` and `done` of an answer with vectors) replaced with junk.
      const keys = Object.keys(base).filter((key) => key !== 'vectors' && key !== 'done');
      const key = keys[Math.floor(random() * keys.length)] ?? 'kind';
      base[key] = junk[Math.floor(random() * junk.length)];
      assert.equal(isToWorker(base), false, JSON.stringify(base));
    }
    for (const message of junk) {
      assert.equal(isToWorker(message), false);
      assert.equal(isFromWorker(message), false);
    }
    assert.equal(isToWorker({ kind: 'search', id: 1.5, params: { query: 'x' } }), false);
    assert.equal(isFromWorker({ kind: 'answer', id: 1, result: { results: 'x', indexState: {} } }), false);
    assert.equal(isFromWorker({ kind: 'embedMissing', id: 1, model: 'm', chunks: [{ file: 1 }] }), false);
  });
});
