/**
 * The marker rule, both sides: edit-format marker lines never become file
 * content, while content that merely resembles them (heading underlines,
 * rules, tables, front matter, numpydoc sections, comment banners, a file
 * that already holds conflict markers) is written as usual.
 */
import assert from 'node:assert/strict';
import { applyEdits, markerFailure } from '../../../src/server/edits';
import { fileKind, markerAt, writtenMarkers } from '../../../src/server/edits/markers';
import { alignLines } from '../../../src/shared/diff';
import type { EditOutcome } from '../../../src/shared/edits';

function result(outcome: EditOutcome): string | undefined {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.failures.map((failure) => `[${failure.kind}] ${failure.message}`).join('\n'));
  const change = outcome.changeSet.changes[0];
  return change && change.kind !== 'delete' ? change.newText : undefined;
}

function kinds(outcome: EditOutcome): string[] {
  assert.ok(!outcome.ok, 'expected a refusal');
  return outcome.failures.map((failure) => failure.kind);
}

/** Adds `added` after the first line of `file` (named `path`) with an apply_patch patch. */
function addLines(path: string, file: string, added: readonly string[]): EditOutcome {
  const first = file.split('\n')[0] ?? '';
  const patch = ['*** Begin Patch', `*** Update File: ${path}`, '@@', ` ${first}`, ...added.map((line) => `+${line}`), '*** End Patch'].join('\n');
  return applyEdits({ text: patch, readFile: (candidate) => (candidate === path ? file : undefined) });
}

