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
import type { EngineModule, GgufTensor } from './engineTypes';
import { EmbeddedModelError } from './errors';
import { field } from './resources';

/** Architectures without attention heads or a feed-forward block (state-space and RWKV models). */
const RECURRENT = new Set(['mamba', 'mamba2', 'rwkv6', 'rwkv6qwen2', 'rwkv7', 'arwkv7']);

/** Bytes per block and values per block of the tensor types GGUF models use (ggml's type numbers); others are not sized. */
const TYPE_SIZES: ReadonlyMap<number, readonly [bytes: number, values: number]> = new Map([
  [0, [4, 1]], // F32
  [1, [2, 1]], // F16
  [2, [18, 32]], // Q4_0
  [3, [20, 32]], // Q4_1
  [6, [22, 32]], // Q5_0
  [7, [24, 32]], // Q5_1
  [8, [34, 32]], // Q8_0
  [10, [84, 256]], // Q2_K
  [11, [110, 256]], // Q3_K
  [12, [144, 256]], // Q4_K
  [13, [176, 256]], // Q5_K
  [14, [210, 256]], // Q6_K
  [30, [2, 1]], // BF16
]);

/** The model's display name: its file name without `.gguf`. */
export function modelName(modelPath: string): string {
  return path.basename(modelPath).replace(/\.gguf$/i, '') || 'model';
}

/** The file's GGUF metadata once it passed every check; else an EmbeddedModelError. */
export async function checkModelFile(modelPath: string, engine: Pick<EngineModule, 'readGgufFileInfo'>): Promise<unknown> {
  const bad = (why: string, cause?: unknown): EmbeddedModelError =>
    new EmbeddedModelError('modelFile', `The model file ${modelPath} ${why}`, cause === undefined ? undefined : { cause });
  let magic: Buffer;
  let size: number;
  try {
    const handle = await open(modelPath, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw bad('is not a file.');
      size = stat.size;
      magic = Buffer.alloc(8);
      await handle.read(magic, 0, 8, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof EmbeddedModelError) throw error;
    const code = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
    throw code === 'ENOENT' ? bad('does not exist. Check tandem.embedded.modelPath (or TANDEM_EMBEDDED_MODEL).', error) : bad(`cannot be read: ${errorMessage(error)}`, error);
  }
  if (magic.toString('latin1', 0, 4) !== 'GGUF') throw bad('is not a GGUF model (llama.cpp models end in .gguf).');
  const version = magic.readUInt32LE(4);
  if (version < 2 || version > 3) throw bad(`is a GGUF file of version ${version}; llama.cpp reads versions 2 and 3.`);
  let metadata: unknown;
  let tensors: readonly GgufTensor[];
  try {
    ({ metadata, tensorInfo: tensors = [] } = await engine.readGgufFileInfo(modelPath, { readTensorInfo: true, logWarnings: false }));
  } catch (error) {
    throw bad(`is not a valid GGUF model (${errorMessage(error)}); it may be incomplete or damaged.`, error);
  }
  // The header reader does not notice a file that ends early (it reads zeros): the tensors must be there.
  if (tensors.length === 0 || tensors.some((tensor) => tensor.name === '')) throw bad('is not a valid GGUF model (its tensor list is empty or damaged); it may be incomplete.');
  const needed = dataEnd(tensors);
  if (size < needed) throw bad(`is incomplete: it has ${size} bytes of the ${needed} its header describes (an interrupted download?).`);
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

/** Where the last tensor's data ends (for the types sized above; others count from their start). */
export function dataEnd(tensors: readonly GgufTensor[]): number {
  let end = 0;
  for (const tensor of tensors) {
    const start = Number(tensor.fileOffset);
    const type = TYPE_SIZES.get(tensor.ggmlType);
    const values = tensor.dimensions.reduce<number>((product, dimension) => product * Number(dimension), 1);
    end = Math.max(end, start + (type ? Math.ceil(values / type[1]) * type[0] : 0));
  }
  return end;
}
