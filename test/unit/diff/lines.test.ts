import assert from 'node:assert/strict';
import {
  changedEndings,
  dominantEol,
  fileLines,
  firstEol,
  joinLines,
  lineOps,
  sameLines,
  splitFile,
  splitLines,
  splitText,
  type HunkLine,
} from '../../../src/shared/diff';
import { seededRandom } from '../../support/random';

const BREAKS = ['\n', '\r\n', '\r'] as const;

/** A random text of short lines over a small alphabet, with any mix of `breaks` and maybe a final one. */
function randomText(next: () => number, breaks: readonly string[] = BREAKS): string {
  const words = ['a', 'b', '', '  x', '\tc', 'd e'];
  const count = Math.floor(next() * 8);
  let text = '';
  for (let i = 0; i < count; i++) {
    text += words[Math.floor(next() * words.length)];
    if (i < count - 1 || next() < 0.5) text += breaks[Math.floor(next() * breaks.length)] ?? '\n';
  }
  return text;
}

/** Applies ops to the lines of a file, with the endings changedEndings gives the lines it writes. */
function applyOps(text: string, ops: readonly HunkLine[]): string {
  const file = splitFile(text);
  const lines: string[] = [];
  for (const line of ops) if (line.op !== '-') lines.push(line.text);
  return joinLines(lines, changedEndings(ops, file.eols, 0), file.eol, file.finalNewline || file.lines.length === 0);
}

describe('lines and line endings', () => {
  it('splits a text at every kind of break, the line after the last break included', () => {
    assert.deepEqual(splitText('a\r\nb\nc\rd'), { lines: ['a', 'b', 'c', 'd'], eols: ['\r\n', '\n', '\r', ''] });
    assert.deepEqual(splitText('a\n'), { lines: ['a', ''], eols: ['\n', ''] });
    assert.deepEqual(splitText(''), { lines: [''], eols: [''] });
    assert.deepEqual(splitText('\r\r\n'), { lines: ['', '', ''], eols: ['\r', '\r\n', ''] });
    assert.deepEqual(splitLines('x\r\ny'), ['x', 'y']);
  });

  it('counts a file’s lines as an editor does: no line after a final break, none in an empty file', () => {
    assert.deepEqual(splitFile('a\r\nb\nc'), { lines: ['a', 'b', 'c'], eols: ['\r\n', '\n', ''], eol: '\n', finalNewline: false });
    assert.deepEqual(splitFile('a\n\n'), { lines: ['a', ''], eols: ['\n', '\n'], eol: '\n', finalNewline: true });
    assert.deepEqual(splitFile('\n'), { lines: [''], eols: ['\n'], eol: '\n', finalNewline: true });
    assert.deepEqual(splitFile(''), { lines: [], eols: [], eol: '\n', finalNewline: false });
    assert.deepEqual(fileLines('a\r\nb\r\n'), ['a', 'b']);
    assert.deepEqual(fileLines(''), []);
  });

  it('property: both views give back the text, and agree on every line', () => {
    const next = seededRandom(20250301);
    for (let round = 0; round < 500; round++) {
      const text = randomText(next);
      const split = splitText(text);
      assert.equal(split.lines.map((line, i) => line + split.eols[i]).join(''), text, JSON.stringify(text));
      const file = splitFile(text);
      assert.equal(joinLines(file.lines, file.eols, file.eol, file.finalNewline), text, JSON.stringify(text));
      assert.deepEqual(fileLines(text), file.lines);
      // The file view is the text view without the empty line after a final break.
      const dropped = split.lines.length - file.lines.length;
      assert.ok(dropped === 0 || (dropped === 1 && split.lines[split.lines.length - 1] === ''), JSON.stringify(text));
      assert.deepEqual(split.lines.slice(0, file.lines.length), file.lines);
      assert.equal(file.finalNewline, text !== '' && /[\r\n]$/.test(text), JSON.stringify(text));
    }
  });

  it('picks the most common ending for new lines (LF on a tie with it), and the first one for the review', () => {
    assert.equal(dominantEol(['\r\n', '\r\n', '\n', '']), '\r\n');
    assert.equal(dominantEol(['\r\n', '\n']), '\n');
    assert.equal(dominantEol(['\r', '\r', '\n']), '\r');
    assert.equal(dominantEol(['\r', '\r\n']), '\r\n');
    assert.equal(dominantEol([]), '\n');
    assert.equal(splitFile('a\r\nb\r\nc\n').eol, '\r\n');
    assert.equal(firstEol('a\r\nb\nc\n'), '\r\n');
    assert.equal(firstEol('a\nb\r\n'), '\n');
    assert.equal(firstEol('a\rb\r\n'), '\n', 'a lone CR counts as LF');
    assert.equal(firstEol('no break'), '\n');
    assert.equal(firstEol(splitText('x\r\n')), '\r\n');
  });

  it('joins new lines with the given ending, keeps the ones lines already have, and the final-newline state', () => {
    assert.equal(joinLines(['a', 'b'], ['\r\n', undefined], '\r\n', true), 'a\r\nb\r\n');
    assert.equal(joinLines(['a', 'b'], ['\r', undefined], '\n', false), 'a\rb');
    assert.equal(joinLines([], [], '\n', true), '');
  });

  it('compares lines whatever their breaks', () => {
    assert.ok(sameLines('a\r\nb\n', 'a\nb\r\n'));
    assert.ok(!sameLines('a\nb', 'a\nb\n'));
    assert.ok(sameLines(['a', ''], 'a\n'));
  });
});

