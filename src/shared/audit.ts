/**
 * The audit trail's event schema, declared once: the service writes it
 * (src/server/services/audit), `tandem audit` reads it, docs/audit.md
 * documents every event and field. One event per line (JSON Lines); each
 * line carries the SHA-256 of the line before it (`prev`), so the files form
 * a hash chain. Plain data only: the webview may bundle this file.
 *
 * A change that renames or removes a field, or changes its meaning, raises
 * AUDIT_SCHEMA_VERSION; adding an optional field does not.
 */
import type { EditFormat } from './edits';
import type { CheckSeverity, ProjectCheckKind, ProjectCheckStatus } from './checks';
import type { McpAnswer, McpErrorClass, McpServerSource } from './mcpProtocol';
import type {
  ApprovalPolicy,
  AuditActor,
  AuditContents,
  ContextKind,
  DecisionOutcome,
  DecisionScope,
  ModelPurpose,
  ProposalOrigin,
  SandboxKind,
  StepStatus,
  WriteOperation,
} from './vocabulary';

export type { AuditActor, AuditContents, DecisionOutcome, DecisionScope, ModelPurpose, ProposalOrigin, WriteOperation } from './vocabulary';

/** The `v` of every line written now. */
export const AUDIT_SCHEMA_VERSION = 1;

/** The `prev` of the very first line of a chain. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** The ids that link events: a model request, a proposal, an agent task and one of its steps. */
export interface AuditLinks {
  /** A model request: the chat's or edit's stream id, `<task>/t<turn>` for an agent turn, the item id of a completion. */
  request?: string;
  proposal?: string;
  /** An agent task (the answer's stream id). */
  task?: string;
  /** A step of the task (`s1`, `s2`, …). */
  step?: string;
}

/** What every line has besides its event's own fields. */
export interface AuditEnvelope extends AuditLinks {
  /** Schema version. */
  v: number;
  /** Position in the chain, from 1, across sessions and files. */
  seq: number;
  /** When the event happened, ISO 8601 UTC with milliseconds. */
  time: string;
  /** The service process's session (a random UUID per start). */
  session: string;
  type: AuditEventType;
  actor: AuditActor;
  /** SHA-256 (hex) of the previous line's bytes, without its newline; AUDIT_GENESIS for the first line. */
  prev: string;
}

/** A file or text that was sent or changed, by its digest: never its text. */
export interface AuditDigest {
  /** SHA-256 (hex) of the UTF-8 text. */
  sha256: string;
  bytes: number;
}

/** One item of context sent with a model request. */
export interface AuditContextItem extends AuditDigest {
  /** Workspace-relative path ('' for the conversation itself). */
  path: string;
  /**
   * `file` / `selection`: context the person attached, or the file an edit
   * task works on; `messages`: the conversation and instructions; `cursor`:
   * the text around the cursor of an inline completion; `snippet`: another
   * open file's lines in a completion prompt; `tool`: the tool results and
   * messages an agent turn sends that the task's previous turn did not.
   */
  kind: ContextKind | 'messages' | 'cursor' | 'snippet' | 'tool';
  /** 1-based inclusive lines, for a selection. */
  lines?: [number, number];
}

/** The agent's approval policy and lists, as in force. */
export interface AuditPolicy {
  approvalPolicy: ApprovalPolicy;
  allowCommands: string[];
  denyCommands: string[];
  /** Commands that run unasked (sandboxed) may use the network. */
  allowNetwork: boolean;
  maxSteps: number;
  maxTokens: number;
  commandTimeout: number;
  maxToolCallsPerTurn: number;
}

/** Secrets replaced by typed placeholders (`[REDACTED:github-token]`), by kind and number of distinct values; never the values. */
export interface AuditRedaction {
  kind: string;
  count: number;
}

/** Content fields left out because the secret scan could not clear them (the trail never keeps them unscanned). */
export interface ContentOmission {
  fields: string[];
  reason: 'redactionFailed' | 'redactionTimeout';
}

