import type * as vscode from 'vscode';
import type { RunCheckCommandParams } from '../../shared/projectChecksProtocol';

/** The person's answer to a check that asks; undefined: no answer (in time). */
export type CheckApprovalAnswer = 'run' | 'always' | 'skip' | undefined;

export interface CheckApprover {
  ask(params: RunCheckCommandParams & { approval: NonNullable<RunCheckCommandParams['approval']> }, token: vscode.CancellationToken): Promise<CheckApprovalAnswer>;
}

/**
 * "Always for This Workspace": keys (the folder, the command and what it
 * resolves to, hashed by the service) kept in the workspace's state, which
 * lives in the editor's storage, not in the repository.
 */
export class ApprovalMemory {
  private static readonly KEY = 'tandem.checks.alwaysRun';

  constructor(private readonly state: vscode.Memento) {}

  has(key: string): boolean {
    return this.keys().includes(key);
  }

  async remember(key: string): Promise<void> {
    if (!this.has(key)) await this.state.update(ApprovalMemory.KEY, [...this.keys(), key].slice(-200));
  }

  private keys(): string[] {
    const value = this.state.get<unknown>(ApprovalMemory.KEY);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  }
}
