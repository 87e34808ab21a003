import assert from 'node:assert/strict';
import { truncationReason, unclosedBrackets } from '../../../src/server/edits/truncation';

const bigFile = Array.from({ length: 30 }, (_, i) => `export const item${i} = ${i};`);

describe('truncation rule for whole-file rewrites', () => {
  it('counts unclosed brackets outside strings and comments', () => {
    assert.equal(unclosedBrackets(['function f() {', '  g("(", `{`); // (']), 1);
    assert.equal(unclosedBrackets(['/* { */ a[0] = (1);']), 0);
  });

  it('accepts complete rewrites, small ones and new content for empty files', () => {
    assert.equal(truncationReason(['a', 'b', 'c'], ['x'], false), undefined);
    assert.equal(truncationReason([], ['anything {'], false), undefined);
    assert.equal(truncationReason(bigFile, [...bigFile.slice(0, 20), 'export const extra = 1;'], false), undefined);
    // Much shorter, but it still ends the way the file ends.
    assert.equal(truncationReason(bigFile, ['export const items = [];', ...bigFile.slice(-1)], false), undefined);
  });

  it('refuses an unclosed fence, a new placeholder, a cut-off function and a missing tail', () => {
    assert.match(truncationReason(['a'], ['a', 'b'], true) ?? '', /never closed/);
    assert.match(truncationReason(['a', 'b'], ['a', '// ... rest of the file unchanged'], false) ?? '', /placeholder/);
    assert.match(truncationReason(['function f() {', '  return 1;', '}'], ['function f() {', '  return 2;'], false) ?? '', /unclosed bracket/);
    assert.match(truncationReason(bigFile, bigFile.slice(0, 10), false) ?? '', /10 non-blank lines where the file has 30/);
  });

  it('does not count a placeholder-like line the file already had', () => {
    assert.equal(truncationReason(['// ...', 'x();'], ['// ...', 'y();'], false), undefined);
  });
});
