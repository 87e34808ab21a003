import assert from 'node:assert/strict';
import {
  alignLines,
  applyDiffHunks as applyHunks,
  countChanges,
  diffLines,
  diffSequences,
  lineOps,
  MAX_EDIT_LENGTH,
  splitLines,
  type ChangeRegion,
  type DiffHunk,
  type HunkLine,
} from '../../../src/shared/diff';
import { seededRandom } from '../../support/random';

const random = seededRandom;

/** A random line list over a small alphabet (many equal lines: many equally short edit scripts). */
function randomLines(next: () => number, length = 14): string[] {
  const alphabet = ['a', 'b', 'c', '}', '', '  x', 'e'].slice(0, 2 + Math.floor(next() * 6));
  return Array.from({ length: Math.floor(next() * length) }, () => alphabet[Math.floor(next() * alphabet.length)] ?? '');
}

/** `a` with each region's lines replaced by those of `b` (regions in order, not overlapping). */
function spliced(a: readonly string[], b: readonly string[], regions: readonly ChangeRegion[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const region of regions) {
    assert.ok(region.aStart >= at, 'regions in order');
    out.push(...a.slice(at, region.aStart), ...b.slice(region.bStart, region.bEnd));
    at = region.aEnd;
  }
  return [...out, ...a.slice(at)];
}

