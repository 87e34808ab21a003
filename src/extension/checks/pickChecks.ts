import type { ProjectCheckConfig, ProjectCheckOrigin, ProjectChecksSettings } from '../../shared/projectChecksProtocol';

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
