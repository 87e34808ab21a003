/**
 * The lexical index of one workspace folder: its files' chunks (chunker.ts)
 * in a MiniSearch index (BM25+) over three fields: the file's path, the
 * chunk's declaration name and its text, all through terms.ts. A file is
 * read through the workspace boundary when it is indexed, and each hit is
 * decided again when it is returned (ignore files change; a stored index is
 * never trusted to be right about what may be read).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import { readRegularFile, WorkspaceBoundary } from '../../../shared/boundary/boundary';
import { fileGlob } from '../../../shared/boundary/ignore';
import type { GlobMatcher } from '../../../shared/boundary/glob';
import type { CodebaseResult } from '../../../shared/codebaseProtocol';
import type { TimeSlice } from '../../util/timeSlice';
import { chunkFile } from './chunker';
import { fromPlain, toPlainAtOnce, toPlainInSlices, type PlainIndex } from './plainIndex';
import { processTerm, queryTerms, tokenize } from './terms';
import { isIndexablePath, MAX_INDEXED_FILE_BYTES } from './walk';

/** Field weights: a declaration's name says most, then the path, then the words in the code. */
const BOOST = { symbol: 3, path: 2, text: 1 };
/** In an index of at least COMMON_MIN_CHUNKS chunks, a word in more than COMMON_SHARE of them is left out of a query. */
const COMMON_MIN_CHUNKS = 2_000;
const COMMON_SHARE = 0.2;
/** In such an index, only words in fewer chunks than this also match the longer words they start (and typos). */
const RARE_CHUNKS = 5;
/** A snippet shows at most this much of its chunk. */
const MAX_SNIPPET_CHARS = 2_000;
/** Files whose lines are this long on average are generated or minified: not indexed. */
const MAX_AVERAGE_LINE = 250;
/** The modification time stored for a file indexed from an editor buffer: never current, so the disk is read at the next start. */
const BUFFER_MTIME = -1;

interface ChunkDoc {
  id: number;
  file: string;
  start: number;
  end: number;
  symbol: string;
  text: string;
}

export interface IndexedFile {
  mtimeMs: number;
  size: number;
  ids: number[];
}

export interface FolderHit {
  file: string;
  start: number;
  end: number;
  symbol?: string;
  score: number;
}

export const MINISEARCH_OPTIONS: Options<ChunkDoc> = {
  idField: 'id',
  fields: ['path', 'symbol', 'text'],
  storeFields: ['file', 'start', 'end', 'symbol'],
  tokenize,
  processTerm,
  extractField: (doc: ChunkDoc, field: string): string | number => {
    switch (field) {
      case 'path':
        return doc.file.replaceAll('/', ' ');
      case 'file':
      case 'symbol':
      case 'text':
        return doc[field];
      case 'id':
      case 'start':
      case 'end':
        return doc[field];
      default:
        return '';
    }
  },
};

export class FolderIndex {
  readonly uriBase: string;
  private search_: MiniSearch<ChunkDoc>;
  private files = new Map<string, IndexedFile>();
  private nextId = 1;
  /** Open editor buffers indexed in place of the disk, by relative path. */
  private readonly buffers = new Map<string, string>();

  constructor(
    readonly boundary: WorkspaceBoundary,
    restored?: { search: MiniSearch<ChunkDoc>; files: Map<string, IndexedFile>; nextId: number },
  ) {
    this.uriBase = pathToFileURL(boundary.root).href.replace(/\/?$/, '/');
    this.search_ = restored?.search ?? new MiniSearch<ChunkDoc>(MINISEARCH_OPTIONS);
    if (restored) {
      this.files = restored.files;
      this.nextId = restored.nextId;
    }
  }

  get root(): string {
    return this.boundary.root;
  }

  get fileCount(): number {
    return this.files.size;
  }

  get chunkCount(): number {
    return this.search_.documentCount;
  }

  indexedFiles(): ReadonlyMap<string, IndexedFile> {
    return this.files;
  }

  /** Whether `relative` is indexed as it is on disk now (same modification time and size). */
  isCurrent(relative: string, mtimeMs: number, size: number): boolean {
    const known = this.files.get(relative);
    return known !== undefined && known.mtimeMs === mtimeMs && known.size === size;
  }

  /**
   * Indexes `relative` as it is on disk (replacing what was indexed for it),
   * or removes it when the boundary refuses it or it is gone, too large,
   * binary or minified. A file open in an editor is indexed from its buffer
   * instead (the disk is behind it). Returns whether it is indexed now.
   */
  updateFile(relative: string, stat?: { mtimeMs: number; size: number }): boolean {
    const buffered = this.buffers.get(relative);
    if (buffered !== undefined) return this.updateBuffer(relative, buffered);
    this.removeFile(relative);
    const decision = this.boundary.decide(relative, 'read');
    if (decision.action === 'refuse') return false;
    const text = readRegularFile(decision.absolute, MAX_INDEXED_FILE_BYTES);
    if (text === undefined) return false;
    return this.indexText(relative, text, { mtimeMs: stat?.mtimeMs ?? 0, size: stat?.size ?? text.length });
  }

