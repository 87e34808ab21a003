/**
 * The closed word lists of the protocols and settings, each declared once:
 * the type and the runtime check both come from the list, so a word added
 * here is accepted everywhere at once. package.json's enums are compared
 * with these lists by test/unit/settingsManifest.test.ts. Only plain data
 * here (and `guards`): the webview bundles this file, so it must not pull in
 * the LSP libraries the protocol modules import.
 */
import { oneOf } from './guards';

/** How much the agent may do without asking (setting `tandem.agent.approvalPolicy`). */
export const APPROVAL_POLICIES = ['ask', 'auto-edit', 'full-auto'] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];
export const isApprovalPolicy = oneOf(APPROVAL_POLICIES);

/** Where an agent step stands, as its card shows it. */
export const STEP_STATUSES = ['running', 'waiting', 'done', 'failed', 'rejected', 'refused'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const isStepStatus = oneOf(STEP_STATUSES);

/** The person's decision on a step that waits for approval (`alwaysAllow`: an MCP tool, added to the person's `tandem.mcp.alwaysAllow`). */
export const APPROVAL_ANSWERS = ['approve', 'reject', 'allowForTask', 'alwaysAllow'] as const;
export type ApprovalAnswer = (typeof APPROVAL_ANSWERS)[number];
export const isApprovalAnswer = oneOf(APPROVAL_ANSWERS);

/** The buttons of a step card: a decision, "Restore to here" or "Review". */
export const STEP_ACTIONS = [...APPROVAL_ANSWERS, 'restore', 'review'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];
export const isStepAction = oneOf(STEP_ACTIONS);

/** What the client can sandbox commands with. */
export const SANDBOX_KINDS = ['bubblewrap', 'seatbelt', 'none'] as const;
export type SandboxKind = (typeof SANDBOX_KINDS)[number];
export const isSandboxKind = oneOf(SANDBOX_KINDS);

/** The prompt style for inline completions (`tandem.completions.template`); `auto` chooses from the model name. */
export const COMPLETION_TEMPLATES = ['auto', 'suffix', 'chat', 'qwen', 'deepseek', 'starcoder', 'codellama', 'codestral'] as const;
export type CompletionTemplate = (typeof COMPLETION_TEMPLATES)[number];
export const isCompletionTemplate = oneOf(COMPLETION_TEMPLATES);

/** What happened to an inline suggestion (`tandem/completionEvent`). */
export const COMPLETION_EVENT_KINDS = ['shown', 'accepted', 'partiallyAccepted'] as const;
export type CompletionEventKind = (typeof COMPLETION_EVENT_KINDS)[number];
export const isCompletionEventKind = oneOf(COMPLETION_EVENT_KINDS);

/** What the person asked Tandem to do to their code. */
export const EDIT_TASKS = ['refactor', 'fix', 'tests', 'docs', 'inline'] as const;
export type EditTask = (typeof EDIT_TASKS)[number];
export const isEditTask = oneOf(EDIT_TASKS);

/** The one thing the person can do about an error; the client renders it as a button. */
export const ERROR_ACTIONS = ['setApiKey', 'pickModel', 'retry', 'openSettings', 'showLog', 'manageTrust', 'useBuiltInModel'] as const;
export type ErrorAction = (typeof ERROR_ACTIONS)[number];
export const isErrorAction = oneOf(ERROR_ACTIONS);

/** Who wrote a message of a conversation. */
export const CHAT_ROLES = ['user', 'assistant'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];
export const isChatRole = oneOf(CHAT_ROLES);

/**
 * What a piece of editor context (a chip in the chat) is. `path` of a
 * `problems`/`changes`/`symbol`/`codebase` item is the file it is about (so
 * the data boundary checks that file); `terminal` items name the terminal;
 * `mcp` items are `mcp://<server>/<uri>` (a resource) or
 * `mcp://<server>/prompt/<name>`, which the boundary checks by name only.
 */
export const CONTEXT_KINDS = ['file', 'selection', 'folder', 'symbol', 'problems', 'changes', 'terminal', 'codebase', 'mcp'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];
export const isContextKind = oneOf(CONTEXT_KINDS);

/** What `@` in the chat input can attach, in the picker's order. */
export const MENTION_KINDS = ['file', 'folder', 'symbol', 'problems', 'changes', 'terminal', 'codebase', 'mcp'] as const;
export type MentionKind = (typeof MENTION_KINDS)[number];
export const isMentionKind = oneOf(MENTION_KINDS);

/** What `/` at the start of the chat input runs (the right-click tasks, on the current selection or file). */
export const SLASH_COMMANDS = ['explain', 'fix', 'tests', 'docs'] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];
export const isSlashCommand = oneOf(SLASH_COMMANDS);

