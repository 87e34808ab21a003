import assert from 'node:assert/strict';
import { convertIndentation, detectIndentation, styleFromFormatting, type IndentStyle } from '../../../../src/server/completions/indentation';

/** A small block structure: [depth, code] lines, rendered with an indent of `unit` columns (or tabs). */
const SHAPE: Array<[number, string]> = [
  [0, 'if (ready) {'],
  [1, 'for (const x of xs) {'],
  [2, 'use(x);'],
  [1, '}'],
  [1, 'done();'],
  [0, '}'],
];

function render(base: number, unit: number | 'tab', shape = SHAPE): string {
  const lines = shape.map(([depth, code]) => (unit === 'tab' ? '\t'.repeat(base + depth) : ' '.repeat((base + depth) * unit)) + code);
  // The first line continues the cursor line: its indentation is the cursor's, not part of the text.
  return lines.map((line, index) => (index === 0 ? line.trimStart() : line)).join('\n');
}

describe('completion rules: indentation', () => {
  it('re-indents a model\'s other step to the editor\'s, at any depth (generated)', () => {
    for (const size of [2, 3, 4, 8]) {
      for (const unit of [2, 4, 8]) {
        for (const cursorDepth of [0, 1, 2]) {
          const style: IndentStyle = { useTabs: false, size };
          const cursor = ' '.repeat(cursorDepth * size);
          // The model takes the cursor's column as given and steps by its own unit from there.
          const model = render(0, unit).split('\n').map((line, index) => (index === 0 ? line : cursor + line)).join('\n');
          const expected = render(0, size).split('\n').map((line, index) => (index === 0 ? line : cursor + line)).join('\n');
          assert.equal(convertIndentation(model, style, cursor), expected, `file ${size}, model ${unit}, depth ${cursorDepth}`);
        }
      }
    }
  });

  it('turns the model\'s tabs into the editor\'s spaces and the model\'s spaces into the editor\'s tabs', () => {
    for (const size of [2, 4]) {
      assert.equal(convertIndentation(render(1, 'tab'), { useTabs: false, size }, ' '.repeat(size)), render(1, size));
      for (const unit of [2, 4]) {
        assert.equal(convertIndentation(render(1, unit), { useTabs: true, size }, '\t'), render(1, 'tab'), `tabs of ${size}, model ${unit}`);
      }
    }
  });

  it('changes nothing without a known style, or when the suggestion already matches', () => {
    for (const unit of [2, 4] as const) {
      assert.equal(convertIndentation(render(0, unit), undefined, ''), render(0, unit), 'no style: nothing to go by');
      assert.equal(convertIndentation(render(0, unit), { useTabs: false, size: unit }, ''), render(0, unit));
    }
    assert.equal(convertIndentation(render(0, 'tab'), { useTabs: true, size: 4 }, ''), render(0, 'tab'));
  });

  it('leaves continuation lines, alignment and one deep line alone', () => {
    const chain = 'return new StringBuilder("a")\n                .append("b")\n                .toString();';
    assert.equal(convertIndentation(chain, { useTabs: false, size: 4 }, '        '), chain, '8 deeper is a continuation, not two levels');
    assert.equal(convertIndentation('/**\n   * Doc.\n   */', { useTabs: false, size: 2 }, '  '), '/**\n   * Doc.\n   */');
    const deep = 'x = [\n                1]';
    assert.equal(convertIndentation(deep, { useTabs: false, size: 4 }, ''), deep, 'a line 16 columns deep is not one step');
  });

  it('takes the editor\'s options when they are sane, else detects from indented lines only', () => {
    assert.deepEqual(styleFromFormatting({ tabSize: 3, insertSpaces: true }), { useTabs: false, size: 3 });
    assert.deepEqual(styleFromFormatting({ tabSize: 8, insertSpaces: false }), { useTabs: true, size: 8 });
    for (const tabSize of [0, -1, 1.5, 99, Number.NaN]) {
      assert.equal(styleFromFormatting({ tabSize, insertSpaces: true }), undefined, String(tabSize));
    }
    assert.equal(detectIndentation('a\nb\n\nc\n'), undefined);
    assert.deepEqual(detectIndentation('a {\n   b;\n}\n'), { useTabs: false, size: 3 });
  });
});
