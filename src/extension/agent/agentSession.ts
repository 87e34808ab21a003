import * as vscode from 'vscode';
import type { AgentProgressParams, AgentRunResult, AgentStep, ClientToolParams, ClientToolResult } from '../../shared/agentProtocol';
import type { ChatMessage } from '../../shared/protocol';
import { isApprovalAnswer, type ApprovalAnswer, type StepAction } from '../../shared/vocabulary';
import type { StepApproval, StepView, UiMessage } from '../../shared/webviewProtocol';
import { relativePath } from '../actions/editTarget';
import type { ReviewHandle } from '../edits/types';
import type { ServiceClient } from '../serviceClient';
import { agentUnavailable } from '../workspaceTrust';
import { type AgentUi, waitForReview } from './agentUi';
import type { ClientTools } from './clientTools';
import { isUnder } from './diagnostics';
import { markRestorable } from './restorable';
import { readAgentSettings } from './settings';

/** What the session needs from the chat: where to show the answer's changes. */
export interface SessionPort {
  /** The answer changed (text, usage, notice): post it whole. */
  messageChanged(): void;
  /** A delta of the answer's text. */
  delta(text: string): void;
  /** A step changed: post it (`agentStep`). */
  stepChanged(step: StepView): void;
}

interface Pending {
  resolve(action: ApprovalAnswer, answer?: string): void;
}

/**
 * One Agent-mode answer: runs the task in the service, keeps its steps in
 * the answer (`answer.steps`, in order), shows approvals and questions on
 * the steps' cards and waits for the person's buttons, and runs the
 * editor-side tools the service calls for.
 */
export class AgentSession implements AgentUi {
  private readonly pending = new Map<string, Pending>();
  private readonly reviews = new Map<string, ReviewHandle>();
  /** Approvals the person allowed for the rest of the task. */
  private readonly allowed = new Set<string>();
  /** Steps with a checkpoint taken by the client: the steps at or before them offer "Restore to here". */
  private readonly checkpoints = new Set<string>();

  constructor(
    private readonly service: ServiceClient,
    private readonly tools: ClientTools,
    private readonly answer: UiMessage,
    private readonly port: SessionPort,
  ) {
    answer.steps ??= [];
  }

  get id(): string {
    return this.answer.id;
  }

  /** Runs the task; throws like `service.chat` when the service fails (not when the model does). */
  async run(messages: ChatMessage[], token: vscode.CancellationToken, model?: string): Promise<AgentRunResult> {
    const restricted = agentUnavailable(vscode.workspace.isTrusted);
    if (restricted) return { ...failed(restricted.message), error: restricted };
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder) {
      return failed('Agent mode needs an open folder: it reads and changes the files of the workspace.');
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    // The service decides what runs unasked knowing whether it can be sandboxed here.
    const sandbox = await this.tools.sandbox();
    const mcpTools = await this.tools.mcpTools();
    const cancelWaits = token.onCancellationRequested(() => this.rejectAll());
    try {
      return await this.service.agentRun(
        {
          streamId: this.answer.id,
          messages,
          root: folder.fsPath,
          ...(active && isUnder(folder, active) ? { activeFile: relativePath(folder, active) } : {}),
          settings: readAgentSettings(sandbox),
          ...(model ? { model } : {}),
          ...(mcpTools.length > 0 ? { mcpTools } : {}),
        },
        token,
        {
          onDelta: (text) => {
            this.answer.text += text;
            this.port.delta(text);
          },
          onNotice: (notice) => {
            this.answer.notice = notice.message;
            this.port.messageChanged();
          },
          onStep: (step) => this.stepFromService(step),
          onProgress: (progress) => this.progress(progress),
          onClientTool: (params, toolToken) => this.clientTool(params, folder, token, toolToken),
        },
      );
    } finally {
      cancelWaits.dispose();
      this.rejectAll();
    }
  }

  /** A button on one of this answer's step cards ('restore' is the controller's). */
  async stepAction(stepId: string, action: StepAction, answer?: string): Promise<void> {
    if (action === 'review') {
      return this.showReview(stepId);
    }
    const review = this.reviews.get(stepId);
    if (review?.isOpen && isApprovalAnswer(action)) {
      const result = action === 'reject' ? await review.rejectAll() : await review.acceptAll();
      if (review.isOpen) {
        // Not applied (a change no longer fits): the card keeps its buttons, with the reason.
        this.setApproval(stepId, { kind: 'edit', prompt: result.message ?? result.error ?? 'Some changes are still open for review.' });
      }
      return;
    }
    const pending = this.pending.get(stepId);
    if (pending && action !== 'restore') {
      pending.resolve(action, answer);
      return;
    }
    // Nothing waits on this card (any more): send it again so it does not stay disabled.
    const step = this.step(stepId);
    if (step) this.port.stepChanged(step);
  }

