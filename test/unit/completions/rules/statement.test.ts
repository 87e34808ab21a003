import assert from 'node:assert/strict';
import { isPartlyTyped, limitToStatement } from '../../../../src/server/completions/rules/statement';

describe('completion rules: a partly typed line', () => {
  it('knows a partly typed line from a blank one or one that opens a block', () => {
    for (const line of ['const x = ', '  return a', 'foo(a, ', 'x := ']) {
      assert.equal(isPartlyTyped(line), true, line);
    }
    const opening: Array<[string, string]> = [['', ''], ['    ', ''], ['if (x) {', 'typescript'], ['def f():', 'python'], ['items.each do |x|', 'ruby'], ['def add(row)', 'ruby'], ['const f = () =>', 'typescript']];
    for (const [line, languageId] of opening) {
      assert.equal(isPartlyTyped(line, languageId), false, line);
    }
    assert.equal(isPartlyTyped('  "main": ', 'json'), true, 'a member value');
    assert.equal(isPartlyTyped('foo(', 'typescript'), true, 'an open call is part of the statement');
  });

  it('ends with the current statement', () => {
    const more = ['\nconst y = 2;', '\nfoo();\nbar();', '\n\nreturn z;'];
    for (const [linePrefix, finish] of [
      ['const x = ', '1;'],
      ['x := ', 'compute()'],
      ['total = ', 'sum(\n    values,\n)'],
      ['const o = ', '{\n  a: 1,\n};'],
      ['foo(', 'a, b);'],
      ['return items', '\n  .filter(ok)\n  .map(f);'],
    ] as const) {
      for (const extra of more) {
        const expected = finish.startsWith('\n') ? finish + extra : finish;
        assert.equal(limitToStatement(finish + extra, linePrefix), finish.startsWith('\n') ? expected : finish, JSON.stringify([linePrefix, finish, extra]));
      }
    }
  });

  it('ends at a `;` at the statement\'s level when more code follows on the line', () => {
    assert.equal(limitToStatement('config); log("started");', 'start(', false, 'typescript'), 'config);');
    assert.equal(limitToStatement('1; const y = 2;', 'const x = ', false, 'typescript'), '1;');
    assert.equal(limitToStatement('let i = 0; i < n; i++) {', 'for (', false, 'typescript'), 'let i = 0; i < n; i++) {', 'inside the brackets');
    assert.equal(limitToStatement('a;b"); next();', 'log("', false, 'typescript'), 'a;b");', 'inside a string');
  });

  it('leaves blank lines, block openers and answers starting on a new line alone', () => {
    const text = 'a();\nb();';
    for (const linePrefix of ['', '  ', 'if (x) {', 'for x in xs:']) {
      assert.equal(limitToStatement(text, linePrefix, false, 'python'), text);
    }
    assert.equal(limitToStatement('\n  a();\n  b();', 'const x = f();'), '\n  a();\n  b();');
  });
});