/**
 * What an event with content fields (diff, text, messages, answer, tool call
 * arguments, prompt, output) may say about the audit's secret scan of them.
 */
export interface AuditContentRedaction {
  /** Secrets taken out of the event's content fields (for a model request, also those replaced before sending). */
  redactions?: AuditRedaction[];
  /** Content fields dropped, and why. */
  contentOmitted?: ContentOmission;
}

export interface AuditTokens {
  prompt: number;
  completion: number;
  total: number;
}

/** One file of a proposal. */
export interface AuditProposalFile {
  path: string;
  kind: 'update' | 'add' | 'delete';
  moveTo?: string;
  /** SHA-256 of the text the proposal was made against (absent for a new file). */
  sha256Before?: string;
  /** SHA-256 of the text it proposes (absent for a deletion). */
  sha256After?: string;
  added: number;
  removed: number;
}

export type AuditEvent =
  | SessionStartEvent
  | SessionEndEvent
  | SettingsChangedEvent
  | AuditRecoveredEvent
  | ModelRequestEvent
  | CompletionEvent
  | ProposalEvent
  | DecisionEvent
  | WriteEvent
  | AgentStartEvent
  | AgentStepEvent
  | AgentCommandEvent
  | AgentEndEvent
  | McpCallEvent
  | RestoreEvent
  | ChecksEvent;

export type AuditEventType = AuditEvent['type'];

/** One line of an audit file. */
export type AuditRecord = AuditEnvelope & AuditEvent;

/** The service started writing to this chain (at start, or when the audit was switched on or moved here). */
export interface SessionStartEvent extends AuditLinks {
  type: 'session.start';
  actor: 'service';
  version: string;
  pid: number;
  /** The LSP client, as it names itself in `initialize`. */
  client?: { name: string; version?: string };
  /** The workspace folders the client opened (URIs or paths). */
  folders: string[];
  /** Host (and port) of the chat endpoint; '' when none is configured. */
  endpointHost: string;
  model: string;
  completionEndpointHost: string;
  completionModel: string;
  /** The agent's policy as the settings give it (each agent task records the one it ran under). */
  policy: AuditPolicy;
  logContents: boolean;
  audit: { contents: AuditContents; directory: string; chain: number };
  reason: 'start' | 'auditEnabled' | 'directoryChanged';
}

export interface SessionEndEvent extends AuditLinks {
  type: 'session.end';
  actor: 'service';
  reason: 'shutdown' | 'exit' | 'auditDisabled' | 'directoryChanged';
  /** Events this session wrote to this chain, this one included. */
  events: number;
}

/** Tandem's own policy settings changed (endpoints, models, agent policy and lists, logging, the audit itself). */
export interface SettingsChangedEvent extends AuditLinks {
  type: 'settings.changed';
  actor: 'person';
  /** `setting` is the full name (`tandem.agent.approvalPolicy`); endpoints are given by host. */
  changes: Array<{ setting: string; from: unknown; to: unknown }>;
}

/** A line torn by a crash was found at the end of the chain; the chain continues after the last whole line. */
export interface AuditRecoveredEvent extends AuditLinks {
  type: 'audit.recovered';
  actor: 'service';
  /** The torn bytes: file name, 1-based line, size and SHA-256. */
  torn: { file: string; line: number; bytes: number; sha256: string };
}

