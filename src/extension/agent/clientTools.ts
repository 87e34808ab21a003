import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { ClientToolCall, ClientToolParams, ClientToolResult, SandboxInfo } from '../../shared/agentProtocol';
import type { McpCall, McpCallResult, McpToolInfo } from '../../shared/mcpProtocol';
import type { FileText } from '../../shared/protocol';
import { relativePath } from '../actions/editTarget';
import type { AuditReporter } from '../audit/auditReporter';
import type { ReviewManager } from '../edits/reviewManager';
import type { AgentUi } from './agentUi';
import { applyChanges } from './changes';
import type { CheckpointStore } from './checkpoints';
import type { CommandOutcome, CommandRunner } from './commandRunner';
import type { DiagnosticsTracker } from './diagnostics';
import { isUnder } from './diagnostics';
import { type RestoreOutcome, restoreCheckpoint } from './restore';

export interface ClientToolDeps {
  reviews: ReviewManager;
  checkpoints: CheckpointStore;
  diagnostics: DiagnosticsTracker;
  commands: CommandRunner;
  log: vscode.LogOutputChannel;
  /** The audit trail's reports (restores). */
  audit?: AuditReporter;
  /** The MCP servers (mcp/servers.ts): their tools for a task, and the calls. */
  mcp?: McpTools;
}

