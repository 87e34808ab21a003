/**
 * Embeds chunks (in the background, in batches) and questions for hybrid
 * ranking, when the person turned `tandem.codebase.embeddings` on.
 *
 * Every request goes through the data boundary like any model request: it
 * opens an OutgoingRequest (purpose `embeddings`), so `localOnly` refuses a
 * remote endpoint, a chunk of a file the boundary refuses is never sent (nor
 * embedded), and every text is redacted before it leaves. Each request is
 * a `model.request` event (purpose `embeddings`) in the audit trail: the
 * chunks sent by path, SHA-256 and size. Cancellation reaches the HTTP request.
 *
 * Any failure (the endpoint has no /v1/embeddings, a rate limit, a dropped
 * connection, a malformed answer) turns embeddings off for this session with
 * one log line and a reason the index state carries; search is then lexical,
 * never an error to the person's question.
 */
import type { DataBoundarySettings } from '../../../shared/protocol';
import { embedTexts, EmbeddingsError, type EmbedTexts } from '../../providers/embeddings';
import { contextItem, recordModelRequest } from '../audit/events';
import type { AuditSink } from '../audit/trail';
import type { DataBoundary } from '../dataBoundary';
import { chunkKey, VectorStore } from './vectors';

/** Chunks per request: small enough for local servers' batch limits, few enough requests for a large workspace. */
export const EMBED_BATCH = 64;
/** Characters of a chunk that are embedded (chunks are at most 4,000; models' inputs are limited). */
export const EMBED_MAX_CHARS = 4_000;

export interface EmbeddingsEndpoint {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutSeconds: number;
  dataBoundary?: DataBoundarySettings;
}

export interface EmbedderOptions {
  boundary: DataBoundary;
  /** The endpoint, or undefined when embeddings are off. */
  endpoint: () => EmbeddingsEndpoint | undefined;
  embed?: EmbedTexts;
  onLog?: (message: string) => void;
  /** Where each request is recorded (the service's trail). */
  audit?: AuditSink;
}

export interface ChunkToEmbed {
  /** Workspace-relative or absolute path, as the boundary decides it. */
  file: string;
  text: string;
}

/** What the index uses of an embedder: the service's ChunkEmbedder, or the worker thread's stand-in for it (indexWorker.ts). */
export type IndexEmbedder = Pick<ChunkEmbedder, 'enabled' | 'unavailable' | 'reset' | 'embedMissing' | 'embedQuery'>;

export class ChunkEmbedder {
  /** Why embeddings stopped (the index state shows it); undefined while they work. */
  private failure: string | undefined;

  constructor(private readonly options: EmbedderOptions) {}

  get unavailable(): string | undefined {
    return this.failure;
  }

  /** Asks again after a settings change (another endpoint may have the route). */
  reset(): void {
    this.failure = undefined;
  }

  enabled(): boolean {
    return this.failure === undefined && this.options.endpoint() !== undefined;
  }

  /**
   * Embeds the chunks `store` lacks, batch by batch, into `store`. Returns
   * false when it stopped on a failure (then falls back to lexical) or the
   * signal; what was embedded before stays.
   */
  async embedMissing(chunks: readonly ChunkToEmbed[], store: VectorStore, signal: AbortSignal, onBatch?: () => void): Promise<boolean> {
    const todo = new Map<string, ChunkToEmbed>();
    for (const chunk of chunks) {
      const key = chunkKey(chunk.text);
      if (!store.has(key) && !todo.has(key)) todo.set(key, chunk);
    }
    const entries = [...todo];
    for (let start = 0; start < entries.length; start += EMBED_BATCH) {
      if (signal.aborted) return false;
      const batch = entries.slice(start, start + EMBED_BATCH);
      const vectors = await this.request(batch.map(([, chunk]) => chunk), signal);
      if (!vectors) return false;
      batch.forEach(([key], i) => {
        const vector = vectors[i];
        if (vector) store.set(key, vector);
      });
      onBatch?.();
    }
    return true;
  }

  /** The question's vector, or undefined (embeddings off or failing: rank lexically). */
  async embedQuery(query: string, signal: AbortSignal): Promise<Float32Array | undefined> {
    if (!this.enabled()) return undefined;
    const vectors = await this.request([{ file: '', text: query }], signal);
    const vector = vectors?.[0];
    return vector ? Float32Array.from(vector) : undefined;
  }

  /** One request: vectors in order (undefined for a chunk the boundary refused), or undefined on failure. */
  private async request(chunks: readonly ChunkToEmbed[], signal: AbortSignal): Promise<Array<number[] | undefined> | undefined> {
    const endpoint = this.options.endpoint();
    if (!endpoint || this.failure !== undefined) return undefined;
    const opened = this.options.boundary.open('embeddings', endpoint.baseUrl, endpoint);
    if ('refused' in opened) return this.fail(opened.refused.message);
    const outgoing = opened;
    const sendable: number[] = [];
    const input: string[] = [];
    for (const [i, chunk] of chunks.entries()) {
      if (chunk.file !== '' && outgoing.refusePath(chunk.file) !== undefined) continue;
      sendable.push(i);
      input.push(await outgoing.text(chunk.text.slice(0, EMBED_MAX_CHARS)));
    }
    if (input.length === 0) return chunks.map(() => undefined);
    const embed = this.options.embed ?? embedTexts;
    const started = Date.now();
    const record = (outcome: 'ok' | 'cancelled' | 'error', error?: string): void => {
      const audit = this.options.audit;
      if (!audit?.active) return;
      recordModelRequest(audit, {
        actor: 'person',
        purpose: 'embeddings',
        model: endpoint.model,
        baseUrl: endpoint.baseUrl,
        // What left: each sent text (after redaction) by digest; a question is `messages`.
        context: sendable.map((index, i) => {
          const file = chunks[index]?.file ?? '';
          return contextItem(file === '' ? 'messages' : 'codebase', file, input[i] ?? '');
        }),
        ...(outgoing.report().redactions.length > 0 ? { redactions: outgoing.report().redactions } : {}),
        totalMs: Date.now() - started,
        attempts: 1,
        outcome: outcome === 'error' ? { outcome, ...(error ? { error } : {}) } : { outcome },
      });
    };
    let vectors: number[][];
    try {
      outgoing.markSent();
      vectors = await embed({ baseUrl: endpoint.baseUrl, apiKey: endpoint.apiKey, model: endpoint.model, input, timeoutSeconds: endpoint.timeoutSeconds }, signal);
    } catch (error) {
      if (signal.aborted) {
        record('cancelled');
        return undefined;
      }
      record('error', error instanceof EmbeddingsError ? error.reason : 'failed');
      return this.fail(error instanceof EmbeddingsError ? error.message : `the embeddings request failed (${error instanceof Error ? error.message : String(error)})`);
    }
    record('ok');
    const out: Array<number[] | undefined> = chunks.map(() => undefined);
    sendable.forEach((index, i) => (out[index] = vectors[i]));
    return out;
  }

  private fail(reason: string): undefined {
    if (this.failure === undefined) {
      this.failure = reason;
      this.options.onLog?.(`Codebase index: embeddings are off for this session, ranking is lexical only: ${reason}.`);
    }
    return undefined;
  }
}