export interface ModelRequestEvent extends AuditLinks, AuditContentRedaction {
  type: 'model.request';
  actor: 'person' | 'model';
  purpose: ModelPurpose;
  model: string;
  endpointHost: string;
  context: AuditContextItem[];
  /** Context the person attached that was not sent (secret, ignored or outside the workspace). */
  withheld?: string[];
  /**
   * Secrets replaced before sending, by kind and count (never the values); absent when none were found.
   * Also counts those the audit took out of `messages`, `answer` and `toolCalls` (per kind the larger count).
   */
  redactions?: AuditRedaction[];
  /** The model's count when it gave one, else absent. */
  tokens?: AuditTokens;
  /** Milliseconds to the first piece of the answer, and to its end. */
  ttftMs?: number;
  totalMs: number;
  attempts: number;
  outcome: 'ok' | 'cancelled' | 'error';
  finishReason?: string;
  /** The error's kind (`rateLimited`, `timeout`, …) when the outcome is `error`. */
  error?: string;
  /** Contents `all` only: the messages sent (for an agent turn: those added since the task's previous request). */
  messages?: Array<{ role: string; content: string }>;
  /** Contents `all` only: the answer's text (and, for an agent turn, its tool calls). */
  answer?: string;
  toolCalls?: Array<{ name: string; arguments: string }>;
}

/** An inline suggestion was shown, accepted, or partly accepted (`request` is its item id). */
export interface CompletionEvent extends AuditLinks, AuditContentRedaction {
  type: 'completion.shown' | 'completion.accepted' | 'completion.partiallyAccepted';
  actor: 'model' | 'person';
  path?: string;
  model?: string;
  /** Length of the suggestion, and how much of it was accepted. */
  chars?: number;
  acceptedChars?: number;
  /** Contents `all` only: the suggestion. */
  text?: string;
}

export interface ProposalEvent extends AuditLinks, AuditContentRedaction {
  type: 'proposal';
  actor: 'model' | 'person';
  origin: ProposalOrigin;
  format: EditFormat;
  title?: string;
  files: AuditProposalFile[];
  /** Contents `diffs` and `all`: the unified diff of every file (jsdiff's createTwoFilesPatch, `a/` and `b/` names). */
  diff?: string;
  /** Why `diff` is absent although contents allow it: too large, or the secret scan failed or was late. */
  diffOmitted?: 'tooLarge' | ContentOmission['reason'];
}

/** The person (or the policy) decided changes of a proposal. One event per file and outcome. */
export interface DecisionEvent extends AuditLinks {
  type: 'decision';
  actor: AuditActor;
  /** The review the proposal was shown in. */
  review: string;
  scope: DecisionScope;
  decision: DecisionOutcome;
  path: string;
  /** 0-based indices of the changes (hunks) of the file. */
  hunks: number[];
  /** Why changes were refused (they no longer fit the file). */
  reason?: string;
}

/** A change landed in the workspace (an open document, or a file created or deleted). */
export interface WriteEvent extends AuditLinks {
  type: 'write';
  actor: AuditActor;
  review?: string;
  path: string;
  moveTo?: string;
  operation: WriteOperation;
  /** SHA-256 of the file's text before (absent when created) and after (absent when deleted). */
  sha256Before?: string;
  sha256After?: string;
  bytes?: number;
}

export interface AgentStartEvent extends AuditLinks, AuditContentRedaction {
  type: 'agent.start';
  actor: 'person';
  model: string;
  endpointHost: string;
  policy: AuditPolicy;
  sandbox: { kind: SandboxKind; network: boolean };
  activeFile?: string;
  /** Contents `all` only: the task as the person wrote it. */
  prompt?: string;
}

/** A tool call of the model, once it ended. */
export interface AgentStepEvent extends AuditLinks {
  type: 'agent.step';
  actor: 'model';
  turn: number;
  tool: string;
  title: string;
  status: StepStatus;
  durationMs: number;
  /** The tool result sent back to the model. */
  sent: AuditDigest;
}

/** A command the agent asked to run, whatever became of it. `actor`: who let it run, or refused it. */
export interface AgentCommandEvent extends AuditLinks, AuditContentRedaction {
  type: 'agent.command';
  actor: AuditActor;
  command: string;
  cwd?: string;
  /** The policy's decision: run unasked (sandboxed), ask the person, refuse (deny list), or refuse (the task's test-run limit). */
  decision: 'run' | 'ask' | 'deny' | 'limit';
  reason?: string;
  approved: boolean;
  /** Whether it ran in the OS sandbox (as the editor reports). */
  sandboxed?: boolean;
  exitCode?: number;
  timedOut?: boolean;
  durationMs?: number;
  /** The command's output as the editor returned it. */
  output?: AuditDigest;
  /** Contents `all` only: the output as sent to the model (secrets of the workspace removed). */
  outputText?: string;
}