export interface McpTools {
  toolsForTask(): Promise<McpToolInfo[]>;
  call(call: McpCall, stepId: string, ui: AgentUi, token: vscode.CancellationToken): Promise<McpCallResult>;
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
        return applyChanges(this.deps.reviews, this.deps.checkpoints, call.changeSet, call.autoApply, { root, task: streamId, stepId, ui, token, ...(call.findings ? { findings: call.findings } : {}) }, call.policy);
      case 'askUser':
        return { kind: 'askUser', answer: await ui.ask(stepId, call.question, token) };
      case 'approve': {
        const answer = await ui.approve(stepId, { kind: 'path', prompt: call.detail ? `${call.title} — ${call.detail}` : call.title }, token);
        return { kind: 'approve', approved: answer !== 'reject', ...(answer === 'allowForTask' ? { allowForTask: true } : {}) };
      }
      case 'mcpCall':
        return this.deps.mcp ? this.deps.mcp.call(call, stepId, ui, token) : { kind: 'mcpCall', approved: false, errorClass: 'unavailable', reason: 'MCP servers are not available in this editor.' };
    }
  }

  /** "Restore to here" for a step of a task (`stepOrder`: the answer's step ids, for steps without a checkpoint of their own). */
  async restore(task: string, stepId: string, options: { confirm: boolean; stepOrder?: readonly string[] }): Promise<RestoreOutcome | undefined> {
    const outcome = await restoreCheckpoint(this.deps.checkpoints, task, stepId, options);
    if (outcome && outcome.audit.length > 0) this.deps.audit?.restore({ task, step: stepId, actor: 'person', files: outcome.audit });
    return outcome;
  }

  /** The tools of the MCP servers that are ready (started now if approved); none when they cannot start. */
  async mcpTools(): Promise<McpToolInfo[]> {
    try {
      return (await this.deps.mcp?.toolsForTask()) ?? [];
    } catch (error) {
      this.deps.log.warn(`MCP servers unavailable for this task: ${String(error)}`);
      return [];
    }
  }

  /** The sandbox commands run in when they run without asking (found out once per session). */
  sandbox(): Promise<SandboxInfo> {
    return this.deps.commands.sandbox();
  }

  /** What sandbox() last found, without waiting; and when that changes. */
  get currentSandbox(): SandboxInfo | undefined {
    return this.deps.commands.currentSandbox;
  }

  get onDidChangeSandbox(): vscode.Event<SandboxInfo> {
    return this.deps.commands.onDidChangeSandbox;
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
    const relative = relativePath(root, cwd);
    const where = cwd.path !== root.path && relative !== cwd.path ? ` in ${relative}` : '';
    const run = (sandboxed: boolean): Promise<CommandOutcome> =>
      this.deps.commands.run({
        command: call.command,
        cwd: cwd.fsPath,
        root: root.fsPath,
        timeoutSeconds: call.timeoutSeconds,
        sandboxed,
        token,
        ...(ui.commandOutput ? { onOutput: (output: string) => ui.commandOutput?.(stepId, output) } : {}),
      });
    let allowForTask = false;
    if (call.needsApproval) {
      const answer = await ui.approve(stepId, { kind: 'command', prompt: `Run \`${call.command}\`${where}?${call.reason ? ` ${call.reason}` : ''}` }, token);
      if (answer === 'reject' || token.isCancellationRequested) {
        return { kind: 'runCommand', approved: false, output: '', reason: 'The person declined to run this command.' };
      }
      allowForTask = answer === 'allowForTask';
    }
    // Approved by the person: runs as it is (they saw the exact command). Unasked: only in the sandbox,
    // whatever the call says (a call that runs unasked without the sandbox breaks the protocol).
    const sandboxed = !call.needsApproval;
    if (sandboxed && !call.sandboxed) this.deps.log.warn(`The service asked to run "${call.command}" unasked and unsandboxed; it runs sandboxed`);
    this.deps.log.info(`Agent runs${sandboxed ? ' (sandboxed)' : ''}: ${call.command}`);
    let outcome = await run(sandboxed);
    let note = '';
    if (!outcome.ran) {
      // Fail closed: what would run unasked runs only in the sandbox, or with the person's approval.
      const unavailable = `the sandbox is unavailable (${outcome.reason})`;
      const answer = await ui.approve(stepId, { kind: 'command', prompt: `Run \`${call.command}\`${where}? It would run without asking, but ${unavailable}.` }, token);
      if (answer === 'reject' || token.isCancellationRequested) {
        return { kind: 'runCommand', approved: false, output: '', reason: `Not run: ${unavailable}, and the person declined to run it unsandboxed.` };
      }
      allowForTask = answer === 'allowForTask';
      outcome = await run(false);
    } else if (sandboxed && blockedBySandbox(outcome)) {
      const answer = await ui.approve(
        stepId,
        { kind: 'command', prompt: `\`${call.command}\` failed in the sandbox: it tried to write where the sandbox does not allow (outside the workspace, .git or protected paths, or a new file or folder at the top of the workspace). Run it again without the sandbox?` },
        token,
      );
      if (answer !== 'reject' && !token.isCancellationRequested) {
        outcome = await run(false);
        note = '(It failed in the sandbox; the person let it run again without the sandbox.)\n';
      }
    }
    if (!outcome.ran) {
      return { kind: 'runCommand', approved: false, output: '', reason: `Not run: the sandbox is unavailable (${outcome.reason}).` };
    }
    if (outcome.sandbox !== 'none' && outcome.exitCode !== 0) note += `(Ran in the sandbox: ${SANDBOX_LIMITS}.)\n`;
    return {
      kind: 'runCommand',
      approved: true,
      ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
      output: note + outcome.output,
      ...(outcome.timedOut ? { timedOut: true } : {}),
      ...(outcome.cancelled ? { reason: 'Stopped by the person.' } : {}),
      ...(allowForTask ? { allowForTask: true } : {}),
    };
  }
}

/** What a sandboxed command cannot do, for the model when it fails. */
const SANDBOX_LIMITS =
  'no network unless allowed; nothing outside the workspace is writable; .git and protected paths are read-only; no file or folder can be added to or removed from the top of the workspace; secret files cannot be read';

/** A sandboxed command that failed on a read-only file system: the sandbox, most likely. */
function blockedBySandbox(outcome: Extract<CommandOutcome, { ran: true }>): boolean {
  return outcome.exitCode !== 0 && !outcome.timedOut && !outcome.cancelled && /Read-only file system|EROFS/i.test(outcome.output);
}

/** Unsaved documents under `root` (the service reads everything else from disk). */
export function openBuffers(root: vscode.Uri): FileText[] {
  return vscode.workspace.textDocuments
    .filter((document) => document.isDirty && document.uri.scheme === 'file' && isUnder(root, document.uri))
    .map((document) => ({ path: relativePath(root, document.uri), text: document.getText() }));
}
