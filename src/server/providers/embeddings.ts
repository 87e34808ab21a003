import { APIError } from 'openai';
import { createClient } from './client';

export interface EmbeddingsRequest {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Already through the data boundary (redacted; no refused files' text). */
  input: readonly string[];
  /** Time allowed until the response headers arrive. */
  timeoutSeconds: number;
}

/** Why embeddings are not available; `unsupported` (404/405/501) is not worth asking again this session. */
export class EmbeddingsError extends Error {
  constructor(
    message: string,
    readonly reason: 'unsupported' | 'rateLimited' | 'failed' | 'malformed',
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmbeddingsError';
  }
}

export type EmbedTexts = (request: EmbeddingsRequest, signal: AbortSignal) => Promise<number[][]>;

/**
 * One `/v1/embeddings` request: a vector per input, in input order. Aborting
 * `signal` closes the HTTP connection (the SDK passes it to fetch). Every
 * failure is an EmbeddingsError, except cancellation, which is the abort
 * reason (or an AbortError) as it is for chat.
 */
export const embedTexts: EmbedTexts = async (request, signal) => {
  const client = createClient({ baseUrl: request.baseUrl, apiKey: request.apiKey, timeoutMs: request.timeoutSeconds * 1000 });
  let data: unknown;
  try {
    // Floats, not base64: every OpenAI-compatible server speaks floats; the SDK would ask for base64 otherwise.
    const response = await client.embeddings.create({ model: request.model, input: [...request.input], encoding_format: 'float' }, { signal });
    data = response.data;
  } catch (error) {
    if (signal.aborted) throw error;
    if (error instanceof APIError && error.status !== undefined) {
      const status = error.status;
      const reason = status === 404 || status === 405 || status === 501 ? 'unsupported' : status === 429 ? 'rateLimited' : 'failed';
      throw new EmbeddingsError(`the endpoint answered ${status} to /embeddings`, reason, status);
    }
    throw new EmbeddingsError(`the embeddings request failed (${error instanceof Error ? error.message : String(error)})`, 'failed');
  }
  return parseEmbeddings(data, request.input.length);
};

/** The vectors of `{data: [{index, embedding}]}` in input order, all of one dimension, or an EmbeddingsError. */
export function parseEmbeddings(data: unknown, count: number): number[][] {
  if (!Array.isArray(data) || data.length !== count) throw new EmbeddingsError('the endpoint answered with the wrong number of embeddings', 'malformed');
  const vectors: Array<number[] | undefined> = new Array<number[] | undefined>(count).fill(undefined);
  data.forEach((entry: unknown, position) => {
    const index: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'index') : undefined;
    const embedding: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'embedding') : undefined;
    const at = typeof index === 'number' ? index : position;
    if (!Number.isSafeInteger(at) || at < 0 || at >= count || vectors[at] !== undefined) throw new EmbeddingsError('the endpoint answered with malformed embeddings', 'malformed');
    if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new EmbeddingsError('the endpoint answered with malformed embeddings', 'malformed');
    vectors[at] = embedding as number[];
  });
  const dims = vectors[0]?.length;
  if (!vectors.every((vector) => vector?.length === dims)) throw new EmbeddingsError('the endpoint answered with embeddings of different dimensions', 'malformed');
  return vectors as number[][];
}
