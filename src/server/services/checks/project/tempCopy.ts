/**
 * The temporary copy of a workspace a proposal's checks run in, never the
 * person's files. In a git repository: `git worktree add --detach` at HEAD
 * (without a checkout: no filter or hook of the repository runs; the index
 * is HEAD), filled with the working tree as it is — tracked files as they
 * are on disk (so modified ones too, deleted ones left out) and untracked
 * files that are not ignored. Elsewhere: a copy of the folder, capped in
 * files and bytes. Dependency folders (node_modules, .venv, …) are linked,
 * not copied. Then the proposal's side of the change set is written over it
 * (adds, updates, renames, deletes).
 *
 * Decided on real paths: a link in the workspace is recreated only when it
 * points inside the workspace (to the same place in the copy), and every
 * write of the proposal is resolved first and refused when it would land
 * outside the copy (overlay.ts). The copy is removed by `dispose()` (and by
 * `disposeAllCopies()` at shutdown), with `git worktree prune` after it.
 */
import { constants as fsConstants, existsSync, realpathSync } from 'node:fs';
import { copyFile, lstat, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveReal } from '../../../../shared/boundary/boundary';
import type { ChangeSet } from '../../../../shared/edits';
import { errorMessage } from '../../../../shared/guards';
import { git, nulList } from './git';
import { applyProposal } from './overlay';

/** Folders of installed dependencies: linked into the copy when git ignores them (or, outside git, always). */
export const DEPENDENCY_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.pnpm-store',
  '.yarn',
  'vendor',
  '.bundle',
  'Pods',
]);

export interface CopyLimits {
  maxFiles: number;
  maxBytes: number;
}

/** A git worktree copies what git lists (ignored output and caches excluded). */
export const GIT_LIMITS: Readonly<CopyLimits> = { maxFiles: 100_000, maxBytes: 2 * 1024 ** 3 };
/** A plain folder has no ignore rules to leave build output out: a lower cap. */
export const FOLDER_LIMITS: Readonly<CopyLimits> = { maxFiles: 20_000, maxBytes: 256 * 1024 ** 2 };

export interface TempCopyOptions {
  signal?: AbortSignal;
  /** Where the copies go (default: the system's temporary folder). */
  tmpDir?: string;
  gitLimits?: CopyLimits;
  folderLimits?: CopyLimits;
  /** The git program (tests). */
  git?: string;
}

export interface TempCopy {
  kind: 'git' | 'folder';
  /** The copy's top (real path): the only folder a check may write. */
  root: string;
  /** The workspace folder inside the copy: where checks run and what the proposal's paths are relative to. */
  folder: string;
  files: number;
  bytes: number;
  /** What was left out, in plain words (links out of the workspace, submodules). */
  notes: string[];
  /** Removes the copy (and the worktree's registration); safe to call more than once. */
  dispose(): Promise<void>;
}

export type CopyOutcome = { ok: true; copy: TempCopy } | { ok: false; reason: string };

const PREFIX = 'tandem-checks-';
const COPY_CONCURRENCY = 32;
const live = new Set<TempCopy>();

/** Removes every copy still there (the service shuts down). */
export async function disposeAllCopies(): Promise<void> {
  await Promise.all([...live].map((copy) => copy.dispose()));
}

/** How many copies exist now (tests: each one is removed). */
export function liveCopies(): number {
  return live.size;
}

