import assert from 'node:assert/strict';
import { applyDiffHunks, diffLines, relocateHunk, withContext } from '../../../src/shared/diff';

const base = ['import x', '', 'function a() {', '  return 1;', '}', '', 'function b() {', '  return 2;', '}', ''].join('\n');

function only<T>(items: T[]): T {
  const [item] = items;
  assert.equal(items.length, 1);
  assert.ok(item !== undefined);
  return item;
}

describe('relocateHunk', () => {
  const hunk = withContext(only(diffLines(base, base.replace('return 2', 'return 20'))), base);

  it('captures up to three lines of context from the base text', () => {
    assert.deepEqual(hunk.before, ['}', '', 'function b() {']);
    assert.deepEqual(hunk.after, ['}', '']);
  });

  it('finds the hunk where it was when nothing changed', () => {
    assert.deepEqual(relocateHunk(hunk, base), { status: 'found', start: 7 });
  });

  it('follows the hunk when lines were added above it', () => {
    const current = `// header\n// more\n${base}`;
    const found = relocateHunk(hunk, current);
    assert.deepEqual(found, { status: 'found', start: 9 });
    assert.equal(applyDiffHunks(current, [{ hunk, start: 9 }]), `// header\n// more\n${base.replace('return 2', 'return 20')}`);
  });

  it('still finds it when a context line next to it was edited', () => {
    const current = base.replace('function b() {', 'function b(): number {');
    assert.deepEqual(relocateHunk(hunk, current), { status: 'found', start: 7 });
  });

  it('reports notFound when the old lines themselves were edited', () => {
    assert.deepEqual(relocateHunk(hunk, base.replace('return 2', 'return 3')), { status: 'notFound' });
  });

  it('reports ambiguous when the lines and their context are in several places', () => {
    const current = `${base}\nfunction b() {\n  return 2;\n}\n`;
    const result = relocateHunk(hunk, current);
    assert.equal(result.status, 'ambiguous');
  });

  it('uses context to tell apart equal old lines', () => {
    const text = 'a\n}\nb\n}\nc\n';
    const h = withContext(only(diffLines(text, 'a\n}\nb\n};\nc\n')), text);
    assert.deepEqual(relocateHunk(h, `x\n${text}`), { status: 'found', start: 4 });
  });

  it('places a pure insertion by its context alone', () => {
    const text = 'a\nb\nc\n';
    const insertion = withContext(only(diffLines(text, 'first\na\nb\nc\n')), text);
    assert.deepEqual(insertion.before, []);
    assert.deepEqual(relocateHunk(insertion, text), { status: 'found', start: 0 });
    assert.deepEqual(relocateHunk(insertion, `other\n${text}`), { status: 'found', start: 1 });
    const append = withContext(only(diffLines('a\nb', 'a\nb\nc')), 'a\nb');
    assert.deepEqual(relocateHunk(append, 'z\na\nb'), { status: 'found', start: 3 });
  });

  it('refuses a pure insertion whose context lines are everywhere', () => {
    const lines = (count: number): string[] => Array.from({ length: count }, () => '}');
    const text = lines(8).join('\n');
    const insertion = withContext(only(diffLines(text, [...lines(4), 'new', ...lines(4)].join('\n'))), text);
    assert.equal(relocateHunk(insertion, lines(12).join('\n')).status, 'ambiguous');
  });

  it('relocates on a CRLF text', () => {
    assert.deepEqual(relocateHunk(hunk, `// top\r\n${base.replace(/\n/g, '\r\n')}`), { status: 'found', start: 8 });
  });
});
