import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/server/edits';
import type { EditOutcome } from '../../../src/shared/edits';

function block(search: string, replace: string, path = 'f.txt', header = ''): string {
  return `${path}\n<<<<<<< SEARCH\n${header}${search}=======\n${replace}>>>>>>> REPLACE\n\n`;
}

function edit(text: string, file: string, path = 'f.txt'): EditOutcome {
  return applyEdits({ text, readFile: (candidate) => (candidate === path ? file : undefined) });
}

function newText(outcome: EditOutcome): string | undefined {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.failures.map((failure) => failure.message).join('\n'));
  const change = outcome.changeSet.changes[0];
  return change && change.kind !== 'delete' ? change.newText : undefined;
}

function failures(outcome: EditOutcome): { kind: string; block?: number; message: string }[] {
  assert.ok(!outcome.ok, 'expected a refusal');
  return outcome.failures.map(({ kind, block: number, message }) => ({ kind, block: number, message }));
}

describe('SEARCH/REPLACE blocks that build on earlier blocks', () => {
  it('locates a block in the text the earlier blocks left, as applying them in sequence would', () => {
    const text = block('a\n', 'A\n') + block('A\nb\n', 'A\nB\n') + block('e\n', 'E\n') + block('B\nc\n', 'B\nC\n');
    assert.equal(newText(edit(text, 'a\nb\nc\nd\ne\n')), 'A\nB\nC\nd\nE\n');
  });

  it('finds a block whose lines only became adjacent when an earlier block removed lines between them', () => {
    const text = block('x\nold\ny\n', 'x\ny\n') + block('x\ny\n', 'x\nnew\ny\n');
    assert.equal(newText(edit(text, 'x\nold\ny\nz\n')), 'x\nnew\ny\nz\n');
  });

  it('uses answer order: a block placed before the one it builds on keeps the usual refusal', () => {
    const found = failures(edit(block('A\nb\n', 'A\nB\n') + block('a\n', 'A\n'), 'a\nb\nc\n'));
    assert.deepEqual(
      found.map((f) => [f.kind, f.block]),
      [['notFound', 1]],
    );
    assert.match(found[0]?.message ?? '', /f\.txt, SEARCH\/REPLACE block 1: could not find these lines:[\s\S]*Closest match at line 1/);
  });

  it('keeps the usual refusals when a block found in the original is no longer on its own lines', () => {
    // Block 1 copies "k" elsewhere, so block 3 (found once in the original) would match twice in sequence.
    const text = block('a\n', 'a\nk\n') + block('a\nk\n', 'a2\nk\n') + block('k\n', 'K\n');
    const found = failures(edit(text, 'a\nb\nk\n'));
    assert.deepEqual(
      found.map((f) => [f.kind, f.block]),
      [['notFound', 2]],
    );
  });

  it('reports a block ambiguous only after the earlier blocks, naming its candidates in that text', () => {
    const found = failures(edit(block('s\n', 'q\nm\nq\n') + block('q\n', 'Q\n'), 's\nt\n'));
    assert.equal(found.length, 1);
    assert.equal(found[0]?.kind, 'ambiguous');
    assert.match(found[0]?.message ?? '', /block 2: these lines occur 2 times \(at lines 1 and 3\)/);
    assert.match(found[0]?.message ?? '', /only once the earlier SEARCH\/REPLACE blocks/);
  });

  it('does not let a line number break a tie in the text left by earlier blocks', () => {
    const text = block('s\n', 'q\nm\nq\n') + block('q\n', 'Q\n', 'f.txt', ':start_line:3\n-------\n');
    assert.equal(failures(edit(text, 's\nt\n'))[0]?.kind, 'ambiguous');
  });

  it('refuses a block that is in neither text with the message about the original', () => {
    const found = failures(edit(block('a\n', 'A\n') + block('zzz\n', 'Z\n'), 'a\nb\n'));
    assert.deepEqual(
      found.map((f) => [f.kind, f.block]),
      [['notFound', 2]],
    );
    assert.match(found[0]?.message ?? '', /could not find these lines:\n {2}zzz/);
  });

  it('checks elision placeholders in a block found after the earlier blocks', () => {
    const text = block('a\n', 'A\nB\nC\n') + block('A\nB\nC\n', 'A\n// ... existing code ...\n');
    assert.equal(failures(edit(text, 'a\nz\n'))[0]?.kind, 'placeholder');
  });

  it('does not apply apply_patch hunks in sequence (they are written against the original)', () => {
    const outcome = edit('*** Update File: f.txt\n@@\n-a\n+A\n@@\n-A\n+B\n*** End Patch\n', 'a\nb\n');
    assert.deepEqual(
      failures(outcome).map((f) => [f.kind, f.block]),
      [['notFound', 2]],
    );
  });
});
