import assert from 'node:assert/strict';
import { cutAtStopTokens, dropLoneCommentMarker, stripEchoedPathComment, stripFences, stripStrayLeading } from '../../../../src/server/completions/rules/junk';
import { SPECIAL_TOKENS } from '../../../../src/server/completions/templates';

const CODE = ['return a + b;', 'items.map((x) => x * 2)', 'if x:\n    y()', 'fmt.Println("hi")'];

describe('completion rules: junk from the model', () => {
  it('cuts at every template token and stop phrase, wherever it appears', () => {
    for (const code of CODE) {
      for (const token of [...SPECIAL_TOKENS, '<COMPLETION>', '</COMPLETION>', '<|fim_middle|>', '<|unknown_token|>']) {
        assert.equal(cutAtStopTokens(`${code}${token}junk()`), code, `${token} after ${code}`);
        assert.equal(cutAtStopTokens(`${code}\n${token}`), `${code}\n`);
      }
    }
  });

  it('cuts at a template token cut off at the very end, and opens a <COMPLETION> wrapper', () => {
    for (const fragment of ['<|', '<|fim', '<|fim_', '<|file_sep', '<|endoftext|', '<fim_', '<fim_mid']) {
      assert.equal(cutAtStopTokens(`return x;${fragment}`), 'return x;', fragment);
    }
    assert.equal(cutAtStopTokens('<COMPLETION>return x;</COMPLETION>'), 'return x;');
    for (const token of ['<|fim_middle|>', '<fim_middle>', '<|fim_middle|><|fim_middle|>', '<MID>']) {
      assert.equal(cutAtStopTokens(`${token}return x;`), 'return x;', `a token echoed in front: ${token}`);
    }
    assert.equal(cutAtStopTokens('<|endoftext|>\nfoo();'), '', 'an end token first: the model had nothing');
    assert.equal(cutAtStopTokens('a < b || c > d'), 'a < b || c > d', 'comparisons are code');
    assert.equal(cutAtStopTokens('x <| y'), 'x <| y', 'an operator in the middle is code');
  });

  it('strips fences for every template; chat may talk around them', () => {
    for (const code of CODE) {
      for (const fence of ['```', '```ts', '```python', '~~~', '````go']) {
        const close = fence.replace(/[a-z]+$/, '');
        assert.equal(stripFences(`${fence}\n${code}\n${close}`, false), code, `${fence} (fim)`);
        assert.equal(stripFences(`${fence}\n${code}\n${close}\n`, true), code, `${fence} (chat)`);
        assert.equal(stripFences(`Here it is:\n${fence}\n${code}\n${close}\nHope this helps.`, true), code);
        assert.equal(stripFences(`${code}\n${close}`, false), code, 'a closing fence alone ends the answer');
      }
      assert.equal(stripFences(code, false), code);
      assert.equal(stripFences(code, true), code);
    }
    assert.equal(stripFences('`a + b`', true), 'a + b');
    assert.equal(stripFences('`a + b`', false), '`a + b`', 'a template literal from a fill-in-the-middle model is code');
  });

  it('drops echoed path and file-name comments in any comment syntax, and nothing else', () => {
    for (const marker of ['//', '#', '--', '/*', '<!--']) {
      const end = marker === '/*' ? ' */' : marker === '<!--' ? ' -->' : '';
      for (const echoed of ['Path: src/app/main.ts', 'path: main.ts', 'File: main.ts', 'main.ts', 'src/app/main.ts']) {
        assert.equal(stripEchoedPathComment(`${marker} ${echoed}${end}\nconst x = 1;`, 'src/app/main.ts'), 'const x = 1;', `${marker} ${echoed}`);
      }
      assert.equal(stripEchoedPathComment(`${marker} Path: a.ts${end}\n${marker} Path: b.ts${end}\nx();`, 'b.ts'), 'x();', 'several echoed paths');
      const real = `${marker} Compute the total${end}\nconst x = 1;`;
      assert.equal(stripEchoedPathComment(real, 'src/app/main.ts'), real);
    }
    assert.equal(stripEchoedPathComment('// src/main.rs\nuse std::env;', 'case.rs'), 'use std::env;', 'a bare file name as the first line');
    for (const header of ['<?php', '#!/usr/bin/env node']) {
      assert.equal(stripEchoedPathComment(`${header}\nrun();`, 'a', `${header}\nfunction main() {\n`), 'run();', header);
      assert.equal(stripEchoedPathComment(`${header}\nrun();`, 'a', 'x = 1\n'), `${header}\nrun();`, 'a header the document lacks');
    }
  });

  it('drops a lone comment marker, alone or as the last line', () => {
    for (const marker of ['//', '#', '--', '/*', '  //']) {
      assert.equal(dropLoneCommentMarker(marker), '');
      assert.equal(dropLoneCommentMarker(`x = 1\n${marker}`), 'x = 1');
    }
    assert.equal(dropLoneCommentMarker('// real comment'), '// real comment');
  });

  it('strips stray leading characters', () => {
    for (const code of ['return x;', 'foo();', 'const a = 1;']) {
      for (const stray of ['\u200B', '\uFEFF', '\u200B\u200B', '✨ ', '🚀', '+', '+ ', '-', '- ']) {
        assert.equal(stripStrayLeading(`${stray}${code}`, '  ', 'typescript'), code, JSON.stringify(stray));
      }
      assert.equal(stripStrayLeading(`+ ${code}\n+ next();`, '', 'typescript'), `${code}\nnext();`, 'a diff marker on every line');
      assert.equal(stripStrayLeading(`-    old();\n+    ${code}\n+    next();`, '    ', 'python'), `    ${code}\n    next();`, 'a diff: the added lines');
    }
    assert.equal(stripStrayLeading('.map(f)', 'items.', 'typescript'), 'map(f)', 'a doubled dot');
    assert.equal(stripStrayLeading('.5', 'x = 0.', 'typescript'), '.5', 'a number is not a doubled dot');
    assert.equal(stripStrayLeading('.', '', 'typescript'), '', 'a lone dot');
  });

  it('keeps leading characters that are code', () => {
    assert.equal(stripStrayLeading('- name: x', '', 'yaml'), '- name: x', 'a YAML list item');
    assert.equal(stripStrayLeading('-webkit-box', '  ', 'css'), '-webkit-box');
    assert.equal(stripStrayLeading('- 1', 'x = a ', 'typescript'), '- 1', 'an operator after code');
    assert.equal(stripStrayLeading('--i;', '', 'c'), '--i;');
    assert.equal(stripStrayLeading('..10', 'for i in 0', 'rust'), '..10');
  });
});
