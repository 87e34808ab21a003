/**
 * Agent mode: the messages between the extension (client) and the model
 * service for a multi-step task. The loop runs in the service; tools that
 * need editor state (unsaved buffers, diagnostics, terminals, applying
 * edits, asking the person) run in the client, which the service calls
 * with server → client requests. Declared once here, imported by both sides,
 * documented in docs/protocol.md ("Agent mode").
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { CheckFinding, ProposalVerdict } from './checks';
import type { ChangeSet } from './edits';
import type { McpCall, McpCallResult, McpToolInfo } from './mcpProtocol';
import type { ChatError, ChatMessage, DataBoundaryReport, DiagnosticInfo, FileText, FinishReason, TokenUsage } from './protocol';
import type { AgentToolName, ApprovalPolicy, SandboxKind, StepStatus } from './vocabulary';

export type { AgentToolName, ApprovalPolicy, StepStatus } from './vocabulary';

export interface AgentSettings {
  policy: ApprovalPolicy;
  /** Most model turns per task. */
  maxSteps: number;
  /** Most tokens (prompt + completion, summed over the task's requests) per task. */
  maxTokens: number;
  /** Commands that run without asking under `full-auto` (each simple command of a chain must match). */
  allowCommands: string[];
  /** Commands that are refused without asking, whatever the policy. */
  denyCommands: string[];
  /** The project's test command ('' = find one: npm test, pytest, go test ./..., cargo test). */
  testCommand: string;
  /** Seconds a command may run before it is stopped. */
  commandTimeout: number;
  /** Most tool calls the model may make in one turn; calls beyond it are refused and the model is told so. */
  maxToolCallsPerTurn: number;
  /**
   * The OS sandbox the client runs commands in that run without asking
   * (reported by the client). With `none`, no command runs without asking.
   */
  sandbox: SandboxInfo;
}

/** What the client can sandbox commands with. */
export interface SandboxInfo {
  kind: SandboxKind;
  /** Sandboxed commands may use the network (setting `tandem.agent.sandbox.allowNetwork`). */
  network: boolean;
  /** Why there is no sandbox (kind `none`), for the chat header. */
  reason?: string;
}

export interface AgentRunParams {
  /** Chosen by the client: every notification and client request for this task carries it. */
  streamId: string;
  /** The conversation so far, ending with the person's task. */
  messages: ChatMessage[];
  /** Absolute path of the workspace folder: the agent reads and writes only under it. */
  root: string;
  /** The active editor's file (relative to root), for AGENTS.md lookup and context. */
  activeFile?: string;
  settings: AgentSettings;
  model?: string;
  /** The tools of the MCP servers that are ready (docs/mcp.md); the service names them `mcp__<server>__<tool>`. */
  mcpTools?: McpToolInfo[];
}

export interface AgentRunResult {
  /** The final answer (the `finish` summary, or the last text). */
  text: string;
  finishReason: FinishReason | 'stepLimit' | 'tokenLimit';
  model: string;
  steps: number;
  usage: TokenUsage;
  /** Tokens sent in each model request, in order (for the header and benchmarks). */
  promptTokensPerRequest: number[];
  error?: ChatError;
  /** Secrets redacted and items refused over the whole task (absent when nothing was). */
  boundary?: DataBoundaryReport;
}

/** Client → service: run an agent task. Cancel with $/cancelRequest (Stop). */
export namespace AgentRunRequest {
  export const method = 'tandem/agentRun';
  export const type = new RequestType<AgentRunParams, AgentRunResult, void>(method);
}

/** One tool call as the chat shows it (a card). Sent again whenever it changes. */
export interface AgentStep {
  id: string;
  /** 1-based model turn the call belongs to. */
  turn: number;
  /** `mcp`: a tool of an MCP server (the title names the server and the tool). */
  tool: AgentToolName | 'mcp';
  /** What, in a few words: "Read src/a.ts (lines 1–40)", "Run npm test". */
  title: string;
  /** Why, in the model's words, when it said. */
  why?: string;
  status: StepStatus;
  /** Result summary or live output (commands: head and tail kept). */
  output?: string;
  /** For edits: the change set proposed (the client opens it for review). */
  changeSet?: ChangeSet;
  /** For edits: the checks on the change set (docs/checks.md): the security findings, then the project's checks as the editor reported them. */
  verdict?: ProposalVerdict;
}

export interface AgentStepParams {
  streamId: string;
  step: AgentStep;
}

/** Service → client: a step started or changed. */
export namespace AgentStepNotification {
  export const method = 'tandem/agentStep';
  export const type = new NotificationType<AgentStepParams>(method);
}

export interface AgentProgressParams {
  streamId: string;
  /** Tokens used so far by the task (all requests), and what the last request sent. */
  usage: TokenUsage;
  lastPromptTokens: number;
  /** Estimated cost in USD when the model's price is known. */
  costUsd?: number;
}

/** Service → client: token use after each model request (the chat header shows it). */
export namespace AgentProgressNotification {
  export const method = 'tandem/agentProgress';
  export const type = new NotificationType<AgentProgressParams>(method);
}

/** What the service asks the client to do for a step. */
export type ClientToolCall =
  /** Unsaved editor buffers under root (the service reads the rest from disk). */
  | { kind: 'openBuffers' }
  | { kind: 'diagnostics'; paths?: string[] }
  /**
   * Ask the person when `needsApproval`, then run the command as a process
   * (never typed into an interactive shell), its output shown in the Tandem
   * Agent terminal. `sandboxed`: it runs without asking, so it must run in the
   * OS sandbox; a client that cannot do that asks the person instead.
   */
  | { kind: 'runCommand'; command: string; cwd?: string; timeoutSeconds: number; needsApproval: boolean; sandboxed: boolean; reason?: string }
  /** Show the change set for review (or apply it directly when `autoApply`), then report what landed. */
  /** `policy`: the approval policy in force, so the client's audit reports name it when it applies unasked. */
  /** `findings`: the service's security checks on the change set (the review shows them without asking again). */
  | { kind: 'applyChanges'; changeSet: ChangeSet; autoApply: boolean; policy?: ApprovalPolicy; findings?: CheckFinding[] }
  | { kind: 'askUser'; question: string }
  /** Ask before reading or sending something sensitive (a path outside root, an ignored file). */
  | { kind: 'approve'; title: string; detail: string }
  /** A tool of an MCP server (mcpProtocol.ts). */
  | McpCall;

export interface ClientToolParams {
  streamId: string;
  stepId: string;
  call: ClientToolCall;
}

export type ClientToolResult =
  | { kind: 'openBuffers'; files: FileText[] }
  | { kind: 'diagnostics'; diagnostics: Array<{ path: string; items: DiagnosticInfo[] }> }
  /** `allowForTask`: the person chose "Allow for this task": the same program runs without asking for the rest of the task. */
  | { kind: 'runCommand'; approved: boolean; exitCode?: number; output: string; timedOut?: boolean; reason?: string; allowForTask?: boolean }
  /**
   * `applied`: files that changed; `rejected`: what the person declined (with the reason given);
   * `verdict`: the checks as the review knew them when it ended (the project's checks that had finished).
   */
  | { kind: 'applyChanges'; applied: string[]; rejected: string[]; message: string; verdict?: ProposalVerdict }
  | { kind: 'askUser'; answer: string | undefined }
  | { kind: 'approve'; approved: boolean; allowForTask?: boolean }
  | McpCallResult;

/** Service → client: run a client-side tool for a step. */
export namespace ClientToolRequest {
  export const method = 'tandem/clientTool';
  export const type = new RequestType<ClientToolParams, ClientToolResult, void>(method);
}
