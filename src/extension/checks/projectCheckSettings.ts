import * as vscode from 'vscode';
import type { SandboxInfo } from '../../shared/agentProtocol';
import { CONFIG_SECTION } from '../../shared/protocol';
import type { ProjectCheckConfig, ProjectCheckOrigin, ProjectChecksSettings } from '../../shared/projectChecksProtocol';
import { readAgentSettings } from '../agent/settings';

/**
 * What the service needs to run a proposal's project checks: `tandem.checks`
 * and where it came from, and the agent's approval policy, allow and deny
 * lists (the user's values only: readAgentSettings) with the sandbox found.
 *
 * `tandem.checks` may come from a workspace (a team's checks), but the
 * person's own value wins over it, and a check a workspace names never runs
 * unasked (the service asks first). Invalid entries are passed on as they
 * are: the service says what is wrong instead of silently dropping a check.
 */
export function readProjectChecksSettings(sandbox: SandboxInfo | undefined, scope?: vscode.Uri): ProjectChecksSettings | { problem: string } {
  const agent = readAgentSettings(sandbox);
  const inspected = vscode.workspace.getConfiguration(CONFIG_SECTION, scope).inspect<unknown>('checks');
  const picked = pickChecks(inspected);
  if ('problem' in picked) return picked;
  return { ...picked, policy: agent.policy, allowCommands: agent.allowCommands, denyCommands: agent.denyCommands, sandbox: agent.sandbox };
}

/** The value used and its origin: the user's when set, else the workspace's (folder first), else detection. */
export function pickChecks(
  inspected: { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined,
): Pick<ProjectChecksSettings, 'checks' | 'origin'> | { problem: string } {
  if (inspected?.globalValue !== undefined) return withOrigin(inspected.globalValue, 'user');
  const workspace = inspected?.workspaceFolderValue !== undefined ? inspected.workspaceFolderValue : inspected?.workspaceValue;
  if (workspace !== undefined) return withOrigin(workspace, 'workspace');
  return { checks: null, origin: 'default' };
}

function withOrigin(value: unknown, origin: ProjectCheckOrigin): Pick<ProjectChecksSettings, 'checks' | 'origin'> | { problem: string } {
  if (value === null) return { checks: null, origin };
  if (!Array.isArray(value)) return { problem: `tandem.checks must be a list of checks ({ "name", "command" }), [] for none, or null to find them (${origin} settings).` };
  // Each entry as written: the service checks every field and says which one is wrong.
  return { checks: value as ProjectCheckConfig[], origin };
}
