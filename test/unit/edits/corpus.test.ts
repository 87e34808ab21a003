import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/server/edits';
import { judge, loadCorpus, treeDifference } from './corpus';

describe('edit corpus (test/fixtures/edits)', () => {
  const cases = loadCorpus();

  it('has at least 80 cases', () => {
    assert.ok(cases.length >= 80, `only ${cases.length} cases`);
  });

  it('describes a wrongly applied case as a unified diff, line breaks shown', () => {
    const expected = new Map([['a.txt', 'one\r\ntwo\r\nthree\r\n']]);
    assert.equal(treeDifference(new Map(expected), expected), undefined);
    const difference = treeDifference(new Map([['a.txt', 'one\r\ntwo\nthree\r\n'], ['b.txt', '']]), expected) ?? '';
    assert.match(difference, /^--- a\.txt \(expected\)\n\+\+\+ a\.txt \(actual\)\n@@ -1,3 \+1,3 @@\n one\\r\\n\n-two\\r\\n\n\+two\\n\n three\\r\\n\n/m);
    assert.match(difference, /^unexpected b\.txt$/m);
    assert.match(treeDifference(new Map(), expected) ?? '', /^missing a\.txt$/);
  });

  for (const corpusCase of cases) {
    it(corpusCase.name, () => {
      const outcome = applyEdits({
        text: corpusCase.patch,
        readFile: (path) => corpusCase.before.get(path),
        ...(corpusCase.defaultPath !== undefined ? { defaultPath: corpusCase.defaultPath } : {}),
        ...(corpusCase.selection !== undefined ? { selection: corpusCase.selection } : {}),
      });
      const verdict = judge(corpusCase, outcome);
      if (verdict.kind === 'refusedUnexpectedly' || verdict.kind === 'appliedWrongly') {
        assert.fail(`${verdict.kind}: ${verdict.detail}`);
      }
    });
  }
});
