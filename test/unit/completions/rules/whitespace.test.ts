import assert from 'node:assert/strict';
import { isExpectedColumn, stripEchoedLine, stripEchoedPrefix, trimCursorWhitespace } from '../../../../src/server/completions/rules/whitespace';

describe('completion rules: whitespace at the cursor', () => {
  it('no second space or tab after code and whitespace', () => {
    for (const linePrefix of ['const x = ', 'return ', '  y := ', '\treturn\t', 'x += ']) {
      for (const lead of [' ', '  ', '\t', ' \t']) {
        assert.equal(trimCursorWhitespace(`${lead}value`, linePrefix, 'f() {\n', 2, 2), 'value', JSON.stringify([linePrefix, lead]));
      }
      assert.equal(trimCursorWhitespace('value', linePrefix, '', 2, 2), 'value');
    }
    assert.equal(trimCursorWhitespace(' b', 'a +', '', 2, 2), ' b', 'no space typed yet: the answer\'s space stays');
  });

  it('no indentation or blank lines before the first line when the cursor is at the expected column', () => {
    const cases: Array<[string, string, number]> = [
      ['function f() {\n  ', '  ', 2],
      ['def f():\n    ', '    ', 4],
      ['if (x) {\n\t', '\t', 4],
      ['  a();\n  ', '  ', 2],
    ];
    for (const [prefix, linePrefix, step] of cases) {
      for (const lead of [linePrefix, `${linePrefix}  `, `\n${linePrefix}`, `\n\n${linePrefix}`, `  \n${linePrefix}`]) {
        assert.equal(trimCursorWhitespace(`${lead}return 1`, linePrefix, prefix, step, 4), 'return 1', JSON.stringify([prefix, lead]));
      }
    }
  });

  it('keeps the indentation the cursor still needs', () => {
    // One space typed of a two-space step: the answer supplies the other.
    assert.equal(trimCursorWhitespace(' value: V;', ' ', 'interface A {\n ', 2, 2), ' value: V;');
    assert.equal(trimCursorWhitespace('  throw e;', '    ', '    if (x) {\n    ', 2, 2), '  throw e;');
    // Column 0 is where the answer's own indentation goes.
    assert.equal(trimCursorWhitespace('    return 1;', '', 'function f() {\n', 4, 4), '    return 1;');
    assert.equal(trimCursorWhitespace('\n    return 1;', '', 'function f() {\n', 4, 4), '\n    return 1;');
  });

  it('knows the expected column from the line before', () => {
    assert.equal(isExpectedColumn(2, 'f() {\n  ', 2, 4), true);
    assert.equal(isExpectedColumn(4, 'f() {\n    ', 2, 4), false);
    assert.equal(isExpectedColumn(4, 'f() {\n    ', undefined, 4), true, 'any step when the document has none yet');
    assert.equal(isExpectedColumn(2, '  a();\n  ', 2, 4), true);
    assert.equal(isExpectedColumn(4, '  a();\n    ', 2, 4), false);
  });

  it('drops an echo of the typed part of the cursor line, or of the line before a blank one (any template)', () => {
    for (const [linePrefix, reply] of [['  const total = ', 'items.length;'], ['    total = ', 'len(items)'], ['  ret', 'urn x;'], ['x := ', 'compute()']]) {
      assert.equal(stripEchoedLine(`${(linePrefix ?? '').trim()}${(linePrefix ?? '').endsWith(' ') ? ' ' : ''}${reply}`, '', linePrefix ?? ''), reply, linePrefix);
      assert.equal(stripEchoedLine(reply ?? '', '', linePrefix ?? ''), reply, 'no echo');
    }
    assert.equal(stripEchoedLine('const a = 1;\n  const b = 2;', 'f() {\n  const a = 1;\n  ', '  '), '  const b = 2;');
    assert.equal(stripEchoedLine('const a = 1;', 'f() {\n  const a = 1;\n  ', '  '), 'const a = 1;', 'a one-line repeat is for the repetition rule');
    assert.equal(stripEchoedLine('x', '', 'x'), 'x', 'too short to tell');
  });

  it('drops an echo of the lines before the cursor (chat)', () => {
    assert.equal(stripEchoedPrefix('const total = items.reduce(add, 0);', 'x();\n  const total = items.'), 'reduce(add, 0);');
    assert.equal(stripEchoedPrefix('reduce(add, 0);', '  const total = items.'), 'reduce(add, 0);');
  });
});
