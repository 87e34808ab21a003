import assert from 'node:assert/strict';
import { applyEdits, type EditInput } from '../../../src/server/edits';
import { LineIndex } from '../../../src/server/edits/lineIndex';
import { joinLines, splitFile } from '../../../src/shared/diff';
import { foldUnicode } from '../../../src/server/edits/normalize';
import { createReindenter, detectIndentUnit } from '../../../src/server/edits/reindent';
import { editSimilarity, findClosest } from '../../../src/server/edits/similarity';
import type { EditOutcome } from '../../../src/shared/edits';

function newText(outcome: EditOutcome, index = 0): string | undefined {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.failures.map((failure) => failure.message).join('\n'));
  const change = outcome.changeSet.changes[index];
  return change && change.kind !== 'delete' ? change.newText : undefined;
}

function edit(text: string, files: Record<string, string>, extra: Partial<EditInput> = {}): EditOutcome {
  return applyEdits({ text, readFile: (path) => files[path], ...extra });
}

describe('locating lines', () => {
  it('keeps line endings per line and the final-newline state', () => {
    const lines = splitFile('a\r\nb\nc');
    assert.deepEqual(lines, { lines: ['a', 'b', 'c'], eols: ['\r\n', '\n', ''], eol: '\n', finalNewline: false });
    assert.equal(joinLines(lines.lines, lines.eols, lines.eol, lines.finalNewline), 'a\r\nb\nc');
    assert.equal(splitFile('x\r\ny\r\n').eol, '\r\n');
    assert.deepEqual(splitFile(''), { lines: [], eols: [], eol: '\n', finalNewline: false });
    assert.equal(joinLines(['a', 'b'], ['\r\n', undefined], '\r\n', true), 'a\r\nb\r\n');
  });

  it('folds typographic punctuation to ASCII', () => {
    assert.equal(foldUnicode('\u201chi\u201d \u2018x\u2019 a\u2013b\u2014c \u2026 d\u00a0e\u200b'), '"hi" \'x\' a-b-c ... d e');
    assert.equal(foldUnicode('plain'), 'plain');
  });

  it('finds blocks at each level by their rarest line', () => {
    const index = new LineIndex(['  a', '}', 'b  ', '}', '\u201cq\u201d', '}']);
    assert.deepEqual(index.findAll(['}'], 'exact'), [1, 3, 5]);
    assert.deepEqual(index.findAll(['b', '}'], 'exact'), []);
    assert.deepEqual(index.findAll(['b', '}'], 'trimEnd'), [2]);
    assert.deepEqual(index.findAll(['a', '}'], 'trimEnd'), []);
    assert.deepEqual(index.findAll(['a', '}'], 'trim'), [0]);
    assert.deepEqual(index.findAll(['"q"'], 'trim'), []);
    assert.deepEqual(index.findAll(['"q"', '}'], 'unicode'), [4]);
    assert.deepEqual(index.findAll(['}', 'x'], 'exact'), []);
  });

  it('prefers the strictest level: an exact match wins over a looser one elsewhere', () => {
    const files = { 'a.py': 'if x:\n    run()\nif y:\n  run()\n' };
    const text = 'a.py\n<<<<<<< SEARCH\n  run()\n=======\n  stop()\n>>>>>>> REPLACE\n';
    assert.equal(newText(edit(text, files)), 'if x:\n    run()\nif y:\n  stop()\n');
  });

  it('refuses a block that matches in several places at the same level, naming them', () => {
    const outcome = edit('*** Update File: a.txt\n@@\n-x\n+y\n*** End Patch\n', { 'a.txt': 'x\nz\nx\n' });
    assert.ok(!outcome.ok);
    assert.equal(outcome.failures[0]?.kind, 'ambiguous');
    assert.deepEqual(outcome.failures[0]?.candidates, [1, 3]);
    assert.match(outcome.failures[0]?.message ?? '', /a\.txt, hunk 1: these lines occur 2 times \(at lines 1 and 3\)/);
  });

  it('applies hunks given out of order, locating each against the original', () => {
    const file = 'a\nb\nc\nd\ne\nf\n';
    const text = '*** Update File: f.txt\n@@\n e\n-f\n+F\n@@\n-a\n+A\n b\n@@\n c\n-d\n+D1\n+D2\n*** End Patch\n';
    assert.equal(newText(edit(text, { 'f.txt': file })), 'A\nb\nc\nD1\nD2\ne\nF\n');
  });

  it('refuses overlapping hunks', () => {
    const outcome = edit('*** Update File: f.txt\n@@\n a\n-b\n+B\n@@\n-b\n+X\n c\n*** End Patch\n', { 'f.txt': 'a\nb\nc\n' });
    assert.ok(!outcome.ok);
    assert.equal(outcome.failures[0]?.kind, 'ambiguous');
    assert.match(outcome.failures[0]?.message ?? '', /overlapping/);
  });

  it('keeps unchanged lines as the file has them when matching loosely', () => {
    const files = { 'q.js': 'say(\u201chi\u201d);   \nend();\n' };
    const text = '*** Update File: q.js\n@@\n say("hi");\n-end();\n+finish();\n*** End Patch\n';
    assert.equal(newText(edit(text, files)), 'say(\u201chi\u201d);   \nfinish();\n');
  });

  it('inserts lines into a CRLF file with CRLF, and into a mixed file with its dominant ending', () => {
    assert.equal(newText(edit('*** Update File: w.txt\n@@\n a\n+b\n c\n*** End Patch\n', { 'w.txt': 'a\r\nc\r\n' })), 'a\r\nb\r\nc\r\n');
    assert.equal(newText(edit('*** Update File: m.txt\n@@\n a\n+b\n*** End Patch\n', { 'm.txt': 'a\r\nc\nd\r\ne\r\n' })), 'a\r\nb\r\nc\nd\r\ne\r\n');
  });
});

