import assert from 'node:assert/strict';
import { detectFormat } from '../../../src/server/edits';

describe('edit format detection', () => {
  it('is undefined for blank text', () => {
    assert.equal(detectFormat(''), undefined);
    assert.equal(detectFormat('  \n\t\n'), undefined);
  });

  it('recognises apply_patch with or without Begin/End, fenced or in a heredoc', () => {
    assert.equal(detectFormat('*** Begin Patch\n*** Update File: a\n@@\n-a\n+b\n*** End Patch\n'), 'applyPatch');
    assert.equal(detectFormat('*** Add File: a.txt\n+x\n'), 'applyPatch');
    assert.equal(detectFormat("apply_patch <<'EOF'\n*** Begin Patch\n*** Delete File: a\n*** End Patch\nEOF\n"), 'applyPatch');
    assert.equal(detectFormat('Here:\n```\n*** Update File: a\n-x\n+y\n```\n'), 'applyPatch');
  });

  it('recognises SEARCH/REPLACE blocks in aider, Cline and Roo style', () => {
    assert.equal(detectFormat('a.py\n```python\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n```\n'), 'searchReplace');
    assert.equal(detectFormat('------- SEARCH\nx\n=======\ny\n+++++++ REPLACE\n'), 'searchReplace');
    assert.equal(detectFormat('<<<<<<< SEARCH\n:start_line:3\n-------\nx\n=======\ny\n>>>>>>> REPLACE\n'), 'searchReplace');
    // An unfinished block is still taken as SEARCH/REPLACE, so the refusal can say what is missing.
    assert.equal(detectFormat('<<<<<<< SEARCH\nx\n=======\ny\n'), 'searchReplace');
  });

  it('recognises unified diffs: git, plain, and bare hunks', () => {
    assert.equal(detectFormat('diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n'), 'unifiedDiff');
    assert.equal(detectFormat('--- x\n+++ x\n@@ -1 +1 @@\n-a\n+b\n'), 'unifiedDiff');
    assert.equal(detectFormat('@@ ... @@\n-a\n+b\n'), 'unifiedDiff');
    assert.equal(detectFormat('```diff\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n```\n'), 'unifiedDiff');
  });

  it('takes mangled markers as their format, so they are refused rather than written as code', () => {
    assert.equal(detectFormat('*** update file: a.ts\n@@\n-a\n+b\n*** End Patch\n'), 'applyPatch');
    assert.equal(detectFormat('a.ts\n```ts\n<<-- SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```\n'), 'searchReplace');
    assert.equal(detectFormat('a.ts\n----------- SEARCH\na\n=======\nb\n'), 'searchReplace');
  });

  it('keeps a diff of a document about SEARCH/REPLACE markers a diff', () => {
    const diff = '--- a/docs/x.md\n+++ b/docs/x.md\n@@ -1,3 +1,3 @@\n <<<<<<< SEARCH\n-old\n+new\n =======\n';
    assert.equal(detectFormat(diff), 'unifiedDiff');
  });

  it('takes anything else as a code block', () => {
    assert.equal(detectFormat('```ts\nconst a = 1;\n```\n'), 'codeBlock');
    assert.equal(detectFormat('const a = 1;\n'), 'codeBlock');
    // Markdown with a horizontal rule is not a diff.
    assert.equal(detectFormat('# Title\n---\ntext\n'), 'codeBlock');
  });
});
