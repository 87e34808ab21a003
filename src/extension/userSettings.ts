/**
 * Settings a repository cannot override (threat model, invariant 4): where
 * requests and the API key go, what is logged, and how much the agent may do.
 * package.json gives each of them `application` scope, so VS Code ignores
 * their values in `.vscode/settings.json`, `*.code-workspace` files and
 * remote or dev-container machine settings (which a repository's
 * devcontainer.json fills). Every reader here also takes only the user's
 * value, so a scope lost in package.json, or a VS Code that applies scopes
 * late, still cannot hand the decision to the workspace.
 *
 * Why each one, and what stays per workspace: docs/settings-security.md.
 * No runtime `vscode` import: the unit tests check this table against
 * package.json.
 */
import type { WorkspaceConfiguration } from 'vscode';
import { isRecord } from '../shared/guards';

/** Keys under `tandem.`, in package.json order. */
export const USER_ONLY_SETTINGS = [
  'baseUrl',
  'completions.baseUrl',
  'logContents',
  'agent.approvalPolicy',
  'agent.maxSteps',
  'agent.maxTokens',
  'agent.allowCommands',
  'agent.denyCommands',
  'agent.commandTimeout',
  'agent.maxToolCallsPerTurn',
  'agent.sandbox.allowNetwork',
  'audit.enabled',
  'audit.directory',
  'audit.contents',
  'dataBoundary.localOnly',
  'codebase.embeddings',
  'codebase.embeddingsModel',
  'telemetry.otlpEndpoint',
  'metrics.prices',
  'mcp.servers',
  'mcp.alwaysAllow',
  'embedded.modelPath',
] as const;

export type UserOnlySetting = (typeof USER_ONLY_SETTINGS)[number];

export function isUserOnly(key: string): key is UserOnlySetting {
  return (USER_ONLY_SETTINGS as readonly string[]).includes(key);
}

/** What the readers need from a `tandem` WorkspaceConfiguration. */
export type Inspectable = Pick<WorkspaceConfiguration, 'inspect'>;

/** The user's value of `tandem.<key>`, else its default: never a workspace, folder or language value. */
export function userValue(config: Inspectable, key: UserOnlySetting): unknown {
  const inspected = config.inspect<unknown>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/**
 * The `tandem` section as VS Code merged it (what the service pulls with
 * workspace/configuration), with every user-only key replaced by the user's
 * value. Nested objects are copied, never changed in place.
 */
export function withUserValues(section: Record<string, unknown>, config: Inspectable): Record<string, unknown> {
  const result = { ...section };
  for (const key of USER_ONLY_SETTINGS) {
    setPath(result, key.split('.'), userValue(config, key));
  }
  return result;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) delete target[head];
    else target[head] = value;
    return;
  }
  const child = target[head];
  const copy: Record<string, unknown> = isRecord(child) ? { ...child } : {};
  setPath(copy, rest, value);
  target[head] = copy;
}
