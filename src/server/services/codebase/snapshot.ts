/**
 * A folder's index on disk, in the storage folder the client names (the
 * extension's workspace storage), so that a reload does not index the
 * workspace again. One file per workspace folder, named by a hash of its
 * real path: `codebase/<hash>.json`.
 *
 * The file is on disk, so it is never trusted: it is read only when it is no
 * larger than MAX_SNAPSHOT_BYTES, has this FORMAT and VERSION, was made by
 * this CHUNKER_VERSION for this very folder, its checksum matches its body
 * and every line has the expected shape; anything else (truncated, corrupt,
 * another version, another folder) is dropped and the folder indexed
 * afresh. What it holds is only a head start: every file is compared with
 * the disk (modification time and size) before the index is used, and every
 * hit is decided by the boundary again.
 *
 * Large indexes too, without holding up completions: the index becomes plain
 * data term by term in time slices (plainIndex.ts), each line is serialised,
 * hashed and written in its own slice, and loading reads the file as bytes
 * and decodes, checks and parses it a line at a time in slices; MiniSearch
 * rebuilds its term tree yielding as it goes (loadJSAsync).
 * Written to a temporary file and renamed, so a crash leaves the old one.
 *
 * Lines: the header (format, version, chunker, root, line count, SHA-256 of
 * the body), then the body: `{"nextId", "meta", "counts"}`, then batches
 * `["files", …]`, `["docs", …]`, `["terms", …]` in that order.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceBoundary } from '../../../shared/boundary/boundary';
import { isRecord } from '../../../shared/guards';
import { TimeSlice } from '../../util/timeSlice';
import { CHUNKER_VERSION } from './chunker';
import { FolderIndex, type IndexedFile } from './folderIndex';
import type { DocRow, PlainMeta, TermRow } from './plainIndex';

export const SNAPSHOT_FORMAT = 'tandem.codebaseIndex';
export const SNAPSHOT_VERSION = 2;
/** Larger indexes are kept in memory only. */
export const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;
/**
 * When MiniSearch's internals are not as plainIndex.ts expects (another
 * version), only indexes up to this many chunks are stored, through its
 * one-pass `toJSON()` (about 25 µs a chunk).
 */
export const MAX_PERSISTED_CHUNKS_AT_ONCE = 8_000;
const ROWS_PER_LINE = { files: 512, docs: 256, terms: 256 } as const;
/** The file is written this many bytes at a time, and hashed on load in pieces this large. */
const WRITE_BYTES = 1 << 20;
/** A temporary file this old was left by a service that stopped while writing: removed at the next store. */
const STALE_TEMPORARY_MS = 10 * 60_000;

export function snapshotPath(storage: string, realRoot: string): string {
  return path.join(storage, 'codebase', `${createHash('sha256').update(realRoot).digest('hex').slice(0, 24)}.json`);
}

/**
 * Writes `index` for its folder; returns the bytes written, or 0 when it is
 * not kept (too large, or not readable in slices and too many chunks to
 * serialise at once).
 */
