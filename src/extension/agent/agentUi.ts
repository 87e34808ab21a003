import * as vscode from 'vscode';
import type { ApprovalAnswer } from '../../shared/vocabulary';
import type { StepApproval } from '../../shared/webviewProtocol';
import type { ReviewHandle } from '../edits/types';

/**
 * How the client tools ask the person. The chat's agent session implements
 * it with buttons on the step's card; without a chat (the test hook, a task
 * whose chat went away) the modal fallback below asks.
 */
export interface AgentUi {
  /** Shows `approval` on the step and waits for a decision (reject on cancellation). */
  approve(stepId: string, approval: StepApproval, token: vscode.CancellationToken): Promise<ApprovalAnswer>;
  /** Asks a question; undefined when the person declines (or on cancellation). */
  ask(stepId: string, question: string, token: vscode.CancellationToken): Promise<string | undefined>;
  /** Waits until the person has decided `review` (the card's Approve/Reject accept/reject it all). */
  review(stepId: string, review: ReviewHandle, token: vscode.CancellationToken): Promise<void>;
  /** A checkpoint exists (or no longer does) from before this step. */
  checkpointChanged(stepId: string, exists: boolean): void;
  /** A running command's output so far (head and tail), for the step's card. */
  commandOutput?(stepId: string, output: string): void;
}

/** Asks with VS Code's own dialogs. */
export const modalUi: AgentUi = {
  async approve(_stepId, approval) {
    const choice = await vscode.window.showWarningMessage(approval.prompt, { modal: true }, 'Allow', 'Allow for This Task');
    return choice === 'Allow' ? 'approve' : choice === 'Allow for This Task' ? 'allowForTask' : 'reject';
  },
  async ask(_stepId, question, token) {
    return vscode.window.showInputBox({ title: 'Tandem agent asks', prompt: question, ignoreFocusOut: true }, token);
  },
  review(_stepId, review, token) {
    return waitForReview(review, token);
  },
  checkpointChanged() {},
};

/** Resolves when the review is finished (or closed), or on cancellation. */
export function waitForReview(review: ReviewHandle, token: vscode.CancellationToken): Promise<void> {
  if (!review.isOpen) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      finished.dispose();
      cancel.dispose();
      resolve();
    };
    const finished = review.onDidFinish(done);
    const cancel = token.onCancellationRequested(done);
  });
}

/** Decides as told, without asking (the TandemApi test hook); reviews are accepted or rejected whole. */
export function scriptedUi(decision: ApprovalAnswer, answer?: string): AgentUi {
  return {
    approve: async () => decision,
    ask: async () => (decision === 'reject' ? undefined : answer ?? ''),
    async review(_stepId, review) {
      if (decision === 'reject') await review.rejectAll();
      else await review.acceptAll();
    },
    checkpointChanged() {},
  };
}
