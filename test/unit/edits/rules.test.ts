/**
 * The refusal rules of issue 9: a mangled marker never turns an answer into
 * code, a malformed block refuses the whole answer (also within one file),
 * cut-off answers are refused as truncated, and the details a reader notices
 * (line endings of replaced lines, indentation in mixed files, escapes, path
 * headings) come out right.
 */
import assert from 'node:assert/strict';
import { applyEdits, type EditInput } from '../../../src/server/edits';
import type { EditOutcome } from '../../../src/shared/edits';

const GREET = 'export function greet(name: string): string {\n  const prefix = "Hi";\n  return `${prefix}, ${name}!`;\n}\n';
const READ = (path: string): string | undefined => (path === 'greet.ts' ? GREET : undefined);

function edit(text: string, extra: Partial<EditInput> = {}, readFile = READ): EditOutcome {
  return applyEdits({ text, readFile, ...extra });
}

function texts(outcome: EditOutcome): Record<string, string> {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.failures.map((failure) => `[${failure.kind}] ${failure.message}`).join('\n'));
  return Object.fromEntries(outcome.changeSet.changes.map((change) => [change.path, change.kind === 'delete' ? '' : change.newText]));
}

function refusal(outcome: EditOutcome): string[] {
  assert.ok(!outcome.ok, `expected a refusal, got ${JSON.stringify(outcome.ok && outcome.changeSet.changes)}`);
  return outcome.failures.map((failure) => failure.kind);
}

function block(search: string, replace: string, markers: readonly [string, string, string] = ['<<<<<<< SEARCH', '=======', '>>>>>>> REPLACE']): string {
  return `greet.ts\n\`\`\`ts\n${markers[0]}\n${search}\n${markers[1]}\n${replace}\n${markers[2]}\n\`\`\`\n`;
}

const OLD = '  const prefix = "Hi";';
const NEW = '  const prefix = "Hello";';
const EXPECTED = GREET.replace('"Hi"', '"Hello"');

describe('a mangled SEARCH/REPLACE block is never written as code', () => {
  const mangled: ReadonlyArray<readonly [string, readonly [string, string, string]]> = [
    ['eleven dashes', ['----------- SEARCH', '=======', '+++++++ REPLACE']],
    ['<<-- SEARCH', ['<<-- SEARCH', '=======', '>>>>>>> REPLACE']],
    ['lower-case word', ['<<<<<<< search', '=======', '>>>>>>> REPLACE']],
    ['two spaces', ['<<<<<<<  SEARCH', '=======', '>>>>>>> REPLACE']],
    ['short divider', ['<<<<<<< SEARCH', '===', '>>>>>>> REPLACE']],
    ['REPLACE with junk', ['<<<<<<< SEARCH', '=======', '>>>>>>> REPLACE x']],
    ['SEARCH word missing', ['<<<<<<<', '=======', '>>>>>>> REPLACE']],
  ];
  for (const [name, markers] of mangled) {
    it(`${name}: refused, with or without a target file`, () => {
      for (const extra of [{}, { defaultPath: 'greet.ts' }]) {
        const outcome = edit(block(OLD, NEW, markers), extra);
        assert.ok(!outcome.ok, `${name} applied: ${JSON.stringify(outcome.ok && outcome.changeSet.changes)}`);
      }
    });
  }

  it("accepts aider's `SEARCH>` and a separator line before SEARCH", () => {
    assert.equal(texts(edit(block(OLD, NEW, ['<<<<<<< SEARCH>', '=======', '>>>>>>> REPLACE'])))['greet.ts'], EXPECTED);
    assert.equal(texts(edit(`-------\n${block(OLD, NEW)}`))['greet.ts'], EXPECTED);
  });

  it('refuses a block with a doubled divider, a missing REPLACE or a REPLACE before the divider', () => {
    assert.deepEqual(refusal(edit(block(OLD, `=======\n${NEW}`))), ['unparseable']);
    assert.deepEqual(refusal(edit(`greet.ts\n\`\`\`ts\n<<<<<<< SEARCH\n${OLD}\n=======\n${NEW}\n\`\`\`\n`)), ['unparseable']);
    assert.deepEqual(refusal(edit(`greet.ts\n<<<<<<< SEARCH\n${OLD}\n>>>>>>> REPLACE\n=======\n${NEW}\n`)), ['unparseable', 'unparseable']);
    assert.deepEqual(refusal(edit(`greet.ts\n\`\`\`ts\n<<<<<<< SEARCH\n${OLD}\n=======\n${NEW}\n\`\`\`\n>>>>>>> REPLACE\n`)), ['unparseable', 'unparseable']);
  });

  it('refuses the whole answer when one block of several is malformed, in one file or across files', () => {
    const good = block('  return `${prefix}, ${name}!`;', '  return `${prefix}, ${name}.`;');
    const bad = block(OLD, NEW, ['<<<<<<< SEARCH', '=======', '>>>>>>>> REPLACE!']);
    for (const text of [good + bad, bad + good, good + bad.replace('greet.ts', 'other.ts')]) {
      assert.ok(!edit(text).ok, text);
    }
  });

  it('refuses Roo line hints and separators in the wrong place', () => {
    assert.ok(!edit(`greet.ts\n<<<<<<< SEARCH\n:start_line:2\n-------\n${OLD}\n=======\n-------\n${NEW}\n>>>>>>> REPLACE\n`).ok);
    assert.ok(!edit(`greet.ts\n<<<<<<< SEARCH\n${OLD}\n=======\n:start_line:2\n${NEW}\n>>>>>>> REPLACE\n`).ok);
    assert.ok(!edit(`greet.ts\n:start_line:2\n<<<<<<< SEARCH\n-------\n${OLD}\n=======\n${NEW}\n>>>>>>> REPLACE\n`).ok);
  });

  it('unescapes every escaped marker form, in SEARCH and REPLACE alike', () => {
    const forms = ['<<<<<<< SEARCH', '=======', '>>>>>>> REPLACE', '-------', '+++++++ REPLACE', ':start_line:3', ':end_line:4', '<<<<<<< HEAD', '  ======='];
    const file = `# notes\n${forms.join('\n')}\nend\n`;
    const escaped = forms.map((line) => line.replace(/^(\s*)/, '$1\\')).join('\n');
    const text = `notes.md\n<<<<<<< SEARCH\n# notes\n${escaped}\n=======\n# Notes\n${escaped}\n>>>>>>> REPLACE\n`;
    assert.equal(texts(edit(text, {}, (path) => (path === 'notes.md' ? file : undefined)))['notes.md'], file.replace('# notes', '# Notes'));
  });
});