/** Length of the longest common subsequence, by dynamic programming: the reference for minimality. */
function lcs(a: readonly string[], b: readonly string[]): number {
  // row[j]: the LCS of the lines of `a` so far and the first j lines of `b`.
  const row = new Array<number>(b.length + 1).fill(0);
  for (const line of a) {
    let diagonal = 0;
    for (const [j, other] of b.entries()) {
      const above = row[j + 1] ?? 0;
      row[j + 1] = line === other ? diagonal + 1 : Math.max(above, row[j] ?? 0);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

describe('line diff (jsdiff)', () => {
  it('finds nothing between equal texts', () => {
    assert.deepEqual(diffLines('a\nb\n', 'a\nb\n'), []);
    assert.deepEqual(diffLines('', ''), []);
  });

  it('reports a changed line as one hunk with its 0-based old position', () => {
    assert.deepEqual(diffLines('a\nb\nc\n', 'a\nB\nc\n'), [{ oldStart: 1, oldLines: ['b'], newLines: ['B'] }]);
  });

  it('keeps separate change regions apart and each one contiguous', () => {
    const hunks = diffLines('1\n2\n3\n4\n5\n6\n', '1\nx\n3\n4\n5\ny\nz\n');
    assert.deepEqual(hunks, [
      { oldStart: 1, oldLines: ['2'], newLines: ['x'] },
      { oldStart: 5, oldLines: ['6'], newLines: ['y', 'z'] },
    ]);
  });

  it('handles pure insertions and deletions, at the start, middle and end', () => {
    assert.deepEqual(diffLines('b\nc\n', 'a\nb\nc\n'), [{ oldStart: 0, oldLines: [], newLines: ['a'] }]);
    assert.deepEqual(diffLines('a\nc\n', 'a\nb\nc\n'), [{ oldStart: 1, oldLines: [], newLines: ['b'] }]);
    assert.deepEqual(diffLines('a\nb\nc\n', 'a\nc\n'), [{ oldStart: 1, oldLines: ['b'], newLines: [] }]);
    assert.deepEqual(diffLines('a\nb', 'a\nb\nc'), [{ oldStart: 2, oldLines: [], newLines: ['c'] }]);
  });

  it('places an insertion that could go at several places as low as it goes', () => {
    const old = ['  for (;;) {', '    sum += 1;', '  }', '  return sum;', ''].join('\n');
    const next = ['  for (;;) {', '    sum += 1;', '  }', '  if (x) {', '    return 0;', '  }', '  return sum;', ''].join('\n');
    assert.deepEqual(diffLines(old, next), [{ oldStart: 3, oldLines: [], newLines: ['  if (x) {', '    return 0;', '  }'] }]);
    assert.deepEqual(diffLines(next, old), [{ oldStart: 3, oldLines: ['  if (x) {', '    return 0;', '  }'], newLines: [] }]);
    // A new function before another one: its blank separator line goes after it.
    const before = ['}', '', 'function b() {}', ''].join('\n');
    const after = ['}', '', 'function x() {}', '', 'function b() {}', ''].join('\n');
    assert.deepEqual(diffLines(before, after), [{ oldStart: 2, oldLines: [], newLines: ['function x() {}', ''] }]);
  });

  it('diffs from and to an empty file', () => {
    const added = diffLines('', 'a\nb\n');
    assert.equal(applyHunks('', added), 'a\nb\n');
    const removed = diffLines('a\nb\n', '');
    assert.equal(applyHunks('a\nb\n', removed), '');
    assert.deepEqual(countChanges(removed), { added: 0, removed: 2 });
  });

  it('sees a missing or added final newline as a change of the last line', () => {
    assert.deepEqual(diffLines('a\nb', 'a\nb\n'), [{ oldStart: 2, oldLines: [], newLines: [''] }]);
    assert.equal(applyHunks('a\nb', diffLines('a\nb', 'a\nb\n')), 'a\nb\n');
    assert.equal(applyHunks('a\nb\n', diffLines('a\nb\n', 'a\nb')), 'a\nb');
    assert.equal(applyHunks('a\nb', diffLines('a\nb', 'a\nc')), 'a\nc');
    assert.equal(applyHunks('a\nb', diffLines('a\nb', 'a')), 'a');
  });

  it('compares CRLF lines without their breaks and keeps CRLF when applying', () => {
    assert.deepEqual(diffLines('a\r\nb\r\n', 'a\nb\n'), []);
    const hunks = diffLines('a\r\nb\r\nc\r\n', 'a\nB\nc\nd\n');
    assert.equal(applyHunks('a\r\nb\r\nc\r\n', hunks), 'a\r\nB\r\nc\r\nd\r\n');
  });

  it('keeps the line breaks of untouched lines in a mixed file', () => {
    const old = 'a\r\nb\nc\r\n';
    assert.equal(applyHunks(old, diffLines(old, 'a\nb\nC\n'), '\n'), 'a\r\nb\nC\n');
  });

  it('refuses hunks that do not match the text or overlap', () => {
    assert.throws(() => applyHunks('a\nb\n', [{ oldStart: 0, oldLines: ['x'], newLines: ['y'] }]), /does not match/);
    assert.throws(() => applyHunks('a\nb\n', [{ oldStart: 5, oldLines: ['x'], newLines: [] }]), /outside/);
    assert.throws(
      () =>
        applyHunks('a\nb\nc\n', [
          { oldStart: 1, oldLines: ['b'], newLines: ['B'] },
          { oldStart: 0, oldLines: ['a'], newLines: ['A'] },
        ]),
      /overlap or are out of order/,
    );
  });

  it('property: applying all hunks to the old text gives the new text, with a minimal edit script', () => {
    const next = random(20240611);
    for (let round = 0; round < 400; round++) {
      const alphabet = ['a', 'b', 'c', 'd', '', '  x', 'e'].slice(0, 2 + Math.floor(next() * 6));
      const make = (): string[] => Array.from({ length: Math.floor(next() * 14) }, () => alphabet[Math.floor(next() * alphabet.length)] ?? '');
      const eol = next() < 0.3 ? '\r\n' : '\n';
      const finalNewline = (): string => (next() < 0.5 ? eol : '');
      const oldText = make().join(eol) + finalNewline();
      const newText = make().join(eol) + finalNewline();
      const hunks = diffLines(oldText, newText);
      const applied = applyHunks(oldText, hunks, eol);
      assert.equal(applied, newText, `round ${round}: ${JSON.stringify(oldText)} -> ${JSON.stringify(newText)}`);

      const a = splitLines(oldText);
      const b = splitLines(newText);
      const { added, removed } = countChanges(hunks);
      assert.equal(added + removed, a.length + b.length - 2 * lcs(a, b), `round ${round}: not a shortest edit script`);
      for (const [i, hunk] of hunks.entries()) {
        const previous = hunks[i - 1];
        if (!previous) continue;
        assert.ok(previous.oldStart + previous.oldLines.length < hunk.oldStart, `round ${round}: hunks ${i - 1} and ${i} touch`);
      }
      for (const hunk of hunks) {
        assert.ok(hunk.oldLines.length + hunk.newLines.length > 0);
      }
    }
  });

  it('gives a rewrite too far apart to search as one replacement, still correct', () => {
    const a = Array.from({ length: 1500 }, (_, i) => `old ${i}`);
    const b = Array.from({ length: 1500 }, (_, i) => `new ${i}`);
    const oldText = ['same', ...a, 'end', ''].join('\n');
    const newText = ['same', ...b, 'end', ''].join('\n');
    const hunks = diffLines(oldText, newText);
    assert.equal(hunks.length, 1);
    assert.equal(hunks[0]?.oldStart, 1);
    assert.equal(applyHunks(oldText, hunks), newText);
  });

  it('diffs sequences with a common prefix and suffix and a long middle', () => {
    const a = Array.from({ length: 2000 }, (_, i) => `line ${i}`);
    const b = [...a];
    b.splice(1000, 3, 'changed');
    b.splice(10, 0, 'inserted');
    const regions = diffSequences(a, b);
    assert.deepEqual(regions, [
      { aStart: 10, aEnd: 10, bStart: 10, bEnd: 11 },
      { aStart: 1000, aEnd: 1003, bStart: 1001, bEnd: 1002 },
    ]);
  });
  it('property: aligns whenever few enough lines differ, else replaces the differing middle', () => {
    const next = random(31337);
    const hunksOf = (a: string[], b: string[], regions: ChangeRegion[]): DiffHunk[] =>
      regions.map((r) => ({ oldStart: r.aStart, oldLines: a.slice(r.aStart, r.aEnd), newLines: b.slice(r.bStart, r.bEnd) }));
    let gaveUp = 0;
    for (let round = 0; round < 400; round++) {
      const a = randomLines(next);
      const b = randomLines(next);
      const max = Math.floor(next() * 8);
      const context = `round ${round}: ${JSON.stringify([a, b, max])}`;
      const distance = a.length + b.length - 2 * lcs(a, b);
      const aligned = alignLines(a, b, max);
      if (aligned === undefined) {
        gaveUp++;
        assert.ok(distance > max, context);
        const regions = diffSequences(a, b, max);
        assert.equal(regions.length, 1, context);
        const [only] = regions;
        // From the first differing line to the last one.
        assert.ok(only && a[only.aStart] !== b[only.bStart] && a[only.aEnd - 1] !== b[only.bEnd - 1], context);
        assert.deepEqual(spliced(a, b, regions), b, context);
      } else {
        // Only added or only removed lines need no search: aligned even past the limit.
        assert.ok(distance <= max || lcs(a, b) === Math.min(a.length, b.length), context);
        const { added, removed } = countChanges(hunksOf(a, b, aligned));
        assert.equal(added + removed, distance, context);
        assert.deepEqual(spliced(a, b, aligned), b, context);
      }
    }
    assert.ok(gaveUp > 50, `only ${gaveUp} rounds exercised giving up`);
  });

  it('does not search texts that are surely too far apart, and diffs large nearby ones', () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `a ${i}`);
    const b = Array.from({ length: 20_000 }, (_, i) => `b ${i}`);
    assert.equal(alignLines(a, b), undefined);
    assert.deepEqual(diffSequences(a, b), [{ aStart: 0, aEnd: 20_000, bStart: 0, bEnd: 20_000 }]);
    // A reordering has every line on both sides, yet too many to move: jsdiff gives up on its own.
    const moved = [...a.slice(10_000), ...a.slice(0, 10_000)];
    assert.equal(alignLines(a, moved), undefined);
    const edited = [...a];
    for (let i = 0; i < MAX_EDIT_LENGTH / 2; i++) edited[i * 37] = `edited ${i}`;
    assert.equal(alignLines(a, edited)?.length, MAX_EDIT_LENGTH / 2);
  });

  it('property: line ops keep, remove and add the lines of the shortest edit script, removals first in a run', () => {
    const next = random(4242);
    for (let round = 0; round < 400; round++) {
      const a = randomLines(next);
      const b = randomLines(next);
      const ops = lineOps(a, b);
      const context = `round ${round}: ${JSON.stringify([a, b])}`;
      assert.deepEqual(ops.filter((line) => line.op !== '+').map((line) => line.text), a, context);
      assert.deepEqual(ops.filter((line) => line.op !== '-').map((line) => line.text), b, context);
      assert.equal(ops.filter((line) => line.op === ' ').length, lcs(a, b), context);
      for (let i = 1; i < ops.length; i++) {
        assert.ok(!(ops[i - 1]?.op === '+' && ops[i]?.op === '-'), `${context}: an added line before a removed one`);
      }
    }
  });

  it('gives the edit engine the same alignment as the review: new blocks as low as they go', () => {
    const show = (ops: HunkLine[]): string => ops.map((line) => `${line.op}${line.text}`).join('|');
    const search = ['  for (;;) {', '    sum += 1;', '  }', '  return sum;'];
    const replace = ['  for (;;) {', '    sum += 1;', '  }', '  if (x) {', '    return 0;', '  }', '  return sum;'];
    assert.equal(show(lineOps(search, replace)), '   for (;;) {|     sum += 1;|   }|+  if (x) {|+    return 0;|+  }|   return sum;');
    assert.equal(show(lineOps(['b', 'c', 'b'], ['a', 'c', 'b', 'b', 'b'])), '-b|+a| c| b|+b|+b');
    assert.equal(show(lineOps([], ['x'])), '+x');
    assert.equal(show(lineOps(['x'], [])), '-x');
    assert.equal(show(lineOps(['x', 'y'], ['x', 'y'])), ' x| y');
  });
});
