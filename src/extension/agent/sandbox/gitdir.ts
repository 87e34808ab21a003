/**
 * Where git keeps a checkout's repository when `.git` is a file (a linked
 * worktree, a submodule): `gitdir: <path>` names the git directory, and a
 * worktree's git directory names the main one in `commondir`. Both hold
 * config and hooks git runs, so the sandbox keeps them read-only wherever
 * they are. No `vscode`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Git reads at most this much of a `.git` file; so do we. */
const MAX_POINTER_BYTES = 64 * 1024;

async function readSmall(file: string): Promise<string | undefined> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      const buffer = Buffer.alloc(MAX_POINTER_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, MAX_POINTER_BYTES, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

async function realDir(candidate: string): Promise<string | undefined> {
  try {
    const real = await fs.realpath(candidate);
    return (await fs.stat(real)).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** The git directory a `.git` file points to, and its common directory: real paths of those that exist. */
export async function resolveGitDirs(dotGitFile: string): Promise<string[]> {
  const text = await readSmall(dotGitFile);
  const match = text && /^gitdir:\s*(.+?)\s*$/m.exec(text);
  if (!match?.[1]) return [];
  const gitDir = await realDir(path.resolve(path.dirname(dotGitFile), match[1]));
  if (!gitDir) return [];
  const found = [gitDir];
  const common = (await readSmall(path.join(gitDir, 'commondir')))?.trim();
  if (common) {
    const commonDir = await realDir(path.resolve(gitDir, common));
    if (commonDir && commonDir !== gitDir) found.push(commonDir);
  }
  return found;
}