  // ---- AgentUi: the cards' buttons ----

  async approve(stepId: string, approval: StepApproval, token: vscode.CancellationToken): Promise<ApprovalAnswer> {
    const key = `${approval.kind}:${approval.prompt}`;
    if (this.allowed.has(key)) return 'approve';
    const { action } = await this.wait(stepId, approval, token);
    if (action === 'allowForTask') this.allowed.add(key);
    return action;
  }

  async ask(stepId: string, question: string, token: vscode.CancellationToken): Promise<string | undefined> {
    const { action, answer } = await this.wait(stepId, { kind: 'question', prompt: question }, token);
    return action === 'reject' ? undefined : answer ?? '';
  }

  async review(stepId: string, review: ReviewHandle, token: vscode.CancellationToken): Promise<void> {
    this.reviews.set(stepId, review);
    const files = review.files();
    const only = files.length === 1 ? files[0] : undefined;
    this.setApproval(stepId, { kind: 'edit', prompt: `Apply the proposed changes to ${only ? only.path : `${files.length} files`}? They are open for review.` });
    try {
      await waitForReview(review, token);
    } finally {
      this.clearApproval(stepId, review.files().some((file) => file.hunks.some((hunk) => hunk.state === 'accepted')) ? 'done' : 'rejected');
    }
  }

  commandOutput(stepId: string, output: string): void {
    const step = this.step(stepId);
    if (step && step.status === 'running') {
      step.output = output;
      this.port.stepChanged(step);
    }
  }

  checkpointChanged(stepId: string, exists: boolean): void {
    if (exists) this.checkpoints.add(stepId);
    else this.checkpoints.delete(stepId);
    this.postRestorable();
  }

  /** After a restore: the checkpoints that remain (`stepIds`, from the store). */
  checkpointsRestored(stepIds: readonly string[]): void {
    this.checkpoints.clear();
    for (const stepId of stepIds) this.checkpoints.add(stepId);
    this.postRestorable();
  }

  // ---- internals ----

  private async clientTool(params: ClientToolParams, folder: vscode.Uri, task: vscode.CancellationToken, call: vscode.CancellationToken): Promise<ClientToolResult> {
    const source = new vscode.CancellationTokenSource();
    const links = [task.onCancellationRequested(() => source.cancel()), call.onCancellationRequested(() => source.cancel())];
    if (task.isCancellationRequested || call.isCancellationRequested) source.cancel();
    try {
      return await this.tools.handle(params, { root: folder, ui: this }, source.token);
    } finally {
      links.forEach((link) => link.dispose());
      source.dispose();
    }
  }

  private stepFromService(incoming: AgentStep): void {
    const steps = this.answer.steps!;
    const index = steps.findIndex((step) => step.id === incoming.id);
    const previous = index >= 0 ? steps[index] : undefined;
    const step: StepView = { ...incoming };
    if (previous?.approval && this.pending.has(incoming.id)) {
      step.approval = previous.approval;
      step.status = 'waiting';
    }
    if (index >= 0) steps[index] = step;
    else steps.push(step);
    // Not the service's to say (the protocol has no such field; a stray one is overwritten): the client keeps the checkpoints.
    step.checkpoint = Boolean(previous?.checkpoint);
    const changed = markRestorable(steps, this.checkpoints);
    this.port.stepChanged(step);
    for (const other of changed) if (other !== step) this.port.stepChanged(other);
  }

  /** Recomputes which steps offer "Restore to here" and posts those that changed. */
  private postRestorable(): void {
    for (const step of markRestorable(this.answer.steps ?? [], this.checkpoints)) this.port.stepChanged(step);
  }

  private progress(progress: AgentProgressParams): void {
    this.answer.usage = progress.usage;
    if (progress.costUsd !== undefined) this.answer.costUsd = progress.costUsd;
    this.port.messageChanged();
  }

  private wait(stepId: string, approval: StepApproval, token: vscode.CancellationToken): Promise<{ action: ApprovalAnswer; answer?: string }> {
    if (token.isCancellationRequested) return Promise.resolve({ action: 'reject' });
    this.pending.get(stepId)?.resolve('reject');
    return new Promise((resolve) => {
      const cancel = token.onCancellationRequested(() => this.pending.get(stepId)?.resolve('reject'));
      this.pending.set(stepId, {
        resolve: (action, answer) => {
          cancel.dispose();
          this.pending.delete(stepId);
          this.clearApproval(stepId, action === 'reject' ? 'rejected' : 'running');
          resolve({ action, ...(answer !== undefined ? { answer } : {}) });
        },
      });
      this.setApproval(stepId, approval);
    });
  }