export interface AgentEndEvent extends AuditLinks {
  type: 'agent.end';
  actor: 'service';
  finishReason: string;
  steps: number;
  tokens: AuditTokens;
  error?: string;
}

/**
 * How an MCP tool call came to run, or not: `asked` (the person was asked
 * now; `answer` says what they chose), `allowedForTask` (they chose "Allow
 * for this task" earlier in the task), `alwaysAllowed` (the tool is in their
 * `tandem.mcp.alwaysAllow`), `refused` (it could not run before anyone was
 * asked: the server not ready, no such tool, no editor answer).
 */
export const MCP_CALL_APPROVALS = ['asked', 'allowedForTask', 'alwaysAllowed', 'refused'] as const;
export type McpCallApproval = (typeof MCP_CALL_APPROVALS)[number];

/**
 * A call of an MCP server's tool by the agent, whatever became of it
 * (docs/mcp.md). Arguments and result by digest; their text only at
 * contents `all`, scanned for secrets like every content field. `actor`:
 * `person` when it ran or was declined on the person's say (now, for the
 * task, or permanently), `service` when it could not run.
 */
export interface McpCallEvent extends AuditLinks, AuditContentRedaction {
  type: 'mcp.call';
  actor: AuditActor;
  server: string;
  tool: string;
  /** `user`: the person's `tandem.mcp.servers`; `workspace`: the repository's `.vscode/mcp.json`; `unknown`: the client did not say. */
  source: McpServerSource | 'unknown';
  approval: McpCallApproval;
  /** The person's answer, when asked. */
  answer?: McpAnswer;
  approved: boolean;
  /** The arguments as sent to the server (JSON). */
  arguments: AuditDigest;
  /** The result's text, or the error's, as the editor returned it (before redaction and truncation). */
  result?: AuditDigest;
  /** The call itself, as the editor timed it (not the asking). */
  durationMs?: number;
  /** Why it failed or did not run (`MCP_ERROR_CLASSES`); absent when it ran fine or the person declined. */
  error?: McpErrorClass;
  /** Contents `all` only: the arguments (JSON), and the result as sent to the model. */
  argumentsText?: string;
  resultText?: string;
}

/** "Restore to here": files put back to a checkpoint, files the agent created deleted. */
export interface RestoreEvent extends AuditLinks {
  type: 'restore';
  actor: AuditActor;
  files: Array<{ path: string; action: 'restored' | 'deleted'; sha256Before?: string; sha256After?: string }>;
}

/**
 * Checks ran on a proposal (docs/checks.md): the security checks on its added
 * lines, or the project's own checks in a temporary copy. One event per run;
 * `proposal` links it. Never carries a secret's value or a check's output.
 */
export interface ChecksEvent extends AuditLinks {
  type: 'checks';
  actor: 'service';
  /** The review the proposal is shown in, when there is one. */
  review?: string;
  stage: 'security' | 'project';
  /** Stage `security`: every finding (rule, severity, where). */
  findings?: Array<{ rule: string; severity: CheckSeverity; path: string; line: number }>;
  /** Stage `project`: each check and how it ended. */
  checks?: Array<{ name: string; kind: ProjectCheckKind; command: string; status: ProjectCheckStatus; exitCode?: number; durationMs: number; problems: number }>;
  durationMs: number;
}

/** Every event type, in the order docs/audit.md describes them. */
export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = [
  'session.start',
  'session.end',
  'settings.changed',
  'audit.recovered',
  'model.request',
  'completion.shown',
  'completion.accepted',
  'completion.partiallyAccepted',
  'proposal',
  'decision',
  'write',
  'agent.start',
  'agent.step',
  'agent.command',
  'agent.end',
  'mcp.call',
  'restore',
  'checks',
];
