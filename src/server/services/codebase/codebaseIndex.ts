/**
 * The codebase index of the workspace folders, and the one search every
 * caller uses (`tandem/searchCodebase`, the agent's `search_codebase`).
 *
 * - Built in the background once the folders are known: a stored snapshot
 *   (snapshot.ts) is loaded when it is valid, then the folder is walked
 *   (walk.ts) and each new or changed file is chunked and indexed; files
 *   gone since are dropped. The work hands the event loop back every few
 *   milliseconds (util/timeSlice.ts), so completions and chat never wait.
 * - Kept up to date from file events (created, changed, deleted; a folder
 *   deleted or renamed reports only itself), batched after `debounceMs` of
 *   quiet. A changed `.gitignore` or `.tandemignore` re-decides every file.
 * - Open editor buffers are indexed in place of the disk (their unsaved
 *   text), re-chunked once typing has paused for `bufferDebounceMs`; a closed
 *   buffer gives the file back to the disk. The boundary decides a buffer
 *   like a file: secrets and ignored files are never indexed.
 * - One job at a time (build, batch of changes), in order; a search waits
 *   for the running job up to `waitMs`, then answers from what is indexed
 *   and says the index is still building.
 * - Persisted after a build and after changes settle, when a storage folder
 *   is given; without one (a client that names none) it lives in memory.
 *
 * The service hosts it in a worker thread (indexThread.ts, indexWorker.ts);
 * tests and benchmarks use it directly. Never imports `vscode`: the LSP
 * side is lsp.ts.
 */
import path from 'node:path';
import { WorkspaceBoundary } from '../../../shared/boundary/boundary';
import { CODEBASE_DEFAULT_LIMIT, CODEBASE_MAX_LIMIT, type CodebaseIndexState, type SearchCodebaseParams, type SearchCodebaseResult } from '../../../shared/codebaseProtocol';
import { errorMessage } from '../../../shared/guards';
import type { Foreground } from '../../util/foreground';
import { TimeSlice } from '../../util/timeSlice';
import type { IndexEmbedder } from './embedder';
import { FolderIndex, pathFilter, type FolderHit } from './folderIndex';
import { FolderVectors } from './folderVectors';
import { FUSION_DEPTH, fuseHits } from './hybrid';
import { loadSnapshot, saveSnapshot } from './snapshot';
import { isIndexableName, statOf, walkFolder, type FoundFile } from './walk';

/** At most this many files per workspace folder are indexed (the state says when more were left out). */
export const MAX_INDEXED_FILES = 50_000;
const DEFAULT_DEBOUNCE_MS = 300;
/** A buffer being typed into is chunked again once typing has paused this long. */
const DEFAULT_BUFFER_DEBOUNCE_MS = 500;
const DEFAULT_WAIT_MS = 10_000;
/** Progress is reported at most this often. */
const PROGRESS_EVERY_MS = 250;
/** The snapshot is written once changes have been quiet this long. */
const SAVE_AFTER_MS = 5_000;
/**
 * The index's work runs this long before it hands the event loop back: a
 * request that arrives meanwhile waits for the rest of the slice (shorter
 * than the service's usual 10 ms: completions are measured against it,
 * `bench:context`).
 */
export const INDEX_SLICE_MS = 3;
/** While a completion is in flight the index waits for it, at most this long at a time (it is not starved). */
const GIVE_WAY_MAX_MS = 500;

export interface CodebaseIndexOptions {
  /** The storage folder for snapshots; none: memory only. */
  storage?: string;
  maxFiles?: number;
  debounceMs?: number;
  bufferDebounceMs?: number;
  /** Each change of state (building with progress, ready, failed). */
  onState?: (state: CodebaseIndexState) => void;
  onLog?: (message: string) => void;
  /** Hybrid ranking (tandem.codebase.embeddings): chunks embedded in the background after each build and batch of changes. */
  embedder?: IndexEmbedder;
  /** The embeddings model (vectors of another model are not used). */
  embeddingsModel?: () => string;
  /** Work a person waits for (inline completions): the index gives way to it. */
  foreground?: Foreground;
}

export interface SearchOptions {
  signal?: AbortSignal;
  /** How long to wait for a running build before answering from what is indexed (default 10 s). */
  waitMs?: number;
}

/** A hit with the folder it came from. */
export interface CodebaseHit extends FolderHit {
  folder: FolderIndex;
}

/**
 * What the service and its features use of the index: CodebaseIndex itself
 * (tests, benchmarks, no worker script), or the index hosted in a worker
 * thread (indexThread.ts).
 */
