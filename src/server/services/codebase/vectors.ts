/**
 * Chunk vectors for hybrid ranking, keyed by a hash of the chunk's text (so
 * an unchanged chunk, even moved or in a renamed file, is not embedded
 * again), stored next to the lexical snapshot: `codebase/<hash>.vectors`.
 *
 * The file is on disk, so it is never trusted: a JSON header line (format,
 * version, model, dimensions, keys, checksum) then the vectors as
 * little-endian Float32, `keys.length * dims` of them. Anything else (another
 * version or model, a wrong dimension, truncated, a checksum mismatch) is
 * ignored and the chunks embedded again. Written to a temporary file and
 * renamed, so a crash leaves the old one.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isRecord } from '../../../shared/guards';

export const VECTORS_FORMAT = 'tandem.codebaseVectors';
export const VECTORS_VERSION = 1;
/** Larger files are not read (about 100,000 chunks of 1,536 dimensions fit). */
export const MAX_VECTORS_BYTES = 640 * 1024 * 1024;
const MAX_DIMS = 8_192;

/** The key of a chunk's vector: its text's hash (what is embedded is the text). */
export function chunkKey(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function vectorsPath(storage: string, realRoot: string): string {
  return path.join(storage, 'codebase', `${createHash('sha256').update(realRoot).digest('hex').slice(0, 24)}.vectors`);
}

/** One model's vectors of one folder's chunks. */
export class VectorStore {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(
    readonly model: string,
    /** Fixed by the first vector stored (0 until then). */
    public dims = 0,
  ) {}

  get size(): number {
    return this.vectors.size;
  }

  has(key: string): boolean {
    return this.vectors.has(key);
  }

  get(key: string): Float32Array | undefined {
    return this.vectors.get(key);
  }

  /** Stores a vector; false (and nothing stored) when its dimension is not the store's or it is not finite. */
  set(key: string, vector: ArrayLike<number>): boolean {
    if (vector.length === 0 || vector.length > MAX_DIMS) return false;
    if (this.dims === 0) this.dims = vector.length;
    if (vector.length !== this.dims) return false;
    const copy = Float32Array.from(vector);
    if (!copy.every(Number.isFinite)) return false;
    this.vectors.set(key, copy);
    return true;
  }

  /** Drops every vector whose key is not in `keep` (chunks gone). */
  retain(keep: ReadonlySet<string>): void {
    for (const key of [...this.vectors.keys()]) if (!keep.has(key)) this.vectors.delete(key);
  }

  entries(): IterableIterator<[string, Float32Array]> {
    return this.vectors.entries();
  }
}

/** Writes `store` for the folder; returns the bytes written. */
export async function saveVectors(storage: string, realRoot: string, store: VectorStore): Promise<number> {
  const file = vectorsPath(storage, realRoot);
  const keys = [...store.entries()].map(([key]) => key);
  const body = new Float32Array(keys.length * store.dims);
  keys.forEach((key, i) => body.set(store.get(key) as Float32Array, i * store.dims));
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const header = JSON.stringify({ format: VECTORS_FORMAT, version: VECTORS_VERSION, root: realRoot, model: store.model, dims: store.dims, keys, sha256: checksum(keys, bytes) });
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), bytes]), { mode: 0o600 });
  await rename(temporary, file);
  return header.length + 1 + bytes.length;
}

export type VectorsLoad = { store: VectorStore } | { missing: true } | { rejected: string };

/** The folder's stored vectors for `model`, or why there are none to use. */
export async function loadVectors(storage: string, realRoot: string, model: string): Promise<VectorsLoad> {
  const file = vectorsPath(storage, realRoot);
  try {
    if ((await stat(file)).size > MAX_VECTORS_BYTES) return { rejected: 'too large' };
  } catch {
    return { missing: true };
  }
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    return { rejected: `unreadable (${String(error)})` };
  }
  const newline = data.indexOf(0x0a);
  if (newline < 0) return { rejected: 'corrupt header' };
  let header: unknown;
  try {
    header = JSON.parse(data.subarray(0, newline).toString('utf8'));
  } catch {
    return { rejected: 'corrupt header' };
  }
  if (!isRecord(header) || header.format !== VECTORS_FORMAT) return { rejected: 'not a vectors file' };
  if (header.version !== VECTORS_VERSION) return { rejected: `version ${String(header.version)}` };
  if (header.root !== realRoot) return { rejected: 'made for another folder' };
  if (header.model !== model) return { rejected: 'made by another model' };
  const { dims, keys } = header;
  if (typeof dims !== 'number' || !Number.isSafeInteger(dims) || dims < 0 || dims > MAX_DIMS) return { rejected: 'wrong dimension' };
  if (!Array.isArray(keys) || !keys.every((key): key is string => typeof key === 'string' && /^[0-9a-f]{32}$/.test(key))) return { rejected: 'malformed keys' };
  const body = data.subarray(newline + 1);
  if (body.length !== keys.length * dims * 4) return { rejected: 'wrong dimension or truncated' };
  if (header.sha256 !== checksum(keys, body)) return { rejected: 'checksum mismatch' };
  // Copied: the Buffer's offset need not be 4-aligned.
  const floats = new Float32Array(new Uint8Array(body).buffer);
  const store = new VectorStore(model, dims);
  for (let i = 0; i < keys.length; i++) {
    if (!store.set(keys[i] as string, floats.subarray(i * dims, (i + 1) * dims))) return { rejected: 'malformed vector' };
  }
  return { store };
}

/** Over the keys and the vectors: a changed key would give a chunk another's vector. */
function checksum(keys: readonly string[], body: Uint8Array): string {
  return createHash('sha256').update(keys.join(',')).update('\n').update(body).digest('hex');
}

/** Removes the folder's stored vectors (the setting turned off). */
export async function dropVectors(storage: string, realRoot: string): Promise<void> {
  await rm(vectorsPath(storage, realRoot), { force: true });
}
