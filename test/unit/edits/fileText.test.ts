/**
 * The one-pass apply reads files through a line-offset index (FileText):
 * exact matches are found by searching the text, and the new text is sliced
 * from the original between the changed lines. These properties compare it
 * with the plain implementation it replaced, kept as the oracle: `splitFile`'s
 * line arrays, the map-indexed LineIndex and the line-by-line splice. Over
 * generated files (LF, CRLF, CR and mixed endings, no final newline, a BOM,
 * unicode, huge lines, empty files) and generated hunks (at the start and
 * end, adjacent, overlapping, insertions, deletions of the last lines,
 * fuzzy-level matches, lines that are nowhere), both must give the very same
 * text or the very same refusals.
 */
import assert from 'node:assert/strict';
import { splitFile, type HunkLine } from '../../../src/shared/diff';
import { applyPatchHunks } from '../../../src/server/edits/applyHunks';
import { FileText } from '../../../src/server/edits/fileText';
import { LineIndex } from '../../../src/server/edits/lineIndex';
import { MATCH_LEVELS } from '../../../src/server/edits/normalize';
import type { PatchHunk } from '../../../src/server/edits/types';
import { pick, seededRandom } from '../../support/random';

const VOCABULARY = ['{', '}', '  return x;', '  return x;  ', '\treturn x;', '', '  ', 'if (a) {', '  call();', '// “note” — here', 'end', 'é😀 ünïcode', '\uFEFFbom', 'x\u00A0y'];
const ENDINGS = { lf: ['\n'], crlf: ['\r\n'], cr: ['\r'], mixed: ['\n', '\r\n', '\r'] } as const;

interface Generated {
  text: string;
  lines: string[];
}

function generateFile(next: () => number): Generated {
  if (next() < 0.05) return { text: '', lines: [] };
  const endings = ENDINGS[pick(next, ['lf', 'lf', 'crlf', 'cr', 'mixed'] as const)];
  const lines = Array.from({ length: 1 + Math.floor(next() * 30) }, () => {
    const roll = next();
    if (roll < 0.01) return 'x'.repeat(20_000 + Math.floor(next() * 5000));
    return roll < 0.3 ? `line ${Math.floor(next() * 20)}` : pick(next, VOCABULARY);
  });
  if (next() < 0.1) lines[0] = `\uFEFF${lines[0] ?? ''}`;
  const finalNewline = next() < 0.7;
  let text = '';
  lines.forEach((line, i) => {
    text += line;
    if (i < lines.length - 1 || finalNewline) text += pick(next, endings);
  });
  return { text, lines: splitFile(text).lines };
}

