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
 * Read and checked line by line in time slices; MiniSearch rebuilds its term
 * tree in slices too (loadJSAsync).
 * Written to a temporary file and renamed, so a crash leaves the old one.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceBoundary } from '../../../shared/boundary/boundary';
import { isRecord } from '../../../shared/guards';
import { TimeSlice } from '../../util/timeSlice';
import { CHUNKER_VERSION } from './chunker';
import { FolderIndex, type IndexedFile } from './folderIndex';

export const SNAPSHOT_FORMAT = 'tandem.codebaseIndex';
export const SNAPSHOT_VERSION = 1;
/** Larger indexes are kept in memory only. */
export const MAX_SNAPSHOT_BYTES = 128 * 1024 * 1024;
/**
 * Indexes with more chunks are not stored: MiniSearch serialises its index
 * in one synchronous pass (about 25 µs a chunk), which would hold up
 * completions; they are built again (in time slices) at the next start.
 */
export const MAX_PERSISTED_CHUNKS = 8_000;
const TERMS_PER_LINE = 500;

export function snapshotPath(storage: string, realRoot: string): string {
  return path.join(storage, 'codebase', `${createHash('sha256').update(realRoot).digest('hex').slice(0, 24)}.json`);
}

/**
 * Writes `index` for its folder; returns the bytes written, or 0 when it is
 * not kept (too many chunks to serialise without holding up the service, or
 * too large). The file is lines: a header, the files and the index's
 * metadata, then the term index in batches, each line serialised (and
 * hashed) in its own time slice.
 */
export async function saveSnapshot(storage: string, index: FolderIndex): Promise<number> {
  const file = snapshotPath(storage, index.boundary.realRoot);
  if (index.chunkCount > MAX_PERSISTED_CHUNKS) {
    await rm(file, { force: true });
    return 0;
  }
  const slice = new TimeSlice();
  const { index: search, files, nextId } = index.toJSON();
  const { index: terms, ...meta } = search;
  const lines = [JSON.stringify({ files, nextId, meta })];
  const hash = createHash('sha256').update(lines[0] as string);
  let bytes = (lines[0] as string).length;
  for (let start = 0; start < terms.length; start += TERMS_PER_LINE) {
    if (slice.due()) await slice.handBack();
    const line = JSON.stringify(terms.slice(start, start + TERMS_PER_LINE));
    hash.update(`\n${line}`);
    lines.push(line);
    bytes += line.length + 1;
    if (bytes > MAX_SNAPSHOT_BYTES) {
      await rm(file, { force: true });
      return 0;
    }
  }
  const header = JSON.stringify({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, chunker: CHUNKER_VERSION, root: index.boundary.realRoot, lines: lines.length, sha256: hash.digest('hex') });
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${header}\n${lines.join('\n')}`, { mode: 0o600 });
  await rename(temporary, file);
  return header.length + 1 + bytes;
}

export type LoadOutcome = { index: FolderIndex } | { missing: true } | { rejected: string };

/** The folder's stored index, or why there is none to use (the caller then rebuilds). Parsed line by line in time slices. */
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
  const slice = new TimeSlice();
  const lines = text.split('\n');
  let header: unknown;
  try {
    header = JSON.parse(lines[0] ?? '');
  } catch {
    return { rejected: 'corrupt header' };
  }
  if (!isRecord(header) || header.format !== SNAPSHOT_FORMAT) return { rejected: 'not an index file' };
  if (header.version !== SNAPSHOT_VERSION || header.chunker !== CHUNKER_VERSION) return { rejected: `version ${String(header.version)}/${String(header.chunker)}` };
  if (header.root !== boundary.realRoot) return { rejected: 'made for another folder' };
  if (header.lines !== lines.length - 1 || lines.length < 2) return { rejected: 'truncated' };
  const hash = createHash('sha256').update(lines[1] ?? '');
  for (let i = 2; i < lines.length; i++) {
    if (slice.due()) await slice.handBack();
    hash.update(`\n${lines[i] ?? ''}`);
  }
  if (header.sha256 !== hash.digest('hex')) return { rejected: 'checksum mismatch (truncated or changed)' };
  try {
    const parsed: unknown = JSON.parse(lines[1] ?? '');
    if (!isRecord(parsed) || !Array.isArray(parsed.files) || typeof parsed.nextId !== 'number' || !Number.isSafeInteger(parsed.nextId) || !isRecord(parsed.meta)) return { rejected: 'malformed body' };
    const files = new Map<string, IndexedFile>();
    for (const entry of parsed.files as unknown[]) {
      const file = parseFileEntry(entry, parsed.nextId);
      if (!file) return { rejected: 'malformed file entry' };
      files.set(file[0], file[1]);
    }
    const terms: unknown[] = [];
    for (let i = 2; i < lines.length; i++) {
      if (slice.due()) await slice.handBack();
      const batch: unknown = JSON.parse(lines[i] ?? '');
      if (!Array.isArray(batch)) return { rejected: 'malformed term index' };
      for (const entry of batch) terms.push(entry);
    }
    const index = await FolderIndex.restore(boundary, { ...parsed.meta, index: terms }, files, parsed.nextId);
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

