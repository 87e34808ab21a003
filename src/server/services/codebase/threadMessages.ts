/**
 * The messages between the service's thread and the codebase index's worker
 * thread (indexThread.ts, indexWorker.ts). Each side checks what it receives
 * (a message of another shape is dropped, never trusted), so a mistake on
 * one side shows as an error answer, not as a request that never ends.
 *
 * The worker hosts the whole index (codebaseIndex.ts: walking, chunking,
 * MiniSearch, snapshots, vectors); the embeddings endpoint stays with the
 * service (the data boundary, the audit trail), so the worker asks the
 * service for vectors (`embedQuery`, `embedMissing`).
 */
import type { CodebaseIndexState, SearchCodebaseParams, SearchCodebaseResult } from '../../../shared/codebaseProtocol';
import { isRecord } from '../../../shared/guards';
import type { ChunkToEmbed } from './embedder';

/** What the worker needs to know of the service's embedder (it cannot call it directly). */
export interface EmbedderStatus {
  enabled: boolean;
  unavailable?: string;
  /** The embeddings model (vectors of another model are not used). */
  model: string;
}

/** The worker's start data. */
export interface IndexWorkerData {
  storage?: string;
  maxFiles?: number;
  debounceMs?: number;
  bufferDebounceMs?: number;
  /** Present when the service ranks with embeddings (tandem.codebase.embeddings may still be off). */
  embedder?: EmbedderStatus;
}

/** The service's thread to the worker. Requests carry an id the answer repeats. */
export type ToWorker =
  | { kind: 'setStorage'; storage?: string }
  | { kind: 'setRoots'; id: number; roots: string[] }
  | { kind: 'fileChanged'; path: string }
  | { kind: 'bufferChanged'; path: string; text: string }
  | { kind: 'bufferClosed'; path: string }
  | { kind: 'embedder'; status: EmbedderStatus }
  | { kind: 'embeddingsChanged' }
  | { kind: 'search'; id: number; params: SearchCodebaseParams; waitMs?: number }
  | { kind: 'cancel'; id: number }
  | { kind: 'idle'; id: number }
  | { kind: 'dispose'; id: number }
  | { kind: 'embedded'; id: number; status: EmbedderStatus; vector?: Float32Array; vectors?: Array<[string, Float32Array]>; done?: boolean };

/** The worker to the service's thread. */
export type FromWorker =
  | { kind: 'state'; state: CodebaseIndexState }
  | { kind: 'log'; message: string }
  | { kind: 'answer'; id: number; result?: SearchCodebaseResult }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'embedQuery'; id: number; query: string }
  | { kind: 'embedMissing'; id: number; model: string; chunks: ChunkToEmbed[] }
  | { kind: 'cancelEmbed'; id: number };

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const isText = (value: unknown): value is string => typeof value === 'string';

export function isEmbedderStatus(value: unknown): value is EmbedderStatus {
  return isRecord(value) && typeof value.enabled === 'boolean' && isText(value.model) && (value.unavailable === undefined || isText(value.unavailable));
}

function isSearchParams(value: unknown): value is SearchCodebaseParams {
  return (
    isRecord(value) &&
    isText(value.query) &&
    (value.limit === undefined || typeof value.limit === 'number') &&
    (value.paths === undefined || (Array.isArray(value.paths) && value.paths.every(isText))) &&
    (value.snippets === undefined || typeof value.snippets === 'boolean')
  );
}

function isVectorEntries(value: unknown): value is Array<[string, Float32Array]> {
  return Array.isArray(value) && value.every((entry) => Array.isArray(entry) && entry.length === 2 && isText(entry[0]) && entry[1] instanceof Float32Array);
}

export function isToWorker(value: unknown): value is ToWorker {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'setStorage':
      return value.storage === undefined || isText(value.storage);
    case 'setRoots':
      return isId(value.id) && Array.isArray(value.roots) && value.roots.every(isText);
    case 'fileChanged':
    case 'bufferClosed':
      return isText(value.path);
    case 'bufferChanged':
      return isText(value.path) && isText(value.text);
    case 'embedder':
      return isEmbedderStatus(value.status);
    case 'embeddingsChanged':
      return true;
    case 'search':
      return isId(value.id) && isSearchParams(value.params) && (value.waitMs === undefined || typeof value.waitMs === 'number');
    case 'cancel':
    case 'idle':
    case 'dispose':
      return isId(value.id);
    case 'embedded':
      return (
        isId(value.id) &&
        isEmbedderStatus(value.status) &&
        (value.vector === undefined || value.vector instanceof Float32Array) &&
        (value.vectors === undefined || isVectorEntries(value.vectors)) &&
        (value.done === undefined || typeof value.done === 'boolean')
      );
    default:
      return false;
  }
}

function isState(value: unknown): value is CodebaseIndexState {
  return isRecord(value) && isText(value.state) && typeof value.files === 'number' && typeof value.chunks === 'number';
}

function isResult(value: unknown): value is SearchCodebaseResult {
  return isRecord(value) && Array.isArray(value.results) && value.results.every((result) => isRecord(result) && isText(result.path) && isText(result.uri)) && isState(value.indexState);
}

export function isFromWorker(value: unknown): value is FromWorker {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'state':
      return isState(value.state);
    case 'log':
      return isText(value.message);
    case 'answer':
      return isId(value.id) && (value.result === undefined || isResult(value.result));
    case 'error':
      return isId(value.id) && isText(value.message);
    case 'embedQuery':
      return isId(value.id) && isText(value.query);
    case 'embedMissing':
      return isId(value.id) && isText(value.model) && Array.isArray(value.chunks) && value.chunks.every((chunk) => isRecord(chunk) && isText(chunk.file) && isText(chunk.text));
    case 'cancelEmbed':
      return isId(value.id);
    default:
      return false;
  }
}