  /**
   * Indexes an open editor buffer's text for `relative` in place of the
   * disk's, until closeBuffer: decided by the boundary like a file on disk
   * (a secret or ignored file is never indexed, whatever its buffer says).
   * Stored with no modification time, so the next start reads the disk.
   */
  updateBuffer(relative: string, text: string): boolean {
    this.removeFile(relative);
    this.buffers.delete(relative);
    if (!isIndexablePath(relative) || this.boundary.decide(relative, 'read').action === 'refuse' || Buffer.byteLength(text) > MAX_INDEXED_FILE_BYTES) return false;
    this.buffers.set(relative, text);
    return this.indexText(relative, text, { mtimeMs: BUFFER_MTIME, size: -1 });
  }

  /** The buffer of `relative` is closed: the disk is the truth again (the caller indexes it from there). */
  closeBuffer(relative: string): boolean {
    return this.buffers.delete(relative);
  }

  /** The text of `relative`'s open buffer as indexed, if it is. */
  bufferText(relative: string): string | undefined {
    return this.buffers.get(relative);
  }

  private indexText(relative: string, text: string, stat: { mtimeMs: number; size: number }): boolean {
    if (text.includes('\0')) return false;
    const lineCount = text.split('\n').length;
    if (text.length / lineCount > MAX_AVERAGE_LINE) return false;
    const ids: number[] = [];
    for (const chunk of chunkFile(relative, text)) {
      const id = this.nextId++;
      ids.push(id);
      this.search_.add({ id, file: relative, start: chunk.startLine, end: chunk.endLine, symbol: chunk.symbol ?? '', text: chunk.text });
    }
    this.files.set(relative, { mtimeMs: stat.mtimeMs, size: stat.size, ids });
    return true;
  }

  /** The chunks indexed for `relative` (lines and names), in order. */
  chunksOf(relative: string): Array<{ start: number; end: number; symbol: string }> {
    return (this.files.get(relative)?.ids ?? []).map((id) => {
      const stored = this.search_.getStoredFields(id) ?? {};
      return { start: Number(stored.start), end: Number(stored.end), symbol: String(stored.symbol ?? '') };
    });
  }

  removeFile(relative: string): boolean {
    const known = this.files.get(relative);
    if (!known) return false;
    for (const id of known.ids) if (this.search_.has(id)) this.search_.discard(id);
    this.files.delete(relative);
    return true;
  }

  /** Files under a removed folder (a folder deleted or renamed reports only itself). */
  removeUnder(folder: string): number {
    const prefix = folder === '' ? '' : `${folder}/`;
    let removed = 0;
    // An open buffer outlives its folder on disk (the editor still shows it).
    for (const file of [...this.files.keys()]) if (file.startsWith(prefix) && !this.buffers.has(file) && this.removeFile(file)) removed++;
    return removed;
  }

  /**
   * Ranked chunks for `query`, at most `limit`, only those the boundary lets
   * be read now. A large index leaves out the query's words that are in a
   * good part of its chunks (BM25 gives them little weight anyway, and
   * scoring them costs a pass over most of the index); when every word is
   * that common, only names and paths are searched.
   */
  search(query: string, limit: number, only?: PathFilter): FolderHit[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    const total = this.search_.documentCount;
    const frequency = new Map(terms.map((term) => [term, documentFrequency(this.search_, term)]));
    const large = total >= COMMON_MIN_CHUNKS;
    const rare = large ? terms.filter((term) => (frequency.get(term) ?? 0) <= total * COMMON_SHARE) : terms;
    const kept = rare.length > 0 ? rare : terms;
    // Expanding a word to every longer word it starts costs a pass over each; a large index does it only for words it barely knows.
    const expand = (term: string): boolean => !large || (frequency.get(term) ?? 0) < RARE_CHUNKS;
    const raw = this.search_.search(kept.join(' '), {
      // The terms are processed already.
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      ...(rare.length > 0 ? {} : { fields: ['symbol', 'path'] }),
      boost: BOOST,
      // Longer words also find their longer forms (`link` → `linkify`); short ones would match too much.
      prefix: (term) => term.length >= 4 && expand(term),
      fuzzy: (term) => (term.length >= 7 && expand(term) ? 0.15 : false),
      weights: { fuzzy: 0.3, prefix: 0.5 },
      ...(only ? { filter: (result: SearchResult) => only(String(result.file)) } : {}),
    });
    const hits: FolderHit[] = [];
    const allowed = new Map<string, boolean>();
    for (const result of raw) {
      const file = String(result.file);
      let ok = allowed.get(file);
      if (ok === undefined) {
        ok = this.files.has(file) && this.boundary.decide(file, 'read').action !== 'refuse';
        allowed.set(file, ok);
      }
      if (!ok) continue;
      const symbol = typeof result.symbol === 'string' && result.symbol ? result.symbol : undefined;
      hits.push({ file, start: Number(result.start), end: Number(result.end), score: result.score, ...(symbol ? { symbol } : {}) });
      if (hits.length >= limit) break;
    }
    return hits;
  }