describe('cut-off answers are refused as truncated', () => {
  const patch = `*** Begin Patch\n*** Update File: greet.ts\n@@\n-${OLD}\n+${NEW}\n*** End Patch\n`;

  it('apply_patch without End Patch, however it ends', () => {
    for (const text of [patch.replace('*** End Patch\n', ''), `\`\`\`\n${patch.replace('*** End Patch\n', '')}\`\`\`\n`, `apply_patch <<'EOF'\n${patch.replace('*** End Patch\n', '')}EOF\n`]) {
      const outcome = edit(text);
      assert.deepEqual(refusal(outcome), ['truncation']);
      assert.match(outcome.ok ? '' : (outcome.failures[0]?.message ?? ''), /End Patch/);
    }
    assert.equal(texts(edit(patch.replace('*** Begin Patch\n', '')))['greet.ts'], EXPECTED);
  });

  it('apply_patch: several patches in one answer apply together; a stray or mangled marker refuses all', () => {
    const second = patch.replace(OLD, '  return `${prefix}, ${name}!`;').replace(NEW, '  return `${prefix}, ${name}.`;');
    assert.equal(texts(edit(`${patch}\nand then:\n\n${second}`))['greet.ts'], EXPECTED.replace('!`;', '.`;'));
    assert.deepEqual(refusal(edit(`${patch}*** Update File: greet.ts\n`)), ['unparseable']);
    assert.equal(refusal(edit(patch.replace('*** Update File:', '*** update file:')))[0], 'unparseable');
    assert.deepEqual(refusal(edit(patch.replace('*** Update File: greet.ts\n', '*** Update File: greet.ts\n*** End of file\n'))), ['unparseable']);
  });

  it('SEARCH/REPLACE cut inside a block, inside its fence or within a marker', () => {
    const full = block(OLD, NEW);
    const lines = full.split('\n');
    for (let keep = 3; keep < lines.length - 1; keep++) {
      const cut = lines.slice(0, keep).join('\n');
      assert.ok(!edit(cut).ok, `cut after line ${keep} applied`);
    }
    assert.ok(refusal(edit(`greet.ts\n<<<<<<< SEARCH\n${OLD}\n=======\n${NEW}\n>>>>>>> REPL`)).includes('truncation'));
    assert.deepEqual(refusal(edit(`greet.ts\n<<<<<<< SEARCH\n${OLD}\n=======\n${NEW}\n>>>>>>> REPLACE\n------`)), ['truncation']);
  });

  it('unified diff: an unclosed fence, or a last hunk shorter than its header', () => {
    const diff = `--- a/greet.ts\n+++ b/greet.ts\n@@ -1,3 +1,3 @@\n export function greet(name: string): string {\n-${OLD}\n+${NEW}\n   return \`\${prefix}, \${name}!\`;\n`;
    assert.equal(texts(edit(diff))['greet.ts'], EXPECTED);
    assert.deepEqual(refusal(edit(`\`\`\`diff\n${diff}`)), ['truncation']);
    assert.deepEqual(refusal(edit(diff.split('\n').slice(0, 6).join('\n'))), ['truncation']);
  });

  it('unified diff: lines of no hunk and headers naming different files are refused, not dropped', () => {
    const twoFiles = (first: string): string =>
      `\`\`\`diff\n--- a/greet.ts\n+++ b/greet.ts\n${first}\n export function greet(name: string): string {\n-${OLD}\n+${NEW}\n--- a/b.txt\n+++ b/b.txt\n@@ -1 +1 @@\n-b\n+B\n\`\`\`\n`;
    const readFile = (path: string): string | undefined => (path === 'b.txt' ? 'b\n' : READ(path));
    assert.deepEqual(Object.keys(texts(edit(twoFiles('@@ -1,2 +1,2 @@'), {}, readFile))), ['greet.ts', 'b.txt']);
    assert.ok(!edit(twoFiles('@ -1,2 +1,2 @'), {}, readFile).ok);
    assert.ok(!edit(`diff --git a/greet.ts b/greet.ts\n--- a/greet.ts\n+++ b/greet.ts*\n@@ -2 +2 @@\n-${OLD}\n+${NEW}\n`).ok);
  });

  it('code blocks: an unclosed fence (also for a new file), a nested fence, bare text ending before its code', () => {
    assert.deepEqual(refusal(edit('```ts src/new.ts\nexport const a = 1;\n')), ['truncation']);
    assert.deepEqual(refusal(edit('```ts greet.ts\n```ts\nexport const a = 1;\n```\n')), ['unparseable']);
    assert.deepEqual(refusal(edit('Here is the updated file:\n\n### greet.ts\n', { defaultPath: 'greet.ts' })), ['truncation']);
    assert.deepEqual(refusal(edit('*** Begi', { defaultPath: 'greet.ts' })), ['unparseable']);
    assert.deepEqual(refusal(edit('--- a/greet.ts\n', { defaultPath: 'greet.ts' })), ['unparseable']);
  });
});

