import * as vscode from 'vscode';
import type { SandboxInfo } from '../../shared/agentProtocol';
import { CONFIG_SECTION } from '../../shared/protocol';
import type { ProjectChecksSettings } from '../../shared/projectChecksProtocol';
import { pickChecks } from './pickChecks';
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
