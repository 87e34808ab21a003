/**
 * What of a chat the webview gets with a `state`: a short chat whole; a long
 * one as its latest messages plus a stub (id, role, size) per earlier message,
 * whose content the webview asks for by position as it scrolls up. So opening,
 * reloading and every later state cost the same at any chat length.
 */
import { estimateTokens } from '../../shared/mentions';
import { estimateRows, MAX_PAGE_MESSAGES, type MessageStub, type ToWebview, type UiMessage } from '../../shared/webviewProtocol';

/** Up to this many characters a chat is sent whole (the webview renders such a chat at once too). */
export const WHOLE_CHAT_CHARS = 40_000;
/** A long chat's state carries this many latest messages with their content. */
export const TAIL_MESSAGES = 10;

export interface PagedMessages {
  messages: UiMessage[];
  older?: MessageStub[];
}

/** The messages a state carries (copies: later changes to the chat do not reach a posted state). */
export function pagedMessages(all: readonly UiMessage[]): PagedMessages {
  let chars = 0;
  for (const message of all) chars += message.text.length;
  const split = chars <= WHOLE_CHAT_CHARS ? 0 : Math.max(0, all.length - TAIL_MESSAGES);
  const messages = all.slice(split).map((message) => ({ ...message }));
  if (split === 0) return { messages };
  return { messages, older: all.slice(0, split).map(stub) };
}

/**
 * The messages at positions [start, end) for a `loadMessages`, clamped to the
 * chat and to MAX_PAGE_MESSAGES: whatever the webview asks, never more.
 * Empty for anything that is not a non-negative integer range.
 */
export function messagePage(all: readonly UiMessage[], start: unknown, end: unknown): UiMessage[] {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return [];
  const from = Math.max(0, start as number);
  const to = Math.min(all.length, end as number, from + MAX_PAGE_MESSAGES);
  return from < to ? all.slice(from, to).map((message) => ({ ...message })) : [];
}

/** The answer to a `loadMessages` for the shown chat: nothing for another chat's id or an empty range. */
export function answerLoad(shown: { id: string; messages: readonly UiMessage[] }, chatId: unknown, start: unknown, end: unknown): Extract<ToWebview, { type: 'messages' }> | undefined {
  if (chatId !== shown.id) return undefined;
  const messages = messagePage(shown.messages, start, end);
  return messages.length > 0 ? { type: 'messages', chatId: shown.id, start: start as number, messages } : undefined;
}

/**
 * What tells the transcript a state would carry apart from the last one posted.
 * Every path that changes messages posts them (a state, a messageUpdate, a
 * delta), so a status change can leave the transcript out when this is the same.
 */
export function transcriptKey(chat: { id: string; messages: readonly UiMessage[] }): string {
  const last = chat.messages.at(-1);
  return JSON.stringify([chat.id, chat.messages.length, last?.id, last?.text.length, last?.streaming, last?.stopped, last?.error?.kind, last?.steps?.length]);
}

function stub(message: UiMessage): MessageStub {
  return { id: message.id, role: message.role, rows: estimateRows(message.text), tokens: estimateTokens(message.text) };
}
