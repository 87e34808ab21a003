/**
 * Where a finding's line is on the proposal side as it changes: generated
 * proposals and generated edits by the person, checked against what the
 * lines say (a mapped line shows the same text; a line the person changed,
 * or a rejected change took away, maps to nothing), and which hunk of a
 * file's review adds a line.
 */
import assert from 'node:assert/strict';
import { hunkOfLine, LineMap } from '../../../src/extension/checks/lineMap';
import { FileReview } from '../../../src/extension/edits/fileReview';
import { lineOps, splitLines } from '../../../src/shared/diff';
import { pick, seededRandom } from '../../support/random';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'query(sql + id)', 'eval(x)', '}', '', 'return a;'];

function randomLines(random: () => number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${pick(random, WORDS)} ${i % 3 === 0 ? i : ''}`.trim());
}

/** `lines` with a few lines inserted, deleted or changed; each kept line remembers where it was. */
function mutate(random: () => number, lines: readonly string[]): { lines: string[]; origin: Array<number | undefined> } {
  const out: string[] = [];
  const origin: Array<number | undefined> = [];
  lines.forEach((line, index) => {
    const roll = random();
    if (roll < 0.08) return; // deleted
    if (roll < 0.16) {
      out.push(`${line} // changed ${index}`);
      origin.push(undefined);
      return;
    }
    if (roll < 0.24) {
      out.push(`inserted ${index}`);
      origin.push(undefined);
    }
    out.push(line);
    origin.push(index);
  });
  return { lines: out, origin };
}

describe('checks: lines on the proposal side', () => {
  it('a mapped line shows the same text, and every line the person did not touch is mapped (generated edits)', () => {
    const random = seededRandom(77);
    let mapped = 0;
    let dropped = 0;
    for (let round = 0; round < 300; round++) {
      const proposed = randomLines(random, 1 + Math.floor(random() * 60));
      const { lines: now, origin } = mutate(random, proposed);
      const map = new LineMap(`${proposed.join('\n')}\n`, `${now.join('\n')}\n`);
      const untouched = new Set(origin.filter((index): index is number => index !== undefined));
      for (let line = 0; line < proposed.length; line++) {
        const target = map.map(line);
        if (target === undefined) {
          dropped++;
          continue;
        }
        mapped++;
        assert.equal(now[target], proposed[line], `round ${round}: line ${line} mapped to ${target}`);
      }
      // The line diff may pair equal lines differently, but keeps as many as can be kept: never fewer than the person left alone.
      const kept = proposed.filter((_, line) => map.map(line) !== undefined).length;
      assert.equal(kept, lcsBound(proposed, now), `round ${round}`);
      assert.ok(kept >= untouched.size, `round ${round}: ${kept} mapped of ${untouched.size} untouched`);
    }
    assert.ok(mapped > 1000 && dropped > 50, `mapped ${mapped}, dropped ${dropped}`);
  });

  it('the same text maps every line to itself; an empty proposal side maps nothing', () => {
    const text = 'a\nb\nc\n';
    const same = new LineMap(text, text);
    assert.deepEqual([0, 1, 2].map((line) => same.map(line)), [0, 1, 2]);
    const gone = new LineMap(text, '');
    assert.deepEqual([0, 1, 2].map((line) => gone.map(line)), [undefined, undefined, undefined]);
  });

  it('names the hunk that adds each line of the proposed text, and none for an unchanged line (generated proposals)', () => {
    const random = seededRandom(4242);
    for (let round = 0; round < 300; round++) {
      const old = randomLines(random, Math.floor(random() * 40));
      const { lines: proposed } = mutate(random, old);
      const oldText = old.length ? `${old.join('\n')}\n` : '';
      const newText = proposed.length ? `${proposed.join('\n')}\n` : '';
      const review = new FileReview(0, { kind: 'update', path: 'a.ts', oldText, newText });
      // The oracle: walk the line diff, numbering runs of changes as the review numbers its hunks.
      const expected: Array<number | undefined> = [];
      let hunk = -1;
      let inRun = false;
      for (const op of lineOps(splitLines(oldText), splitLines(newText))) {
        if (op.op === ' ') {
          inRun = false;
          expected.push(undefined);
          continue;
        }
        if (!inRun) hunk++;
        inRun = true;
        if (op.op === '+') expected.push(hunk);
      }
      const actual = splitLines(newText).map((_, line) => hunkOfLine(review.hunks, line));
      assert.deepEqual(actual, expected, `round ${round}`);
    }
  });
});

/** A lower bound on lines any line diff keeps: the longest common subsequence is at least the untouched lines in order. */
function lcsBound(a: readonly string[], b: readonly string[]): number {
  const previous = new Array<number>(b.length + 1).fill(0);
  for (const line of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      previous[j] = line === b[j - 1] ? diagonal + 1 : Math.max(above, previous[j - 1] ?? 0);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}
