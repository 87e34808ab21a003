/**
 * Copies a crashed service left behind: each copy's folder is named
 * `tandem-checks-<pid>-…` after the service that made it.
 */
import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Removes the copies a service that is no longer running left behind (it
 * crashed or was killed before it could). Their worktrees' registrations
 * go with the next `git worktree prune` in that repository.
 */
export async function sweepStaleCopies(tmpDir = os.tmpdir(), isRunning: (pid: number) => boolean = processRuns): Promise<number> {
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(/^tandem-checks-(\d+)-/.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    await rm(path.join(tmpDir, name), { recursive: true, force: true, maxRetries: 3 }).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}