export interface CodebaseService {
  setRoots(roots: readonly string[]): Promise<void>;
  setStorage(storage: string | undefined): void;
  state(): CodebaseIndexState;
  idle(): Promise<void>;
  fileChanged(absolute: string): void;
  bufferChanged(absolute: string, text: string): void;
  bufferClosed(absolute: string): void;
  search(params: SearchCodebaseParams, options?: SearchOptions): Promise<SearchCodebaseResult>;
  embeddingsChanged(): void;
  dispose(): Promise<void>;
}

/** What the agent's search_codebase tool asks of the index. */
export type CodebaseSearch = Pick<CodebaseService, 'search'>;

export class CodebaseIndex implements CodebaseService {
  private folders: FolderIndex[] = [];
  private roots: string[] = [];
  private queue: Promise<void> = Promise.resolve();
  /** The queue up to its last job that changes the index (what a search waits for; storing does not count). */
  private changed: Promise<void> = Promise.resolve();
  private phase: CodebaseIndexState['state'] = 'idle';
  private progress: { done: number; total: number } | undefined;
  private message: string | undefined;
  private controller = new AbortController();
  private pending = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private dirty = new Set<FolderIndex>();
  private disposed = false;
  /** Open editor buffers by absolute path (their latest text), and those changed or closed since they were last indexed. */
  private readonly buffers = new Map<string, string>();
  private readonly buffersPending = new Set<string>();
  private bufferTimer: NodeJS.Timeout | undefined;
  /** By folder root: a folder's index object is replaced when its boundary is. */
  private readonly vectors = new Map<string, FolderVectors>();
  /** Embedding runs beside the queue: a search waits for a build, never for embeddings (it ranks lexically meanwhile). */
  private embedding: Promise<void> = Promise.resolve();

  constructor(private readonly options: CodebaseIndexOptions = {}) {}

  /** Sets the workspace folders (paths) and starts building their index in the background. */
  setRoots(roots: readonly string[]): Promise<void> {
    this.controller.abort();
    this.controller = new AbortController();
    const resolved = roots.map((root) => path.resolve(root));
    // A folder that stays keeps its index (the walk brings it up to date).
    this.folders = this.folders.filter((folder) => resolved.includes(folder.root));
    this.roots = resolved;
    this.pending.clear();
    void this.enqueue((signal) => this.build(signal));
    // Stored as a job of its own: a search waits for the build, not for the store (long for a large workspace).
    return this.enqueue(() => this.save(), false);
  }

  /** Where snapshots go from now on (the extension's storage). */
  setStorage(storage: string | undefined): void {
    this.options.storage = storage;
  }

  state(): CodebaseIndexState {
    const files = this.folders.reduce((sum, folder) => sum + folder.fileCount, 0);
    const chunks = this.folders.reduce((sum, folder) => sum + folder.chunkCount, 0);
    const embedder = this.options.embedder;
    const hybrid = embedder?.enabled() === true && this.folders.some((folder) => this.vectors.get(folder.root)?.complete === true);
    const ranking = embedder ? { ranking: hybrid ? ('hybrid' as const) : ('lexical' as const), ...(embedder.unavailable ? { embeddings: embedder.unavailable } : {}) } : {};
    return { state: this.phase, files, chunks, ...(this.progress ? { progress: { ...this.progress } } : {}), ...(this.message ? { message: this.message } : {}), ...ranking };
  }

  /** Resolves once every job queued so far (build, changes) is done. */
  async idle(): Promise<void> {
    // A job may queue another (a closed buffer's file read from the disk again): wait until none is left.
    for (;;) {
      this.flushBuffers();
      this.flushChanges();
      const queue = this.queue;
      await queue;
      if (queue === this.queue && this.pending.size === 0 && this.buffersPending.size === 0) break;
    }
    await this.embedding;
  }

  /** A file or folder changed, was created or deleted (absolute path); handled after a quiet moment. */
  fileChanged(absolute: string): void {
    if (this.disposed) return;
    this.pending.add(path.resolve(absolute));
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.flushChanges(), this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    this.debounce.unref?.();
  }

  /** An editor opened or changed a buffer (absolute path, its whole text): indexed in place of the disk once typing pauses. */
  bufferChanged(absolute: string, text: string): void {
    if (this.disposed) return;
    const file = path.resolve(absolute);
    this.buffers.set(file, text);
    this.buffersPending.add(file);
    if (this.bufferTimer) clearTimeout(this.bufferTimer);
    this.bufferTimer = setTimeout(() => this.flushBuffers(), this.options.bufferDebounceMs ?? DEFAULT_BUFFER_DEBOUNCE_MS);
    this.bufferTimer.unref?.();
  }