describe('edit-format marker lines are never written into a file', () => {
  const MARKERS = [
    '<<<<<<< SEARCH',
    '<<<<<<< SEARCH>',
    '<<-- SEARCH',
    '----------- SEARCH',
    '------- SEARCH',
    '>>>>>>> REPLACE',
    '+++++++ REPLACE',
    '>>>>>>> replace',
    '<<<<<<< HEAD',
    '>>>>>>> feature/x',
    '|||||||',
    ':start_line:12',
    ':end_line:14',
    '*** Begin Patch',
    '*** End Patch',
    '*** Update File: src/a.ts',
    '*** add file: x.ts',
    '*** End of File',
    '@@ -1,3 +1,4 @@',
    '@@',
    'diff --git a/x b/x',
    '--- a/src/a.ts',
    '+++ b/src/a.ts',
  ];

  for (const marker of MARKERS) {
    it(`refuses to write “${marker}” into code and into markdown`, () => {
      for (const path of ['src/app.ts', 'docs/notes.md']) {
        const outcome = addLines(path, 'first line\nlast line\n', ['added', marker, 'more']);
        assert.deepEqual(kinds(outcome), ['marker'], path);
        assert.ok(!outcome.ok && outcome.failures[0]?.message.includes(marker.trim()), 'the message quotes the line');
      }
    });
  }

  it('refuses a divider or separator line that underlines nothing in code', () => {
    assert.deepEqual(kinds(addLines('a.ts', 'x();\n', ['y();', '======='])), ['marker']);
    assert.deepEqual(kinds(addLines('a.ts', 'x();\n', ['return 1;', '-------', 'z();'])), ['marker']);
    assert.deepEqual(kinds(addLines('a.md', 'x\n', ['', '=======', 'y'])), ['marker']);
    assert.deepEqual(kinds(addLines('a.py', 'x = 1\n', [':start_line:3', '-------'])), ['marker']);
  });

  it('writes legitimate content that looks like markers', () => {
    const cases: ReadonlyArray<readonly [string, string, readonly string[]]> = [
      ['README.md', 'Intro\n', ['', 'Usage', '=====', '', 'Options', '-------', '', '---', '', '| a | b |', '|---|---|', '| 1 | 2 |']],
      ['docs/index.rst', 'Intro\n', ['', '=======', 'Title', '=======', '', 'Section', '-------']],
      ['notes.txt', 'Intro\n', ['', '==========', 'Chapter 1', '==========']],
      ['post.md', '---\n', ['title: x', 'tags: [a]', '---']],
      ['app/stats.py', 'def f():\n', ['    """Sum.', '', '    Returns', '    -------', '    int', '    """']],
      ['app/stats.py', 'def f():\n', ['    """', '    Title', '    =====', '', '    Text.', '    """']],
      ['lib/x.lua', 'local x = 1\n', ['------------------------------', '-- helpers', '------------------------------']],
      ['db/schema.sql', 'select 1;\n', ['-----------------', '-- tables']],
      ['config.yaml', 'a: 1\n', ['---', 'b: 2']],
      ['src/a.ts', 'x();\n', ['// =======', '/* <<<<<<< not a marker */', "const s = '=======';", 'a >>>>> b;']],
      ['tests/doctest.py', 'x = 1\n', ['>>> replace("a", "b")', "'b'"]],
    ];
    for (const [path, file, added] of cases) {
      const text = result(addLines(path, file, added));
      assert.ok(text?.includes(added.join('\n')), `${path}: ${JSON.stringify(text)}`);
    }
  });

  it('lets a file that already holds conflict markers be edited elsewhere, and be resolved', () => {
    const file = 'top\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> feature\nbottom\n';
    const readFile = (path: string): string | undefined => (path === 'c.txt' ? file : undefined);
    const elsewhere = 'c.txt\n<<<<<<< SEARCH\ntop\n=======\nTOP\n>>>>>>> REPLACE\n';
    assert.equal(result(applyEdits({ text: elsewhere, readFile })), file.replace('top', 'TOP'));
    const whole = applyEdits({ text: `\`\`\`text c.txt\n${file.replace('bottom', 'end')}\`\`\`\n`, readFile });
    assert.equal(result(whole), file.replace('bottom', 'end'));
    const resolve = 'c.txt\n<<<<<<< SEARCH\n\\<<<<<<< HEAD\nmine\n\\=======\ntheirs\n\\>>>>>>> feature\n=======\nmine and theirs\n>>>>>>> REPLACE\n';
    assert.equal(result(applyEdits({ text: resolve, readFile })), 'top\nmine and theirs\nbottom\n');
    // Adding another conflict marker is still refused.
    assert.deepEqual(kinds(addLines('c.txt', file, ['<<<<<<< HEAD'])), ['marker']);
  });

  it('counts only lines the change adds, not lines it keeps or moves around them', () => {
    const old = 'a\n=======\nb\n';
    assert.deepEqual(writtenMarkers('x.ts', old, 'a\n=======\nb\nc\n'), []);
    assert.deepEqual(
      writtenMarkers('x.ts', old, 'a\n=======\nb\n=======\n').map((marker) => marker.line),
      [4],
    );
    // A small change in a large file is aligned like any other.
    const big = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
    const bigText = `${big.join('\n')}\n`;
    const changed = [...big.slice(0, 10), '<<<<<<< SEARCH', ...big.slice(10, 2990), 'x', ...big.slice(2990)];
    assert.deepEqual(
      writtenMarkers('big.txt', bigText, `${changed.join('\n')}\n`).map((marker) => marker.text),
      ['<<<<<<< SEARCH'],
    );
  });

  it('counts lines when a rewrite is too large to align: a marker the file had stays, a new one is refused', () => {
    const old = [...Array.from({ length: 800 }, (_, i) => `old ${i}`), '<<<<<<< HEAD', ...Array.from({ length: 800 }, (_, i) => `old tail ${i}`)];
    const rewritten = [...Array.from({ length: 800 }, (_, i) => `new ${i}`), '<<<<<<< HEAD', ...Array.from({ length: 800 }, (_, i) => `new tail ${i}`), '>>>>>>> REPLACE'];
    assert.equal(alignLines(old, rewritten), undefined, 'the rewrite must be too far apart to align');
    const written = writtenMarkers('big.txt', `${old.join('\n')}\n`, `${rewritten.join('\n')}\n`);
    assert.deepEqual(
      written.map((marker) => [marker.line, marker.text]),
      [[rewritten.length, '>>>>>>> REPLACE']],
    );
  });

  it('reads = and - runs by file kind', () => {
    assert.deepEqual(fileKind('docs/a.md'), { markup: true, dashComments: false });
    assert.deepEqual(fileKind('CHANGELOG'), { markup: true, dashComments: false });
    assert.deepEqual(fileKind('x.lua'), { markup: false, dashComments: true });
    const code = fileKind('x.ts');
    assert.equal(markerAt(['Returns', '-------'], 1, code), undefined);
    assert.equal(markerAt(['return x;', '-------'], 1, code), 'a SEARCH/REPLACE separator');
    assert.equal(markerAt(['', '-------', ''], 1, fileKind('a.md')), undefined);
    assert.equal(markerAt(['--- a/x', '+++ b/x'], 0, code), 'a unified-diff file header');
  });

  it('markerFailure names the file and the lines, for create_file', () => {
    const failure = markerFailure('src/a.ts', undefined, 'x\n<<<<<<< SEARCH\ny\n=======\nz\n>>>>>>> REPLACE\n');
    assert.equal(failure?.kind, 'marker');
    assert.equal(failure?.path, 'src/a.ts');
    assert.deepEqual(failure?.lines, ['<<<<<<< SEARCH', '=======', '>>>>>>> REPLACE']);
    assert.equal(markerFailure('README.md', undefined, 'Title\n=====\n'), undefined);
  });
});
