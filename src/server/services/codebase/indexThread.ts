/**
 * The codebase index hosted in a worker thread (indexWorker.ts), behind the
 * same API as CodebaseIndex: the service's thread keeps only what it needs
 * to answer at once (the index's last state, the open buffers and folders
 * to hand a new worker) and the embeddings endpoint (the worker asks it for
 * vectors). The index's work and its hundreds of megabytes (their garbage
 * collection) then never stand between a keystroke and its completion.
 *
 * A worker that dies (an exception, out of memory, a search it does not
 * answer within its wait plus `hungAfterMs`) gives one log line: searches in
 * flight are answered with an error, and a new worker starts from the stored
 * index with the same folders and buffers. After `maxRestarts` within a
 * minute the index is given up: its state is `failed` and every search is
 * answered at once with the reason. dispose() ends the worker (within a
 * second and a half, its answer or not).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CodebaseIndexState, SearchCodebaseParams, SearchCodebaseResult } from '../../../shared/codebaseProtocol';
import { errorMessage } from '../../../shared/guards';
import type { CodebaseIndexOptions, CodebaseService, SearchOptions } from './codebaseIndex';
import { isFromWorker, type EmbedderStatus, type FromWorker, type IndexWorkerData, type ToWorker } from './threadMessages';
import { VectorStore } from './vectors';

const DEFAULT_WAIT_MS = 10_000;
/** A search unanswered this long past its wait means the worker is stuck: it is ended and started again. */
const DEFAULT_HUNG_AFTER_MS = 30_000;
const DEFAULT_MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;
/** How long dispose() waits for the worker to stop its work (and store what changed) before ending it. */
const DISPOSE_WAIT_MS = 1_500;

/** The index's own options (the embedder is the service's: the worker asks it for vectors), plus the thread's. */
export interface IndexThreadOptions extends Omit<CodebaseIndexOptions, 'foreground'> {
  /** Restarts within a minute before the index is given up (default 3). */
  maxRestarts?: number;
  hungAfterMs?: number;
  /** Each worker as it starts (tests end one to see what a crash does). */
  onWorker?: (worker: Worker) => void;
}

interface Pending {
  search: boolean;
  resolve: (result: SearchCodebaseResult | undefined) => void;
  reject: (error: Error) => void;
  done: () => void;
}

/**
 * The worker's script: indexWorker.ts beside this file when running from
 * the sources, or dist/indexWorker.js beside the bundle that holds this
 * code (dist/tandem-lsp.js).
 */
export function indexWorkerScript(): string | undefined {
  if (typeof __filename !== 'string') return undefined;
  const script = path.join(path.dirname(__filename), __filename.endsWith('.ts') ? 'indexWorker.ts' : 'indexWorker.js');
  return existsSync(script) ? script : undefined;
}

export class IndexThread implements CodebaseService {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The worker's requests for vectors being answered here. */
  private readonly embedding = new Map<number, AbortController>();
  private last: CodebaseIndexState = { state: 'idle', files: 0, chunks: 0 };
  private roots: string[] | undefined;
  private readonly buffers = new Map<string, string>();
  private sentStatus = '';
  private restarts: number[] = [];
  /** Why the index was given up. */
  private givenUp: string | undefined;
  private disposed = false;

  constructor(
    private readonly script: string,
    private readonly options: IndexThreadOptions = {},
  ) {
    this.spawn();
  }

  setRoots(roots: readonly string[]): Promise<void> {
    this.roots = roots.map((root) => path.resolve(root));
    this.pushStatus();
    return this.request((id) => ({ kind: 'setRoots', id, roots: this.roots ?? [] })).then(() => undefined);
  }

  setStorage(storage: string | undefined): void {
    this.options.storage = storage;
    this.post({ kind: 'setStorage', ...(storage ? { storage } : {}) });
  }

  state(): CodebaseIndexState {
    return { ...this.last, ...(this.last.progress ? { progress: { ...this.last.progress } } : {}) };
  }

  async idle(): Promise<void> {
    await this.request((id) => ({ kind: 'idle', id }));
  }

  fileChanged(absolute: string): void {
    if (this.disposed) return;
    this.pushStatus();
    this.post({ kind: 'fileChanged', path: absolute });
  }

  bufferChanged(absolute: string, text: string): void {
    if (this.disposed) return;
    this.buffers.set(path.resolve(absolute), text);
    this.pushStatus();
    this.post({ kind: 'bufferChanged', path: absolute, text });
  }

  bufferClosed(absolute: string): void {
    if (this.disposed) return;
    this.buffers.delete(path.resolve(absolute));
    this.post({ kind: 'bufferClosed', path: absolute });
  }

