import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/server/edits';
import { stripLineNumbers } from '../../../src/server/edits/lineNumbers';

describe('copied line numbers', () => {
  it('strips the pipe, colon, tab (cat -n) and arrow styles', () => {
    assert.deepEqual(stripLineNumbers(['12 | a', '13 |   b', '14 |'], true), { lines: ['a', '  b', ''], first: 12, style: 'pipe' });
    assert.deepEqual(stripLineNumbers(['  9: x', ' 10: y'], true), { lines: ['x', 'y'], first: 9, style: 'colon' });
    assert.deepEqual(stripLineNumbers(['     7\tconst a = 1;', '     8', '     9\t}'], true), { lines: ['const a = 1;', '', '}'], first: 7, style: 'tab' });
    assert.deepEqual(stripLineNumbers(['3\u2192x', '4\u2192  y'], true), { lines: ['x', '  y'], first: 3, style: 'arrow' });
  });

  it('needs every line numbered, in one style, counting up by one when copied from a file', () => {
    assert.equal(stripLineNumbers(['12 | a', 'b'], true), undefined);
    assert.equal(stripLineNumbers(['12 | a', '14 | b'], true), undefined);
    assert.equal(stripLineNumbers(['12 | a', '13: b'], true), undefined);
    assert.deepEqual(stripLineNumbers(['12 | a', '14 | b'], false)?.lines, ['a', 'b']);
    assert.equal(stripLineNumbers(['1', '2', '3'], true), undefined, 'bare numbers are data, not line numbers');
    assert.equal(stripLineNumbers([], true), undefined);
  });

  it('keeps lines that really start with numbers when the file has them', () => {
    const yaml = '200: ok\n201: created\n404: missing\n';
    const outcome = applyEdits({
      text: 'codes.yaml\n<<<<<<< SEARCH\n200: ok\n201: created\n=======\n200: ok\n201: made\n>>>>>>> REPLACE\n',
      readFile: (path) => (path === 'codes.yaml' ? yaml : undefined),
    });
    assert.ok(outcome.ok);
    assert.equal(outcome.changeSet.changes[0]?.kind === 'update' && outcome.changeSet.changes[0].newText, '200: ok\n201: made\n404: missing\n');
  });

  it('uses copied numbers to pick among identical places only when they agree exactly', () => {
    const text = 'x = 1\ny = 2\nx = 1\ny = 2\n';
    const apply = (from: number) =>
      applyEdits({
        text: `f.py\n<<<<<<< SEARCH\n${from} | x = 1\n=======\n${from} | x = 5\n>>>>>>> REPLACE\n`,
        readFile: (path) => (path === 'f.py' ? text : undefined),
      });
    const hit = apply(3);
    assert.ok(hit.ok);
    assert.equal(hit.changeSet.changes[0]?.kind === 'update' && hit.changeSet.changes[0].newText, 'x = 1\ny = 2\nx = 5\ny = 2\n');
    const miss = apply(2);
    assert.ok(!miss.ok);
    assert.equal(miss.failures[0]?.kind, 'ambiguous');
    assert.deepEqual(miss.failures[0]?.candidates, [1, 3]);
  });
});