export async function createTempCopy(workspace: string, changeSet: ChangeSet, options: TempCopyOptions = {}): Promise<CopyOutcome> {
  let realFolder: string;
  try {
    realFolder = realpathSync.native(workspace);
  } catch (error) {
    return { ok: false, reason: `The workspace folder cannot be read (${errorMessage(error)}).` };
  }
  const tmp = realpathSync.native(options.tmpDir ?? os.tmpdir());
  // The service's process id in the name: a later service removes what a crashed one left (sweepStaleCopies).
  const base = realpathSync.native(await mkdtemp(path.join(tmp, `${PREFIX}${process.pid}-`)));
  const noHooks = path.join(base, 'no-hooks');
  await mkdir(noHooks);
  const gitOptions = { noHooks, ...(options.git ? { git: options.git } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  let worktree: { top: string; path: string } | undefined;
  let removed = false;
  const copy: TempCopy = {
    kind: 'folder',
    root: path.join(base, 'copy'),
    folder: path.join(base, 'copy'),
    files: 0,
    bytes: 0,
    notes: [],
    dispose: async () => {
      if (removed) return;
      removed = true;
      live.delete(copy);
      const quiet = { noHooks, ...(options.git ? { git: options.git } : {}) };
      if (worktree) await git(worktree.top, ['worktree', 'remove', '--force', worktree.path], quiet).catch(() => undefined);
      // fs.rm unlinks links (the linked dependency folders) and never follows them.
      await rm(base, { recursive: true, force: true, maxRetries: 3 });
      if (worktree) await git(worktree.top, ['worktree', 'prune'], quiet).catch(() => undefined);
    },
  };
  live.add(copy);
  try {
    const repo = await gitTop(realFolder, gitOptions);
    let source: string;
    let entries: Entry[];
    if (repo) {
      copy.kind = 'git';
      source = repo;
      copy.root = path.join(base, 'worktree');
      copy.folder = path.join(copy.root, path.relative(repo, realFolder));
      worktree = { top: repo, path: copy.root };
      await git(repo, ['worktree', 'add', '--no-checkout', '--detach', copy.root, 'HEAD'], gitOptions);
      await git(copy.root, ['read-tree', 'HEAD'], gitOptions);
      entries = await gitEntries(repo, path.relative(repo, realFolder).split(path.sep).join('/'), gitOptions);
    } else {
      source = realFolder;
      await mkdir(copy.root);
      entries = await walkFolder(realFolder, options.folderLimits ?? FOLDER_LIMITS, options.signal);
    }
    options.signal?.throwIfAborted();
    const limits = repo ? (options.gitLimits ?? GIT_LIMITS) : (options.folderLimits ?? FOLDER_LIMITS);
    const over = await fill(copy, source, entries, limits, options.signal);
    if (over) {
      await copy.dispose();
      return { ok: false, reason: over };
    }
    await mkdir(copy.folder, { recursive: true });
    const refused = await applyProposal(copy, changeSet);
    if (refused) {
      await copy.dispose();
      return { ok: false, reason: refused };
    }
    return { ok: true, copy };
  } catch (error) {
    await copy.dispose();
    if (options.signal?.aborted) throw error;
    return { ok: false, reason: `The temporary copy could not be made: ${errorMessage(error)}` };
  }
}

type Entry = { relative: string; kind: 'file' | 'link' | 'dependency' | 'skip' };

/** The repository's top folder when `folder` is in a git repository that has a commit. */
async function gitTop(folder: string, options: Parameters<typeof git>[2]): Promise<string | undefined> {
  try {
    const top = (await git(folder, ['rev-parse', '--show-toplevel'], options)).trim();
    await git(folder, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], options);
    return top ? realpathSync.native(top) : undefined;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return undefined;
  }
}

/**
 * Tracked files of the whole repository (a monorepo's root config is
 * needed), untracked-not-ignored files and ignored dependency folders under
 * the workspace folder, and ignored dependency folders in the folders above
 * it (hoisted node_modules). Untracked files above the folder are not
 * walked: a home folder that is a git repository must not be copied whole.
 * Paths relative to the top.
 */
async function gitEntries(top: string, prefix: string, options: Parameters<typeof git>[2]): Promise<Entry[]> {
  const here = prefix === '' ? [] : ['--', prefix];
  const files = nulList(await git(top, ['ls-files', '-z', '--cached', '--deduplicate'], options));
  const untracked = nulList(await git(top, ['ls-files', '-z', '--others', '--exclude-standard', ...here], options));
  const ignored = nulList(await git(top, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory', '--no-empty-directory', ...here], options));
  const entries: Entry[] = [...files, ...untracked].map((relative) => ({ relative, kind: 'file' }));
  for (const entry of ignored) {
    const relative = entry.replace(/\/$/, '');
    if (DEPENDENCY_FOLDERS.has(path.posix.basename(relative))) entries.push({ relative, kind: 'dependency' });
  }
  const above: string[] = [];
  for (let dir = path.posix.dirname(prefix); prefix !== ''; dir = path.posix.dirname(dir)) {
    const at = dir === '.' ? '' : dir;
    for (const name of DEPENDENCY_FOLDERS) {
      const candidate = at ? `${at}/${name}` : name;
      if (existsSync(path.join(top, candidate))) above.push(candidate);
    }
    if (at === '') break;
  }
  if (above.length > 0) {
    // check-ignore exits 1 when none is ignored; it prints each ignored path on a line (names without new lines: ours).
    const ignoredAbove = (await git(top, ['check-ignore', '--', ...above], options).catch(() => '')).split('\n').filter(Boolean);
    for (const relative of ignoredAbove) if (above.includes(relative)) entries.push({ relative, kind: 'dependency' });
  }
  return entries;
}

/** A plain folder, walked without following links; stops early once over the cap. */
async function walkFolder(root: string, limits: CopyLimits, signal?: AbortSignal): Promise<Entry[]> {
  const entries: Entry[] = [];
  const pending = [''];
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const dir = pending.pop() as string;
    for (const dirent of await readdir(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${dirent.name}` : dirent.name;
      if (dirent.name === '.git') continue;
      if (DEPENDENCY_FOLDERS.has(dirent.name) && (dirent.isDirectory() || dirent.isSymbolicLink())) entries.push({ relative, kind: 'dependency' });
      else if (dirent.isDirectory()) pending.push(relative);
      else if (dirent.isFile() || dirent.isSymbolicLink()) entries.push({ relative, kind: 'file' });
      if (entries.length > limits.maxFiles) return entries;
    }
  }
  return entries;
}

/** Copies the entries into the copy; a reason when they are over the cap. */
async function fill(copy: TempCopy, source: string, entries: Entry[], limits: CopyLimits, signal?: AbortSignal): Promise<string | undefined> {
  const files: Array<{ relative: string; size: number }> = [];
  const links: string[] = [];
  const dependencies: string[] = [];
  let bytes = 0;
  let skipped = 0;
  for (const entry of entries) {
    if (entry.kind === 'dependency') {
      dependencies.push(entry.relative);
      continue;
    }
    let stat;
    try {
      stat = await lstat(path.join(source, entry.relative));
    } catch {
      continue; // deleted in the working tree: left out of the copy too
    }
    if (stat.isSymbolicLink()) links.push(entry.relative);
    else if (stat.isFile()) {
      files.push({ relative: entry.relative, size: stat.size });
      bytes += stat.size;
    } else skipped++; // a submodule, a socket, a device
    if (files.length > limits.maxFiles || bytes > limits.maxBytes) {
      const what = copy.kind === 'git' ? 'The repository' : 'The workspace folder (not a git repository)';
      return `${what} is too large for a temporary copy (over ${limits.maxFiles.toLocaleString('en-US')} files or ${Math.round(limits.maxBytes / 1024 ** 2)} MB): project checks are skipped.`;
    }
  }
  if (files.length > limits.maxFiles) return 'too many files';
  const made = new Set<string>();
  const ensureDir = async (relativeDir: string): Promise<void> => {
    if (relativeDir === '' || relativeDir === '.' || made.has(relativeDir)) return;
    await mkdir(path.join(copy.root, relativeDir), { recursive: true });
    made.add(relativeDir);
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      signal?.throwIfAborted();
      const file = files[next++] as { relative: string };
      await ensureDir(path.posix.dirname(file.relative));
      // A clone where the file system can (copy on write), a copy elsewhere.
      await copyFile(path.join(source, file.relative), path.join(copy.root, file.relative), fsConstants.COPYFILE_FICLONE);
    }
  };
  await Promise.all(Array.from({ length: Math.min(COPY_CONCURRENCY, files.length) }, worker));
  copy.files = files.length;
  copy.bytes = bytes;
  // Links last: no file above is ever written through one.
  let outside = 0;
  for (const relative of links) {
    const target = insideTarget(source, relative);
    if (target === undefined) {
      outside++;
      continue;
    }
    await ensureDir(path.posix.dirname(relative));
    const at = path.join(copy.root, relative);
    await symlink(path.relative(path.dirname(at), path.join(copy.root, target)), at);
  }
  for (const relative of dependencies) {
    await ensureDir(path.posix.dirname(relative));
    const real = realpathSync.native(path.join(source, relative));
    await symlink(real, path.join(copy.root, relative), 'junction');
  }
  if (outside > 0) copy.notes.push(`${outside} symbolic link${outside === 1 ? '' : 's'} leading outside the workspace ${outside === 1 ? 'was' : 'were'} not copied.`);
  if (skipped > 0) copy.notes.push(`${skipped} entr${skipped === 1 ? 'y' : 'ies'} that are not files (submodules, sockets) ${skipped === 1 ? 'was' : 'were'} not copied.`);
  return undefined;
}

/** Where a link of the workspace points, relative to `source`, when that is inside it; undefined otherwise. */
function insideTarget(source: string, relative: string): string | undefined {
  const resolved = resolveReal(path.join(source, relative));
  if (!resolved.ok) return undefined;
  const inside = path.relative(source, resolved.path);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
  return inside;
}