/** The old side as the model may write it: mostly exact, sometimes with other spacing or typographic quotes. */
function copied(next: () => number, line: string): string {
  const roll = next();
  if (roll < 0.1) return `${line}  `;
  if (roll < 0.15) return `  ${line.trim()}`;
  if (roll < 0.2) return line.replace(/"/g, '\u201C');
  if (roll < 0.23) return `missing ${Math.floor(next() * 5)}`;
  return line;
}

function generateHunks(next: () => number, lines: readonly string[]): PatchHunk[] {
  const hunks: PatchHunk[] = [];
  const count = 1 + Math.floor(next() * 4);
  for (let h = 0; h < count; h++) {
    const roll = next();
    const start = roll < 0.15 ? 0 : Math.floor(next() * (lines.length + 1));
    const context = Math.min(lines.length - start, Math.floor(next() * 4));
    const ops: HunkLine[] = [];
    for (let i = 0; i < context; i++) {
      const text = copied(next, lines[start + i] ?? '');
      ops.push({ op: next() < 0.4 ? '-' : ' ', text });
    }
    const added = Math.floor(next() * 3);
    for (let i = 0; i < added; i++) ops.splice(Math.floor(next() * (ops.length + 1)), 0, { op: '+', text: `  added ${h}.${i}` });
    const hunk: PatchHunk =
      next() < 0.25
        ? {
            block: h + 1,
            label: 'SEARCH/REPLACE block',
            body: { kind: 'pair', search: ops.filter((op) => op.op !== '+').map((op) => op.text), replace: ops.filter((op) => op.op !== '-').map((op) => op.text) },
          }
        : { block: 1, label: 'hunk', body: { kind: 'ops', ops } };
    const flags = next();
    if (flags < 0.1) hunk.atEnd = true;
    else if (flags < 0.15) hunk.appendWithoutContext = true;
    else if (flags < 0.2) hunk.newNoFinalNewline = true;
    else if (flags < 0.25) hunk.oldNoFinalNewline = true;
    else if (flags < 0.3 && start > 0) hunk.anchors = [lines[start - 1] ?? ''];
    else if (flags < 0.35) hunk.lineHint = start + 1;
    hunks.push(hunk);
  }
  return hunks;
}

describe('the indexed file text gives the plain implementation’s results', () => {
  it('counts lines, endings and the final newline as splitFile does (2,000 generated files)', () => {
    const next = seededRandom(16_001);
    for (let round = 0; round < 2000; round++) {
      const { text } = generateFile(next);
      const plain = splitFile(text);
      const indexed = new FileText(text);
      const label = `round ${round}: ${JSON.stringify(text.slice(0, 200))}`;
      assert.equal(indexed.count, plain.lines.length, label);
      assert.deepEqual(indexed.lines, plain.lines, label);
      assert.deepEqual(indexed.eols, plain.eols, label);
      assert.equal(indexed.eol, plain.eol, label);
      assert.equal(indexed.finalNewline, plain.finalNewline, label);
      for (let i = 0; i < indexed.count; i++) {
        assert.equal(indexed.lineAt(indexed.startOf(i)), i, label);
        assert.ok(indexed.lineIs(i, plain.lines[i] ?? ''), label);
      }
    }
  });

  it('answers for empty lines, lone endings and a last line with or without one, in each kind of ending', () => {
    const shapes = ['', 'a', 'a\n', '\n', '\n\n', '\n\na', 'a\n\n', 'a\n\nb', '\nb\n', 'ab\ncd', 'ab\ncd\n\n\n'];
    for (const shape of shapes) {
      for (const ending of ['\n', '\r\n', '\r']) {
        const text = shape.replace(/\n/g, ending);
        const plain = splitFile(text);
        const indexed = new FileText(text);
        const label = JSON.stringify(text);
        assert.equal(indexed.count, plain.lines.length, label);
        assert.deepEqual(indexed.lines, plain.lines, label);
        assert.deepEqual(indexed.eols, plain.eols, label);
        assert.equal(indexed.finalNewline, plain.finalNewline, label);
        for (let from = 0; from < indexed.count; from++) {
          for (let to = from + 1; to <= indexed.count; to++) {
            const expected = plain.lines.slice(from, to).map((line, i) => (from + i < to - 1 ? line + (plain.eols[from + i] ?? '') : line)).join('');
            assert.equal(indexed.stretch(from, to), expected, `${label} [${from}, ${to})`);
          }
        }
        for (const outside of [-1, indexed.count, indexed.count + 1]) {
          assert.equal(indexed.eolAt(outside), undefined, `${label} eolAt(${outside})`);
          assert.equal(indexed.lineIs(outside, ''), false, `${label} lineIs(${outside})`);
        }
      }
    }
  });

  it('finds blocks at every level where the line index over arrays does (800 files, 20 blocks each)', () => {
    const next = seededRandom(16_002);
    for (let round = 0; round < 800; round++) {
      const { text, lines } = generateFile(next);
      const indexed = new LineIndex(new FileText(text));
      const plain = new LineIndex(lines);
      for (let query = 0; query < 20; query++) {
        const start = Math.floor(next() * (lines.length + 1));
        const length = 1 + Math.floor(next() * 3);
        const block = Array.from({ length }, (_, i) => (next() < 0.85 ? (lines[start + i] ?? '') : copied(next, lines[start + i] ?? '')));
        const from = next() < 0.2 ? Math.floor(next() * lines.length) : 0;
        const to = next() < 0.2 ? Math.floor(next() * lines.length) : Number.MAX_SAFE_INTEGER;
        for (const level of MATCH_LEVELS) {
          assert.deepEqual(indexed.findAll(block, level, from, to), plain.findAll(block, level, from, to), `round ${round}, ${level}: ${JSON.stringify(block)} in ${JSON.stringify(text.slice(0, 300))}`);
        }
      }
    }
  });

  it('still answers the same once its search budget is spent and it builds the index', () => {
    const next = seededRandom(16_003);
    const lines = Array.from({ length: 400 }, () => `line ${Math.floor(next() * 50)}`);
    const text = `${lines.join('\n')}\n`;
    const indexed = new LineIndex(new FileText(text));
    const plain = new LineIndex(lines);
    // 64 searches read the text 64 times over; the rest go through the built index.
    for (let query = 0; query < 200; query++) {
      const start = Math.floor(next() * lines.length);
      const block = lines.slice(start, start + 1 + Math.floor(next() * 3));
      assert.deepEqual(indexed.findAll(block, 'exact'), plain.findAll(block, 'exact'), `query ${query}`);
    }
  });

  it('applies generated hunks to generated files with the same text or the same refusals (3,000 rounds)', () => {
    const next = seededRandom(16_004);
    let applied = 0;
    for (let round = 0; round < 3000; round++) {
      const { text, lines } = generateFile(next);
      const hunks = generateHunks(next, lines);
      const fast = applyPatchHunks('f.txt', text, hunks);
      const oracle = applyPatchHunks('f.txt', text, hunks, splitFile);
      assert.deepEqual(fast, oracle, `round ${round}: ${JSON.stringify(hunks)} on ${JSON.stringify(text.slice(0, 300))}`);
      if (fast.ok) applied++;
    }
    // The generator must exercise the writing path, not only refusals.
    assert.ok(applied > 600, `only ${applied} of 3000 applied`);
  });

  it('applies many adjacent hunks over a large file as the oracle does', () => {
    const next = seededRandom(16_005);
    for (const ending of ['\n', '\r\n', '\r']) {
      for (const finalNewline of [true, false]) {
        const lines = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? '' : `row ${i}`));
        const text = lines.join(ending) + (finalNewline ? ending : '');
        const hunks: PatchHunk[] = [];
        // Every third line changed, from the first line to the last: hunks touch each other.
        for (let at = 0; at < lines.length; at += 3) {
          const ops: HunkLine[] = [
            { op: ' ', text: lines[at] ?? '' },
            { op: '-', text: lines[at + 1] ?? '' },
            { op: '+', text: `new ${at} ${next()}` },
          ];
          if (at + 2 < lines.length) ops.push({ op: ' ', text: lines[at + 2] ?? '' });
          hunks.push({ block: 1, label: 'hunk', body: { kind: 'ops', ops: at + 1 < lines.length ? ops : [{ op: '-', text: lines[at] ?? '' }] }, lineHint: at + 1 });
        }
        const fast = applyPatchHunks('big.txt', text, hunks);
        assert.deepEqual(fast, applyPatchHunks('big.txt', text, hunks, splitFile));
        assert.ok(fast.ok, JSON.stringify(fast).slice(0, 500));
      }
    }
  });
});