describe('paths, line endings and indentation', () => {
  it('reads the file a heading, a remark or a lead-in names before a code block', () => {
    const readFile = (path: string): string | undefined => (path === 'src/a.ts' ? 'a\n' : path === 'greet.ts' ? GREET : undefined);
    for (const hint of ['### src/a.ts', '### `src/a.ts` (updated)', 'src/a.ts — the new version', 'Here is the updated `src/a.ts`:', '**src/a.ts**']) {
      assert.deepEqual(Object.keys(texts(edit(`${hint}\n\`\`\`ts\nb\n\`\`\`\n`, { defaultPath: 'greet.ts' }, readFile))), ['src/a.ts'], hint);
    }
    const two = '### src/a.ts\n```ts\nb\n```\n\n### src/c.ts\n```ts\nc\n```\n';
    assert.deepEqual(texts(edit(two, {}, readFile)), { 'src/a.ts': 'b\n', 'src/c.ts': 'c\n' });
  });

  it('refuses paths no file can portably have, and a language fused with a path', () => {
    for (const path of ['src/a.ts*', 'src/a.ts.', 'src/a?.ts', 'src/a.ts:']) {
      assert.deepEqual(refusal(edit(`*** Begin Patch\n*** Add File: ${path}\n+x\n*** End Patch\n`)), ['badPath'], path);
    }
    const readFile = (path: string): string | undefined => (path === 'src/a.ts' ? 'a\n' : undefined);
    assert.ok(!edit('```tssrc/a.ts\nb\n```\n', {}, readFile).ok);
  });

  it('a replaced line in a mixed CRLF/LF file keeps its own ending, in every format', () => {
    const file = 'one\r\ntwo\nthree\r\nfour\n';
    const readFile = (path: string): string | undefined => (path === 'm.txt' ? file : undefined);
    const expected = 'one\r\nTWO\nTHREE\r\nfour\n';
    const answers = [
      '*** Begin Patch\n*** Update File: m.txt\n@@\n one\n-two\n-three\n+TWO\n+THREE\n four\n*** End Patch\n',
      'm.txt\n<<<<<<< SEARCH\ntwo\nthree\n=======\nTWO\nTHREE\n>>>>>>> REPLACE\n',
      '--- a/m.txt\n+++ b/m.txt\n@@ -1,4 +1,4 @@\n one\n-two\n-three\n+TWO\n+THREE\n four\n',
      '```text m.txt\none\nTWO\nTHREE\nfour\n```\n',
    ];
    for (const text of answers) assert.equal(texts(edit(text, {}, readFile))['m.txt'], expected, text);
    assert.equal(texts(edit('```\nTWO\nTHREE\n```\n', { defaultPath: 'm.txt', selection: { startLine: 1, endLine: 3 } }, readFile))['m.txt'], expected);
    // An inserted line between two CRLF lines of a mostly-LF file is CRLF too.
    const inserted = edit('*** Begin Patch\n*** Update File: m.txt\n@@\n one\n+half\n*** End Patch\n', {}, (path) => (path === 'm.txt' ? 'one\r\ntwo\r\nthree\nfour\nfive\n' : undefined));
    assert.equal(texts(inserted)['m.txt'], 'one\r\nhalf\r\ntwo\r\nthree\nfour\nfive\n');
  });

  it('a whole-file rewrite of a mixed CRLF/LF file: kept lines keep their endings; a rewrite too far apart to align takes the dominant one', () => {
    const count = 1200;
    const ending = (i: number): string => (i % 3 === 0 ? '\n' : '\r\n');
    const file = Array.from({ length: count }, (_, i) => `line ${i}${ending(i)}`).join('');
    const readFile = (path: string): string | undefined => (path === 'big.txt' ? file : undefined);
    const write = (lines: readonly string[]): string => texts(edit(`\`\`\`text big.txt\n${lines.join('\n')}\n\`\`\`\n`, {}, readFile))['big.txt'] ?? '';
    // A few lines changed: every line keeps its own ending.
    const edited = Array.from({ length: count }, (_, i) => (i % 100 === 7 ? `changed ${i}` : `line ${i}`));
    assert.equal(write(edited), edited.map((line, i) => `${line}${ending(i)}`).join(''));
    // Every line changed: nothing to keep, all take the file's dominant ending (CRLF).
    const rewritten = Array.from({ length: count }, (_, i) => `rewritten ${i}`);
    assert.equal(write(rewritten), rewritten.map((line) => `${line}\r\n`).join(''));
  });

  it('an inserted sibling in a file that mixes tabs and spaces takes its neighbours’ indentation', () => {
    const file = 'function f() {\n\tfoo();\n    bar();\n}\n';
    const readFile = (path: string): string | undefined => (path === 'f.js' ? file : undefined);
    const after = 'f.js\n<<<<<<< SEARCH\n  foo();\n  bar();\n=======\n  foo();\n  bar();\n  baz();\n>>>>>>> REPLACE\n';
    assert.equal(texts(edit(after, {}, readFile))['f.js'], 'function f() {\n\tfoo();\n    bar();\n    baz();\n}\n');
    const before = 'f.js\n<<<<<<< SEARCH\n  foo();\n  bar();\n=======\n  zero();\n  foo();\n  bar();\n>>>>>>> REPLACE\n';
    assert.equal(texts(edit(before, {}, readFile))['f.js'], 'function f() {\n\tzero();\n\tfoo();\n    bar();\n}\n');
    const deeper = 'f.js\n<<<<<<< SEARCH\n  foo();\n=======\n  foo();\n  if (x) {\n    y();\n  }\n>>>>>>> REPLACE\n';
    assert.equal(texts(edit(deeper, {}, readFile))['f.js'], 'function f() {\n\tfoo();\n\tif (x) {\n\t\ty();\n\t}\n    bar();\n}\n');
  });
});
