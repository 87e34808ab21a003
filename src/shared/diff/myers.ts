/**
 * Myers' O((N+M)·D) shortest edit script ("An O(ND) Difference Algorithm and
 * Its Variations", 1986), greedy forward variant with one saved frontier per
 * edit distance for the backtrack: memory O(D²), fine for source files.
 * Common prefix and suffix are stripped first, and lines are compared as
 * small integers. Past MAX_EDIT_DISTANCE (a rewrite, not an edit) the
 * middle becomes one replacement: still correct, no longer minimal.
 */

/** D beyond which the search stops: keeps the backtrack memory (D²/2 numbers) near 8 MB. */
export const MAX_EDIT_DISTANCE = 2_000;

/** A maximal run of changes: `a[aStart, aEnd)` is replaced by `b[bStart, bEnd)`. */
export interface ChangeRegion {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

export function diffSequences(a: readonly string[], b: readonly string[]): ChangeRegion[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) {
    prefix++;
  }
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) {
    suffix++;
  }
  const ids = new Map<string, number>();
  const toIds = (lines: readonly string[], end: number): Int32Array => {
    const out = new Int32Array(end - prefix);
    for (let i = prefix; i < end; i++) {
      let id = ids.get(lines[i]);
      if (id === undefined) {
        id = ids.size;
        ids.set(lines[i], id);
      }
      out[i - prefix] = id;
    }
    return out;
  };
  const x = toIds(a, a.length - suffix);
  const y = toIds(b, b.length - suffix);
  const regions = groupRegions(editScript(x, y)).map((region) => ({
    aStart: region.aStart + prefix,
    aEnd: region.aEnd + prefix,
    bStart: region.bStart + prefix,
    bEnd: region.bEnd + prefix,
  }));
  return slideDown(regions, a, b);
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
    const nextStart = i + 1 < regions.length ? regions[i + 1].aStart : a.length + 1;
    if (region.aStart === region.aEnd) {
      // Insertion of b[bStart, bEnd) before a[aEnd] (which equals b[bEnd]).
      while (region.aEnd + 1 < nextStart && region.aEnd < a.length && region.bEnd < b.length && b[region.bStart] === a[region.aEnd]) {
        region.aStart++;
        region.aEnd++;
        region.bStart++;
        region.bEnd++;
      }
    } else if (region.bStart === region.bEnd) {
      // Deletion of a[aStart, aEnd), followed by a[aEnd] (which equals b[bEnd]).
      while (region.aEnd + 1 < nextStart && region.aEnd < a.length && region.bEnd < b.length && a[region.aStart] === a[region.aEnd]) {
        region.aStart++;
        region.aEnd++;
        region.bStart++;
        region.bEnd++;
      }
    }
  }
  return regions;
}

/** One step of the edit script: delete a[ai] or insert b[bi] before a[ai]. */
interface Step {
  kind: 'delete' | 'insert';
  ai: number;
  bi: number;
}

function editScript(a: Int32Array, b: Int32Array): Step[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) {
    const steps: Step[] = [];
    for (let i = 0; i < n; i++) steps.push({ kind: 'delete', ai: i, bi: 0 });
    for (let j = 0; j < m; j++) steps.push({ kind: 'insert', ai: 0, bi: j });
    return steps;
  }
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = n + m + 1;
  // v[offset + k]: furthest x reached on diagonal k (k = x - y).
  const v = new Int32Array(2 * (n + m) + 3);
  // trace[d]: v[-d..d] as it was before round d, for the backtrack.
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let xPos = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let yPos = xPos - k;
      while (xPos < n && yPos < m && a[xPos] === b[yPos]) {
        xPos++;
        yPos++;
      }
      v[offset + k] = xPos;
      if (xPos >= n && yPos >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) {
    // Too far apart: replace the whole (trimmed) middle.
    const steps: Step[] = [];
    for (let i = 0; i < n; i++) steps.push({ kind: 'delete', ai: i, bi: 0 });
    for (let j = 0; j < m; j++) steps.push({ kind: 'insert', ai: n, bi: j });
    return steps;
  }
  const steps: Step[] = [];
  let xPos = n;
  let yPos = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d];
    const at = (k: number): number => prev[k + d];
    const k = xPos - yPos;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    if (down) {
      steps.push({ kind: 'insert', ai: prevX, bi: prevY });
    } else {
      steps.push({ kind: 'delete', ai: prevX, bi: prevY });
    }
    xPos = prevX;
    yPos = prevY;
  }
  return steps.reverse();
}

/** Joins steps that touch (no equal line between them) into regions. */
function groupRegions(steps: Step[]): ChangeRegion[] {
  const regions: ChangeRegion[] = [];
  let current: ChangeRegion | undefined;
  for (const step of steps) {
    const aAt = step.ai;
    const bAt = step.bi;
    if (current && current.aEnd === aAt && current.bEnd === bAt) {
      if (step.kind === 'delete') current.aEnd++;
      else current.bEnd++;
      continue;
    }
    current = { aStart: aAt, aEnd: aAt, bStart: bAt, bEnd: bAt };
    if (step.kind === 'delete') current.aEnd++;
    else current.bEnd++;
    regions.push(current);
  }
  return regions;
}
