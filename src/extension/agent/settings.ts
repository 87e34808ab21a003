import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../../shared/protocol';
import { updateSetting } from '../modelSettings';
import { userValue } from '../userSettings';
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
 * defaults). The limits and the command lists are the user's own: a
 * workspace's values are never read (src/extension/userSettings.ts).
 * `sandbox`: what the command runner found (CommandRunner.sandbox); without
 * it, no sandbox, so no command runs without asking.
 */
export function readAgentSettings(sandbox?: SandboxInfo): AgentSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const policy = userValue(config, 'agent.approvalPolicy');
  return {
    policy: isApprovalPolicy(policy) ? policy : 'ask',
    maxSteps: positive(userValue(config, 'agent.maxSteps'), 25),
    maxTokens: positive(userValue(config, 'agent.maxTokens'), 200_000),
    allowCommands: strings(userValue(config, 'agent.allowCommands')),
    denyCommands: strings(userValue(config, 'agent.denyCommands')),
    // A hint in the agent's prompt only (the command still needs the policy's approval): the project may set it.
    testCommand: String(config.get<unknown>('agent.testCommand') ?? '').trim(),
    commandTimeout: positive(userValue(config, 'agent.commandTimeout'), 120),
    maxToolCallsPerTurn: positive(userValue(config, 'agent.maxToolCallsPerTurn'), 8),
    sandbox: sandbox ?? { kind: 'none', network: false, reason: 'not checked' },
  };
}

/** Sandboxed commands may use the network (`tandem.agent.sandbox.allowNetwork`). */
/** `tandem.agent.sandbox.allowNetwork`, from the user's settings only. */
export function allowSandboxNetwork(): boolean {
  return userValue(vscode.workspace.getConfiguration(CONFIG_SECTION), 'agent.sandbox.allowNetwork') === true;
}

export function approvalPolicy(): ApprovalPolicy {
  return readAgentSettings().policy;
}

/** Quick pick for `tandem.setApprovalPolicy` (or sets `value` directly); saved in the user's settings. */
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
