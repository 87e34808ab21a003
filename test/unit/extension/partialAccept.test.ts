import assert from 'node:assert/strict';
import { PartialAcceptTracker } from '../../../src/extension/completions/partialAccept';

describe('partial acceptance of an inline suggestion', () => {
  it('counts accept-word insertions that continue the suggestion, cumulatively', () => {
    const tracker = new PartialAcceptTracker();
    tracker.shown('c1', 'file:///a.ts', 100, 'return items.length;');
    assert.deepEqual(tracker.change('file:///a.ts', 100, 0, 'return '), { id: 'c1', acceptedChars: 7 });
    assert.deepEqual(tracker.change('file:///a.ts', 107, 0, 'items.'), { id: 'c1', acceptedChars: 13 });
  });

  it('does not count typing one character at a time, but keeps following it', () => {
    const tracker = new PartialAcceptTracker();
    tracker.shown('c1', 'file:///a.ts', 0, 'const x = 1;');
    assert.equal(tracker.change('file:///a.ts', 0, 0, 'c'), undefined);
    assert.deepEqual(tracker.change('file:///a.ts', 1, 0, 'onst '), { id: 'c1', acceptedChars: 6 });
  });

  it('forgets the suggestion on any other change, another document, or a full acceptance', () => {
    const tracker = new PartialAcceptTracker();
    tracker.shown('c1', 'file:///a.ts', 0, 'const x = 1;');
    assert.equal(tracker.change('file:///b.ts', 0, 0, 'const'), undefined, 'other document');
    assert.equal(tracker.change('file:///a.ts', 0, 0, 'let '), undefined, 'diverges');
    assert.equal(tracker.change('file:///a.ts', 0, 0, 'const'), undefined, 'forgotten after diverging');
    tracker.shown('c2', 'file:///a.ts', 0, 'abc def');
    assert.equal(tracker.change('file:///a.ts', 0, 0, 'abc def'), undefined, 'the whole text is a full acceptance (the command reports it)');
    tracker.shown('c3', 'file:///a.ts', 0, 'abc def');
    tracker.clear();
    assert.equal(tracker.change('file:///a.ts', 0, 0, 'abc'), undefined);
  });
});