  /** A hit as the protocol shows it, with its text read now (through the boundary) when asked for. */
  toResult(hit: FolderHit, withSnippet: boolean): CodebaseResult {
    const result: CodebaseResult = {
      path: hit.file,
      uri: this.uriBase + hit.file.split('/').map(encodeURIComponent).join('/'),
      startLine: hit.start,
      endLine: hit.end,
      score: Math.round(hit.score * 1000) / 1000,
      ...(hit.symbol ? { symbol: hit.symbol } : {}),
    };
    if (withSnippet) {
      const decision = this.boundary.decide(hit.file, 'read');
      const text = decision.action === 'refuse' ? undefined : (this.buffers.get(hit.file) ?? readRegularFile(decision.absolute, MAX_INDEXED_FILE_BYTES));
      if (text !== undefined) {
        const lines = text.split('\n');
        const end = Math.min(lines.length, hit.end);
        result.startLine = Math.min(hit.start, end);
        result.endLine = end;
        const snippet = lines.slice(result.startLine - 1, end).join('\n');
        result.snippet = snippet.length > MAX_SNIPPET_CHARS ? `${snippet.slice(0, MAX_SNIPPET_CHARS)}\n[…]` : snippet;
      }
    }
    return result;
  }

  /**
   * The index as plain data for the stored index, made in time slices
   * (plainIndex.ts) once discarded chunks are dropped; when MiniSearch's
   * internals are not as expected, in one pass if it has at most
   * `atOnceMax` chunks, else undefined (not stored).
   */
  async toPlain(slice: TimeSlice, atOnceMax: number): Promise<{ plain: PlainIndex; files: Array<[string, number, number, number[]]>; nextId: number } | undefined> {
    // A search drops postings of discarded chunks as it meets them: none may be left while the term tree is read in slices.
    while (this.search_.dirtCount > 0) await this.search_.vacuum({ batchSize: 500, batchWait: 0 });
    const plain = (await toPlainInSlices(this.search_, slice)) ?? (this.chunkCount <= atOnceMax ? toPlainAtOnce(this.search_) : undefined);
    if (!plain) return undefined;
    const files: Array<[string, number, number, number[]]> = [];
    for (const [file, entry] of this.files) {
      files.push([file, entry.mtimeMs, entry.size, entry.ids]);
      if ((files.length & 255) === 0 && slice.due()) await slice.handBack();
    }
    return { plain, files, nextId: this.nextId };
  }

  /** The same index under a fresh boundary (the ignore rules changed); files it now refuses go at the next walk. */
  withBoundary(boundary: WorkspaceBoundary): FolderIndex {
    const next = new FolderIndex(boundary, { search: this.search_, files: this.files, nextId: this.nextId });
    for (const [file, text] of this.buffers) next.buffers.set(file, text);
    return next;
  }

  static async restore(boundary: WorkspaceBoundary, plain: PlainIndex, files: Map<string, IndexedFile>, nextId: number): Promise<FolderIndex> {
    const search = await fromPlain<ChunkDoc>(plain, MINISEARCH_OPTIONS);
    return new FolderIndex(boundary, { search, files, nextId });
  }
}

/**
 * How many chunks hold `term` (in any one field). MiniSearch 7 has no public
 * way to ask; its term index is read when it has the expected shape, and
 * every term counts as rare when it does not (the search is then only slower).
 */
function documentFrequency(search: MiniSearch<ChunkDoc>, term: string): number {
  const index: unknown = (search as unknown as { _index?: unknown })._index;
  if (typeof index !== 'object' || index === null || typeof (index as { get?: unknown }).get !== 'function') return 0;
  const fields: unknown = (index as { get(key: string): unknown }).get(term);
  if (!(fields instanceof Map)) return 0;
  let most = 0;
  for (const docs of fields.values()) if (docs instanceof Map && docs.size > most) most = docs.size;
  return most;
}

/** Which files a search may return (relative paths). */
export type PathFilter = (relative: string) => boolean;

/**
 * A filter from `paths` entries: a glob (`src/**​/*.ts`, `*.md`) or a folder
 * or file (`src/server`, `README.md`). Undefined when there are none.
 */
export function pathFilter(paths: readonly string[] | undefined): PathFilter | undefined {
  const entries = (paths ?? []).map((entry) => entry.trim().replaceAll('\\', '/').replace(/^\.\//, '').replace(/\/+$/, '')).filter((entry) => entry !== '' && entry !== '.');
  if (entries.length === 0) return undefined;
  const tests: PathFilter[] = entries.map((entry) => {
    if (/[*?[{]/.test(entry)) {
      const glob: GlobMatcher = fileGlob(entry);
      return (relative) => glob.test(relative);
    }
    const clean = path.posix.normalize(entry);
    return (relative) => relative === clean || relative.startsWith(`${clean}/`);
  });
  return (relative) => tests.some((test) => test(relative));
}
