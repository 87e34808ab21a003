import type { StepView } from '../../shared/webviewProtocol';

/**
 * Which steps of an answer offer "Restore to here" (pure: no vscode, unit
 * tested). Restoring to a step puts the files back as they were when the
 * step started, i.e. to the first checkpoint taken at or after it. So a step
 * is restorable when it or a later step of the answer has a checkpoint;
 * steps after the last checkpoint are not (the agent applied nothing since).
 */

/**
 * Sets each step's `checkpoint` flag (what the chat shows "Restore to here"
 * for) to whether it is restorable, given the steps that have a real
 * checkpoint. Returns the steps whose flag changed, in order.
 */
export function markRestorable(steps: readonly StepView[], checkpointed: Iterable<string>): StepView[] {
  const real = new Set(checkpointed);
  const changed: StepView[] = [];
  let later = false;
  for (const step of [...steps].reverse()) {
    if (real.has(step.id)) later = true;
    if (Boolean(step.checkpoint) !== later) {
      step.checkpoint = later;
      changed.push(step);
    }
  }
  return changed.reverse();
}

/**
 * The checkpoint "Restore to here" on `stepId` restores from: the earliest
 * one taken for that step or a later one in `stepOrder` (the answer's step
 * ids, in order). Without an order (or when the step is not in it), only the
 * step's own checkpoint counts.
 */
export function restoreTarget<T extends { stepId: string; index: number }>(checkpoints: readonly T[], stepId: string, stepOrder?: readonly string[]): T | undefined {
  const position = stepOrder?.indexOf(stepId) ?? -1;
  const eligible = new Set(stepOrder && position >= 0 ? stepOrder.slice(position) : [stepId]);
  let target: T | undefined;
  for (const checkpoint of checkpoints) {
    if (eligible.has(checkpoint.stepId) && (!target || checkpoint.index < target.index)) target = checkpoint;
  }
  return target;
}