export async function saveSnapshot(storage: string, index: FolderIndex, slice: TimeSlice = new TimeSlice()): Promise<number> {
  const file = snapshotPath(storage, index.boundary.realRoot);
  const parts = await index.toPlain(slice, MAX_PERSISTED_CHUNKS_AT_ONCE);
  if (!parts) {
    await rm(file, { force: true });
    return 0;
  }
  const { plain, files, nextId } = parts;
  const lines = [JSON.stringify({ nextId, meta: plain.meta, counts: { files: files.length, docs: plain.docs.length, terms: plain.terms.length } })];
  const hash = createHash('sha256').update(lines[0] as string);
  let bytes = (lines[0] as string).length;
  const batches = (kind: keyof typeof ROWS_PER_LINE, rows: readonly unknown[]): Array<() => string> => {
    const out: Array<() => string> = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_LINE[kind]) out.push(() => JSON.stringify([kind, rows.slice(start, start + ROWS_PER_LINE[kind])]));
    return out;
  };
  for (const make of [...batches('files', files), ...batches('docs', plain.docs), ...batches('terms', plain.terms)]) {
    if (slice.due()) await slice.handBack();
    const line = make();
    hash.update(`\n${line}`);
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > MAX_SNAPSHOT_BYTES) {
      await rm(file, { force: true });
      return 0;
    }
  }
  const header = JSON.stringify({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, chunker: CHUNKER_VERSION, root: index.boundary.realRoot, lines: lines.length, sha256: hash.digest('hex') });
  await mkdir(path.dirname(file), { recursive: true });
  await removeStaleTemporaries(file);
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    let pending = `${header}\n`;
    for (let i = 0; i < lines.length; i++) {
      pending += (i > 0 ? '\n' : '') + (lines[i] as string);
      if (pending.length >= WRITE_BYTES) {
        await handle.write(pending);
        pending = '';
        if (slice.due()) await slice.handBack();
      }
    }
    if (pending) await handle.write(pending);
    await handle.close();
    await rename(temporary, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  return Buffer.byteLength(header) + 1 + bytes;
}

/** Temporary files of `file` left by a service that stopped while writing one (they can be as large as the index). */
async function removeStaleTemporaries(file: string): Promise<void> {
  const prefix = `${path.basename(file)}.`;
  const folder = path.dirname(file);
  for (const name of await readdir(folder).catch(() => [])) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const temporary = path.join(folder, name);
    const modified = await stat(temporary).then((entry) => entry.mtimeMs, () => undefined);
    if (modified !== undefined && Date.now() - modified > STALE_TEMPORARY_MS) await rm(temporary, { force: true });
  }
}

export type LoadOutcome = { index: FolderIndex } | { missing: true } | { rejected: string };

/** The folder's stored index, or why there is none to use (the caller then rebuilds). Checked and parsed line by line in time slices. */
export async function loadSnapshot(storage: string, boundary: WorkspaceBoundary, slice: TimeSlice = new TimeSlice()): Promise<LoadOutcome> {
  const file = snapshotPath(storage, boundary.realRoot);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return { missing: true };
  }
  if (size > MAX_SNAPSHOT_BYTES) return { rejected: 'too large' };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { rejected: `unreadable (${String(error)})` };
  }
  const newline = bytes.indexOf(0x0a);
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8', 0, newline < 0 ? bytes.length : newline));
  } catch {
    return { rejected: 'corrupt header' };
  }
  if (!isRecord(header) || header.format !== SNAPSHOT_FORMAT) return { rejected: 'not an index file' };
  if (header.version !== SNAPSHOT_VERSION || header.chunker !== CHUNKER_VERSION) return { rejected: `version ${String(header.version)}/${String(header.chunker)}` };
  if (header.root !== boundary.realRoot) return { rejected: 'made for another folder' };
  if (newline < 0 || typeof header.lines !== 'number') return { rejected: 'truncated' };
  const hash = createHash('sha256');
  for (let at = newline + 1; at < bytes.length; at += WRITE_BYTES) {
    if (slice.due()) await slice.handBack();
    hash.update(bytes.subarray(at, Math.min(bytes.length, at + WRITE_BYTES)));
  }
  if (header.sha256 !== hash.digest('hex')) return { rejected: 'checksum mismatch (truncated or changed)' };
  try {
    const body = await readBody(bytes, newline + 1, slice);
    if (typeof body === 'string') return { rejected: body };
    if (body.lines !== header.lines) return { rejected: 'truncated' };
    const index = await FolderIndex.restore(boundary, { meta: body.meta, docs: body.docs, terms: body.terms }, body.files, body.nextId);
    if (index.chunkCount !== [...body.files.values()].reduce((sum, entry) => sum + entry.ids.length, 0)) return { rejected: 'chunk count mismatch' };
    return { index };
  } catch (error) {
    return { rejected: `unreadable index (${String(error)})` };
  }
}

