import assert from 'node:assert/strict';
import { closableBrackets, cutAtUnmatchedClosing, openBrackets } from '../../../src/server/completions/brackets';
import { convertIndentation, detectIndentation } from '../../../src/server/completions/indentation';
import {
  capLines,
  cutAtSpecialTokens,
  dropSuffixDuplicates,
  dropTruncatedLastLine,
  firstLineOnly,
  isAlreadyThere,
  isBlank,
  postProcess,
  stripEchoedPrefix,
  stripFences,
  type PostProcessOptions,
} from '../../../src/server/completions/postprocess';
import { stopAtBlockEnd } from '../../../src/server/completions/rules/stops';

describe('completion post-processing rules', () => {
  describe('first unmatched closing bracket', () => {
    it('cuts at a closer the suggestion did not open', () => {
      assert.equal(cutAtUnmatchedClosing('a, b)'), 'a, b');
      assert.equal(cutAtUnmatchedClosing('foo(1)];\nnext()'), 'foo(1)');
      assert.equal(cutAtUnmatchedClosing('\n  return x;\n}\n\nfunction g() {'), '\n  return x;\n');
    });

    it('keeps balanced brackets, and brackets in strings and comments', () => {
      assert.equal(cutAtUnmatchedClosing('call(a[0], { b: 1 });'), 'call(a[0], { b: 1 });');
      assert.equal(cutAtUnmatchedClosing('log(")") // )'), 'log(")") // )');
      assert.equal(cutAtUnmatchedClosing("x = ')' # )", [], true), "x = ')' # )");
      assert.equal(cutAtUnmatchedClosing('a /* ) */ + b)'), 'a /* ) */ + b');
    });

    it('lets the suggestion close brackets opened before the cursor that nothing after it closes', () => {
      assert.deepEqual(openBrackets('function f() {\n  if (x) {\n    call(a, '), ['{', '{', '(']);
      assert.deepEqual(closableBrackets('f(a, ', ')\n'), []);
      assert.deepEqual(closableBrackets('f(a, ', '\n'), ['(']);
      assert.deepEqual(closableBrackets('class A {\n  m() {\n', '\n}\n'), ['{']);
      // Brackets of the line being typed are closed only on that line.
      assert.deepEqual(closableBrackets('import { a, b', '\n\nclass A {\n}\n}\n'), ['{']);
      assert.deepEqual(closableBrackets('m() {\n  set(k, { v', '\n}\n'), ['(', '{']);
      assert.deepEqual(closableBrackets('m() {\n  set(k, { v', ' });\n}\n'), []);
      assert.equal(cutAtUnmatchedClosing('b);\n}', ['{', '(']), 'b);\n}');
      assert.equal(cutAtUnmatchedClosing('b);\n}', ['(']), 'b);\n');
    });
  });

  describe('duplicates of the text after the cursor', () => {
    it('drops the tail that repeats the following lines', () => {
      assert.equal(dropSuffixDuplicates('x = 1;\n  return x;\n}', ['  return x;', '}']), 'x = 1;');
      assert.equal(dropSuffixDuplicates('a();\nb();\nc();', ['', 'b();', 'c();', 'd();']), 'a();');
    });

    it('drops closing lines only when they repeat the next lines exactly, at the end', () => {
      assert.equal(dropSuffixDuplicates('y();\n  }', ['  }', '}']), 'y();');
      assert.equal(dropSuffixDuplicates('if (x) {\n    y();\n  }', ['}']), 'if (x) {\n    y();\n  }');
      assert.equal(dropSuffixDuplicates('a();\n}\nb();', ['}', 'c();']), 'a();\n}\nb();');
    });

    it('keeps suggestions that do not repeat', () => {
      assert.equal(dropSuffixDuplicates('a();\nb();', ['c();']), 'a();\nb();');
      assert.equal(dropSuffixDuplicates('a();\nb();', []), 'a();\nb();');
    });
  });

  it('keeps the first line only when text sits right of the cursor', () => {
    assert.equal(firstLineOnly('a, b\nc'), 'a, b');
    assert.equal(firstLineOnly('abc'), 'abc');
  });

  describe('where a multi-line suggestion ends', () => {
    const stop = (text: string, lineIndent: string, tabSize: number, linePrefix = lineIndent): string =>
      stopAtBlockEnd(text, { linePrefix, lineIndent, tabSize, languageId: 'typescript', hashComments: false });
    it('stops at a blank line outside any block it opened', () => {
      assert.equal(stop('a();\nb();\n\nc();', '', 2, 'x'), 'a();\nb();');
      assert.equal(stop('\n\nfunction g() {}', '', 2, 'x'), '');
    });

    it('stops at a line indented less than the cursor line, keeping a closing bracket', () => {
      assert.equal(stop('a();\n    b();\nafter();', '    ', 2), 'a();\n    b();');
      assert.equal(stop('a();\n    b();\n  }\n  after();', '    ', 2), 'a();\n    b();\n  }');
      assert.equal(stop('\treturn x;\n}', '\t', 4, '\tx'), '\treturn x;\n}');
      assert.equal(stop(' {\n  body();\n}\nmore();', '', 2, 'if (x)'), ' {\n  body();\n}');
    });
  });

  it('caps the number of lines', () => {
    assert.equal(capLines('1\n2\n3\n4', 2), '1\n2');
    assert.equal(capLines('1', 3), '1');
  });

  it('drops empty and whitespace-only suggestions', () => {
    assert.equal(isBlank(''), true);
    assert.equal(isBlank(' \n\t '), true);
    assert.equal(isBlank(' x'), false);
  });

  it('drops a suggestion that is already right after the cursor', () => {
    assert.equal(isAlreadyThere(');', ');\n'), true);
    assert.equal(isAlreadyThere('return x;', '\n  return x;\n}'), true);
    assert.equal(isAlreadyThere('x', '\n  xyz();'), false);
    assert.equal(isAlreadyThere('return y;', '\n  return x;'), false);
  });

  describe('indentation style', () => {
    it('detects tabs or the space width', () => {
      assert.deepEqual(detectIndentation('a {\n  b {\n    c;\n  }\n}\n'), { useTabs: false, size: 2 });
      assert.deepEqual(detectIndentation('a {\n\tb;\n\tc {\n\t\td;\n\t}\n}\n'), { useTabs: true, size: 4 });
      assert.equal(detectIndentation('x = 1\n'), undefined, 'no indented line: nothing to go by');
    });

    it('converts tabs to the file spaces and back', () => {
      assert.equal(convertIndentation(' {\n\t\tb();\n\t}', { useTabs: false, size: 2 }, '  '), ' {\n    b();\n  }');
      assert.equal(convertIndentation(' {\n        b();\n    }', { useTabs: true, size: 4 }, '\t'), ' {\n\t\tb();\n\t}');
    });

    it('scales a different indent width relative to the cursor line', () => {
      assert.equal(convertIndentation(' {\n      b();\n  }', { useTabs: false, size: 2 }, '  '), ' {\n    b();\n  }');
      assert.equal(convertIndentation(' {\n    b();\n  }', { useTabs: false, size: 2 }, '  '), ' {\n    b();\n  }');
    });

    it('leaves alignment (odd widths) and the first line alone', () => {
      assert.equal(convertIndentation('/**\n   * Doc.\n   */', { useTabs: false, size: 2 }, '  '), '/**\n   * Doc.\n   */');
      assert.equal(convertIndentation('\tx', { useTabs: false, size: 2 }, '', 'call('), '\tx');
      assert.equal(convertIndentation('\tx', { useTabs: false, size: 2 }, '', ''), '  x', 'at column 0 the first line is a whole line');
    });
  });

  describe('model output clean-up', () => {
    it('cuts at leaked special tokens', () => {
      assert.equal(cutAtSpecialTokens('foo()<|endoftext|>junk'), 'foo()');
      assert.equal(cutAtSpecialTokens('a <EOT> b'), 'a ');
      assert.equal(cutAtSpecialTokens('plain'), 'plain');
    });

    it('strips Markdown fences and inline backticks (chat)', () => {
      assert.equal(stripFences('```ts\nconst a = 1;\n```', true), 'const a = 1;');
      assert.equal(stripFences('Here:\n```\nx\ny\n```\nDone.', true), 'x\ny');
      assert.equal(stripFences('`a + b`', true), 'a + b');
      assert.equal(stripFences('a + b', true), 'a + b');
    });

    it('strips an echoed prefix (chat)', () => {
      assert.equal(stripEchoedPrefix('const total = items.reduce(add, 0);', 'x();\n  const total = items.'), 'reduce(add, 0);');
      assert.equal(stripEchoedPrefix('function f() {\n  return 1;\n}', 'function f() {\n  '), 'return 1;\n}');
      assert.equal(stripEchoedPrefix('reduce(add, 0);', '  const total = items.'), 'reduce(add, 0);');
    });

    it('drops the unfinished last line of an answer cut at the token limit', () => {
      assert.equal(dropTruncatedLastLine('a();\nb(', 'length'), 'a();');
      assert.equal(dropTruncatedLastLine('a(', 'length'), 'a(');
      assert.equal(dropTruncatedLastLine('a();\nb(', 'stop'), 'a();\nb(');
    });
  });

  describe('the whole pipeline', () => {
    const run = (raw: string, options: PostProcessOptions): string => postProcess(raw, options).text;
    const base: PostProcessOptions = {
      template: 'qwen',
      finishReason: 'stop',
      languageId: 'typescript',
      prefix: 'function f(a: number) {\n  ',
      suffix: '\n}\n',
      linePrefix: '  ',
      rightText: '',
      lineIndent: '  ',
      singleLine: false,
      indent: { useTabs: false, size: 2 },
      maxLines: 12,
      hashComments: false,
    };

    it('stops before the closing brace the file already has', () => {
      assert.equal(run('const b = a * 2;\n  return b;\n}\n\nfunction g() {', base), 'const b = a * 2;\n  return b;');
    });

    it('keeps a closing brace the file still needs', () => {
      assert.equal(run('return a;\n}\n\nexport {};', { ...base, suffix: '' }), 'return a;\n}');
    });

    it('makes a one-line suggestion before non-trivial text and drops the repeated right text', () => {
      const options: PostProcessOptions = { ...base, prefix: 'const x = f(', suffix: 'b, c);\n', linePrefix: 'const x = f(', rightText: 'b, c);', lineIndent: '', singleLine: true };
      assert.deepEqual(postProcess('a, b, c);\nmore();', options), { text: 'a, ', replace: 0 });
    });

    it('answers nothing for whitespace, or for what is already there', () => {
      assert.equal(run('  \n', base), '');
      assert.equal(run('\n}', { ...base, prefix: 'function f() {\n  return 1;', suffix: '\n}\n', linePrefix: '  return 1;' }), '');
    });

    it('shows nothing for a reply that loops on an opener', () => {
      const nested = Array.from({ length: 6 }, (_, depth) => `${'  '.repeat(depth)}if (a) {`).join('\n');
      assert.equal(run(nested, { ...base, suffix: '\n}\n' }), '');
    });

    it('cleans a chat answer', () => {
      assert.equal(run('```ts\n  const b = a;\n```', { ...base, template: 'chat' }), 'const b = a;');
    });
  });
});
