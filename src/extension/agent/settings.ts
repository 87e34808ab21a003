import * as vscode from 'vscode';
import { AGENT_DEFAULTS } from '../../shared/defaults';
import { CONFIG_SECTION } from '../../shared/protocol';
import { APPROVAL_POLICIES, isApprovalPolicy } from '../../shared/vocabulary';
import { updateSetting } from '../modelSettings';
import { userValue } from '../userSettings';
import type { AgentSettings, ApprovalPolicy, SandboxInfo } from '../../shared/agentProtocol';

export const AGENT_SECTION = 'tandem.agent';

const POLICY_LABELS: Readonly<Record<ApprovalPolicy, { label: string; detail: string }>> = {
  ask: { label: 'Ask', detail: 'Ask before every edit and every command.' },
  'auto-edit': { label: 'Auto-edit', detail: 'Apply edits without asking (each can be restored from the chat); ask before commands.' },
  'full-auto': { label: 'Full auto', detail: 'Apply edits and run allowed commands without asking; ask for anything else.' },
};

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
    policy: isApprovalPolicy(policy) ? policy : AGENT_DEFAULTS.approvalPolicy,
    maxSteps: positive(userValue(config, 'agent.maxSteps'), AGENT_DEFAULTS.maxSteps),
    maxTokens: positive(userValue(config, 'agent.maxTokens'), AGENT_DEFAULTS.maxTokens),
    allowCommands: strings(userValue(config, 'agent.allowCommands')),
    denyCommands: strings(userValue(config, 'agent.denyCommands')),
    // A hint in the agent's prompt only (the command still needs the policy's approval): the project may set it.
    testCommand: String(config.get<unknown>('agent.testCommand') ?? '').trim(),
    commandTimeout: positive(userValue(config, 'agent.commandTimeout'), AGENT_DEFAULTS.commandTimeout),
    maxToolCallsPerTurn: positive(userValue(config, 'agent.maxToolCallsPerTurn'), AGENT_DEFAULTS.maxToolCallsPerTurn),
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
      APPROVAL_POLICIES.map((policy) => ({ ...POLICY_LABELS[policy], description: policy === current ? 'current' : undefined, policy })),
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
