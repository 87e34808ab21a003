/**
 * How much of the machine the built-in model takes: threads from the cores
 * and a context size from free memory and the model's trained context. Pure.
 */

/** Above this, a bigger context costs memory and prompt time without helping a coding assistant much. */
export const MAX_CONTEXT_TOKENS = 8192;
/** The smallest context worth loading: a chat prompt with some code. */
export const MIN_CONTEXT_TOKENS = 512;
/** Share of free memory the KV cache may take. */
export const MEMORY_SHARE = 0.25;
/** Sequences in the context: one for answers (chat, edits, agent), one for inline suggestions. */
export const SEQUENCES = 2;

/**
 * Threads for generation. llama.cpp's default (at least 4) on a 2-core
 * machine makes generation hundreds of times slower (threads wait on each
 * other and on the editor); one core stays for the editor and the service.
 */
export function chooseThreads(cores: number, override?: number): number {
  if (override !== undefined && Number.isInteger(override) && override > 0) return override;
  if (!Number.isFinite(cores) || cores <= 2) return 1;
  return Math.min(8, Math.floor(cores) - 1);
}

export interface ModelShape {
  /** The context the model was trained with. */
  trainContextSize: number;
  layers: number;
  /** Width of the keys (and values) per token per layer: head dimension × KV heads. */
  kvWidth: number;
}

/** Bytes of KV cache one token takes in every sequence (F16 keys and values). */
export function kvBytesPerToken(shape: ModelShape): number {
  return 2 * 2 * shape.layers * shape.kvWidth * SEQUENCES;
}

/**
 * Context tokens: as many as a quarter of free memory holds, at most the
 * trained context and MAX_CONTEXT_TOKENS, at least MIN_CONTEXT_TOKENS (or
 * the trained context when that is smaller), in steps of 256.
 */
export function chooseContextSize(shape: ModelShape, freeMemoryBytes: number): number {
  const trained = shape.trainContextSize > 0 ? shape.trainContextSize : MAX_CONTEXT_TOKENS;
  const ceiling = Math.min(trained, MAX_CONTEXT_TOKENS);
  const perToken = Math.max(1, kvBytesPerToken(shape));
  const fits = Math.floor((Math.max(0, freeMemoryBytes) * MEMORY_SHARE) / perToken);
  const floor = Math.min(MIN_CONTEXT_TOKENS, ceiling);
  const chosen = Math.max(floor, Math.min(ceiling, fits));
  return chosen >= 256 && chosen !== ceiling ? Math.floor(chosen / 256) * 256 : chosen;
}

/** The model's shape from its GGUF metadata (`<arch>.block_count` and so on); undefined when it is not there. */
export function modelShape(metadata: unknown, trainContextSize: number): ModelShape | undefined {
  const arch = field(metadata, ['general', 'architecture']);
  if (typeof arch !== 'string') return undefined;
  const layers = num(field(metadata, [arch, 'block_count']));
  const embedding = num(field(metadata, [arch, 'embedding_length']));
  const heads = num(field(metadata, [arch, 'attention', 'head_count']));
  const kvHeads = num(field(metadata, [arch, 'attention', 'head_count_kv'])) ?? heads;
  if (!layers || !embedding || !heads || !kvHeads) return undefined;
  return { trainContextSize, layers, kvWidth: (embedding / heads) * kvHeads };
}

/** A nested metadata value (node-llama-cpp nests `a.b.c` as objects). */
export function field(metadata: unknown, path: readonly string[]): unknown {
  let value: unknown = metadata;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = Reflect.get(value, key);
  }
  return value;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}