  embeddingsChanged(): void {
    // The worker's stand-in does not reset anything: the service's embedder is reset here, and its status sent first.
    this.options.embedder?.reset();
    this.pushStatus();
    this.post({ kind: 'embeddingsChanged' });
  }

  async search(params: SearchCodebaseParams, options: SearchOptions = {}): Promise<SearchCodebaseResult> {
    this.pushStatus();
    const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    let sentId: number | undefined;
    const onAbort = (): void => {
      if (sentId !== undefined) this.post({ kind: 'cancel', id: sentId });
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await this.request(
        (id) => {
          sentId = id;
          return { kind: 'search', id, params, ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}) };
        },
        { search: true, hungAfterMs: waitMs + (this.options.hungAfterMs ?? DEFAULT_HUNG_AFTER_MS) },
      );
      if (!result) throw new Error('The codebase index gave no answer.');
      if (options.signal?.aborted) onAbort();
      return result;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Ends the worker: it stops building and stores what changed, for at most a second and a half. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    if (worker) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.request((id) => ({ kind: 'dispose', id })), new Promise<void>((resolve) => (timer = setTimeout(resolve, DISPOSE_WAIT_MS)))]);
      clearTimeout(timer);
    }
    this.worker = undefined;
    this.endAll('The codebase index is closed.');
    if (worker) await worker.terminate();
  }

  private spawn(): void {
    const data: IndexWorkerData = {
      ...(this.options.storage ? { storage: this.options.storage } : {}),
      ...(this.options.maxFiles !== undefined ? { maxFiles: this.options.maxFiles } : {}),
      ...(this.options.debounceMs !== undefined ? { debounceMs: this.options.debounceMs } : {}),
      ...(this.options.bufferDebounceMs !== undefined ? { bufferDebounceMs: this.options.bufferDebounceMs } : {}),
      ...(this.options.embedder ? { embedder: this.status() } : {}),
    };
    let worker: Worker;
    let failure: string | undefined;
    try {
      // From the sources, the worker loads tsx itself: a worker does not take the loader hooks of the thread that starts it.
      worker = this.script.endsWith('.ts') ? new Worker(`require('tsx/cjs');require(${JSON.stringify(this.script)});`, { eval: true, workerData: data }) : new Worker(this.script, { workerData: data });
    } catch (error) {
      this.crashed(`it could not start: ${errorMessage(error)}`);
      return;
    }
    this.worker = worker;
    this.sentStatus = data.embedder ? JSON.stringify(data.embedder) : '';
    worker.on('message', (message: unknown) => {
      if (worker === this.worker) this.receive(message);
    });
    worker.on('error', (error) => (failure = errorMessage(error)));
    worker.on('exit', (code) => {
      if (worker === this.worker) this.crashed(failure ?? `exit code ${code}`);
    });
    // The service's connection keeps the process alive; an idle index must not (after the listeners: adding one refs the worker again).
    worker.unref();
    this.options.onWorker?.(worker);
  }

  /** The worker died: what waited for it is answered, and a new one starts (or the index is given up). */
  private crashed(reason: string): void {
    this.worker = undefined;
    if (this.disposed) {
      this.endAll('The codebase index is closed.');
      return;
    }
    const now = Date.now();
    this.restarts = this.restarts.filter((at) => now - at < RESTART_WINDOW_MS);
    const again = this.restarts.length < (this.options.maxRestarts ?? DEFAULT_MAX_RESTARTS);
    this.options.onLog?.(`Codebase index: its worker thread stopped (${reason}); ${again ? 'starting it again' : 'the index is unavailable until the service restarts'}.`);
    this.endAll(`The codebase index stopped (${reason}); ${again ? 'it is starting again, ask again in a moment' : 'it is unavailable until the service restarts'}.`);
    if (!again) {
      this.givenUp = `the codebase index is unavailable: its worker thread stopped ${this.restarts.length + 1} times in a minute (last: ${reason})`;
      this.last = { state: 'failed', files: 0, chunks: 0, message: this.givenUp };
      this.options.onState?.(this.state());
      return;
    }
    this.restarts.push(now);
    this.spawn();
    if (!this.worker) return;
    // The new worker picks up where the last one was: the stored index, the same folders and open buffers.
    if (this.roots) this.post({ kind: 'setRoots', id: this.nextId++, roots: this.roots });
    for (const [file, text] of this.buffers) this.post({ kind: 'bufferChanged', path: file, text });
  }

  /** Searches in flight end with `message`; other requests (setRoots, idle, dispose) end quietly. */
  private endAll(message: string): void {
    for (const waiter of [...this.pending.values()]) {
      if (waiter.search) waiter.reject(new Error(message));
      else waiter.resolve(undefined);
    }
    this.pending.clear();
    for (const controller of this.embedding.values()) controller.abort();
    this.embedding.clear();
  }

  private request(message: (id: number) => ToWorker, options: { search?: boolean; hungAfterMs?: number } = {}): Promise<SearchCodebaseResult | undefined> {
    const search = options.search === true;
    if (!this.worker) {
      if (search) return Promise.reject(new Error(this.givenUp ? `${this.givenUp[0]?.toUpperCase()}${this.givenUp.slice(1)}.` : 'The codebase index is closed.'));
      return Promise.resolve(undefined);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clearTimeout(timer);
        this.pending.delete(id);
      };
      this.pending.set(id, {
        search,
        resolve: (result) => {
          done();
          resolve(result);
        },
        reject: (error) => {
          done();
          reject(error);
        },
        done,
      });
      if (options.hungAfterMs !== undefined) {
        const worker = this.worker;
        timer = setTimeout(() => {
          if (worker !== this.worker || !worker) return;
          // Taken for dead: ended here, and its exit is not waited for (it may never come from a busy thread).
          this.worker = undefined;
          void worker.terminate();
          this.crashed(`it did not answer a search within ${Math.round((options.hungAfterMs ?? 0) / 1000)} s`);
        }, options.hungAfterMs);
        timer.unref?.();
      }
      this.post(message(id));
    });
  }

  private post(message: ToWorker): void {
    try {
      this.worker?.postMessage(message);
    } catch (error) {
      this.options.onLog?.(`Codebase index: could not reach its worker thread: ${errorMessage(error)}`);
    }
  }

  private receive(message: unknown): void {
    if (!isFromWorker(message)) {
      this.options.onLog?.('Codebase index: a malformed message from its worker thread was dropped.');
      return;
    }
    switch (message.kind) {
      case 'state':
        this.last = message.state;
        this.options.onState?.(this.state());
        return;
      case 'log':
        this.options.onLog?.(message.message);
        return;
      case 'answer':
        this.pending.get(message.id)?.resolve(message.result);
        return;
      case 'error':
        this.pending.get(message.id)?.reject(new Error(message.message));
        return;
      case 'embedQuery':
      case 'embedMissing':
        this.embed(message);
        return;
      case 'cancelEmbed':
        this.embedding.get(message.id)?.abort();
        this.embedding.delete(message.id);
        return;
    }
  }

  /** Vectors the worker asked for, from the service's embedder (through the data boundary, in the audit trail). */
  private embed(message: Extract<FromWorker, { kind: 'embedQuery' | 'embedMissing' }>): void {
    const embedder = this.options.embedder;
    const controller = new AbortController();
    this.embedding.set(message.id, controller);
    const worker = this.worker;
    const reply = (answer: Omit<Extract<ToWorker, { kind: 'embedded' }>, 'kind' | 'id' | 'status'>): void => {
      this.embedding.delete(message.id);
      if (worker === this.worker) this.post({ kind: 'embedded', id: message.id, status: this.status(), ...answer });
    };
    const work = async (): Promise<void> => {
      if (!embedder) return reply({ done: false });
      if (message.kind === 'embedQuery') {
        const vector = await embedder.embedQuery(message.query, controller.signal);
        return reply(vector ? { vector } : {});
      }
      const store = new VectorStore(message.model);
      const done = await embedder.embedMissing(message.chunks, store, controller.signal);
      reply({ done, vectors: [...store.entries()] });
    };
    work().catch((error: unknown) => {
      this.options.onLog?.(`Codebase index: embedding failed: ${errorMessage(error)}`);
      reply({ done: false });
    });
  }

  private status(): EmbedderStatus {
    const embedder = this.options.embedder;
    const unavailable = embedder?.unavailable;
    return { enabled: embedder?.enabled() === true, model: this.options.embeddingsModel?.() ?? '', ...(unavailable !== undefined ? { unavailable } : {}) };
  }

  /** The embedder's status, when it changed since the worker last heard it (before anything that may embed). */
  private pushStatus(): void {
    if (!this.options.embedder || !this.worker) return;
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.sentStatus) return;
    this.sentStatus = key;
    this.post({ kind: 'embedder', status });
  }
}

/** The index in a worker thread, or undefined when its script is not there (the caller hosts the index itself). */
export function startIndexThread(options: IndexThreadOptions): IndexThread | undefined {
  const script = indexWorkerScript();
  return script ? new IndexThread(script, options) : undefined;
}
