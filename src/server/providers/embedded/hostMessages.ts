/**
 * The messages between the service (engineHost.ts) and the built-in model's
 * engine process (hostProcess.ts). Each side checks what it receives. The
 * service trusts nothing from the engine's process: it parses a model file
 * that may be hostile with native code, so a message of another shape, an
 * answer to a request it did not make, or a number out of range ends that
 * process (the requests in flight fail saying so), never reaches a caller.
 */
import type { FinishReason, TokenUsage } from '../../../shared/protocol';
import { isRecord } from '../../../shared/guards';
import type { EmbeddedFailure } from './errors';
import type { PlainMessage, ToolDefinition, ToolMessage } from './history';
import type { EmbeddedCompletionBody, LoadedInfo } from './runtime';

/** What the engine's process is started with (its first message). */
export interface HostStart {
  threads: number;
  gpu: 'auto' | false;
  engineFrom?: string;
  maxAnswerTokens?: number;
  seed?: number;
}

/** The service to the engine's process. Requests carry an id their answer repeats. */
export type ToHost =
  | { kind: 'start'; options: HostStart }
  | { kind: 'load'; id: number; modelPath: string; contextSize?: number }
  | { kind: 'chat'; id: number; messages: PlainMessage[] }
  | { kind: 'turn'; id: number; messages: ToolMessage[]; tools: ToolDefinition[] }
  | { kind: 'complete'; id: number; body: EmbeddedCompletionBody; timeoutMs: number }
  | { kind: 'budget'; id: number }
  | { kind: 'count'; id: number; texts: string[] }
  | { kind: 'cancel'; id: number };

/** How a request ended in the engine's process, when it did not answer. */
export type HostFailure = EmbeddedFailure | 'cancelled' | 'timeout' | 'other';

export interface HostResult {
  finishReason: FinishReason;
  usage: TokenUsage;
  text?: string;
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
}

/** The engine's process to the service. */
export type FromHost =
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { kind: 'loaded'; id: number; info: LoadedInfo }
  | { kind: 'text'; id: number; text: string }
  | { kind: 'done'; id: number; result: HostResult }
  | { kind: 'budget'; id: number; tokens: number; messageOverhead: number }
  | { kind: 'counts'; id: number; counts: number[] }
  | { kind: 'failed'; id: number; failure: HostFailure; message: string; timeoutSeconds?: number };

/** Longest text one message may carry (a log line, an error, a streamed piece); more is a broken or hostile process. */
export const MAX_TEXT = 1_000_000;
const MAX_NAME = 1_000;
const FAILURES: readonly HostFailure[] = ['engineMissing', 'modelFile', 'loadFailed', 'noFunctionCalling', 'contextFull', 'cancelled', 'timeout', 'other'];
const FINISH_REASONS: readonly FinishReason[] = ['stop', 'length', 'tool_calls'];

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
const isText = (value: unknown, max = MAX_TEXT): value is string => typeof value === 'string' && value.length <= max;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value < 2 ** 31;
const isOneOf = <T extends string>(value: unknown, list: readonly T[]): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);

function isUsage(value: unknown): value is TokenUsage {
  return isRecord(value) && isCount(value.promptTokens) && isCount(value.completionTokens) && isCount(value.totalTokens) && value.totalTokens === value.promptTokens + value.completionTokens;
}

function isToolCall(value: unknown): value is { id: string; name: string; arguments: string } {
  return isRecord(value) && isText(value.id, MAX_NAME) && isText(value.name, MAX_NAME) && isText(value.arguments);
}

function isResult(value: unknown): value is HostResult {
  return (
    isRecord(value) &&
    isOneOf(value.finishReason, FINISH_REASONS) &&
    isUsage(value.usage) &&
    (value.text === undefined || isText(value.text)) &&
    (value.toolCalls === undefined || (Array.isArray(value.toolCalls) && value.toolCalls.length <= 128 && value.toolCalls.every(isToolCall)))
  );
}

function isInfo(value: unknown): value is LoadedInfo {
  return (
    isRecord(value) &&
    isText(value.name, MAX_NAME) &&
    isCount(value.contextSize) &&
    value.contextSize > 0 &&
    isCount(value.threads) &&
    (value.gpu === false || isText(value.gpu, MAX_NAME)) &&
    typeof value.fim === 'boolean' &&
    typeof value.functionCalling === 'boolean' &&
    isText(value.chatTemplate, MAX_NAME) &&
    typeof value.loadMs === 'number' &&
    Number.isFinite(value.loadMs) &&
    value.loadMs >= 0
  );
}

export function isFromHost(value: unknown): value is FromHost {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'log':
      return isOneOf(value.level, ['info', 'warn', 'error'] as const) && isText(value.message, 20_000);
    case 'loaded':
      return isId(value.id) && isInfo(value.info);
    case 'text':
      return isId(value.id) && isText(value.text) && value.text.length > 0;
    case 'done':
      return isId(value.id) && isResult(value.result);
    case 'budget':
      return isId(value.id) && isCount(value.tokens) && isCount(value.messageOverhead);
    case 'counts':
      return isId(value.id) && Array.isArray(value.counts) && value.counts.every(isCount);
    case 'failed':
      return isId(value.id) && isOneOf(value.failure, FAILURES) && isText(value.message, 20_000) && (value.timeoutSeconds === undefined || (typeof value.timeoutSeconds === 'number' && Number.isFinite(value.timeoutSeconds) && value.timeoutSeconds >= 0));
    default:
      return false;
  }
}

function isMessage(value: unknown): boolean {
  return isRecord(value) && isOneOf(value.role, ['system', 'user', 'assistant', 'tool'] as const) && (value.content === null || typeof value.content === 'string');
}

function isStart(value: unknown): value is HostStart {
  return (
    isRecord(value) &&
    isCount(value.threads) &&
    (value.gpu === 'auto' || value.gpu === false) &&
    (value.engineFrom === undefined || typeof value.engineFrom === 'string') &&
    (value.maxAnswerTokens === undefined || isCount(value.maxAnswerTokens)) &&
    (value.seed === undefined || typeof value.seed === 'number')
  );
}

/** The service is trusted more than the engine, but a shape mistake must still show as an error, not a hang. */
export function isToHost(value: unknown): value is ToHost {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'start':
      return isStart(value.options);
    case 'load':
      return isId(value.id) && typeof value.modelPath === 'string' && (value.contextSize === undefined || isCount(value.contextSize));
    case 'chat':
      return isId(value.id) && Array.isArray(value.messages) && value.messages.every(isMessage);
    case 'turn':
      return isId(value.id) && Array.isArray(value.messages) && value.messages.every(isMessage) && Array.isArray(value.tools) && value.tools.every((tool) => isRecord(tool) && isRecord(tool.function));
    case 'complete':
      return isId(value.id) && isRecord(value.body) && (value.body.kind === 'completions' || value.body.kind === 'chat') && isCount(value.body.maxTokens) && isCount(value.timeoutMs);
    case 'budget':
    case 'cancel':
      return isId(value.id);
    case 'count':
      return isId(value.id) && Array.isArray(value.texts) && value.texts.every((text) => typeof text === 'string');
    default:
      return false;
  }
}