  /** An editor closed a buffer: the file is indexed from the disk again. */
  bufferClosed(absolute: string): void {
    if (this.disposed) return;
    const file = path.resolve(absolute);
    if (!this.buffers.delete(file)) return;
    this.buffersPending.add(file);
    this.flushBuffers();
  }

  async search(params: SearchCodebaseParams, options: SearchOptions = {}): Promise<SearchCodebaseResult> {
    this.flushBuffers();
    this.flushChanges();
    await this.waitForJobs(options.waitMs ?? DEFAULT_WAIT_MS, options.signal);
    const limit = Math.max(1, Math.min(CODEBASE_MAX_LIMIT, Math.floor(params.limit ?? CODEBASE_DEFAULT_LIMIT)));
    const hits = (await this.hybridHits(params.query, limit, params.paths, options.signal)) ?? this.hits(params.query, limit, params.paths);
    const withSnippets = params.snippets !== false;
    return { results: hits.map((hit) => hit.folder.toResult(hit, withSnippets)), indexState: this.state() };
  }

  /** The best chunks over every folder, best first. */
  hits(query: string, limit: number, paths?: readonly string[]): CodebaseHit[] {
    const only = pathFilter(paths);
    const all: CodebaseHit[] = [];
    for (const folder of this.folders) for (const hit of folder.search(query, limit, only)) all.push({ ...hit, folder });
    return all.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** The embeddings settings changed (turned on, another model or endpoint): embed what lacks a vector, in the background. */
  embeddingsChanged(): void {
    if (this.disposed) return;
    this.options.embedder?.reset();
    this.embedLater(this.controller.signal);
  }

  /** Lexical and vector hits fused, or undefined when there are no vectors to use (embeddings off, failing, not built yet, cancelled). */
  private async hybridHits(query: string, limit: number, paths: readonly string[] | undefined, signal: AbortSignal | undefined): Promise<CodebaseHit[] | undefined> {
    const embedder = this.options.embedder;
    if (!embedder?.enabled()) return undefined;
    const ready = this.folders.filter((folder) => this.vectors.get(folder.root)?.complete === true);
    if (ready.length === 0) return undefined;
    const vector = await embedder.embedQuery(query, signal ?? new AbortController().signal);
    if (!vector) return undefined;
    const only = pathFilter(paths);
    const near: CodebaseHit[] = [];
    for (const folder of ready) for (const hit of this.vectors.get(folder.root)?.hits(vector, FUSION_DEPTH, only) ?? []) near.push({ ...hit, folder });
    near.sort((a, b) => b.score - a.score);
    // Two folders may hold the same relative path: the fusion key includes the folder.
    const keyed = (hits: CodebaseHit[]) => hits.map((hit) => ({ ...hit, file: `${hit.folder.root}\u0000${hit.file}`, original: hit.file }));
    const fused = fuseHits(keyed(this.hits(query, FUSION_DEPTH, paths)), keyed(near), limit);
    return fused.map(({ original, ...hit }) => ({ ...hit, file: original }));
  }

  private embedLater(signal: AbortSignal): void {
    if (!this.options.embedder?.enabled()) return;
    this.embedding = this.embedding.then(() => this.embed(signal)).catch((error: unknown) => this.options.onLog?.(`Codebase index: embedding stopped: ${errorMessage(error)}`));
  }

  /** Embeds the chunks that lack a vector, folder by folder; a failure leaves lexical ranking (the embedder logs it once). */
  private async embed(signal: AbortSignal): Promise<void> {
    const embedder = this.options.embedder;
    if (!embedder?.enabled()) return;
    const model = this.options.embeddingsModel?.() ?? '';
    for (const folder of this.folders) {
      if (signal.aborted) return;
      let vectors = this.vectors.get(folder.root);
      if (!vectors || vectors.model !== model) {
        vectors = await FolderVectors.open(folder, model, this.options.storage, this.options.onLog);
        this.vectors.set(folder.root, vectors);
      }
      try {
        if (!(await vectors.refresh(folder, embedder, signal, this.options.storage))) break;
      } catch (error) {
        this.options.onLog?.(`Codebase index: could not store the vectors of ${folder.root}: ${errorMessage(error)}`);
      }
    }
    this.announce();
  }

  /** Stops building, drops pending changes, writes what changed (within a second at most). */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.controller.abort();
    if (this.debounce) clearTimeout(this.debounce);
    if (this.bufferTimer) clearTimeout(this.bufferTimer);
    if (this.saveTimer) clearTimeout(this.saveTimer);
    await Promise.race([Promise.all([this.queue, this.embedding]), new Promise((resolve) => setTimeout(resolve, 1_000).unref?.())]);
  }

