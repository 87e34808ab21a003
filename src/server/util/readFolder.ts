/**
 * A folder's entries without holding the service's one thread for long:
 * `readdirSync` of a folder with a hundred thousand entries takes over 100 ms
 * (and `readdir` builds its whole answer on the main thread too), while
 * completions wait. A large folder is read in batches instead (`opendir`),
 * with the event loop running between them.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { sortInSlices } from './timeSlice';

/** Folders whose own size is over this (a few thousand entries on ext4, about 3,000 on tmpfs) are read in batches. */
const LARGE_FOLDER_BYTES = 64 * 1024;
const BATCH = 256;

/**
 * The entries of `absolute`, in the order `readdirSync` gives them (libuv
 * sorts them by the bytes of their names). Rejects as `readdirSync` throws
 * (missing, not a folder, not readable).
 */
export async function readFolder(absolute: string, largeFolderBytes: number = LARGE_FOLDER_BYTES): Promise<Dirent[]> {
  let size = 0;
  try {
    size = statSync(absolute).size;
  } catch {
    // readdirSync says why.
  }
  if (size <= largeFolderBytes) return readdirSync(absolute, { withFileTypes: true });
  const entries: Dirent[] = [];
  for await (const entry of await opendir(absolute, { bufferSize: BATCH })) entries.push(entry);
  return sortInSlices(entries, (a, b) => byteOrder(a.name, b.name));
}

/** The order of the names' UTF-8 bytes, i.e. of their code points (UTF-16 order differs above U+D7FF). */
export function byteOrder(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate starts a code point above U+FFFF: after every other unit.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}
