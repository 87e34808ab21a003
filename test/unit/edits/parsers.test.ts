import assert from 'node:assert/strict';
import { parseApplyPatch } from '../../../src/server/edits/parseApplyPatch';
import { parseCodeBlock } from '../../../src/server/edits/parseCodeBlock';
import { parseSearchReplace } from '../../../src/server/edits/parseSearchReplace';
import { parseUnifiedDiff } from '../../../src/server/edits/parseUnifiedDiff';

const none = (): boolean => false;

describe('parsers', () => {
  it('apply_patch: sections, stacked anchors, End of File, block numbers', () => {
    const { ops, failures } = parseApplyPatch(
      '*** Begin Patch\n*** Update File: a.py\n@@ class A:\n@@     def f(self):\n-        pass\n+        return 1\n@@\n x\n+y\n*** End of File\n*** Delete File: b.py\n*** Add File: c.py\n+c\n\n*** End Patch\n',
    );
    assert.deepEqual(failures, []);
    assert.equal(ops.length, 3);
    const [update, remove, add] = ops;
    assert.ok(update?.kind === 'update');
    assert.deepEqual(update.hunks[0]?.anchors, ['class A:', 'def f(self):']);
    assert.equal(update.hunks[1]?.atEnd, true);
    assert.deepEqual(update.hunks.map((hunk) => hunk.block), [1, 2]);
    assert.deepEqual(remove, { kind: 'delete', path: 'b.py', block: 3 });
    assert.deepEqual(add, { kind: 'add', path: 'c.py', block: 4, lines: ['c'], finalNewline: true });
  });

  it('apply_patch: stops at the heredoc terminator and the closing fence', () => {
    const heredoc = parseApplyPatch("apply_patch <<'PATCH'\n*** Update File: a\n@@\n-a\n+b\n*** End Patch\nPATCH\nprose\n");
    assert.equal(heredoc.ops.length, 1);
    assert.deepEqual(heredoc.failures, []);
    const fenced = parseApplyPatch('```\n*** Update File: a\n@@\n-a\n+b\n*** End Patch\n```\nmore prose\n');
    const hunk = fenced.ops[0]?.kind === 'update' ? fenced.ops[0].hunks[0] : undefined;
    assert.deepEqual(hunk?.body, { kind: 'ops', ops: [{ op: '-', text: 'a' }, { op: '+', text: 'b' }] });
  });

  it('apply_patch: refuses Add File lines without +', () => {
    const { failures } = parseApplyPatch('*** Add File: a\n+x\ny\n*** End Patch\n');
    assert.equal(failures[0]?.kind, 'unparseable');
  });

  it('unified diff: strips a/ b/, reads No-newline markers and headings, keeps numbers as hints', () => {
    const { ops, failures } = parseUnifiedDiff(
      'diff --git a/x y.txt b/x y.txt\n--- a/x y.txt\n+++ b/x y.txt\n@@ -3,2 +3,2 @@ section\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n',
      undefined,
      none,
    );
    assert.deepEqual(failures, []);
    const op = ops[0];
    assert.ok(op?.kind === 'update');
    assert.equal(op.path, 'x y.txt');
    const hunk = op.hunks[0];
    assert.equal(hunk?.lineHint, 3);
    assert.deepEqual(hunk?.anchors, ['section']);
    assert.equal(hunk?.anchorsOptional, true);
    assert.equal(hunk?.oldNoFinalNewline, true);
    assert.equal(hunk?.newNoFinalNewline, true);
  });

  it('unified diff: a removed line starting with "--" is not a file header', () => {
    const { ops } = parseUnifiedDiff('--- a/q.sql\n+++ b/q.sql\n@@ -1,2 +1,1 @@\n--- old comment\n select 1;\n', undefined, none);
    const op = ops[0];
    assert.ok(op?.kind === 'update');
    assert.deepEqual(op.hunks[0]?.body, { kind: 'ops', ops: [{ op: '-', text: '-- old comment' }, { op: ' ', text: 'select 1;' }] });
  });

  it('SEARCH/REPLACE: paths carry over to following blocks; Roo escapes are undone', () => {
    const { ops, failures } = parseSearchReplace(
      'a.py\n```python\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n<<<<<<< SEARCH\n\\=======\n=======\nz\n>>>>>>> REPLACE\n```\n',
      undefined,
      none,
    );
    assert.deepEqual(failures, []);
    assert.equal(ops.length, 1);
    const op = ops[0];
    assert.ok(op?.kind === 'update');
    assert.equal(op.hunks.length, 2);
    assert.deepEqual(op.hunks[1]?.body, { kind: 'pair', search: ['======='], replace: ['z'] });
  });

  it('code block: takes the single fence, or the one naming the file; notes an unclosed fence', () => {
    const single = parseCodeBlock('Sure:\n```js\nx();\n```\n', { defaultPath: 'a.js' }, none);
    assert.deepEqual(single.ops, [{ kind: 'write', path: 'a.js', block: 1, lines: ['x();'] }]);
    const unclosed = parseCodeBlock('```js\nx();\n', { defaultPath: 'a.js' }, none);
    assert.equal(unclosed.ops[0]?.kind === 'write' && unclosed.ops[0].unclosed, true);
    const twoBlocks = parseCodeBlock('```js\na\n```\n```js\nb\n```\n', { defaultPath: 'a.js' }, none);
    assert.equal(twoBlocks.failures[0]?.kind, 'unparseable');
  });
});
