/**
 * The project's own checks (`tandem.checks`) on a proposal: the messages
 * between the extension (client) and the model service. The service plans
 * the checks, builds the temporary copy of the workspace with the proposal
 * applied, decides each command with the agent's approval policy, and asks
 * the client to run it there (and to ask the person when the policy says
 * so). Declared once here, documented in docs/protocol.md ("Project
 * checks") and docs/checks.md.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ApprovalPolicy, SandboxInfo } from './agentProtocol';
import type { ProjectCheckKind, ProjectCheckResult } from './checks';
import type { ChangeSet } from './edits';

/** One check as the person names it in `tandem.checks`. */
export interface ProjectCheckConfig {
  name: string;
  command: string;
  kind?: ProjectCheckKind;
  timeoutSeconds?: number;
}

/**
 * Where `tandem.checks` came from. `workspace`: a folder or workspace
 * settings file (repository content): such a check never runs unasked.
 */
export const PROJECT_CHECK_ORIGINS = ['default', 'user', 'workspace'] as const;
export type ProjectCheckOrigin = (typeof PROJECT_CHECK_ORIGINS)[number];

/** What the client read from the settings (the policy inputs from the user's settings only) and found (the sandbox). */
export interface ProjectChecksSettings {
  /** `null`: detect the checks from the project; `[]`: no project checks; otherwise these. */
  checks: ProjectCheckConfig[] | null;
  origin: ProjectCheckOrigin;
  policy: ApprovalPolicy;
  allowCommands: string[];
  denyCommands: string[];
  /** The OS sandbox the client runs unasked commands in; with `none` every check asks. */
  sandbox: SandboxInfo;
}

/** client → server `tandem/checks/project`: run the project's checks on a proposal. */
export interface ProjectChecksParams {
  /** The workspace folder the proposal's paths are relative to: an absolute path on disk. */
  folder: string;
  changeSet: ChangeSet;
  /** The review that shows the proposal; a newer run for the same review supersedes an older one. */
  reviewId: string;
  proposalId?: string;
  /** Routes the progress notifications of this run (unique per request). */
  runId: string;
  settings: ProjectChecksSettings;
}

export namespace ProjectChecksRequest {
  export const method = 'tandem/checks/project';
  /** Cancel with the request's cancellation token: the proposal was decided or superseded. */
  export const type = new RequestType<ProjectChecksParams, ProjectCheckResult[], void>(method);
}

/** server → client `tandem/checks/projectProgress`: the results so far (ended checks only), after each check ends. */
export interface ProjectChecksProgressParams {
  runId: string;
  results: ProjectCheckResult[];
}

export namespace ProjectChecksProgressNotification {
  export const method = 'tandem/checks/projectProgress';
  export const type = new NotificationType<ProjectChecksProgressParams>(method);
}

/** The person's say, when the policy asks before a check runs. */
export interface CheckApproval {
  /** The policy's reason, in plain words. */
  reason: string;
  /**
   * What the command resolves to, shown and remembered with it: for
   * `npm run lint` the script's text, for `npx tsc` the tool's real path,
   * otherwise the command itself.
   */
  resolved: string;
  /** "Always for This Workspace" remembers this key: a hash of the folder, the command and what it resolves to. */
  key: string;
  /** Seconds to wait for an answer before the check is left `needsApproval`. */
  waitSeconds: number;
}

/** server → client `tandem/checks/runCommand`: run one check's command in the temporary copy. */
export interface RunCheckCommandParams {
  runId: string;
  name: string;
  kind: ProjectCheckKind;
  command: string;
  /** The temporary copy (absolute): the only folder a sandboxed run may write. */
  root: string;
  /** Where the command runs: `root` or a folder inside it (the workspace folder inside a git worktree). */
  cwd: string;
  timeoutSeconds: number;
  /** Run in the OS sandbox without asking (the policy said `run`). */
  sandboxed: boolean;
  /** Set when the policy says `ask`: run only if the person approves (now, or "always" before). */
  approval?: CheckApproval;
}

export type RunCheckCommandResult =
  | { ran: true; exitCode?: number; output: string; timedOut: boolean; cancelled: boolean }
  /** Nothing ran: `needsApproval` (skipped or unanswered), `skipped` (untrusted workspace), `error` (could not start, no sandbox). */
  | { ran: false; status: 'needsApproval' | 'skipped' | 'error'; reason: string };

export namespace RunCheckCommandRequest {
  export const method = 'tandem/checks/runCommand';
  export const type = new RequestType<RunCheckCommandParams, RunCheckCommandResult, void>(method);
}
