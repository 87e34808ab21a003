/**
 * After a sandboxed command: protected paths it created below the top
 * folder. The mounts keep existing protected paths read-only and stop new
 * ones at the top, but inside a writable folder a command could still make
 * a new `pkg/.git` (which the editor's git would then open and run hooks and
 * `core.fsmonitor` from, outside any sandbox), `pkg/AGENTS.md` (rules for
 * the next task) or `sub/.vscode`. Those are removed again and the command's
 * output says so. No `vscode`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { scanWorkspace, type ScanLimits, DEFAULT_SCAN_LIMITS } from './scan';

export async function removeNewProtected(root: string, before: readonly string[], limits: ScanLimits = DEFAULT_SCAN_LIMITS): Promise<string[]> {
  const existed = new Set(before);
  let after;
  try {
    after = await scanWorkspace(root, limits);
  } catch {
    return [];
  }
  const created = after.protectedPaths.filter((entry) => !existed.has(entry) && entry.startsWith(`${root}${path.sep}`));
  // Outermost first: removing a new `.git` folder removes what was made inside it.
  const outermost = created.sort((a, b) => a.length - b.length).filter((entry, index, all) => !all.slice(0, index).some((outer) => entry.startsWith(`${outer}${path.sep}`)));
  const removed: string[] = [];
  for (const entry of outermost) {
    try {
      // lstat-based: a link is removed itself, never what it points to.
      await fs.rm(entry, { recursive: true, force: true });
      removed.push(path.relative(root, entry).split(path.sep).join('/'));
    } catch {
      // left in place; the next scan sees it as existing
    }
  }
  return removed;
}
