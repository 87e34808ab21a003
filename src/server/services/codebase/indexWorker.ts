/**
 * The worker thread that hosts the codebase index (indexThread.ts starts
 * it): walking and reading files, chunking, the MiniSearch index, its
 * snapshots and vectors all live here, so their work and their memory (and
 * its garbage collection) never hold up the service's thread, where inline
 * completions are answered. Bundled on its own as dist/indexWorker.js.
 *
 * It answers each request by its id; the embeddings endpoint is the
 * service's (RemoteEmbedder asks it for vectors and waits for the answer).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { errorMessage, isRecord } from '../../../shared/guards';
import { CodebaseIndex } from './codebaseIndex';
import type { ChunkToEmbed, IndexEmbedder } from './embedder';
import { isEmbedderStatus, isToWorker, type EmbedderStatus, type FromWorker, type IndexWorkerData, type ToWorker } from './threadMessages';
import { chunkKey, type VectorStore } from './vectors';
import { lowerThisThreadPriority } from '../../util/threadPriority';

type Embedded = Extract<ToWorker, { kind: 'embedded' }>;

/** The service's embedder seen from the worker: its status as last sent, and vectors asked for by message. */
class RemoteEmbedder implements IndexEmbedder {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: Embedded | undefined) => void>();

  constructor(
    private readonly post: (message: FromWorker) => void,
    public status: EmbedderStatus,
  ) {}

  get unavailable(): string | undefined {
    return this.status.unavailable;
  }

  enabled(): boolean {
    return this.status.enabled;
  }

  /** The service resets its own embedder before it says the settings changed (and sends its status first). */
  reset(): void {}

  async embedQuery(query: string, signal: AbortSignal): Promise<Float32Array | undefined> {
    if (!this.enabled()) return undefined;
    return (await this.ask((id) => ({ kind: 'embedQuery', id, query }), signal))?.vector;
  }

  async embedMissing(chunks: readonly ChunkToEmbed[], store: VectorStore, signal: AbortSignal): Promise<boolean> {
    // Only the chunks without a vector cross over (after a restart, most have one).
    const missing = chunks.filter((chunk) => !store.has(chunkKey(chunk.text)));
    if (missing.length === 0) return true;
    const answer = await this.ask((id) => ({ kind: 'embedMissing', id, model: store.model, chunks: missing }), signal);
    for (const [key, vector] of answer?.vectors ?? []) store.set(key, vector);
    return answer?.done === true;
  }

  /** The service answered (or ended) request `id`. */
  answered(message: Embedded): void {
    this.status = message.status;
    const resolve = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    resolve?.(message);
  }

  /** Every request ends unanswered (the index is closing). */
  endAll(): void {
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
  }

  private ask(message: (id: number) => FromWorker, signal: AbortSignal): Promise<Embedded | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.waiting.delete(id);
        this.post({ kind: 'cancelEmbed', id });
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(id, (answer) => {
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
      });
      this.post(message(id));
    });
  }
}

function start(port: MessagePort, data: IndexWorkerData): void {
  const post = (message: FromWorker): void => port.postMessage(message);
  const embedder = data.embedder ? new RemoteEmbedder(post, data.embedder) : undefined;
  const index = new CodebaseIndex({
    ...(data.storage ? { storage: data.storage } : {}),
    ...(data.maxFiles !== undefined ? { maxFiles: data.maxFiles } : {}),
    ...(data.debounceMs !== undefined ? { debounceMs: data.debounceMs } : {}),
    ...(data.bufferDebounceMs !== undefined ? { bufferDebounceMs: data.bufferDebounceMs } : {}),
    onState: (state) => post({ kind: 'state', state }),
    onLog: (message) => post({ kind: 'log', message }),
    ...(embedder ? { embedder, embeddingsModel: () => embedder.status.model } : {}),
  });
  const searches = new Map<number, AbortController>();

  const answer = (id: number, work: Promise<FromWorker | void>): void => {
    work.then(
      (message) => post(message ?? { kind: 'answer', id }),
      (error: unknown) => post({ kind: 'error', id, message: errorMessage(error) }),
    );
  };

  port.on('message', (message: unknown) => {
    if (!isToWorker(message)) {
      post({ kind: 'log', message: 'Codebase index: the worker dropped a malformed message.' });
      return;
    }
    switch (message.kind) {
      case 'setStorage':
        index.setStorage(message.storage);
        return;
      case 'setRoots':
        answer(message.id, index.setRoots(message.roots));
        return;
      case 'fileChanged':
        index.fileChanged(message.path);
        return;
      case 'bufferChanged':
        index.bufferChanged(message.path, message.text);
        return;
      case 'bufferClosed':
        index.bufferClosed(message.path);
        return;
      case 'embedder':
        if (embedder) embedder.status = message.status;
        return;
      case 'embeddingsChanged':
        index.embeddingsChanged();
        return;
      case 'search': {
        const controller = new AbortController();
        searches.set(message.id, controller);
        const { id } = message;
        const search = index.search(message.params, { signal: controller.signal, ...(message.waitMs !== undefined ? { waitMs: message.waitMs } : {}) });
        answer(
          id,
          search.then((result): FromWorker => ({ kind: 'answer', id, result })).finally(() => searches.delete(id)),
        );
        return;
      }
      case 'cancel':
        searches.get(message.id)?.abort();
        return;
      case 'idle':
        answer(message.id, index.idle());
        return;
      case 'dispose':
        for (const controller of searches.values()) controller.abort();
        embedder?.endAll();
        answer(message.id, index.dispose());
        return;
      case 'embedded':
        embedder?.answered(message);
        return;
    }
  });
}

function main(): void {
  const data: unknown = workerData;
  if (!parentPort || !isRecord(data)) return;
  // Indexing is background work: on a busy machine, completions (the service's thread) come first.
  lowerThisThreadPriority();
  const settings: IndexWorkerData = {
    ...(typeof data.storage === 'string' ? { storage: data.storage } : {}),
    ...(typeof data.maxFiles === 'number' ? { maxFiles: data.maxFiles } : {}),
    ...(typeof data.debounceMs === 'number' ? { debounceMs: data.debounceMs } : {}),
    ...(typeof data.bufferDebounceMs === 'number' ? { bufferDebounceMs: data.bufferDebounceMs } : {}),
    ...(isEmbedderStatus(data.embedder) ? { embedder: data.embedder } : {}),
  };
  start(parentPort, settings);
}

main();
