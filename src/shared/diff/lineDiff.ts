/**
 * The line diff, over jsdiff's `diffArrays` (Myers' O((N+M)·D) shortest edit
 * script). Lines are compared without their breaks (see lines.ts). Around it:
 * the common prefix and suffix are stripped first (cheap, and the usual case
 * for an edit), change blocks are slid down as a person reads them (see
 * `slideDown`), and past MAX_EDIT_LENGTH changed lines jsdiff gives up: the
 * differing middle then counts as one replacement, still correct, no longer
 * minimal, and `alignLines` says so for callers that need a real alignment.
 */
import { diffArrays } from 'diff';

/**
 * Edit distance (lines removed plus added) beyond which texts are not aligned:
 * a rewrite, not an edit. jsdiff's search costs about D² steps, so this keeps
 * the worst case near 70 ms; a rewrite that is obviously further apart (see
 * `surelyFurther`) is not searched at all.
 */
export const MAX_EDIT_LENGTH = 1_000;

/** A maximal run of changes: `a[aStart, aEnd)` is replaced by `b[bStart, bEnd)`. */
export interface ChangeRegion {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** One line of a hunk: unchanged context, removed, or added. */
export interface HunkLine {
  op: ' ' | '-' | '+';
  text: string;
}

/**
 * The change regions turning `a` into `b`, in order, none touching another,
 * with the fewest lines removed and added; undefined when more than
 * `maxEditLength` lines differ (the texts cannot be aligned cheaply).
 */
export function alignLines(a: readonly string[], b: readonly string[], maxEditLength = MAX_EDIT_LENGTH): ChangeRegion[] | undefined {
  const { prefix, suffix } = commonEnds(a, b);
  const aEnd = a.length - suffix;
  const bEnd = b.length - suffix;
  if (prefix === aEnd && prefix === bEnd) {
    return [];
  }
  if (prefix === aEnd || prefix === bEnd) {
    // Only added or only removed lines: one region, nothing to align.
    return slideDown([{ aStart: prefix, aEnd, bStart: prefix, bEnd }], a, b);
  }
  const aMiddle = a.slice(prefix, aEnd);
  const bMiddle = b.slice(prefix, bEnd);
  if (surelyFurther(aMiddle, bMiddle, maxEditLength)) {
    return undefined;
  }
  const changes = diffArrays(aMiddle, bMiddle, { maxEditLength });
  if (changes === undefined) {
    return undefined;
  }
  const regions: ChangeRegion[] = [];
  let ai = prefix;
  let bi = prefix;
  let open: ChangeRegion | undefined;
  for (const change of changes) {
    if (!change.added && !change.removed) {
      ai += change.count;
      bi += change.count;
      open = undefined;
      continue;
    }
    if (!open) {
      open = { aStart: ai, aEnd: ai, bStart: bi, bEnd: bi };
      regions.push(open);
    }
    if (change.removed) {
      ai += change.count;
      open.aEnd = ai;
    } else {
      bi += change.count;
      open.bEnd = bi;
    }
  }
  return slideDown(regions, a, b);
}

/**
 * The change regions turning `a` into `b` (see `alignLines`); when they cannot
 * be aligned, the whole differing middle is one region.
 */
export function diffSequences(a: readonly string[], b: readonly string[], maxEditLength = MAX_EDIT_LENGTH): ChangeRegion[] {
  const regions = alignLines(a, b, maxEditLength);
  if (regions !== undefined) {
    return regions;
  }
  const { prefix, suffix } = commonEnds(a, b);
  return [{ aStart: prefix, aEnd: a.length - suffix, bStart: prefix, bEnd: b.length - suffix }];
}

/** Kept, removed and added lines turning `a` into `b`: each region's removed lines, then its added lines. */
export function lineOps(a: readonly string[], b: readonly string[], regions: readonly ChangeRegion[] = diffSequences(a, b)): HunkLine[] {
  const ops: HunkLine[] = [];
  let ai = 0;
  const keep = (end: number): void => {
    for (; ai < end; ai++) ops.push({ op: ' ', text: a[ai] ?? '' });
  };
  for (const region of regions) {
    keep(region.aStart);
    for (; ai < region.aEnd; ai++) ops.push({ op: '-', text: a[ai] ?? '' });
    for (let bi = region.bStart; bi < region.bEnd; bi++) ops.push({ op: '+', text: b[bi] ?? '' });
  }
  keep(a.length);
  return ops;
}

/**
 * Whether more than `limit` lines must be removed or added whatever the
 * alignment: every copy of a line that one side has more of than the other
 * is removed or added. Cheap (one pass), and true for most rewrites, which
 * would otherwise cost jsdiff its whole search before it gives up.
 */
function surelyFurther(a: readonly string[], b: readonly string[], limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) {
    return true;
  }
  const balance = new Map<string, number>();
  for (const line of a) balance.set(line, (balance.get(line) ?? 0) + 1);
  for (const line of b) balance.set(line, (balance.get(line) ?? 0) - 1);
  let unmatched = 0;
  for (const count of balance.values()) unmatched += Math.abs(count);
  return unmatched > limit;
}

function commonEnds(a: readonly string[], b: readonly string[]): { prefix: number; suffix: number } {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) {
    prefix++;
  }
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) {
    suffix++;
  }
  return { prefix, suffix };
}

/**
 * A block of inserted (or deleted) lines that starts with the line right
 * after it can equally be placed one line lower: ["}", "if (x) {", "  y;"]
 * inserted before "}" is the same change as ["if (x) {", "  y;", "}"]
 * inserted after it. Like git, we place such blocks as low as they go,
 * which is where a person (and VS Code's diff) sees the new code. A block
 * never slides into touching the next one.
 */
function slideDown(regions: ChangeRegion[], a: readonly string[], b: readonly string[]): ChangeRegion[] {
  for (let i = 0; i < regions.length; i++) {
    const region = regions[i];
    if (!region) continue;
    const nextStart = regions[i + 1]?.aStart ?? a.length + 1;
    if (region.aStart === region.aEnd) {
      // Insertion of b[bStart, bEnd) before a[aEnd] (which equals b[bEnd]).
      while (region.aEnd + 1 < nextStart && region.aEnd < a.length && region.bEnd < b.length && b[region.bStart] === a[region.aEnd]) {
        shift(region);
      }
    } else if (region.bStart === region.bEnd) {
      // Deletion of a[aStart, aEnd), followed by a[aEnd] (which equals b[bEnd]).
      while (region.aEnd + 1 < nextStart && region.aEnd < a.length && region.bEnd < b.length && a[region.aStart] === a[region.aEnd]) {
        shift(region);
      }
    }
  }
  return regions;
}

function shift(region: ChangeRegion): void {
  region.aStart++;
  region.aEnd++;
  region.bStart++;
  region.bEnd++;
}
