/**
 * MCP servers' tools in agent mode (docs/mcp.md). The servers run in the
 * extension (it owns the OS sandbox, the person's approvals and the secret
 * storage); the service offers their tools to the model and runs each call
 * through the client (`mcpCall`, a ClientToolCall of agentProtocol.ts).
 * Everything here came from a server: hostile text, checked on both sides.
 * Plain data only: the webview may import it.
 */

/** The prefix of every MCP tool's name as the model sees it: `mcp__<server>__<tool>`. */
export const MCP_TOOL_PREFIX = 'mcp__';

/** What the step card calls an MCP tool call (AgentStep.tool). */
export const MCP_STEP_TOOL = 'mcp';

/** Caps on what a server may advertise (longer descriptions are cut, larger schemas replaced by a plain object). */
export const MCP_LIMITS = {
  /** Tools per server offered to the model. */
  toolsPerServer: 64,
  /** Tools over all servers. */
  toolsTotal: 128,
  descriptionChars: 1_000,
  /** The input schema as JSON. */
  schemaChars: 8_000,
  /** A tool call's result as text, before the service's own truncation. */
  resultChars: 200_000,
  /** A server's or tool's original name. */
  nameChars: 128,
} as const;

/** Where a server's entry came from: the person's `tandem.mcp.servers`, or the repository's `.vscode/mcp.json`. */
export const MCP_SOURCES = ['user', 'workspace'] as const;
export type McpServerSource = (typeof MCP_SOURCES)[number];

/**
 * Why a call failed or did not run, in a word (the audit trail's `error`):
 * not run — `notReady`, `noTool`, `unavailable` (no MCP servers in this
 * editor), `noAnswer` (the editor gave no usable answer); ran and failed —
 * `timeout`, `stopped` (Stop), `crashed` (the server exited or closed the
 * connection), `malformed` (an answer that is not a valid result),
 * `toolError` (the tool reported an error itself).
 */
export const MCP_ERROR_CLASSES = ['notReady', 'noTool', 'unavailable', 'noAnswer', 'timeout', 'stopped', 'crashed', 'malformed', 'toolError'] as const;
export type McpErrorClass = (typeof MCP_ERROR_CLASSES)[number];
export const isMcpErrorClass = (value: unknown): value is McpErrorClass => typeof value === 'string' && (MCP_ERROR_CLASSES as readonly string[]).includes(value);

/** The person's answer when a call was asked for (`alwaysAllow` also added the tool to `tandem.mcp.alwaysAllow`). */
export const MCP_ANSWERS = ['approve', 'allowForTask', 'alwaysAllow', 'reject'] as const;
export type McpAnswer = (typeof MCP_ANSWERS)[number];
export const isMcpAnswer = (value: unknown): value is McpAnswer => typeof value === 'string' && (MCP_ANSWERS as readonly string[]).includes(value);

/** One tool of a ready server, as the extension passes it to the service for a task. */
export interface McpToolInfo {
  /** The server's name in its configuration. */
  server: string;
  /** Where the server's entry came from (absent from an older client: the audit says `unknown`). */
  source?: McpServerSource;
  /** The tool's name as the server gave it. */
  tool: string;
  description: string;
  /** JSON Schema of the arguments (an object schema; anything else is replaced). */
  inputSchema: Record<string, unknown>;
  /** The person allowed this tool permanently (setting `tandem.mcp.alwaysAllow`): calls run without asking. */
  alwaysAllow?: boolean;
}

/** Service → client: call a tool of an MCP server (asking the person first when `needsApproval`). */
export interface McpCall {
  kind: 'mcpCall';
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
  needsApproval: boolean;
  /** Seconds before the call is given up (and cancelled on the server). */
  timeoutSeconds: number;
}

/**
 * The outcome. `approved: false`: it did not run (`reason` says why: declined, server not ready).
 * `error`: it ran and failed (the server crashed, timed out, answered malformed, or the tool reported an error).
 * `text`: the result's content as text (images and binary resources as a one-line note).
 */
export interface McpCallResult {
  kind: 'mcpCall';
  approved: boolean;
  allowForTask?: boolean;
  text?: string;
  error?: string;
  reason?: string;
  /** The person's answer, when the call was asked for. */
  answer?: McpAnswer;
  /** With `error`, or with `approved: false` when it did not run for a reason other than the person's answer. */
  errorClass?: McpErrorClass;
  /** How long the call itself took in the client (not the asking), in milliseconds; absent when it did not run. */
  durationMs?: number;
}

/** Where a server stands, as the MCP Servers view shows it. */
export const MCP_SERVER_STATES = ['awaitingApproval', 'starting', 'ready', 'failed', 'stopped', 'disabled', 'blocked'] as const;
export type McpServerState = (typeof MCP_SERVER_STATES)[number];
