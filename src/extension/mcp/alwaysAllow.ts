/**
 * `tandem.mcp.alwaysAllow` (docs/mcp.md): the MCP tools that run without
 * asking, as `server/tool` or `server/*`. Read from the person's own
 * settings only, and written there only: a repository's
 * `.vscode/settings.json` (or a folder's, or a dev container's machine
 * settings) must never pre-approve its own server's tools. It applies to
 * the person's own servers only, since a repository could name its server
 * like one of theirs. No runtime `vscode`: unit-tested in plain Node.
 */
import type { WorkspaceConfiguration } from 'vscode';
import type { McpServerSource } from '../../shared/mcpProtocol';
import { userValue, type Inspectable } from '../userSettings';

const KEY = 'mcp.alwaysAllow';
/** Entries kept when the person adds one (a list this long is a mistake, not a policy). */
const MAX_ENTRIES = 500;

/** The person's list, strings only. */
export function alwaysAllowList(config: Inspectable): string[] {
  const value = userValue(config, KEY);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Whether a call of `tool` on `server` runs without asking. */
export function isAlwaysAllowed(list: readonly string[], source: McpServerSource, server: string, tool: string): boolean {
  return source === 'user' && (list.includes(`${server}/${tool}`) || list.includes(`${server}/*`));
}

/**
 * The entry "Always allow" adds, or undefined when the tool cannot be allowed permanently:
 * a repository's server, or a name with a `/` (the entry would not say where the server's ends).
 */
export function alwaysAllowEntry(source: McpServerSource, server: string, tool: string): string | undefined {
  return source === 'user' && !server.includes('/') && !tool.includes('/') && tool !== '*' ? `${server}/${tool}` : undefined;
}

/**
 * Adds `entry` to the person's list (user settings, `true` = global target);
 * the merged value is never read back, so a workspace value cannot be copied
 * into the person's settings on the way.
 */
export async function addAlwaysAllow(config: Inspectable & Pick<WorkspaceConfiguration, 'update'>, entry: string): Promise<void> {
  const list = alwaysAllowList(config);
  if (list.includes(entry)) return;
  await config.update(KEY, [...list, entry].slice(-MAX_ENTRIES), true);
}
