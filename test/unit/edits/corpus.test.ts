import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/server/edits';
import { judge, loadCorpus } from './corpus';

describe('edit corpus (test/fixtures/edits)', () => {
  const cases = loadCorpus();

  it('has at least 80 cases', () => {
    assert.ok(cases.length >= 80, `only ${cases.length} cases`);
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
