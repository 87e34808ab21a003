import * as vscode from 'vscode';
import type { CheckApprovalAnswer, CheckApprover } from './approvalMemory';

export type { CheckApprovalAnswer, CheckApprover } from './approvalMemory';

const RUN = 'Run';
const ALWAYS = 'Always for This Workspace';
const SKIP = 'Skip';

/**
 * Asks with a non-modal notification: the check, its command (and what it
 * resolves to), the policy's reason, and that it runs in a temporary copy.
 * Waits at most `waitSeconds`, or until the run is cancelled; a later click
 * on "Always" is still remembered for the next proposal, and a later "Run"
 * is told that nothing ran.
 */
export function notificationApprover(onLateAlways: (key: string) => void): CheckApprover {
  return {
    ask: async (params, token) => {
      const { approval } = params;
      const resolves = approval.resolved !== params.command ? ` (${approval.resolved})` : '';
      const message = `Tandem wants to run the ${params.name} check on a proposal: \`${params.command}\`${resolves}. ${approval.reason} It runs in a temporary copy of the workspace, never in your files.`;
      const shown = vscode.window.showInformationMessage(message, RUN, ALWAYS, SKIP);
      let settled = false;
      // A notification cannot be taken back: a click after the run ended (decided, superseded, no answer in time) is answered, never ignored.
      void shown.then((choice) => {
        if (!settled) return;
        if (choice === ALWAYS) {
          onLateAlways(approval.key);
          void vscode.window.showInformationMessage(`Tandem will run the ${params.name} check (\`${params.command}\`) without asking on the next proposals in this workspace. This proposal's checks had already ended.`);
        } else if (choice === RUN) {
          void vscode.window.showInformationMessage(`The ${params.name} check did not run: the proposal it was for was already decided, or the question waited too long. It will ask again on the next proposal.`);
        }
      });
      const answer = await new Promise<CheckApprovalAnswer>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), approval.waitSeconds * 1000);
        const cancel = token.onCancellationRequested(() => resolve(undefined));
        void shown.then((choice) => {
          clearTimeout(timer);
          cancel.dispose();
          resolve(choice === RUN ? 'run' : choice === ALWAYS ? 'always' : choice === SKIP ? 'skip' : undefined);
        });
      });
      settled = true;
      return answer;
    },
  };
}

/** A fixed answer (the test hooks). */
export function scriptedApprover(answer: CheckApprovalAnswer): CheckApprover {
  return { ask: () => Promise.resolve(answer) };
}
