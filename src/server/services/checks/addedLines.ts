/**
 * Which lines of a proposal are new: only those can introduce a problem. A
 * line the file already had (moved, or untouched between edits) is the
 * person's code, not the proposal's.
 */
import { alignLines, fileLines } from '../../../shared/diff';
import type { FileChange } from '../../../shared/edits';

/**
 * Lines removed plus added beyond which the proposal is compared line by line
 * as a set instead of aligned: jsdiff's cost grows with its square (about
 * 70 ms at the diff toolkit's own limit of 1,000), the set costs one pass, and
 * for the checks the two differ only when the proposal adds a copy of a line
 * the file already has somewhere else.
 */
export const ALIGN_LIMIT = 400;

export interface ProposedFile {
  /** The path on the proposal side. */
  path: string;
  /** The proposed text's lines, without their breaks. */
  lines: string[];
  /** 0-based indexes into `lines` of the added lines, ascending. */
  added: number[];
  /** The text before the proposal ('' for a new file). */
  oldText: string;
  newText: string;
}

/** The proposed side of a change; undefined for a deletion (nothing is added). */
export function proposedFile(change: FileChange): ProposedFile | undefined {
  if (change.kind === 'delete') return undefined;
  const lines = fileLines(change.newText);
  if (change.kind === 'add') {
    return { path: change.path, lines, added: lines.map((_, i) => i), oldText: '', newText: change.newText };
  }
  const old = fileLines(change.oldText);
  const regions = alignLines(old, lines, ALIGN_LIMIT);
  let added: number[];
  if (regions) {
    added = regions.flatMap((region) => range(region.bStart, region.bEnd));
  } else {
    // Too far apart to align cheaply (a rewrite): a line is new when the old text never had it.
    const before = new Set(old);
    added = lines.flatMap((line, i) => (before.has(line) ? [] : [i]));
  }
  return { path: change.moveTo ?? change.path, lines, added, oldText: change.oldText, newText: change.newText };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}
