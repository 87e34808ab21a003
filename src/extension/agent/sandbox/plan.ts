/**
 * What a sandboxed command may touch, worked out from the workspace on disk
 * just before it runs; bubblewrap.ts and seatbelt.ts turn it into their
 * arguments. No `vscode`.
 *
 * Writes: the workspace minus protected paths. Mount-based sandboxes can
 * only stop a name from being *created* by making the folder it would be
 * created in read-only (or by putting a placeholder on disk, which the
 * person would see appear in their workspace during every command). So
 * the workspace's top folder itself is read-only, and each of its existing
 * entries is made writable again, except the protected and secret ones:
 * a command cannot create `.vscode/settings.json`, `.github/…`, `AGENTS.md`
 * or a new `.git` at the top, nor change existing protected paths at any
 * depth; it can write everywhere inside the existing folders. What it
 * cannot do is add or remove top-level entries (the step says so, and the
 * person can let it run unsandboxed).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HOME_CREDENTIALS, SOCKET_PATHS } from './credentials';
import { DEFAULT_SCAN_LIMITS, type ScanLimits, scanWorkspace } from './scan';

export interface SandboxPlan {
  /** The workspace (real path). Read-only itself; see `writable`. */
  root: string;
  /** Where the command starts (real path, inside root). */
  cwd: string;
  /** Existing top-level entries of root the command may change (files and folders). */
  writable: string[];
  /** Protected paths and git directories below the writable entries: read-only again. */
  readOnly: string[];
  /** Files whose content is hidden (secrets, credentials). */
  maskFiles: string[];
  /** Folders shown empty (secret folders, credential stores, sockets). */
  maskDirs: string[];
  /** The command may use the network. */
  network: boolean;
  /** Every protected path that existed before the command (real paths): what is new afterwards was made by it. */
  protectedBefore: string[];
}

export interface PlanOptions {
  workspace: string;
  /** Absolute; defaults to the workspace. */
  cwd?: string;
  home: string;
  /** The user id, for `/run/user/<uid>`. */
  uid?: number;
  network: boolean;
  /** More folders or files to mask (e.g. the editor's own user-data folder). */
  extraMasks?: readonly string[];
  limits?: ScanLimits;
}

export class SandboxPlanError extends Error {}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

async function existing(candidate: string): Promise<{ path: string; dir: boolean } | undefined> {
  try {
    const real = await fs.realpath(candidate);
    const stat = await fs.stat(real);
    return stat.isDirectory() || stat.isFile() || stat.isSocket() ? { path: real, dir: stat.isDirectory() } : undefined;
  } catch {
    return undefined;
  }
}

export async function planSandbox(options: PlanOptions): Promise<SandboxPlan> {
  const root = await fs.realpath(options.workspace).catch(() => {
    throw new SandboxPlanError(`the workspace ${options.workspace} does not exist`);
  });
  const cwd = await fs.realpath(options.cwd ?? root).catch(() => {
    throw new SandboxPlanError(`the folder ${options.cwd} does not exist`);
  });
  if (!isInside(cwd, root)) throw new SandboxPlanError(`${cwd} is outside the workspace`);
  const home = await fs.realpath(options.home).catch(() => options.home);
  // A workspace that holds the home folder would make ~/.bashrc and friends writable.
  if (root === '/' || isInside(home, root)) throw new SandboxPlanError('the workspace contains the home folder');

  const scan = await scanWorkspace(root, options.limits ?? DEFAULT_SCAN_LIMITS);
  const topProtected = new Set(scan.protectedPaths.filter((entry) => path.dirname(entry) === root));
  const topSecret = new Set([...scan.secretFiles, ...scan.secretDirs].filter((entry) => path.dirname(entry) === root));
  const writable = scan.entries
    .filter((entry) => (entry.kind === 'dir' || entry.kind === 'file') && !topProtected.has(entry.path) && !topSecret.has(entry.path))
    .map((entry) => entry.path);
  const readOnly = unique([...scan.protectedPaths.filter((entry) => !topProtected.has(entry)), ...scan.gitDirs.filter((dir) => isInside(dir, root) && dir !== root)]);

  const maskFiles = [...scan.secretFiles];
  const maskDirs = [...scan.secretDirs];
  const outside = [
    ...HOME_CREDENTIALS.map((relative) => path.join(home, relative)),
    ...SOCKET_PATHS.map((socket) => socket.replace('{uid}', String(options.uid ?? process.getuid?.() ?? 0))),
    ...(options.extraMasks ?? []),
  ];
  for (const candidate of outside) {
    const found = await existing(candidate);
    if (found) (found.dir ? maskDirs : maskFiles).push(found.path);
  }
  // Never mask what holds the workspace or the root of the file system (a link named `.env -> /`).
  const keep = (masked: string): boolean => masked !== '/' && !isInside(root, masked);
  return {
    root,
    cwd,
    writable,
    readOnly,
    maskFiles: unique(maskFiles.filter(keep)),
    maskDirs: unique(maskDirs.filter(keep)),
    network: options.network,
    protectedBefore: [...scan.protectedPaths],
  };
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}
