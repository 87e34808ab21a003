import type { DiffHunk } from './hunks';
import { splitLines } from './lines';

/** How many lines on each side of a hunk are used to find it again. */
export const CONTEXT_LINES = 3;

/**
 * A hunk with the lines around it in the text it was made against: up to
 * CONTEXT_LINES before and after. Fewer than that means the hunk is that close
 * to the start (or end) of the text.
 */
export interface ContextHunk extends DiffHunk {
  before: string[];
  after: string[];
}

/** Adds the context of `hunk` in `base` (the text its `oldStart` refers to). */
export function withContext(hunk: DiffHunk, base: string | readonly string[], size = CONTEXT_LINES): ContextHunk {
  const lines = typeof base === 'string' ? splitLines(base) : base;
  const end = hunk.oldStart + hunk.oldLines.length;
  return {
    ...hunk,
    before: lines.slice(Math.max(0, hunk.oldStart - size), hunk.oldStart),
    after: lines.slice(end, end + size),
  };
}

export type Relocation =
  | { status: 'found'; start: number }
  /** The old lines (with enough context) are nowhere in the text. */
  | { status: 'notFound' }
  /** They are in several places; the 0-based lines where the old lines would start. */
  | { status: 'ambiguous'; candidates: number[] };

/**
 * Where the hunk's old lines are in `current`, a text that may have changed
 * since the hunk was made. Tries the old lines with all their context first,
 * then with less (the person may have edited next to the hunk): the first
 * amount of context that matches anywhere decides, and it must match exactly
 * once. A pure insertion needs at least one line of context.
 */
export function relocateHunk(hunk: ContextHunk, current: string | readonly string[]): Relocation {
  const lines = typeof current === 'string' ? splitLines(current) : current;
  const widest = Math.max(hunk.before.length, hunk.after.length, 1);
  const narrowest = hunk.oldLines.length === 0 ? 1 : 0;
  for (let size = Math.min(widest, CONTEXT_LINES); size >= narrowest; size--) {
    const before = hunk.before.slice(Math.max(0, hunk.before.length - size));
    const after = hunk.after.slice(0, size);
    const pattern = [...before, ...hunk.oldLines, ...after];
    const matches = findAll(lines, pattern).map((index) => index + before.length);
    if (matches.length > 1) {
      return { status: 'ambiguous', candidates: matches };
    }
    const [start] = matches;
    if (start !== undefined) {
      return { status: 'found', start };
    }
  }
  return { status: 'notFound' };
}

function findAll(lines: readonly string[], pattern: readonly string[]): number[] {
  const found: number[] = [];
  if (pattern.length === 0) {
    return found;
  }
  for (let index = 0; index + pattern.length <= lines.length; index++) {
    let matches = true;
    for (let i = 0; i < pattern.length; i++) {
      if (lines[index + i] !== pattern[i]) {
        matches = false;
        break;
      }
    }
    if (matches) {
      found.push(index);
    }
  }
  return found;
}
