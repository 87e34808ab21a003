import * as vscode from 'vscode';
import { updateSetting } from '../modelSettings';
import type { AgentSettings, ApprovalPolicy, SandboxInfo } from '../../shared/agentProtocol';

export const AGENT_SECTION = 'tandem.agent';

const POLICIES: ReadonlyArray<{ policy: ApprovalPolicy; label: string; detail: string }> = [
  { policy: 'ask', label: 'Ask', detail: 'Ask before every edit and every command.' },
  { policy: 'auto-edit', label: 'Auto-edit', detail: 'Apply edits without asking (each can be restored from the chat); ask before commands.' },
  { policy: 'full-auto', label: 'Full auto', detail: 'Apply edits and run allowed commands without asking; ask for anything else.' },
];

export function isApprovalPolicy(value: unknown): value is ApprovalPolicy {
  return POLICIES.some((entry) => entry.policy === value);
}

/**
 * The agent settings as they are now (invalid values fall back to the
 * defaults). `sandbox`: what the command runner found (CommandRunner.sandbox);
 * without it, no sandbox, so no command runs without asking.
 */
export function readAgentSettings(sandbox?: SandboxInfo): AgentSettings {
  const config = vscode.workspace.getConfiguration(AGENT_SECTION);
  const policy = config.get<unknown>('approvalPolicy');
  return {
    policy: isApprovalPolicy(policy) ? policy : 'ask',
    maxSteps: positive(config.get<unknown>('maxSteps'), 25),
    maxTokens: positive(config.get<unknown>('maxTokens'), 200_000),
    allowCommands: strings(config.get<unknown>('allowCommands')),
    denyCommands: strings(config.get<unknown>('denyCommands')),
    testCommand: String(config.get<unknown>('testCommand') ?? '').trim(),
    commandTimeout: positive(config.get<unknown>('commandTimeout'), 120),
    maxToolCallsPerTurn: positive(config.get<unknown>('maxToolCallsPerTurn'), 8),
    sandbox: sandbox ?? { kind: 'none', network: false, reason: 'not checked' },
  };
}

/** Sandboxed commands may use the network (`tandem.agent.sandbox.allowNetwork`). */
export function allowSandboxNetwork(): boolean {
  return vscode.workspace.getConfiguration(AGENT_SECTION).get<unknown>('sandbox.allowNetwork') === true;
}

export function approvalPolicy(): ApprovalPolicy {
  return readAgentSettings().policy;
}

/** Quick pick for `tandem.setApprovalPolicy` (or sets `value` directly); saved where the setting is defined. */
export async function pickApprovalPolicy(value?: unknown): Promise<ApprovalPolicy | undefined> {
  let policy: ApprovalPolicy | undefined = isApprovalPolicy(value) ? value : undefined;
  if (!policy) {
    const current = approvalPolicy();
    const chosen = await vscode.window.showQuickPick(
      POLICIES.map((entry) => ({ label: entry.label, detail: entry.detail, description: entry.policy === current ? 'current' : undefined, policy: entry.policy })),
      { title: 'Tandem: Agent Approval Policy', placeHolder: 'How much may the agent do without asking?' },
    );
    policy = chosen?.policy;
  }
  if (!policy) return undefined;
  await updateSetting('agent.approvalPolicy', policy);
  return policy;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim().length > 0) : [];
}
