/**
 * Writes a ChangeSet to disk all or nothing (for `tandem apply-patch`).
 *
 * 1. Prepare: every new text goes to a temp file next to its target
 *    (creating missing parent folders). Any error: temp files and new
 *    folders are removed, nothing else was touched.
 * 2. Commit: each existing file that is replaced, moved or deleted first
 *    gets a backup name (a hard link, or a copy where links do not work);
 *    then temp files are renamed over their targets and deleted files are
 *    unlinked. Any error: every step done so far is undone in reverse.
 * 3. Backups are removed.
 */
// Named imports: a namespace import of node:fs makes the bundle copy every one of its exports at start-up.
import { chmodSync, constants, copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChangeSet } from '../../shared/edits';

/** The file system calls used, replaceable in tests to simulate failures. */
export interface WriteFs {
  writeFileSync(file: string, data: string): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
  linkSync(existing: string, newPath: string): void;
  copyFileSync(from: string, to: string): void;
  mkdirSync(dir: string): void;
  rmdirSync(dir: string): void;
  existsSync(file: string): boolean;
  statMode(file: string): number | undefined;
  chmodSync(file: string, mode: number): void;
}

/** The real file system. */
export const nodeWriteFs: WriteFs = {
  writeFileSync: (file, data) => writeFileSync(file, data, { encoding: 'utf8', flag: 'wx' }),
  renameSync: (from, to) => renameSync(from, to),
  unlinkSync: (file) => unlinkSync(file),
  linkSync: (existing, newPath) => linkSync(existing, newPath),
  copyFileSync: (from, to) => copyFileSync(from, to, constants.COPYFILE_EXCL),
  mkdirSync: (dir) => mkdirSync(dir),
  rmdirSync: (dir) => rmdirSync(dir),
  existsSync: (file) => existsSync(file),
  statMode: (file) => {
    try {
      return statSync(file).mode;
    } catch {
      return undefined;
    }
  },
  chmodSync: (file, mode) => chmodSync(file, mode),
};

interface Step {
  /** Where new text goes (absolute). */
  target?: string;
  temp?: string;
  /** An existing file this step replaces or removes (absolute). */
  original?: string;
  backup?: string;
  /** Progress, for undo. */
  backedUp: boolean;
  placed: boolean;
  removed: boolean;
}

let counter = 0;
function sideName(file: string, kind: 'tmp' | 'bak'): string {
  counter++;
  return path.join(path.dirname(file), `.${path.basename(file)}.tandem-${process.pid}-${Date.now().toString(36)}-${counter}.${kind}`);
}

/** Creates the missing folders up to `dir`, outermost first, recording each in `created`. */
function ensureDir(dir: string, fs: WriteFs, created: string[]): void {
  const missing: string[] = [];
  for (let current = dir; !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const folder of missing) {
    fs.mkdirSync(folder);
    created.push(folder);
  }
}

function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // Best effort while cleaning up or undoing.
  }
}

/** Absolute path of a change path under `root` (the caller decided it may be written). */
function lexically(root: string, file: string): string {
  return path.resolve(root, file);
}

/**
 * Writes every change under `root`, or none of them (throws after undoing).
 * `resolve` gives the absolute path to write for a change path: the CLI
 * passes the workspace boundary's real path (src/shared/boundary).
 */
export function writeChanges(root: string, changeSet: ChangeSet, fs: WriteFs = nodeWriteFs, resolve: (root: string, file: string) => string = lexically): void {
  const resolveUnder = resolve;
  const steps: Step[] = [];
  for (const change of changeSet.changes) {
    const step: Step = { backedUp: false, placed: false, removed: false };
    if (change.kind === 'delete') {
      step.original = resolveUnder(root, change.path);
    } else if (change.kind === 'add') {
      step.target = resolveUnder(root, change.path);
    } else {
      step.original = resolveUnder(root, change.path);
      step.target = resolveUnder(root, change.moveTo ?? change.path);
    }
    steps.push(step);
  }
  const createdDirs: string[] = [];
  const cleanup = (): void => {
    for (const step of steps) {
      if (step.temp && !step.placed) quietly(() => fs.unlinkSync(step.temp ?? ''));
    }
    for (const dir of [...createdDirs].reverse()) quietly(() => fs.rmdirSync(dir));
  };

  // 1. Prepare.
  try {
    changeSet.changes.forEach((change, i) => {
      const step = steps[i];
      if (!step?.target || change.kind === 'delete') return;
      ensureDir(path.dirname(step.target), fs, createdDirs);
      step.temp = sideName(step.target, 'tmp');
      fs.writeFileSync(step.temp, change.newText);
      const mode = step.original ? fs.statMode(step.original) : undefined;
      if (mode !== undefined) fs.chmodSync(step.temp, mode & 0o7777);
    });
  } catch (error) {
    cleanup();
    throw error;
  }

  // 2. Commit.
  try {
    for (const step of steps) {
      if (step.original) {
        step.backup = sideName(step.original, 'bak');
        try {
          fs.linkSync(step.original, step.backup);
        } catch {
          fs.copyFileSync(step.original, step.backup);
        }
        step.backedUp = true;
      }
      if (step.target && step.temp) {
        if (step.target !== step.original && fs.existsSync(step.target)) {
          throw new Error(`${step.target} already exists.`);
        }
        fs.renameSync(step.temp, step.target);
        step.placed = true;
      }
      if (step.original && step.original !== step.target) {
        fs.unlinkSync(step.original);
        step.removed = true;
      }
    }
  } catch (error) {
    for (const step of [...steps].reverse()) {
      if (step.placed && step.target && step.target !== step.original) quietly(() => fs.unlinkSync(step.target ?? ''));
      if (step.backedUp && step.backup && step.original && (step.placed || step.removed)) {
        const { backup, original } = step;
        quietly(() => fs.renameSync(backup, original));
      } else if (step.backedUp && step.backup) {
        const { backup } = step;
        quietly(() => fs.unlinkSync(backup));
      }
    }
    cleanup();
    throw error;
  }

  // 3. Drop backups.
  for (const step of steps) {
    if (step.backup) {
      const { backup } = step;
      quietly(() => fs.unlinkSync(backup));
    }
  }
}
