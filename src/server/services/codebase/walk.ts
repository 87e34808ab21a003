/**
 * The files of a workspace folder the index may hold: what the workspace
 * boundary lets the agent read (src/shared/boundary). `.gitignore`d and
 * `.tandemignore`d files, secrets (by name, in any folder), `node_modules`
 * and `.git` are left out; symbolic links are never followed (a linked file
 * inside the folder is indexed under its own path; one leading out never is),
 * and each file is decided again on its real path when it is read.
 * Hands the event loop back as it goes (util/timeSlice.ts).
 */
import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceBoundary } from '../../../shared/boundary/boundary';
import { SKIPPED_DIRS } from '../../../shared/boundary/ignore';
import { readFolder } from '../../util/readFolder';
import { TimeSlice } from '../../util/timeSlice';

/** Files larger than this are not indexed (generated bundles, data). */
export const MAX_INDEXED_FILE_BYTES = 512 * 1024;

export interface FoundFile {
  /** '/'-separated, relative to the folder. */
  relative: string;
  mtimeMs: number;
  size: number;
}

/** Extensions of files that are never text worth indexing. */
const BINARY_EXTENSIONS: ReadonlySet<string> = new Set(
  'png jpg jpeg gif bmp ico webp avif tiff psd svgz pdf zip gz tgz bz2 xz 7z rar jar war ear class o a so dll dylib exe bin obj wasm node pyc pyo woff woff2 ttf otf eot mp3 mp4 m4a wav ogg flac mov avi mkv webm sqlite db lock map min.js vsix'.split(' '),
);

export function isIndexableName(relative: string): boolean {
  const name = relative.slice(relative.lastIndexOf('/') + 1).toLowerCase();
  if (name.endsWith('.min.js') || name.endsWith('.min.css') || name.endsWith('.map')) return false;
  const dot = name.lastIndexOf('.');
  return dot < 0 || !BINARY_EXTENSIONS.has(name.slice(dot + 1));
}

/** Whether a path named by an editor (an open buffer) could be indexed: an indexable name, under no folder the walk skips (node_modules, .git). */
export function isIndexablePath(relative: string): boolean {
  const parts = relative.split('/');
  return isIndexableName(relative) && !parts.slice(0, -1).some((part) => SKIPPED_DIRS.has(part));
}

/**
 * Every indexable file under `boundary.root` (or under `under`, a relative
 * folder), in a stable order, at most `maxFiles`. Stops early when `signal`
 * aborts.
 */
export async function* walkFolder(boundary: WorkspaceBoundary, options: { maxFiles: number; signal?: AbortSignal; under?: string; slice?: TimeSlice }): AsyncGenerator<FoundFile> {
  const slice = options.slice ?? new TimeSlice();
  const pending = [options.under ?? ''];
  let count = 0;
  while (pending.length > 0) {
    if (options.signal?.aborted) return;
    if (slice.due()) await slice.handBack();
    const folder = pending.shift() ?? '';
    let entries;
    try {
      entries = await readFolder(path.join(boundary.root, folder));
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (slice.due()) await slice.handBack();
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !boundary.isIgnored(relative, true)) pending.push(relative);
        continue;
      }
      if (!entry.isFile() || boundary.isIgnored(relative) || !isIndexableName(relative)) continue;
      const stat = await statOf(path.join(boundary.root, relative));
      if (!stat || !stat.isFile() || stat.size > MAX_INDEXED_FILE_BYTES) continue;
      yield { relative, mtimeMs: stat.mtimeMs, size: stat.size };
      if (++count >= options.maxFiles) return;
    }
  }
}

export async function statOf(absolute: string): Promise<Stats | undefined> {
  try {
    return await lstat(absolute);
  } catch {
    return undefined;
  }
}
