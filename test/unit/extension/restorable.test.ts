import assert from 'node:assert/strict';
import { markRestorable, restoreTarget } from '../../../src/extension/agent/restorable';
import type { StepView } from '../../../src/shared/webviewProtocol';

const steps = (...ids: string[]): StepView[] => ids.map((id, i) => ({ id, turn: i + 1, tool: 'read_file', title: id, status: 'done' }));
const flags = (list: StepView[]): boolean[] => list.map((step) => Boolean(step.checkpoint));

describe('agent restorable steps', () => {
  it('a step is restorable when it or a later step has a checkpoint', () => {
    const list = steps('read', 'edit1', 'run', 'edit2', 'after');
    const changed = markRestorable(list, ['edit1', 'edit2']);
    assert.deepEqual(flags(list), [true, true, true, true, false]);
    assert.deepEqual(
      changed.map((step) => step.id),
      ['read', 'edit1', 'run', 'edit2'],
    );
    assert.deepEqual(markRestorable(list, ['edit1', 'edit2']), [], 'nothing changes the second time');
  });

  it('returns only the steps whose flag changed, clearing those after the remaining checkpoints', () => {
    const list = steps('read', 'edit1', 'run', 'edit2');
    markRestorable(list, ['edit1', 'edit2']);
    const changed = markRestorable(list, ['edit1']);
    assert.deepEqual(flags(list), [true, true, false, false]);
    assert.deepEqual(
      changed.map((step) => step.id),
      ['run', 'edit2'],
    );
    assert.deepEqual(
      markRestorable(list, []).map((step) => step.id),
      ['read', 'edit1'],
    );
    assert.deepEqual(flags(list), [false, false, false, false]);
  });

  it('ignores the flags a step came with and checkpoints of unknown steps', () => {
    const [a, b] = steps('a', 'b');
    assert.ok(a && b);
    b.checkpoint = true;
    const list = [a, b];
    assert.deepEqual(
      markRestorable(list, ['elsewhere']).map((step) => step.id),
      ['b'],
    );
    assert.deepEqual(flags(list), [false, false]);
  });

  it('restores from the first checkpoint at or after the step', () => {
    const checkpoints = [
      { stepId: 'edit1', index: 1 },
      { stepId: 'edit2', index: 2 },
    ];
    const order = ['read', 'edit1', 'run', 'edit2', 'after'];
    assert.equal(restoreTarget(checkpoints, 'read', order)?.index, 1);
    assert.equal(restoreTarget(checkpoints, 'edit1', order)?.index, 1);
    assert.equal(restoreTarget(checkpoints, 'run', order)?.index, 2);
    assert.equal(restoreTarget(checkpoints, 'edit2', order)?.index, 2);
    assert.equal(restoreTarget(checkpoints, 'after', order), undefined, 'nothing was applied after the last checkpoint');
  });

  it('without the step order (or for an unknown step) only the step’s own checkpoint counts', () => {
    const checkpoints = [
      { stepId: 'edit1', index: 1 },
      { stepId: 'edit2', index: 2 },
    ];
    assert.equal(restoreTarget(checkpoints, 'edit2')?.index, 2);
    assert.equal(restoreTarget(checkpoints, 'read'), undefined);
    assert.equal(restoreTarget(checkpoints, 'edit1', ['other', 'edit2'])?.index, 1);
    assert.equal(restoreTarget(checkpoints, 'read', ['other', 'edit2']), undefined);
  });
});
