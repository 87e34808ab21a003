import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { ClientToolCall, ClientToolParams, ClientToolResult } from '../../shared/agentProtocol';
import type { FileText } from '../../shared/protocol';
import { relativePath } from '../actions/editTarget';
import type { ReviewManager } from '../edits/reviewManager';
import type { AgentUi } from './agentUi';
import { applyChanges } from './changes';
import type { CheckpointStore } from './checkpoints';
import type { CommandRunner } from './commandRunner';
import type { DiagnosticsTracker } from './diagnostics';
import { isUnder } from './diagnostics';
import { type RestoreOutcome, restoreCheckpoint } from './restore';

export interface ClientToolDeps {
  reviews: ReviewManager;
  checkpoints: CheckpointStore;
  diagnostics: DiagnosticsTracker;
  commands: CommandRunner;
  log: vscode.LogOutputChannel;
}

/** Where a call runs: the task's folder and who to ask. */
export interface ToolContext {
  root: vscode.Uri;
  ui: AgentUi;
}

/**
 * The tools of an agent task that need the editor: unsaved buffers,
 * Problems, terminals, reviewed edits, questions to the person. The service
 * calls them with `tandem/clientTool` (ClientToolRequest); the integration
 * tests call `handle` directly through the TandemApi test hook.
 */
export class ClientTools {
  constructor(private readonly deps: ClientToolDeps) {}

  async handle(params: ClientToolParams, context: ToolContext, token: vscode.CancellationToken): Promise<ClientToolResult> {
    const { call, stepId, streamId } = params;
    const { root, ui } = context;
    switch (call.kind) {
      case 'openBuffers':
        return { kind: 'openBuffers', files: openBuffers(root) };
      case 'diagnostics':
        return { kind: 'diagnostics', diagnostics: await this.deps.diagnostics.collect(root, call.paths, token) };
      case 'runCommand':
        return this.runCommand(call, root, stepId, ui, token);
      case 'applyChanges':
        return applyChanges(this.deps.reviews, this.deps.checkpoints, call.changeSet, call.autoApply, { root, task: streamId, stepId, ui, token });
      case 'askUser':
        return { kind: 'askUser', answer: await ui.ask(stepId, call.question, token) };
      case 'approve': {
        const answer = await ui.approve(stepId, { kind: 'path', prompt: call.detail ? `${call.title} — ${call.detail}` : call.title }, token);
        return { kind: 'approve', approved: answer !== 'reject', ...(answer === 'allowForTask' ? { allowForTask: true } : {}) };
      }
    }
  }

  /** "Restore to here" for a step of a task (`stepOrder`: the answer's step ids, for steps without a checkpoint of their own). */
  restore(task: string, stepId: string, options: { confirm: boolean; stepOrder?: readonly string[] }): Promise<RestoreOutcome | undefined> {
    return restoreCheckpoint(this.deps.checkpoints, task, stepId, options);
  }

  /** The steps of a task that have a checkpoint (still). */
  async checkpointedSteps(task: string): Promise<string[]> {
    return (await this.deps.checkpoints.list(task)).map((checkpoint) => checkpoint.stepId);
  }

  private async runCommand(
    call: Extract<ClientToolCall, { kind: 'runCommand' }>,
    root: vscode.Uri,
    stepId: string,
    ui: AgentUi,
    token: vscode.CancellationToken,
  ): Promise<ClientToolResult> {
    // The service may send the cwd absolute (its root) or relative to the root.
    const cwd = !call.cwd ? root : isAbsolute(call.cwd) ? vscode.Uri.file(call.cwd) : vscode.Uri.joinPath(root, call.cwd);
    if (!isUnder(root, cwd) && cwd.path.replace(/\/$/, '') !== root.path.replace(/\/$/, '')) {
      return { kind: 'runCommand', approved: false, output: '', reason: `The working directory ${call.cwd} is outside the workspace.` };
    }
    let allowForTask = false;
    if (call.needsApproval) {
      const relative = relativePath(root, cwd);
      const where = cwd.path !== root.path && relative !== cwd.path ? ` in ${relative}` : '';
      const answer = await ui.approve(stepId, { kind: 'command', prompt: `Run \`${call.command}\`${where}?${call.reason ? ` ${call.reason}` : ''}` }, token);
      if (answer === 'reject' || token.isCancellationRequested) {
        return { kind: 'runCommand', approved: false, output: '', reason: 'The person declined to run this command.' };
      }
      allowForTask = answer === 'allowForTask';
    }
    this.deps.log.info(`Agent runs: ${call.command}`);
    const outcome = await this.deps.commands.run(call.command, cwd.fsPath, call.timeoutSeconds, token, ui.commandOutput && ((output) => ui.commandOutput?.(stepId, output)));
    return {
      kind: 'runCommand',
      approved: true,
      ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
      output: outcome.output,
      ...(outcome.timedOut ? { timedOut: true } : {}),
      ...(outcome.cancelled ? { reason: 'Stopped by the person.' } : {}),
      ...(allowForTask ? { allowForTask: true } : {}),
    };
  }
}

/** Unsaved documents under `root` (the service reads everything else from disk). */
export function openBuffers(root: vscode.Uri): FileText[] {
  return vscode.workspace.textDocuments
    .filter((document) => document.isDirty && document.uri.scheme === 'file' && isUnder(root, document.uri))
    .map((document) => ({ path: relativePath(root, document.uri), text: document.getText() }));
}