/** How bad a problem the editor reports is, in the order of VS Code's `DiagnosticSeverity` (0 = error … 3 = hint). */
export const DIAGNOSTIC_SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type DiagnosticSeverity = (typeof DIAGNOSTIC_SEVERITIES)[number];
export const isDiagnosticSeverity = oneOf(DIAGNOSTIC_SEVERITIES);

/** The agent's tools, as the model calls them and the step cards name them. */
export const AGENT_TOOL_NAMES = ['read_file', 'list_dir', 'find_files', 'search_text', 'search_codebase', 'apply_patch', 'create_file', 'get_diagnostics', 'run_command', 'ask_user', 'finish'] as const;
export type AgentToolName = (typeof AGENT_TOOL_NAMES)[number];
export const isAgentToolName = oneOf(AGENT_TOOL_NAMES);

/** What the person is asked to decide for a step (the buttons its card shows). */
export const APPROVAL_KINDS = ['command', 'edit', 'path', 'question', 'mcp'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
export const isApprovalKind = oneOf(APPROVAL_KINDS);

/** Ask: answers only. Agent: plans and uses tools, under the approval policy. */
export const CHAT_MODES = ['ask', 'agent'] as const;
export type ChatMode = (typeof CHAT_MODES)[number];
export const isChatMode = oneOf(CHAT_MODES);

/** What the audit trail keeps of contents (`tandem.audit.contents`): hashes only, also the proposals' diffs, also prompts and answers. */
export const AUDIT_CONTENTS = ['none', 'diffs', 'all'] as const;
export type AuditContents = (typeof AUDIT_CONTENTS)[number];
export const isAuditContents = oneOf(AUDIT_CONTENTS);

/**
 * Who caused an audit event: the person, the agent's approval policy acting
 * for them, the model, or the service itself (sessions, recovery).
 */
export const AUDIT_ACTORS = ['person', 'policy:ask', 'policy:auto-edit', 'policy:full-auto', 'model', 'service'] as const;
export type AuditActor = (typeof AUDIT_ACTORS)[number];
export const isAuditActor = oneOf(AUDIT_ACTORS);

/** The actors the extension may name when it reports a decision, a write or a restore. */
export const CLIENT_AUDIT_ACTORS = ['person', 'policy:auto-edit', 'policy:full-auto'] as const;
export type ClientAuditActor = (typeof CLIENT_AUDIT_ACTORS)[number];
export const isClientAuditActor = oneOf(CLIENT_AUDIT_ACTORS);

/** What a decision on a proposal covered: one change (hunk), a file, or the whole set. */
export const DECISION_SCOPES = ['change', 'file', 'set'] as const;
export type DecisionScope = (typeof DECISION_SCOPES)[number];
export const isDecisionScope = oneOf(DECISION_SCOPES);

/** How changes of a proposal were decided: `refused` when they no longer fit the file. */
export const DECISION_OUTCOMES = ['accepted', 'rejected', 'refused'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];
export const isDecisionOutcome = oneOf(DECISION_OUTCOMES);

/** What an applied write did to a file. */
export const WRITE_OPERATIONS = ['edit', 'create', 'delete'] as const;
export type WriteOperation = (typeof WRITE_OPERATIONS)[number];
export const isWriteOperation = oneOf(WRITE_OPERATIONS);

/** Where a proposal came from: an edit task, Apply on a chat code block, an agent step, another extension (API). */
export const PROPOSAL_ORIGINS = [...EDIT_TASKS, 'chatApply', 'agent', 'api'] as const;
export type ProposalOrigin = (typeof PROPOSAL_ORIGINS)[number];
export const isProposalOrigin = oneOf(PROPOSAL_ORIGINS);

/** What a model request was for. */
export const MODEL_PURPOSES = ['chat', 'completion', 'edit', 'agent', 'embeddings'] as const;
export type ModelPurpose = (typeof MODEL_PURPOSES)[number];
export const isModelPurpose = oneOf(MODEL_PURPOSES);
