/**
 * Line provenance: the lines a recorded diff added are found again in the
 * file as it is now, by content and neighbourhood. Edits above and below,
 * moved blocks and duplicates keep the claim on the right lines; a line
 * edited afterwards is no longer claimed; rejected changes never are.
 */
import assert from 'node:assert/strict';
import { createTwoFilesPatch } from 'diff';
import { claimLines, matchProvenance, type ProvenanceSource } from '../../../src/extension/audit/provenanceMatch';
import { parseRecordedDiff } from '../../../src/shared/auditDiff';
import { seededRandom } from '../../support/random';

function source(before: string[], after: string[], acceptedHunks?: number[]): ProvenanceSource {
  const text = createTwoFilesPatch('a/f.ts', 'b/f.ts', lines(before), lines(after), undefined, undefined, { context: 3 }).replace(/^={67}\n/, '');
  const [diff] = parseRecordedDiff(text);
  assert.ok(diff);
  return { diff, ...(acceptedHunks ? { acceptedHunks } : {}) };
}

function lines(list: readonly string[]): string {
  return list.map((line) => `${line}\n`).join('');
}

/** A file of distinct, ordinary-looking lines. */
function file(count: number, tag = 'orig'): string[] {
  return Array.from({ length: count }, (_, i) => `const ${tag}${i} = compute(${i});`);
}

const AI = ['function added(x: number) {', '  const y = x * 2;', '  return y + 1;', '}'];

/** The indices `owner` marks as written by `source`. */
function claimed(owner: readonly number[], which = 0): number[] {
  return owner.flatMap((value, index) => (value === which ? [index] : []));
}

describe('line provenance matching', () => {
  const before = file(30);
  const after = [...before.slice(0, 10), ...AI, ...before.slice(10)];
  const change = source(before, after);

  it('claims exactly the added lines right after the change', () => {
    assert.deepEqual(claimed(matchProvenance(after, [change])), [10, 11, 12, 13]);
  });

  it('keeps the claim through unrelated edits above and below, for many random edits', () => {
    const random = seededRandom(42);
    for (let round = 0; round < 200; round++) {
      const current = [...after];
      let aiStart = 10;
      for (let edit = 0; edit < 5; edit++) {
        // Insert, delete or change a line outside the AI block and not right next to it.
        const above = random() < 0.5;
        const span = above ? [0, aiStart - 1] : [aiStart + AI.length + 1, current.length];
        const at = span[0]! + Math.floor(random() * Math.max(0, span[1]! - span[0]!));
        const kind = random();
        if (kind < 0.4) {
          current.splice(at, 0, `let inserted${round}_${edit} = ${edit};`);
          if (above) aiStart += 1;
        } else if (kind < 0.7 && current.length > AI.length + 4 && (above ? aiStart > 2 : current.length > aiStart + AI.length + 2)) {
          current.splice(at, 1);
          if (above) aiStart -= 1;
        } else if (current[at] !== undefined && !AI.includes(current[at]!)) {
          current[at] = `${current[at]} // edited`;
        }
      }
      assert.deepEqual(claimed(matchProvenance(current, [change])), [aiStart, aiStart + 1, aiStart + 2, aiStart + 3], `round ${round}`);
    }
  });

  it('follows a block moved elsewhere in the file', () => {
    const moved = [...before.slice(0, 25), ...AI, ...before.slice(25)];
    assert.deepEqual(claimed(matchProvenance(moved, [change])), [25, 26, 27, 28]);
  });

  it('no longer claims a line edited afterwards, and keeps its neighbours', () => {
    for (let target = 0; target < AI.length; target++) {
      const current = [...after];
      current[10 + target] = `${current[10 + target]} // reviewed by hand`;
      const expected = [10, 11, 12, 13].filter((line) => line !== 10 + target);
      assert.deepEqual(claimed(matchProvenance(current, [change])), expected, `line ${target} edited`);
    }
  });

  it('a closing brace at the end of the file stays claimed when the line before it is edited', () => {
    const end = [...before, ...AI];
    const current = [...end];
    current[before.length + 2] = '  return y - 1;';
    assert.deepEqual(claimed(matchProvenance(current, [source(before, end)])), [30, 31, 33]);
  });

  it('of identical lines, claims only the one written with its neighbours', () => {
    // The file already had `}` and `return y + 1;` elsewhere: those are not Tandem's.
    const dupBefore = [...file(10), '  return y + 1;', '}', ...file(10, 'more')];
    const dupAfter = [...dupBefore.slice(0, 5), ...AI, ...dupBefore.slice(5)];
    const owner = matchProvenance(dupAfter, [source(dupBefore, dupAfter)]);
    assert.deepEqual(claimed(owner), [5, 6, 7, 8]);
    // Moved around, the pre-existing duplicates stay unclaimed.
    const shuffled = [...dupAfter.slice(9), ...dupAfter.slice(0, 9)];
    assert.equal(claimed(matchProvenance(shuffled, [source(dupBefore, dupAfter)])).length, 4);
    assert.ok(!claimed(matchProvenance(shuffled, [source(dupBefore, dupAfter)])).some((line) => shuffled[line] === '}' && shuffled[line - 1] !== '  return y + 1;'));
  });

  it('a blank or brace line is not claimed on content alone', () => {
    const small = source(file(6), [...file(6).slice(0, 3), '}', ...file(6).slice(3)]);
    const elsewhere = ['}', ...file(6, 'other'), '}'];
    assert.deepEqual(claimed(matchProvenance(elsewhere, [small])), []);
  });

  it('claims only the accepted changes of a partly accepted proposal', () => {
    const twoChanges = [...before.slice(0, 5), 'const first = 1;', ...before.slice(5, 20), 'const second = 2;', ...before.slice(20)];
    const current = [...before.slice(0, 5), 'const first = 1;', ...before.slice(5)];
    const partial = source(before, twoChanges, [0]);
    assert.deepEqual(
      claimLines(partial).map((claim) => claim.text),
      ['const first = 1;'],
    );
    assert.deepEqual(claimed(matchProvenance(current, [partial])), [5]);
    assert.deepEqual(claimLines(source(before, twoChanges, [1])).map((claim) => claim.text), ['const second = 2;']);
  });

  it('a line two changes wrote belongs to the newer one', () => {
    const first = source(before, after);
    const rewritten = [...after.slice(0, 11), '  const y = x * 3;', ...after.slice(12)];
    const second = source(after, rewritten);
    const owner = matchProvenance(rewritten, [first, second]);
    assert.deepEqual(claimed(owner, 1), [11]);
    assert.deepEqual(claimed(owner, 0), [10, 12, 13]);
  });
});
