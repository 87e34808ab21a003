/**
 * What the sandbox must know about a workspace before a command runs in it:
 * its top-level entries (each becomes a writable mount, see plan.ts), the
 * protected paths that exist anywhere in it (kept read-only), the secret
 * files and folders (masked), and the git directories that `.git` files
 * point to. One bounded walk with the shared rules (isSecretPath,
 * isProtectedPath, SKIPPED_DIRS); symlinks are not followed, but a link
 * whose name or target is a secret has its target masked. No `vscode`.
 */
import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SKIPPED_DIRS } from '../../../shared/boundary/ignore';
import { PROTECTED_PATTERNS, SECRET_FILE_PATTERNS, SECRET_FOLDERS, isProtectedPath, isSecretPath } from '../../../shared/boundary/rules';
import { resolveGitDirs } from './gitdir';
import { NameHint, lastSegments } from './nameHint';

/**
 * The walk never enters a secret folder, nor looks for protected paths in
 * a protected one, so below the top what decides is the entry's own name,
 * and names no pattern can match are passed over without the full rules.
 */
const secretNames = new NameHint([...SECRET_FILE_PATTERNS, ...SECRET_FOLDERS]);
const protectedNames = new NameHint(lastSegments(PROTECTED_PATTERNS, 'names'));
const protectedFolders = new NameHint(lastSegments(PROTECTED_PATTERNS, 'folders'));
/** A child name no file can have: a folder whose every child is protected (`.idea/**`) is protected as a whole. */
const ANY_CHILD = '\u0000';

function isSecret(relative: string, name: string): boolean {
  return secretNames.mayMatch(name) && isSecretPath(relative);
}

function isProtected(relative: string, name: string, kind: EntryKind): boolean {
  if (protectedNames.mayMatch(name) && isProtectedPath(relative)) return true;
  // Otherwise new files could be made in it.
  return kind === 'dir' && protectedFolders.mayMatch(name) && isProtectedPath(`${relative}/${ANY_CHILD}`);
}

export type EntryKind = 'dir' | 'file' | 'symlink' | 'other';

export interface RootEntry {
  name: string;
  /** Absolute path (under the real root). */
  path: string;
  kind: EntryKind;
}

export interface WorkspaceScan {
  /** The workspace's real path. */
  root: string;
  /** Its direct children. */
  entries: RootEntry[];
  /** Existing protected files and folders (absolute), outside secret folders. */
  protectedPaths: string[];
  /** Secret files to mask (absolute; symlink targets included). */
  secretFiles: string[];
  /** Secret folders to mask (absolute; symlink targets included). */
  secretDirs: string[];
  /** Git directories named by `.git` files (worktrees, submodules), resolved. */
  gitDirs: string[];
  /** Entries looked at. */
  visited: number;
}

export interface ScanLimits {
  /** Most entries to look at; a larger workspace cannot be sandboxed (its secrets could not all be found). */
  maxEntries: number;
  maxDepth: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxEntries: 200_000, maxDepth: 64 };

export class ScanLimitError extends Error {}

/** Folders read at once. */
const PARALLEL_READS = 32;

function kindOf(entry: Dirent): EntryKind {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  return 'other';
}

/** Walks `root` (a real path). Throws ScanLimitError past the limits. */
export async function scanWorkspace(root: string, limits: ScanLimits = DEFAULT_SCAN_LIMITS): Promise<WorkspaceScan> {
  const scan: WorkspaceScan = { root, entries: [], protectedPaths: [], secretFiles: [], secretDirs: [], gitDirs: [], visited: 0 };
  let level: Folder[] = [{ relative: '', inProtected: false }];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > limits.maxDepth) throw new ScanLimitError(`the workspace is nested deeper than ${limits.maxDepth} folders`);
    const next: Folder[] = [];
    // Folders of one level are read together (a few at a time): one by one, the waits add up.
    for (let start = 0; start < level.length; start += PARALLEL_READS) {
      const batch = level.slice(start, start + PARALLEL_READS);
      const listings = await Promise.all(batch.map((folder) => fs.readdir(path.join(root, folder.relative), { withFileTypes: true }).catch(() => [] as Dirent[])));
      for (const [index, children] of listings.entries()) {
        const { relative: relativeDir, inProtected } = batch[index]!;
        for (const child of children) {
          if (++scan.visited > limits.maxEntries) throw new ScanLimitError(`the workspace has more than ${limits.maxEntries} files and folders`);
          const relative = relativeDir ? `${relativeDir}/${child.name}` : child.name;
          const absolute = path.join(root, relative);
          const kind = kindOf(child);
          if (depth === 0) scan.entries.push({ name: child.name, path: absolute, kind });
          const into = await classify(scan, relative, absolute, kind, inProtected);
          if (into) next.push({ relative, inProtected: into === 'protected' });
        }
      }
    }
    level = next;
  }
  return scan;
}

interface Folder {
  relative: string;
  /** Inside a protected folder (already read-only as a whole): only secrets are looked for. */
  inProtected: boolean;
}

/**
 * Records what `relative` is, and whether the walk goes into it: 'protected'
 * for a protected folder (its secrets are still masked), false for none.
 */
async function classify(scan: WorkspaceScan, relative: string, absolute: string, kind: EntryKind, inProtected: boolean): Promise<'plain' | 'protected' | false> {
  if (kind === 'symlink') {
    await classifyLink(scan, relative, absolute);
    return false;
  }
  const name = path.basename(relative);
  if (isSecret(relative, name)) {
    if (kind === 'dir') scan.secretDirs.push(absolute);
    else if (kind === 'file') scan.secretFiles.push(absolute);
    return false;
  }
  if (!inProtected && isProtected(relative, name, kind)) {
    scan.protectedPaths.push(absolute);
    if (kind === 'file' && name.toLowerCase() === '.git') scan.gitDirs.push(...(await resolveGitDirs(absolute)));
    return kind === 'dir' && !SKIPPED_DIRS.has(name) ? 'protected' : false;
  }
  if (kind !== 'dir' || SKIPPED_DIRS.has(name)) return false;
  return inProtected ? 'protected' : 'plain';
}

/**
 * A link is not followed (its target is governed by the mounts where it
 * points), except that a secret behind it is masked at its target: a
 * repository can ship `notes.txt -> ../other/.env`.
 */
async function classifyLink(scan: WorkspaceScan, relative: string, absolute: string): Promise<void> {
  let target: string;
  try {
    target = await fs.realpath(absolute);
  } catch {
    return;
  }
  const targetRelative = target.startsWith(`${scan.root}/`) ? target.slice(scan.root.length + 1) : target;
  if (!isSecretPath(relative) && !isSecretPath(targetRelative)) return;
  const stat = await fs.stat(target).catch(() => undefined);
  if (stat?.isDirectory()) scan.secretDirs.push(target);
  else if (stat?.isFile()) scan.secretFiles.push(target);
}
