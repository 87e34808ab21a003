/**
 * Checks a model file before llama.cpp sees it. llama.cpp rejects most bad
 * files with a bare "Failed to load model", and some (a transformer without
 * its feed-forward length or head count) abort the whole process on an
 * assertion: the service must not die of a bad file, so those are refused
 * here with a sentence that says what is wrong.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../../shared/guards';
import type { EngineModule } from './engineTypes';
import { EmbeddedModelError } from './errors';
import { field } from './resources';

/** Architectures without attention heads or a feed-forward block (state-space and RWKV models). */
const RECURRENT = new Set(['mamba', 'mamba2', 'rwkv6', 'rwkv6qwen2', 'rwkv7', 'arwkv7']);

/** The model's display name: its file name without `.gguf`. */
export function modelName(modelPath: string): string {
  return path.basename(modelPath).replace(/\.gguf$/i, '') || 'model';
}

/** The file's GGUF metadata once it passed every check; else an EmbeddedModelError. */
export async function checkModelFile(modelPath: string, engine: Pick<EngineModule, 'readGgufFileInfo'>): Promise<unknown> {
  const bad = (why: string, cause?: unknown): EmbeddedModelError =>
    new EmbeddedModelError('modelFile', `The model file ${modelPath} ${why}`, cause === undefined ? undefined : { cause });
  let magic: Buffer;
  try {
    const handle = await open(modelPath, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw bad('is not a file.');
      magic = Buffer.alloc(4);
      await handle.read(magic, 0, 4, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof EmbeddedModelError) throw error;
    const code = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
    throw code === 'ENOENT' ? bad('does not exist. Check tandem.embedded.modelPath (or TANDEM_EMBEDDED_MODEL).', error) : bad(`cannot be read: ${errorMessage(error)}`, error);
  }
  if (magic.toString('latin1') !== 'GGUF') throw bad('is not a GGUF model (llama.cpp models end in .gguf).');
  let metadata: unknown;
  try {
    ({ metadata } = await engine.readGgufFileInfo(modelPath, { readTensorInfo: true, logWarnings: false }));
  } catch (error) {
    throw bad(`is not a valid GGUF model (${errorMessage(error)}); it may be incomplete or damaged.`, error);
  }
  const missing = missingKeys(metadata);
  if (missing.length > 0) throw bad(`is not a usable model: its metadata lacks ${missing.join(', ')}.`);
  return metadata;
}

/** Keys llama.cpp needs (and asserts on) that the metadata lacks or holds with a non-numeric value. */
export function missingKeys(metadata: unknown): string[] {
  const arch = field(metadata, ['general', 'architecture']);
  if (typeof arch !== 'string' || arch === '') return ['general.architecture'];
  const numeric = ['context_length', 'embedding_length', 'block_count'];
  if (!RECURRENT.has(arch)) numeric.push('feed_forward_length', 'attention.head_count');
  const missing = numeric.map((key) => `${arch}.${key}`).filter((key) => !isNumeric(field(metadata, key.split('.'))));
  if (typeof field(metadata, ['tokenizer', 'ggml', 'model']) !== 'string') missing.push('tokenizer.ggml.model');
  if (!Array.isArray(field(metadata, ['tokenizer', 'ggml', 'tokens']))) missing.push('tokenizer.ggml.tokens');
  return missing;
}

function isNumeric(value: unknown): boolean {
  // A per-layer array is valid too (some models vary the feed-forward width by layer).
  return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint' || (Array.isArray(value) && value.length > 0);
}
