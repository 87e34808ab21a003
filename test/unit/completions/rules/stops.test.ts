import assert from 'node:assert/strict';
import { cutAtUnmatchedClosing } from '../../../../src/server/completions/brackets';
import { dropOpenEnd, stopAtBlockEnd, type StopOptions } from '../../../../src/server/completions/rules/stops';

const TS: StopOptions = { linePrefix: '    ', lineIndent: '    ', tabSize: 4, languageId: 'typescript', hashComments: false };
const PY: StopOptions = { linePrefix: '        ', lineIndent: '        ', tabSize: 4, languageId: 'python', hashComments: true };

describe('completion rules: where a multi-line suggestion ends', () => {
  it('goes on through } else {, } catch, } finally and ends with the block', () => {
    for (const keyword of ['else', 'else if (b)', 'catch (e)', 'finally']) {
      const text = `a();\n} ${keyword} {\n    b();\n}\nafter();`;
      assert.equal(stopAtBlockEnd(text, { ...TS, linePrefix: '    ', lineIndent: '    ' }), `a();\n} ${keyword} {\n    b();\n}`, keyword);
    }
  });

  it('goes on through elif / else: / except: / finally: and ends where the block does', () => {
    for (const keyword of ['elif y:', 'else:', 'except ValueError:', 'finally:']) {
      const text = `a()\n    ${keyword}\n        b()\n    after()`;
      assert.equal(stopAtBlockEnd(text, PY), `a()\n    ${keyword}\n        b()`, keyword);
    }
  });

  it('blank lines inside a block or bracket the suggestion opened do not end it', () => {
    const object = 'const config = {\n  a: 1,\n\n  b: 2,\n};';
    assert.equal(stopAtBlockEnd(object, { ...TS, linePrefix: '', lineIndent: '' }), object);
    const fn = 'def f():\n    x = 1\n\n    return x';
    assert.equal(stopAtBlockEnd(fn, { ...PY, linePrefix: '', lineIndent: '' }), fn);
    const open = '\n  "a": 1,\n\n  "b": 2,\n}';
    assert.equal(stopAtBlockEnd(open, { ...TS, linePrefix: 'x = {', lineIndent: '' }), open, 'a bracket the cursor line opened');
  });

  it('a blank line at the block level ends it', () => {
    for (const options of [TS, PY]) {
      assert.equal(stopAtBlockEnd('a()\n\nb()', { ...options, linePrefix: 'x = ', lineIndent: '' }), 'a()');
    }
  });

  it('ends after the block the suggestion opened closes', () => {
    assert.equal(stopAtBlockEnd('if (x) {\n  y();\n}\nz();', { ...TS, linePrefix: '', lineIndent: '' }), 'if (x) {\n  y();\n}');
    assert.equal(stopAtBlockEnd('for x in xs:\n    y(x)\nz()', { ...PY, linePrefix: '', lineIndent: '' }), 'for x in xs:\n    y(x)');
  });

  it('the bracket rule lets a continuation reuse the block the code below closes', () => {
    // The if-block's `{` is closed by the `}` after the cursor: `} else {` borrows it, and the suggestion ends before its own `}`.
    assert.equal(cutAtUnmatchedClosing('a();\n} else {\n  b();\n}\nc();'), 'a();\n} else {\n  b();\n');
    assert.equal(cutAtUnmatchedClosing('"neg"\n} else if n == 0 {\n  "zero"\n} else {\n  "pos"\n}'), '"neg"\n} else if n == 0 {\n  "zero"\n} else {\n  "pos"\n');
    assert.equal(cutAtUnmatchedClosing('a();\n}\nb();'), 'a();\n', 'a plain closer is still cut');
  });

  it('goes on through Allman-style continuations, and a branch header without its body is open', () => {
    const text = 'a();\n}\ncatch (IOException)\n{\n    b();';
    assert.equal(stopAtBlockEnd(text, { ...TS, linePrefix: '    ', lineIndent: '    ' }), text);
    assert.equal(cutAtUnmatchedClosing(`${text}\n}`), `${text}\n`, 'the reopened block is closed by the code below');
    assert.equal(dropOpenEnd('a();\n}\nelse if (x)\n{', 'csharp', false), 'a();\n}', 'cut by the token limit before the branch body');
    assert.equal(dropOpenEnd('\n  a();\n} while (x);', 'javascript', false), '\n  a();\n} while (x);', 'a do-while end is not a header');
  });

  it('a multi-line string goes on through blank lines and any indentation', () => {
    const doc = '"""Return the answer.\n\n    It is always the same.\n    """\n    return 42';
    assert.equal(stopAtBlockEnd(doc, { ...PY, linePrefix: '    ', lineIndent: '    ' }), doc);
    const template = 'html = `\n<ul>\n\n</ul>`;\nnext();';
    assert.equal(stopAtBlockEnd(template, { ...TS, linePrefix: '    ', lineIndent: '    ' }), 'html = `\n<ul>\n\n</ul>`;\nnext();'.replace('\nnext();', ''));
  });

  it('a heredoc ends with its terminator line, or shows only the first line without one', () => {
    const options = { ...TS, languageId: 'ruby', linePrefix: '  sql = <<~SQL', lineIndent: '  ' };
    assert.equal(stopAtBlockEnd('\n    SELECT *\n\n    FROM users\n  SQL\n  run(sql)', options), '\n    SELECT *\n\n    FROM users\n  SQL');
    assert.equal(stopAtBlockEnd('\n    SELECT *', options), '');
    assert.equal(stopAtBlockEnd('\n  text\nEOT;\nmore();', { ...options, languageId: 'php', linePrefix: '$s = <<<EOT' }), '\n  text\nEOT;');
    assert.equal(stopAtBlockEnd(';\n    next();', { ...TS, linePrefix: '    mask = 1 << BITS', lineIndent: '    ' }), ';\n    next();', 'a shift is no heredoc');
  });

  it('ends a keyword block with its end (Ruby)', () => {
    const options = { ...TS, languageId: 'ruby', linePrefix: '  items.each do |item|', lineIndent: '  ' };
    assert.equal(stopAtBlockEnd('\n    puts item\n  end\n  nil', options), '\n    puts item\n  end');
    assert.equal(dropOpenEnd('when Integer then "int"\n  else "other"', 'ruby', true), 'when Integer then "int"\n  else "other"');
  });

  it('never ends half-open: a trailing opening line goes, unclosed brackets are cut back', () => {
    for (const opener of ['} else if (x) {', 'if (y) {', 'call(', 'items = [']) {
      assert.equal(dropOpenEnd(`a();\nb();\n${opener}`, 'typescript', false), 'a();\nb();', opener);
    }
    assert.equal(dropOpenEnd('a()\ndef g():', 'python', true), 'a()');
    assert.equal(dropOpenEnd('a();\nif (x) {\n  b();', 'typescript', false), 'a();');
    assert.equal(dropOpenEnd('if (x) {\n  b();\n}', 'typescript', false), 'if (x) {\n  b();\n}');
  });

  it('the first line may open: it completes the cursor line', () => {
    assert.equal(dropOpenEnd('user.isAdmin) {', 'typescript', false), 'user.isAdmin) {');
    assert.equal(dropOpenEnd('self) -> float:', 'python', true), 'self) -> float:');
    assert.equal(dropOpenEnd('if (x) {\n  y();', 'typescript', false), 'if (x) {', 'the unfinished body goes');
  });
});
