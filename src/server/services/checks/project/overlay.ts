/**
 * The proposal's side of a change set written into the temporary copy:
 * adds, updates, renames (the old path removed) and deletes. Every path is
 * resolved on the real file system first; one that would land outside the
 * copy (a link out, a linked dependency folder, `..`, an absolute path) or
 * in git's own files refuses the whole overlay with the reason.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveReal } from '../../../../shared/boundary/boundary';
import type { ChangeSet } from '../../../../shared/edits';

/** Where the copy is: its top (the only folder written) and the workspace folder inside it. */
export interface CopyPlace {
  root: string;
  folder: string;
}

/** Writes the proposal's side into the copy; a reason when a path would land outside it. */
export async function applyProposal(copy: CopyPlace, changeSet: ChangeSet): Promise<string | undefined> {
  for (const change of changeSet.changes) {
    if (change.kind === 'delete' || (change.kind === 'update' && change.moveTo !== undefined)) {
      const target = placeInCopy(copy, change.path, 'remove');
      if (typeof target !== 'object') return target;
      await rm(target.path, { force: true });
    }
    if (change.kind === 'add' || change.kind === 'update') {
      const target = placeInCopy(copy, change.kind === 'update' && change.moveTo !== undefined ? change.moveTo : change.path, 'write');
      if (typeof target !== 'object') return target;
      await mkdir(path.dirname(target.path), { recursive: true });
      await writeFile(target.path, change.newText);
    }
  }
  return undefined;
}

/**
 * The real place in the copy a proposal's path names. `write`: the file
 * itself resolved (a link is followed, and must stay in the copy);
 * `remove`: the entry itself (a link is removed, not its target), its
 * folder resolved.
 */
function placeInCopy(copy: CopyPlace, requested: string, access: 'write' | 'remove'): { path: string } | string {
  const outside = `The proposal names ${requested}, which is outside the workspace: project checks are skipped.`;
  const parts = requested.split(/[\\/]/);
  if (path.isAbsolute(requested) || parts.includes('..')) return outside;
  // The copy's .git file points at the person's repository: a proposal never rewrites it.
  if (parts.some((part) => part.toLowerCase() === '.git')) return `The proposal changes ${requested}, inside git's own files: project checks are skipped.`;
  const absolute = path.resolve(copy.folder, requested);
  const lexical = path.relative(copy.folder, absolute);
  if (lexical === '' || lexical.startsWith('..') || path.isAbsolute(lexical)) return outside;
  const resolved = resolveReal(access === 'write' ? absolute : path.dirname(absolute));
  if (!resolved.ok) return `${requested}: ${resolved.reason}`;
  const real = access === 'write' ? resolved.path : path.join(resolved.path, path.basename(absolute));
  const inside = path.relative(copy.root, real);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    return `The proposal writes ${requested}, which leads outside the temporary copy through a symbolic link: project checks are skipped.`;
  }
  return { path: real };
}
