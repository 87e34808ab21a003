import { isRecord } from '../shared/guards';
import type { ChatMessage, ChatParams, ContextItem } from '../shared/protocol';
import { CHAT_ROLES, CONTEXT_KINDS, isChatRole, isContextKind } from '../shared/vocabulary';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Checks tandem/chat params coming from the client (untrusted JSON) and
 * returns a clean copy: unknown fields are dropped. Pure.
 */
export function parseChatParams(input: unknown): Parsed<ChatParams> {
  if (!isRecord(input)) {
    return fail('params must be an object');
  }
  const { streamId, messages, context, model, withheld } = input;
  if (typeof streamId !== 'string' || streamId === '') {
    return fail('streamId must be a non-empty string');
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    return fail('messages must be a non-empty array');
  }
  const cleanMessages: ChatMessage[] = [];
  for (const [index, message] of (messages as unknown[]).entries()) {
    if (!isRecord(message) || !isChatRole(message.role) || typeof message.content !== 'string') {
      return fail(`messages[${index}] must be {role: ${quoted(CHAT_ROLES)}, content: string}`);
    }
    cleanMessages.push({ role: message.role, content: message.content });
  }
  if (cleanMessages[cleanMessages.length - 1]?.role !== 'user') {
    return fail('the last message must be the user’s question');
  }
  const cleanContext: ContextItem[] = [];
  if (context !== undefined && context !== null) {
    if (!Array.isArray(context)) {
      return fail('context must be an array');
    }
    for (const [index, item] of (context as unknown[]).entries()) {
      const parsed = parseContextItem(item);
      if (!parsed) {
        return fail(`context[${index}] must be {kind: ${quoted(CONTEXT_KINDS)}, path: string, text: string, ...}`);
      }
      cleanContext.push(parsed);
    }
  }
  if (model !== undefined && model !== null && typeof model !== 'string') {
    return fail('model must be a string');
  }
  const cleanWithheld = parseWithheld(withheld);
  if (cleanWithheld === undefined) {
    return fail(`withheld must be an array of at most ${MAX_WITHHELD} non-empty paths`);
  }
  const value: ChatParams = { streamId, messages: cleanMessages, context: cleanContext };
  if (typeof model === 'string' && model.trim() !== '') {
    value.model = model.trim();
  }
  if (cleanWithheld.length > 0) {
    value.withheld = cleanWithheld;
  }
  return { ok: true, value };
}

/** Bounds what a client can make the audit trail hold: these are only paths. */
const MAX_WITHHELD = 100;
const MAX_WITHHELD_PATH = 1024;

/** The paths, deduplicated; [] when absent; undefined when malformed. */
function parseWithheld(withheld: unknown): string[] | undefined {
  if (withheld === undefined || withheld === null) {
    return [];
  }
  if (!Array.isArray(withheld) || withheld.length > MAX_WITHHELD) {
    return undefined;
  }
  const paths = withheld as unknown[];
  if (!paths.every((path): path is string => typeof path === 'string' && path !== '' && path.length <= MAX_WITHHELD_PATH)) {
    return undefined;
  }
  return [...new Set(paths)];
}

function parseContextItem(item: unknown): ContextItem | undefined {
  if (!isRecord(item) || !isContextKind(item.kind)) {
    return undefined;
  }
  if (typeof item.path !== 'string' || typeof item.text !== 'string') {
    return undefined;
  }
  const result: ContextItem = { kind: item.kind, path: item.path, text: item.text };
  if (typeof item.languageId === 'string' && item.languageId !== '') {
    result.languageId = item.languageId;
  }
  if (isLine(item.startLine)) {
    result.startLine = item.startLine;
  }
  if (isLine(item.endLine)) {
    result.endLine = item.endLine;
  }
  return result;
}

/** `'a' | 'b'`: a vocabulary as the error messages spell it. */
function quoted(words: readonly string[]): string {
  return words.map((word) => `'${word}'`).join(' | ');
}

function isLine(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
