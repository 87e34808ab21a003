import assert from 'node:assert/strict';
import { applyReplacements } from '../../../src/shared/diff';
import { FileReview, lineCount, type CurrentFile, type FilePlan } from '../../../src/extension/edits/fileReview';

const OLD = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', ''].join('\n');
// Three separate changes: b -> B, f deleted, an insertion after i.
const NEW = ['a', 'B', 'c', 'd', 'e', 'g', 'h', 'i', 'new', 'j', ''].join('\n');

const present = (text: string): CurrentFile => ({ exists: true, text });

/** What the review manager does: apply the plan's replacements to the current text, then commit. */
function applyPlan(file: FileReview, text: string, plan: FilePlan): string {
  assert.equal(plan.operation, 'edit');
  const result = applyReplacements(text, plan.replacements);
  assert.equal(result, plan.resultText);
  file.commit(plan);
  return result;
}

describe('FileReview (one file of a proposal, no VS Code)', () => {
  it('splits an update into hunks and shows all of them in the proposal', () => {
    const file = new FileReview(0, { kind: 'update', path: 'src/a.ts', oldText: OLD, newText: NEW });
    assert.equal(file.hunks.length, 3);
    const locations = file.locate(present(OLD));
    assert.equal(file.state(locations), 'pending');
    const { text, layout } = file.proposal(present(OLD), locations);
    assert.equal(text, NEW);
    assert.deepEqual(
      layout.map((h) => [h.index, h.actualLine, h.proposalLine, h.proposalLines]),
      [
        [0, 1, 1, 1],
        [1, 5, 5, 0],
        [2, 9, 8, 1],
      ],
    );
  });

  it('accepting one hunk changes only its lines and keeps following the others', () => {
    const file = new FileReview(0, { kind: 'update', path: 'src/a.ts', oldText: OLD, newText: NEW });
    const text = applyPlan(file, OLD, file.plan(present(OLD), [1]));
    assert.equal(text, OLD.replace('e\nf\n', 'e\n'));
    assert.deepEqual(
      file.hunks.map((h) => h.decision),
      ['pending', 'accepted', 'pending'],
    );
    // The proposal is now the current text plus the two remaining hunks: still NEW.
    assert.equal(file.proposal(present(text)).text, NEW);
    const after = applyPlan(file, text, file.plan(present(text), [0, 2]));
    assert.equal(after, NEW);
    assert.ok(file.done);
    assert.equal(file.state(file.locate(present(after))), 'accepted');
  });

  it('rejecting leaves the text alone and removes the hunk from the proposal', () => {
    const file = new FileReview(0, { kind: 'update', path: 'a.ts', oldText: OLD, newText: NEW });
    file.decide([0], 'rejected');
    const { text } = file.proposal(present(OLD));
    assert.equal(text, NEW.replace('B', 'b'));
    file.decide([1, 2], 'rejected');
    assert.ok(file.done);
    assert.equal(file.state(file.locate(present(OLD))), 'rejected');
  });

  it('relocates hunks when the person added lines above, and marks edited ones stale', () => {
    const file = new FileReview(0, { kind: 'update', path: 'a.ts', oldText: OLD, newText: NEW });
    // The person inserted two lines at the top and edited line "b" (hunk 0's old line).
    const edited = `x\ny\n${OLD.replace('b\n', 'b2\n')}`;
    const locations = file.locate(present(edited));
    assert.deepEqual(
      file.hunks.map((h) => file.hunkState(h, locations)),
      ['stale', 'pending', 'pending'],
    );
    assert.equal(file.state(locations), 'stale');
    const plan = file.plan(present(edited), [0, 1, 2], locations);
    assert.deepEqual(plan.apply, [1, 2]);
    assert.deepEqual(plan.refuse.map((r) => r.index), [0]);
    const result = applyPlan(file, edited, plan);
    assert.equal(result, `x\ny\n${NEW.replace('B\n', 'b2\n')}`);
  });

  it('keeps CRLF when applying to a CRLF document made from an LF proposal', () => {
    const file = new FileReview(0, { kind: 'update', path: 'a.ts', oldText: OLD, newText: NEW });
    const crlf = OLD.replace(/\n/g, '\r\n');
    const current: CurrentFile = { exists: true, text: crlf, eol: '\r\n' };
    const result = applyPlan(file, crlf, file.plan(current, [0, 1, 2]));
    assert.equal(result, NEW.replace(/\n/g, '\r\n'));
  });

  it('marks every hunk stale when the file is gone', () => {
    const file = new FileReview(0, { kind: 'update', path: 'a.ts', oldText: OLD, newText: NEW });
    const locations = file.locate({ exists: false, text: '' });
    assert.ok([...locations.values()].every((l) => l.status === 'stale'));
  });

  it('adds a file only where none exists', () => {
    const file = new FileReview(1, { kind: 'add', path: 'src/new.ts', newText: 'export const x = 1;\n' });
    assert.equal(file.added, 1);
    const plan = file.plan({ exists: false, text: '' }, [0]);
    assert.equal(plan.operation, 'create');
    assert.equal(plan.replacements[0]?.text, 'export const x = 1;\n');
    const refused = file.plan(present('something'), [0]);
    assert.equal(refused.operation, 'none');
    assert.match(refused.refuse[0]?.reason ?? '', /already exists/);
  });

  it('deletes a file only when it is still the text the proposal saw', () => {
    const file = new FileReview(2, { kind: 'delete', path: 'old.ts', oldText: 'a\nb\n' });
    assert.equal(file.removed, 2);
    assert.equal(file.plan(present('a\r\nb\r\n'), [0]).operation, 'delete');
    assert.equal(file.proposal(present('a\nb\n')).text, '');
    const edited = file.plan(present('a\nb\nc\n'), [0]);
    assert.equal(edited.operation, 'none');
    assert.match(edited.refuse[0]?.reason ?? '', /edited/);
    assert.equal(file.plan({ exists: false, text: '' }, [0]).refuse.length, 1);
  });

  it('moves a file with its first accepted hunk, and refuses to move onto an existing file', () => {
    const file = new FileReview(3, { kind: 'update', path: 'a.ts', oldText: OLD, newText: NEW, moveTo: 'b.ts' });
    const blocked = file.plan({ exists: true, text: OLD, targetExists: true }, [0]);
    assert.equal(blocked.operation, 'none');
    assert.match(blocked.refuse[0]?.reason ?? '', /already exists at b\.ts/);
    const plan = file.plan(present(OLD), [0]);
    assert.deepEqual(plan.rename, { from: 'a.ts', to: 'b.ts' });
    applyPlan(file, OLD, plan);
    assert.equal(file.currentPath, 'b.ts');
    assert.equal(file.plan(present(plan.resultText), [1]).rename, undefined);
  });

  it('gives a pure move one change that edits nothing', () => {
    const file = new FileReview(4, { kind: 'update', path: 'a.ts', oldText: OLD, newText: OLD, moveTo: 'b.ts' });
    assert.equal(file.hunks.length, 1);
    const plan = file.plan(present(OLD), [0]);
    assert.equal(plan.operation, 'edit');
    assert.deepEqual(plan.replacements, []);
    assert.deepEqual(plan.rename, { from: 'a.ts', to: 'b.ts' });
  });

  it('follows the remaining hunks after the person undid an accepted one', () => {
    const file = new FileReview(0, { kind: 'update', path: 'a.ts', oldText: OLD, newText: NEW });
    applyPlan(file, OLD, file.plan(present(OLD), [0]));
    // Undo: the text is OLD again, which is not what we last wrote; hunks 1 and 2 are found by context.
    const locations = file.locate(present(OLD));
    assert.equal(locations.get(1)?.status, 'found');
    assert.equal(locations.get(2)?.status, 'found');
  });

  it('counts lines as a person does', () => {
    assert.equal(lineCount(''), 0);
    assert.equal(lineCount('a'), 1);
    assert.equal(lineCount('a\n'), 1);
    assert.equal(lineCount('a\nb'), 2);
  });
});
