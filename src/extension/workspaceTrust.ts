/**
 * What Tandem does in Restricted Mode (an untrusted workspace). package.json
 * declares `capabilities.untrustedWorkspaces.supported: "limited"`:
 * - works: Ask mode about what the person selects or attaches, edits the
 *   person asks for (proposed for review, never applied unasked), inline
 *   suggestions, and every command about the model, key and settings;
 * - off: Agent mode, which reads the workspace (and its rules files) on its
 *   own, runs commands and changes files;
 * - no `tandem.*` setting comes from the workspace: the security-relevant
 *   ones never do (src/extension/userSettings.ts), the others are
 *   `restrictedConfigurations`.
 * docs/settings-security.md says the same for people.
 */
import type { ChatError } from '../shared/protocol';

/** The answer Agent mode gives instead of starting a task in an untrusted workspace. */
export const AGENT_RESTRICTED: Readonly<ChatError> = {
  kind: 'unknown',
  message:
    'Agent mode is off in Restricted Mode: this workspace is not trusted, so Tandem does not let a model read its files, run commands or change files here. Ask mode still answers about what you select. Trust the workspace to use Agent mode.',
  action: 'manageTrust',
};

/** Why an agent task may not start (`isTrusted`: `vscode.workspace.isTrusted`), or undefined when it may. */
export function agentUnavailable(isTrusted: boolean): ChatError | undefined {
  return isTrusted ? undefined : { ...AGENT_RESTRICTED };
}