describe('re-indentation', () => {
  it('detects the file indentation unit', () => {
    assert.deepEqual(detectIndentUnit(['a', '\tb', '\t\tc']), { char: '\t', size: 1 });
    assert.deepEqual(detectIndentUnit(['a', '  b', '    c', '  d']), { char: ' ', size: 2 });
    assert.equal(detectIndentUnit(['a', 'b']), undefined);
  });

  it('maps the model indentation to the file indentation, deeper and shallower lines included', () => {
    const reindent = createReindenter(
      [
        ['if (a) {', '        if (a) {'],
        ['  go();', '            go();'],
      ],
      ['if (a) {', '  go();', '  if (b) {', '    stop();', '  }', '}'],
      { char: ' ', size: 4 },
    );
    assert.ok(reindent);
    assert.equal(reindent('  if (b) {'), '            if (b) {');
    assert.equal(reindent('    stop();'), '                stop();');
    assert.equal(reindent('}'), '        }');
    assert.equal(reindent(''), '');
  });

  it('does nothing when indentation already agrees', () => {
    assert.equal(createReindenter([['  a', '  a']], ['  a', '  b'], undefined), undefined);
  });
});

describe('closest match for refusals', () => {
  it('scores by normalised edit distance and finds the most similar window', () => {
    assert.equal(editSimilarity('abc', 'abc'), 1);
    assert.ok(editSimilarity('kitten', 'sitting') > 0.5);
    const file = Array.from({ length: 200 }, (_, i) => `const value${i} = compute(${i});`);
    const closest = findClosest(file, ['const value120 = compute(121);', 'const value121 = compute(121);']);
    assert.equal(closest?.start, 120);
    assert.equal(findClosest(file, ['zzzzzzzzzzzzzzzzzzzzzzzzzz']), undefined);
  });
});

describe('speed', () => {
  it('applies 50 hunks to a 20,000-line file quickly', () => {
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) lines.push(`function fn${i}(x) {`, `  return x + ${i};`, '}', '', '// ---');
    const patch = ['*** Begin Patch', '*** Update File: big.js'];
    for (let h = 0; h < 50; h++) {
      const i = h * 80 + 3;
      patch.push('@@', ` function fn${i}(x) {`, `-  return x + ${i};`, `+  return x - ${i};`, ' }');
    }
    const text = `${lines.join('\n')}\n`;
    const started = Date.now();
    patch.push('*** End Patch');
    const outcome = edit(patch.join('\n'), { 'big.js': text });
    const elapsed = Date.now() - started;
    assert.ok(newText(outcome)?.includes('return x - 3;'));
    // The goal is < 50 ms (see npm run bench:edits); the bound here leaves room for a busy machine.
    assert.ok(elapsed < 1000, `${elapsed} ms`);
  });
});