  private setApproval(stepId: string, approval: StepApproval): void {
    const step = this.step(stepId) ?? this.placeholder(stepId, approval);
    step.approval = approval;
    step.status = 'waiting';
    this.port.stepChanged(step);
  }

  private clearApproval(stepId: string, status: StepView['status']): void {
    const step = this.step(stepId);
    if (step?.approval) {
      delete step.approval;
      if (step.status === 'waiting') step.status = status;
      this.port.stepChanged(step);
    }
  }

  /** A client call for a step the service has not announced (it should have): a card to hold the question. */
  private placeholder(stepId: string, approval: StepApproval): StepView {
    const tool = approval.kind === 'command' ? 'run_command' : approval.kind === 'edit' ? 'apply_patch' : 'ask_user';
    const step: StepView = { id: stepId, turn: 0, tool, title: approval.prompt, status: 'waiting' };
    this.answer.steps!.push(step);
    return step;
  }

  private step(stepId: string): StepView | undefined {
    return this.answer.steps?.find((step) => step.id === stepId);
  }

  private rejectAll(): void {
    for (const pending of [...this.pending.values()]) pending.resolve('reject');
  }

  private async showReview(stepId: string): Promise<void> {
    const review = this.reviews.get(stepId);
    const first = review?.isOpen ? review.files().find((file) => file.state === 'pending') : undefined;
    const uris = first && review?.diffUris(first.path);
    if (uris) {
      await vscode.commands.executeCommand('vscode.diff', uris.actual, uris.proposal, `${first.path} ↔ Tandem proposal`, { preview: true });
      return;
    }
    await showStepFiles(this.step(stepId));
  }
}

/** "Review" on a finished edit step: opens the files it changed. */
export async function showStepFiles(step: StepView | undefined): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const change = step?.changeSet?.changes.find((candidate) => candidate.kind !== 'delete');
  if (folder && change) {
    const path = change.kind === 'update' && change.moveTo ? change.moveTo : change.path;
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, path), { preview: true });
  }
}

function failed(message: string): AgentRunResult {
  return {
    text: '',
    finishReason: 'error',
    model: '',
    steps: 0,
    usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
    promptTokensPerRequest: [],
    error: { kind: 'unknown', message },
  };
}

/** What an agent task's result means for its answer in the chat. */
export function applyAgentResult(answer: UiMessage, result: AgentRunResult): void {
  if (result.text.trim()) {
    answer.text = result.text;
  }
  if (result.finishReason === 'cancelled') {
    answer.stopped = true;
  } else if (result.finishReason === 'stepLimit') {
    answer.text += `\n\n_The agent stopped after ${result.steps} steps, the limit (\`tandem.agent.maxSteps\`). Ask it to continue if there is more to do._`;
  } else if (result.finishReason === 'tokenLimit') {
    answer.text += `\n\n_The agent stopped after using ${result.usage.totalTokens} tokens, the limit (\`tandem.agent.maxTokens\`). Ask it to continue if there is more to do._`;
  }
  answer.usage = result.usage;
  if (result.boundary) {
    answer.boundary = result.boundary;
  }
  if (result.error) {
    answer.error = result.error;
  }
}

/** When the task has ended: no card may still spin or ask (the history keeps what happened). */
export function finishSteps(answer: UiMessage): void {
  for (const step of answer.steps ?? []) {
    delete step.approval;
    if (step.status === 'running' || step.status === 'waiting') {
      step.status = 'failed';
      step.output = `${step.output ? `${step.output}\n` : ''}(Did not finish: the task ended.)`;
    }
  }
}

/** After "Restore to here": which steps are still restorable, given the checkpoints that remain. Returns the steps that changed. */
export function markRestorableAfterRestore(answer: UiMessage | undefined, remaining: readonly string[]): StepView[] {
  return markRestorable(answer?.steps ?? [], remaining);
}

/** What a restore did, for a notification. */
export function describeRestore(outcome: { restored: string[]; deleted: string[] }): string {
  const changed = [...outcome.restored, ...outcome.deleted.map((path) => `${path} (deleted)`)];
  return changed.length ? `Tandem: restored ${changed.join(', ')}.` : 'Tandem: nothing to restore.';
}
