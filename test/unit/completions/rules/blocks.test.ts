import assert from 'node:assert/strict';
import { isClosingLine, opensBlock } from '../../../../src/server/completions/rules/blocks';

describe('completion rules: what opens and closes a block', () => {
  it('knows openers per language family', () => {
    const opening: Array<[string, string]> = [
      ['if (x) {', 'typescript'],
      ['call(', 'go'],
      ['items = [', 'python'],
      ['const f = () =>', 'javascript'],
      ['def f(x):', 'python'],
      ['steps:', 'yaml'],
      ['  - ', 'yaml'],
      ['  - name:', 'yaml'],
      ['items.each do |item|', 'ruby'],
      ['def add(row)', 'ruby'],
      ['  class Report', 'ruby'],
      ['if ready then', 'lua'],
      ['else', 'ruby'],
      ['when Integer', 'ruby'],
    ];
    for (const [line, languageId] of opening) {
      assert.equal(opensBlock(line, languageId), true, `${languageId}: ${line}`);
    }
    const complete: Array<[string, string]> = [
      ['return x;', 'typescript'],
      ['x = f(a)', 'python'],
      ['when Integer then "int"', 'ruby'],
      ['else "other"', 'ruby'],
      ['def name = @name end', 'ruby'],
      ['case 1: return', 'typescript'],
      ['"main": "index.js",', 'json'],
      ['promise.then', 'javascript'],
      ['def f(x)', 'python'],
      ['    image: node:', 'yaml'],
      ['  - name: build', 'yaml'],
    ];
    for (const [line, languageId] of complete) {
      assert.equal(opensBlock(line, languageId), false, `${languageId}: ${line}`);
    }
  });

  it('knows lines that only close a block', () => {
    for (const line of ['}', '  };', '})', '  ]),', 'end', '  end', 'fi', 'done', 'endif', 'End Sub']) {
      assert.equal(isClosingLine(line), true, line);
    }
    for (const line of ['', ';', 'endpoint = 1', 'x.end()', 'return }', '{']) {
      assert.equal(isClosingLine(line), false, line);
    }
  });
});
