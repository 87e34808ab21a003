import assert from 'node:assert/strict';
import { acceptAllRefusedMessage, refusalMessage, summaryMessage } from '../../../src/extension/edits/messages';

describe('review messages', () => {
  it('groups refusals by file, in plain words', () => {
    const reason = 'the file was edited there after the proposal';
    assert.equal(
      refusalMessage([
        { path: 'src/a.ts', hunk: 0, reason },
        { path: 'src/a.ts', hunk: 2, reason },
        { path: 'src/b.ts', hunk: 1, reason: 'the file no longer exists' },
      ]),
      '2 changes in src/a.ts no longer match the file (the file was edited there after the proposal); they were not applied. ' +
        '1 change in src/b.ts no longer matches the file (the file no longer exists); it was not applied.',
    );
  });

  it('explains a refused Accept All', () => {
    assert.match(acceptAllRefusedMessage(['src/a.ts']), /^Tandem applied nothing: src\/a\.ts no longer matches/);
    assert.match(acceptAllRefusedMessage(['a.ts', 'b.ts']), /2 files no longer match the proposal \(edited after it\): a\.ts, b\.ts\./);
  });

  it('summarises a finished review', () => {
    assert.equal(summaryMessage(3, 4), 'Tandem: applied 3 of 4 changes');
    assert.equal(summaryMessage(4, 4), 'Tandem: applied all 4 changes');
    assert.equal(summaryMessage(1, 1), 'Tandem: applied the change');
    assert.match(summaryMessage(0, 2), /no changes applied/);
  });
});
