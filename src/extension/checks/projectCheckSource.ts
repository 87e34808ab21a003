import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import type { SandboxInfo } from '../../shared/agentProtocol';
import type { ProjectCheckResult } from '../../shared/checks';
import { errorMessage } from '../../shared/guards';
import { ProjectChecksProgressNotification, ProjectChecksRequest, RunCheckCommandRequest } from '../../shared/projectChecksProtocol';
import type { CommandOutcome, CommandRequest } from '../agent/commandRunner';
import { ApprovalMemory, type CheckApprover } from './approvalMemory';
import { notificationApprover } from './checkApproval';
import { runCheckCommand } from './checkCommands';
import { readProjectChecksSettings } from './projectCheckSettings';
import type { ProjectCheckRequest, ProjectCheckSource } from './types';


export interface ServiceProjectCheckDeps {
  /** The running language client (ServiceClient.ready). */
  client(): Promise<LanguageClient>;
  /** CommandRunner: run and the sandbox it found. */
  commands: { run(request: CommandRequest): Promise<CommandOutcome>; sandbox(): Promise<SandboxInfo> };
  state: vscode.Memento;
  log: vscode.LogOutputChannel;
  /** Test seam: how the person is asked (default: a notification). */
  approver?: CheckApprover;
}

/**
 * The project's own checks on a proposal, run by the service in a temporary
 * copy of the workspace (docs/checks.md, "Project checks"). Cancelling the
 * token (the proposal was decided or superseded) cancels the run.
 */
export class ServiceProjectCheckSource implements ProjectCheckSource, vscode.Disposable {
  private readonly progress = new Map<string, (results: ProjectCheckResult[]) => void>();
  private readonly memory: ApprovalMemory;
  private approver: CheckApprover;
  private registered: LanguageClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ServiceProjectCheckDeps) {
    this.memory = new ApprovalMemory(deps.state);
    this.approver = deps.approver ?? notificationApprover((key) => void this.memory.remember(key));
  }

  /** Test hooks: answer every question the same way. */
  setApprover(approver: CheckApprover | undefined): void {
    this.approver = approver ?? notificationApprover((key) => void this.memory.remember(key));
  }

  async run(request: ProjectCheckRequest, token: vscode.CancellationToken, onProgress: (results: ProjectCheckResult[]) => void): Promise<ProjectCheckResult[]> {
    if (!vscode.workspace.isTrusted) {
      return [notRun('skipped', 'This workspace is not trusted (Restricted Mode): Tandem runs no project checks in it. Trust the workspace to check proposals with its own commands.')];
    }
    if (request.folder.scheme !== 'file') return [notRun('skipped', 'Project checks run only in folders on this machine.')];
    const settings = readProjectChecksSettings(await this.deps.commands.sandbox(), request.folder);
    if ('problem' in settings) return [notRun('error', settings.problem)];
    const client = await this.deps.client();
    this.register(client);
    const runId = randomUUID();
    this.progress.set(runId, onProgress);
    try {
      return await client.sendRequest(
        ProjectChecksRequest.type,
        { folder: request.folder.fsPath, changeSet: request.changeSet, reviewId: request.reviewId, runId, settings, ...(request.proposalId ? { proposalId: request.proposalId } : {}) },
        token,
      );
    } catch (error) {
      if (token.isCancellationRequested) return [];
      const message = error instanceof ResponseError ? error.message : errorMessage(error);
      this.deps.log.warn(`Project checks failed: ${message}`);
      return [notRun('error', message)];
    } finally {
      this.progress.delete(runId);
    }
  }

  /** The handlers for this client, once (the client keeps them across restarts). */
  private register(client: LanguageClient): void {
    if (this.registered === client) return;
    this.registered = client;
    this.disposables.push(
      client.onNotification(ProjectChecksProgressNotification.type, (params) => this.progress.get(params.runId)?.(params.results)),
      client.onRequest(RunCheckCommandRequest.type, (params, token) =>
        runCheckCommand(params, token, {
          run: (command) => this.deps.commands.run(command),
          approver: this.approver,
          memory: this.memory,
          isTrusted: () => vscode.workspace.isTrusted,
        }),
      ),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.disposables.length = 0;
    this.progress.clear();
  }
}

/** The one result when no check could be planned (untrusted, unreadable settings). */
function notRun(status: 'skipped' | 'error', reason: string): ProjectCheckResult {
  return { name: 'project checks', kind: 'custom', command: '', status, durationMs: 0, problems: [], reason };
}