describe('endings of changed lines', () => {
  it('a replaced line keeps its own ending in a mixed CRLF/LF file; kept lines keep theirs', () => {
    const text = 'one\r\ntwo\nthree\r\nfour\n';
    const before = splitFile(text).lines;
    const ops = lineOps(before, ['one', 'TWO', 'THREE', 'four']);
    assert.equal(applyOps(text, ops), 'one\r\nTWO\nTHREE\r\nfour\n');
  });

  it('an added line takes the ending its neighbours agree on, else the file’s dominant one', () => {
    const agree = 'a\r\nb\r\nc\nd\n';
    assert.equal(applyOps(agree, lineOps(splitFile(agree).lines, ['a', 'new', 'b', 'c', 'd'])), 'a\r\nnew\r\nb\r\nc\nd\n');
    const disagree = 'a\r\nb\nc\n';
    assert.equal(applyOps(disagree, lineOps(splitFile(disagree).lines, ['a', 'new', 'b', 'c'])), 'a\r\nnew\nb\nc\n');
    assert.deepEqual(changedEndings([{ op: ' ', text: 'a' }, { op: '+', text: 'n' }, { op: ' ', text: 'b' }], ['\r\n', '\n'], 0), ['\r\n', undefined, '\n']);
  });

  it('property: changes keep the endings of every line they keep, and one-for-one replacements keep theirs', () => {
    const next = seededRandom(777);
    for (let round = 0; round < 300; round++) {
      // CRLF and LF only: a lone CR before an empty line written with LF would read back as one CRLF.
      const text = randomText(next, ['\n', '\r\n']);
      const file = splitFile(text);
      const target = splitFile(randomText(next)).lines;
      // A last line that is empty only exists with a final newline, which this file may not have.
      while (target[target.length - 1] === '') target.pop();
      const ops = lineOps(file.lines, target);
      const result = splitFile(applyOps(text, ops));
      assert.deepEqual(result.lines, target, JSON.stringify([text, target]));
      // The ending each result line should have (undefined: not decided by an old line).
      const wanted: (string | undefined)[] = [];
      let t = 0;
      for (let i = 0; i < ops.length; ) {
        if (ops[i]?.op === ' ') {
          wanted.push(file.eols[t++]);
          i++;
          continue;
        }
        const removed: string[] = [];
        let added = 0;
        for (; i < ops.length && ops[i]?.op !== ' '; i++) {
          if (ops[i]?.op === '-') removed.push(file.eols[t++] ?? '');
          else added++;
        }
        for (let k = 0; k < added; k++) wanted.push(removed[k] || undefined);
      }
      const context = JSON.stringify([text, target]);
      for (const [r, eol] of wanted.entries()) {
        // The last line's ending is the final-newline state, which a change at the end may move.
        if (eol === undefined || r === wanted.length - 1 || eol === '') continue;
        assert.equal(result.eols[r], eol, `line ${r} of ${context}`);
      }
    }
  });
});
