/**
 * A folder's index on disk, in the storage folder the client names (the
 * extension's workspace storage), so that a reload does not index the
 * workspace again. One file per workspace folder, named by a hash of its
 * real path: `codebase/<hash>.json`.
 *
 * The file is on disk, so it is never trusted: it is read only when it is no
 * larger than MAX_SNAPSHOT_BYTES, has this FORMAT and VERSION, was made by
 * this CHUNKER_VERSION for this very folder, and its checksum matches its
 * body; anything else (truncated, corrupt, another version, another folder)
 * is dropped and the folder indexed afresh. What it holds is only a head
 * start: every file is compared with the disk (modification time and size)
 * before the index is used, and every hit is decided by the boundary again.
 * Written to a temporary file and renamed, so a crash leaves the old one.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceBoundary } from '../../../shared/boundary/boundary';
import { isRecord } from '../../../shared/guards';
import { CHUNKER_VERSION } from './chunker';
import { FolderIndex, type IndexedFile } from './folderIndex';

export const SNAPSHOT_FORMAT = 'tandem.codebaseIndex';
export const SNAPSHOT_VERSION = 1;
/** Larger indexes are kept in memory only. */
export const MAX_SNAPSHOT_BYTES = 128 * 1024 * 1024;

export function snapshotPath(storage: string, realRoot: string): string {
  return path.join(storage, 'codebase', `${createHash('sha256').update(realRoot).digest('hex').slice(0, 24)}.json`);
}

/** Writes `index` for its folder; returns the bytes written, or 0 when it is too large to keep. */
export async function saveSnapshot(storage: string, index: FolderIndex): Promise<number> {
  const { index: search, files, nextId } = index.toJSON();
  const body = JSON.stringify({ files, nextId, index: search });
  const header = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, chunker: CHUNKER_VERSION, root: index.boundary.realRoot, sha256: checksum(body) };
  const text = `${JSON.stringify(header)}\n${body}`;
  const file = snapshotPath(storage, index.boundary.realRoot);
  if (Buffer.byteLength(text) > MAX_SNAPSHOT_BYTES) {
    await rm(file, { force: true });
    return 0;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, file);
  return Buffer.byteLength(text);
}

export type LoadOutcome = { index: FolderIndex } | { missing: true } | { rejected: string };

/** The folder's stored index, or why there is none to use (the caller then rebuilds). */
export async function loadSnapshot(storage: string, boundary: WorkspaceBoundary): Promise<LoadOutcome> {
  const file = snapshotPath(storage, boundary.realRoot);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return { missing: true };
  }
  if (size > MAX_SNAPSHOT_BYTES) return { rejected: 'too large' };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { rejected: `unreadable (${String(error)})` };
  }
  const newline = text.indexOf('\n');
  if (newline < 0) return { rejected: 'truncated' };
  let header: unknown;
  try {
    header = JSON.parse(text.slice(0, newline));
  } catch {
    return { rejected: 'corrupt header' };
  }
  if (!isRecord(header) || header.format !== SNAPSHOT_FORMAT) return { rejected: 'not an index file' };
  if (header.version !== SNAPSHOT_VERSION || header.chunker !== CHUNKER_VERSION) return { rejected: `version ${String(header.version)}/${String(header.chunker)}` };
  if (header.root !== boundary.realRoot) return { rejected: 'made for another folder' };
  const body = text.slice(newline + 1);
  if (header.sha256 !== checksum(body)) return { rejected: 'checksum mismatch (truncated or changed)' };
  try {
    const parsed: unknown = JSON.parse(body);
    if (!isRecord(parsed) || !Array.isArray(parsed.files) || typeof parsed.nextId !== 'number' || !Number.isSafeInteger(parsed.nextId) || !isRecord(parsed.index)) return { rejected: 'malformed body' };
    const files = new Map<string, IndexedFile>();
    for (const entry of parsed.files as unknown[]) {
      const file = parseFileEntry(entry, parsed.nextId);
      if (!file) return { rejected: 'malformed file entry' };
      files.set(file[0], file[1]);
    }
    const index = FolderIndex.restore(boundary, JSON.stringify(parsed.index), files, parsed.nextId);
    if (index.chunkCount !== [...files.values()].reduce((sum, entry) => sum + entry.ids.length, 0)) return { rejected: 'chunk count mismatch' };
    return { index };
  } catch (error) {
    return { rejected: `unreadable index (${String(error)})` };
  }
}

function parseFileEntry(entry: unknown, nextId: number): [string, IndexedFile] | undefined {
  if (!Array.isArray(entry) || entry.length !== 4) return undefined;
  const [file, mtimeMs, size, ids] = entry as unknown[];
  if (typeof file !== 'string' || file === '' || file.startsWith('/') || file.split('/').includes('..')) return undefined;
  if (typeof mtimeMs !== 'number' || typeof size !== 'number' || !Array.isArray(ids)) return undefined;
  if (!ids.every((id): id is number => Number.isSafeInteger(id) && (id as number) > 0 && (id as number) < nextId)) return undefined;
  return [file, { mtimeMs, size, ids }];
}

function checksum(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}