interface Body {
  lines: number;
  nextId: number;
  meta: PlainMeta;
  files: Map<string, IndexedFile>;
  docs: DocRow[];
  terms: TermRow[];
}

/** The body's lines, each decoded and parsed in its own slice, checked for shape; or what is wrong with them. */
async function readBody(bytes: Buffer, from: number, slice: TimeSlice): Promise<Body | string> {
  let at = from;
  let lines = 0;
  const next = (): unknown => {
    if (at >= bytes.length) return undefined;
    const end = bytes.indexOf(0x0a, at);
    const stop = end < 0 ? bytes.length : end;
    const line = bytes.toString('utf8', at, stop);
    at = stop + 1;
    lines++;
    return JSON.parse(line) as unknown;
  };
  const first = next();
  if (!isRecord(first) || typeof first.nextId !== 'number' || !Number.isSafeInteger(first.nextId) || !isMeta(first.meta) || !isRecord(first.counts)) return 'malformed body';
  const nextId = first.nextId;
  const files = new Map<string, IndexedFile>();
  const docs: DocRow[] = [];
  const terms: TermRow[] = [];
  const order = ['files', 'docs', 'terms'];
  let stage = 0;
  let fileRows = 0;
  while (at < bytes.length) {
    if (slice.due()) await slice.handBack();
    const batch = next();
    if (!Array.isArray(batch) || batch.length !== 2 || !Array.isArray(batch[1])) return 'malformed line';
    const kind = order.indexOf(String(batch[0]));
    if (kind < stage) return 'lines out of order';
    stage = kind;
    for (const row of batch[1] as unknown[]) {
      if (kind === 0) {
        const entry = parseFileEntry(row, nextId);
        if (!entry) return 'malformed file entry';
        files.set(entry[0], entry[1]);
        fileRows++;
      } else if (kind === 1) {
        if (!isDocRow(row)) return 'malformed chunk entry';
        docs.push(row);
      } else {
        if (!Array.isArray(row) || row.length !== 2 || typeof row[0] !== 'string' || !isRecord(row[1])) return 'malformed term entry';
        terms.push(row as TermRow);
      }
    }
  }
  const counts = first.counts;
  if (counts.files !== fileRows || fileRows !== files.size || counts.docs !== docs.length || counts.terms !== terms.length || first.meta.documentCount !== docs.length) return 'counts mismatch';
  return { lines, nextId, meta: first.meta, files, docs, terms };
}

function isMeta(value: unknown): value is PlainMeta {
  return (
    isRecord(value) &&
    typeof value.documentCount === 'number' &&
    typeof value.nextId === 'number' &&
    isRecord(value.fieldIds) &&
    Array.isArray(value.averageFieldLength) &&
    typeof value.dirtCount === 'number' &&
    (value.serializationVersion === 1 || value.serializationVersion === 2)
  );
}

function isDocRow(row: unknown): row is DocRow {
  return Array.isArray(row) && row.length === 4 && Number.isSafeInteger(row[0]) && Number.isSafeInteger(row[1]) && Array.isArray(row[2]) && (row[2] as unknown[]).every((n) => typeof n === 'number') && isRecord(row[3]);
}

function parseFileEntry(entry: unknown, nextId: number): [string, IndexedFile] | undefined {
  if (!Array.isArray(entry) || entry.length !== 4) return undefined;
  const [file, mtimeMs, size, ids] = entry as unknown[];
  if (typeof file !== 'string' || file === '' || file.startsWith('/') || file.split('/').includes('..')) return undefined;
  if (typeof mtimeMs !== 'number' || typeof size !== 'number' || !Array.isArray(ids)) return undefined;
  if (!ids.every((id): id is number => Number.isSafeInteger(id) && (id as number) > 0 && (id as number) < nextId)) return undefined;
  return [file, { mtimeMs, size, ids }];
}

