/**
 * A line diff of two small texts (a SEARCH and its REPLACE, a selection and
 * its new code), so unchanged lines can be kept exactly as the file has them
 * and removed lines can be told apart from added ones.
 */
import type { HunkLine } from './types';

/** Above this many cells the middle part is not aligned: all of it counts as removed and added. */
const MAX_CELLS = 4_000_000;

/** Removed/added/context lines turning `before` into `after` (longest common subsequence). */
export function diffLines(before: readonly string[], after: readonly string[]): HunkLine[] {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) {
    prefix++;
  }
  let suffix = 0;
  while (
    suffix < before.length - prefix &&
    suffix < after.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) {
    suffix++;
  }
  const ops: HunkLine[] = before.slice(0, prefix).map((text) => ({ op: ' ', text }));
  ops.push(...middle(before.slice(prefix, before.length - suffix), after.slice(prefix, after.length - suffix)));
  ops.push(...before.slice(before.length - suffix).map((text): HunkLine => ({ op: ' ', text })));
  return ops;
}

/** Whether `diffLines` aligns texts of these many lines (otherwise their differing middle counts as removed and added). */
export function canAlign(n: number, m: number): boolean {
  return (n + 1) * (m + 1) <= MAX_CELLS;
}

function middle(a: readonly string[], b: readonly string[]): HunkLine[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || !canAlign(n, m)) {
    return [...a.map((text): HunkLine => ({ op: '-', text })), ...b.map((text): HunkLine => ({ op: '+', text }))];
  }
  // lengths[i * (m + 1) + j]: LCS length of a[i..] and b[j..].
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j] ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const ops: HunkLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i] ?? '' });
      i++;
      j++;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) {
      ops.push({ op: '-', text: a[i] ?? '' });
      i++;
    } else {
      ops.push({ op: '+', text: b[j] ?? '' });
      j++;
    }
  }
  for (; i < n; i++) ops.push({ op: '-', text: a[i] ?? '' });
  for (; j < m; j++) ops.push({ op: '+', text: b[j] ?? '' });
  return ops;
}
