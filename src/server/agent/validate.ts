/**
 * Checks tandem/agentRun params (untrusted JSON) and returns a clean copy with
 * settings defaulted and clamped. Pure.
 */
import path from 'node:path';
import type { AgentRunParams, AgentSettings, SandboxInfo } from '../../shared/agentProtocol';
import { AGENT_DEFAULTS, DEFAULT_ALLOW_COMMANDS, DEFAULT_DENY_COMMANDS } from '../../shared/defaults';
import { isRecord } from '../../shared/guards';
import { APPROVAL_POLICIES, isApprovalPolicy, isSandboxKind, SANDBOX_KINDS } from '../../shared/vocabulary';
import { parseChatParams, type Parsed } from '../validate';
import { parseMcpTools } from '../services/mcp/tools';

export const DEFAULT_AGENT_SETTINGS: Readonly<AgentSettings> = {
  policy: AGENT_DEFAULTS.approvalPolicy,
  maxSteps: AGENT_DEFAULTS.maxSteps,
  maxTokens: AGENT_DEFAULTS.maxTokens,
  allowCommands: [...DEFAULT_ALLOW_COMMANDS],
  denyCommands: [...DEFAULT_DENY_COMMANDS],
  testCommand: AGENT_DEFAULTS.testCommand,
  commandTimeout: AGENT_DEFAULTS.commandTimeout,
  maxToolCallsPerTurn: AGENT_DEFAULTS.maxToolCallsPerTurn,
  sandbox: { kind: 'none', network: false, reason: 'The editor did not report a sandbox.' },
};

export function parseAgentRunParams(input: unknown): Parsed<AgentRunParams> {
  if (!isRecord(input)) return { ok: false, error: 'params must be an object' };
  const chat = parseChatParams({ streamId: input.streamId, messages: input.messages, context: [], model: input.model });
  if (!chat.ok) return chat;
  const { root, activeFile } = input;
  if (typeof root !== 'string' || !path.isAbsolute(root)) return { ok: false, error: 'root must be an absolute path' };
  if (activeFile !== undefined && activeFile !== null && typeof activeFile !== 'string') return { ok: false, error: 'activeFile must be a string' };
  const settings = parseAgentSettings(input.settings);
  if (typeof settings === 'string') return { ok: false, error: settings };
  const value: AgentRunParams = { streamId: chat.value.streamId, messages: chat.value.messages, root: path.resolve(root), settings };
  if (typeof activeFile === 'string' && activeFile !== '') value.activeFile = activeFile;
  if (chat.value.model) value.model = chat.value.model;
  const mcpTools = parseMcpTools(input.mcpTools);
  if (mcpTools.length > 0) value.mcpTools = mcpTools;
  return { ok: true, value };
}

/** Missing fields take the defaults; wrong types are errors (a string). */
export function parseAgentSettings(input: unknown): AgentSettings | string {
  if (input === undefined || input === null) return { ...DEFAULT_AGENT_SETTINGS };
  if (!isRecord(input)) return 'settings must be an object';
  const out: AgentSettings = { ...DEFAULT_AGENT_SETTINGS };
  if (input.policy !== undefined) {
    if (!isApprovalPolicy(input.policy)) return `settings.policy must be one of ${APPROVAL_POLICIES.join(', ')}`;
    out.policy = input.policy;
  }
  for (const [key, min, max] of [
    ['maxSteps', 1, 500],
    ['maxTokens', 1_000, 100_000_000],
    ['commandTimeout', 1, 3_600],
    ['maxToolCallsPerTurn', 1, 64],
  ] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) return `settings.${key} must be a number`;
    out[key] = Math.min(max, Math.max(min, Math.floor(value)));
  }
  for (const key of ['allowCommands', 'denyCommands'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return `settings.${key} must be an array of strings`;
    out[key] = (value as string[]).map((item) => item.trim()).filter(Boolean);
  }
  if (input.sandbox !== undefined) {
    const sandbox = parseSandboxInfo(input.sandbox);
    if (typeof sandbox === 'string') return sandbox;
    out.sandbox = sandbox;
  }
  if (input.testCommand !== undefined) {
    if (typeof input.testCommand !== 'string') return 'settings.testCommand must be a string';
    out.testCommand = input.testCommand.trim();
  }
  return out;
}

function parseSandboxInfo(input: unknown): SandboxInfo | string {
  if (!isRecord(input)) return 'settings.sandbox must be an object';
  if (!isSandboxKind(input.kind)) return `settings.sandbox.kind must be one of ${SANDBOX_KINDS.join(', ')}`;
  if (input.network !== undefined && typeof input.network !== 'boolean') return 'settings.sandbox.network must be a boolean';
  if (input.reason !== undefined && typeof input.reason !== 'string') return 'settings.sandbox.reason must be a string';
  return {
    kind: input.kind,
    network: input.network === true,
    ...(typeof input.reason === 'string' && input.reason.trim() ? { reason: input.reason.trim().slice(0, 500) } : {}),
  };
}