  private enqueue(job: (signal: AbortSignal) => Promise<void>, changesIndex = true): Promise<void> {
    const signal = this.controller.signal;
    this.queue = this.queue.then(async () => {
      if (signal.aborted) return;
      try {
        await job(signal);
      } catch (error) {
        this.phase = 'failed';
        this.message = errorMessage(error);
        this.progress = undefined;
        this.options.onLog?.(`Codebase index: ${this.message}`);
        this.announce();
      }
    });
    if (changesIndex) this.changed = this.queue;
    return this.queue;
  }

  private async waitForJobs(waitMs: number, signal: AbortSignal | undefined): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    await Promise.race([
      this.changed,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))),
      new Promise<void>((resolve) => {
        onAbort = resolve;
        signal?.addEventListener('abort', onAbort, { once: true });
        if (signal?.aborted) resolve();
      }),
    ]);
    if (timer) clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }

  private async build(signal: AbortSignal): Promise<void> {
    this.phase = 'building';
    this.message = undefined;
    this.progress = { done: 0, total: 0 };
    this.announce();
    const slice = this.slice();
    const maxFiles = this.options.maxFiles ?? MAX_INDEXED_FILES;
    const folders: FolderIndex[] = [];
    const found: Array<{ folder: FolderIndex; files: FoundFile[] }> = [];
    for (const root of this.roots) {
      const boundary = new WorkspaceBoundary(root, { ignoreFiles: true });
      const folder = await this.restore(boundary);
      folders.push(folder);
      const files: FoundFile[] = [];
      for await (const file of walkFolder(boundary, { maxFiles: maxFiles + 1, signal, slice })) files.push(file);
      if (files.length > maxFiles) {
        files.length = maxFiles;
        this.message = `Only the first ${maxFiles} files of ${root} are indexed.`;
      }
      found.push({ folder, files });
      if (signal.aborted) return;
    }
    // Searches see the folders (restored or growing) from now on.
    this.folders = folders;
    const total = found.reduce((sum, entry) => sum + entry.files.length, 0);
    let done = 0;
    let reported = performance.now();
    this.progress = { done, total };
    this.announce();
    for (const { folder, files } of found) {
      const seen = new Set<string>();
      for (const file of files) {
        if (signal.aborted) return;
        seen.add(file.relative);
        if (!folder.isCurrent(file.relative, file.mtimeMs, file.size)) {
          folder.updateFile(file.relative, file);
          this.dirty.add(folder);
        }
        done++;
        if (slice.due()) {
          await slice.handBack();
          if (performance.now() - reported > PROGRESS_EVERY_MS) {
            reported = performance.now();
            this.progress = { done, total };
            this.announce();
          }
        }
      }
      for (const file of [...folder.indexedFiles().keys()]) {
        // A file open in an editor stays (a new file not saved yet, one deleted under the editor).
        if (!seen.has(file) && folder.bufferText(file) === undefined && folder.removeFile(file)) this.dirty.add(folder);
      }
    }
    // Buffers opened before this folder was indexed (or restored from its snapshot).
    for (const [absolute, text] of this.buffers) {
      const folder = this.folderOf(absolute);
      const relative = folder && toRelative(folder, absolute);
      if (folder && relative && folder.bufferText(relative) !== text) {
        folder.updateBuffer(relative, text);
        this.dirty.add(folder);
      }
    }
    this.phase = 'ready';
    this.progress = undefined;
    this.announce();
    for (const root of [...this.vectors.keys()]) if (!this.roots.includes(root)) this.vectors.delete(root);
    this.embedLater(signal);
  }

  /** A folder's stored index when there is a valid one, else an empty one. */
  private async restore(boundary: WorkspaceBoundary): Promise<FolderIndex> {
    const current = this.folders.find((folder) => folder.root === boundary.root);
    if (current) return current.withBoundary(boundary);
    const storage = this.options.storage;
    if (storage) {
      const loaded = await loadSnapshot(storage, boundary, this.slice());
      if ('index' in loaded) return loaded.index;
      if ('rejected' in loaded) this.options.onLog?.(`Codebase index: the stored index of ${boundary.root} is not used (${loaded.rejected}); indexing it again.`);
    }
    return new FolderIndex(boundary);
  }

  private flushBuffers(): void {
    if (this.bufferTimer) clearTimeout(this.bufferTimer);
    this.bufferTimer = undefined;
    if (this.buffersPending.size === 0 || this.disposed) return;
    const batch = [...this.buffersPending];
    this.buffersPending.clear();
    void this.enqueue((signal) => this.applyBuffers(batch, signal));
  }

  /** Buffers changed (indexed from their latest text) or closed (given back to the disk, through a file event). */
  private async applyBuffers(batch: readonly string[], signal: AbortSignal): Promise<void> {
    const slice = this.slice();
    let changed = false;
    const closed: string[] = [];
    for (const absolute of batch) {
      if (signal.aborted) return;
      if (slice.due()) await slice.handBack();
      const folder = this.folderOf(absolute);
      const relative = folder && toRelative(folder, absolute);
      if (!folder || !relative) continue;
      const text = this.buffers.get(absolute);
      if (text === undefined) {
        if (folder.closeBuffer(relative)) closed.push(absolute);
        continue;
      }
      if (folder.bufferText(relative) === text) continue;
      folder.updateBuffer(relative, text);
      this.dirty.add(folder);
      changed = true;
    }
    // A closed buffer's file is read from the disk again (or dropped when it is not there).
    if (closed.length > 0) await this.applyChanges(closed, signal);
    if (!changed) return;
    this.announce();
    this.scheduleSave();
    this.embedLater(signal);
  }

  private flushChanges(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
    if (this.pending.size === 0 || this.disposed) return;
    const batch = [...this.pending];
    this.pending.clear();
    void this.enqueue((signal) => this.applyChanges(batch, signal));
  }

  private async applyChanges(batch: readonly string[], signal: AbortSignal): Promise<void> {
    const slice = this.slice();
    let rules = false;
    for (const absolute of batch) {
      if (signal.aborted) return;
      if (slice.due()) await slice.handBack();
      const folder = this.folderOf(absolute);
      // A file open in an editor follows its buffer, not the disk.
      if (!folder || this.buffers.has(absolute)) continue;
      const relative = toRelative(folder, absolute) ?? '';
      const name = relative.slice(relative.lastIndexOf('/') + 1);
      if (name === '.gitignore' || name === '.tandemignore') {
        rules = true;
        continue;
      }
      const stat = await statOf(absolute);
      if (stat?.isDirectory()) {
        if (folder.boundary.isIgnored(relative, true)) continue;
        for await (const file of walkFolder(folder.boundary, { maxFiles: MAX_INDEXED_FILES, signal, under: relative, slice })) {
          if (!folder.isCurrent(file.relative, file.mtimeMs, file.size)) folder.updateFile(file.relative, file);
        }
      } else if (stat?.isFile() && isIndexableName(relative) && !folder.boundary.isIgnored(relative)) {
        folder.updateFile(relative, stat);
      } else if (!folder.removeFile(relative)) {
        folder.removeUnder(relative);
      }
      this.dirty.add(folder);
    }
    this.announce();
    // The ignore rules changed: every file is decided again under fresh rules (the snapshot keeps unchanged files' chunks).
    if (rules) await this.build(signal);
    else this.embedLater(signal);
    this.scheduleSave();
  }

  /** The folder whose index holds `absolute` (the innermost one), if any. */
  folderOf(absolute: string): FolderIndex | undefined {
    let best: FolderIndex | undefined;
    for (const folder of this.folders) {
      const relative = path.relative(folder.root, absolute);
      if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) continue;
      if (!best || folder.root.length > best.root.length) best = folder;
    }
    return best;
  }

  private scheduleSave(): void {
    if (!this.options.storage) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.enqueue(() => this.save(), false), SAVE_AFTER_MS);
    this.saveTimer.unref?.();
  }

  private async save(): Promise<void> {
    const storage = this.options.storage;
    if (!storage) return;
    for (const folder of [...this.dirty]) {
      this.dirty.delete(folder);
      try {
        const bytes = await saveSnapshot(storage, folder, this.slice());
        if (bytes === 0) this.options.onLog?.(`Codebase index: the index of ${folder.root} is too large to store; it is kept in memory.`);
      } catch (error) {
        this.options.onLog?.(`Codebase index: could not store the index of ${folder.root}: ${errorMessage(error)}`);
      }
    }
  }

  /** A fresh time slice for the index's work: short, and giving way to completions in flight. */
  private slice(): TimeSlice {
    const foreground = this.options.foreground;
    return new TimeSlice(INDEX_SLICE_MS, foreground ? () => foreground.quiet(GIVE_WAY_MAX_MS) : undefined);
  }

  private announce(): void {
    this.options.onState?.(this.state());
  }
}

/** `absolute` relative to the folder, '/'-separated; undefined for the folder itself. */
function toRelative(folder: FolderIndex, absolute: string): string | undefined {
  const relative = path.relative(folder.root, absolute).split(path.sep).join('/');
  return relative === '' || relative.startsWith('../') ? undefined : relative;
}
