/**
 * The last screen of the chat, kept in the webview's own saved state
 * (`setState`), so a view reopened or reloaded shows it at once instead of
 * waiting for the extension to answer `ready`; the extension's state then
 * reconciles it by message id.
 *
 * What is kept is markdown (answers) and plain text (questions), never HTML:
 * it is rendered through the same sanitising renderer as everything else, and
 * read back as untrusted input (checked, capped) because the saved state
 * outlives this code. It is bounded: the newest messages that fit in
 * MAX_SAVED_CHARS, the oldest of them an answer cut to its last blocks when
 * it does not fit whole.
 */
import type { ChatRole } from '../../src/shared/vocabulary';
import { isRecord } from '../../src/shared/guards';
import { isChatRole } from '../../src/shared/vocabulary';
import { BlockSplitter } from './blocks';

/**
 * Most characters the saved transcript takes as JSON: a few screens of text,
 * not the chat (a screen of the chat in a sidebar shows about 1,200
 * characters of markdown). All of it renders before the last screen counts
 * as shown, so more only makes that later.
 */
export const MAX_SAVED_CHARS = 6_000;
/** An answer that does not fit whole is kept from a block boundary when at least this much room is left (it fills the screen above). */
const MIN_TAIL_CHARS = 1_000;
const MAX_ID_CHARS = 200;

export interface SavedMessage {
  id: string;
  role: ChatRole;
  /** Markdown (answers) or plain text (questions); an answer cut to its end: its last blocks. */
  text: string;
  /** Characters cut from the start of the answer (absent: the whole message). */
  omitted?: number;
}

export interface SavedTranscript {
  chatId: string;
  /** Oldest first; the chat's newest messages. */
  messages: SavedMessage[];
}

/** What a message view shows, for `shapeSaved`. */
export interface ShownMessage {
  id: string;
  role: ChatRole;
  text: string;
  omitted?: number;
}

/**
 * The saved transcript for a chat showing `newestFirst` (its messages from
 * the newest back, stopping at the first one not loaded); undefined when
 * there is nothing worth keeping (an empty chat, or a last block too long).
 */
export function shapeSaved(chatId: string, newestFirst: Iterable<ShownMessage>): SavedTranscript | undefined {
  if (chatId.length > MAX_ID_CHARS) {
    return undefined;
  }
  const overhead = JSON.stringify({ chatId, messages: [] }).length;
  let used = overhead;
  const kept: SavedMessage[] = [];
  for (const shown of newestFirst) {
    if (shown.id.length > MAX_ID_CHARS) {
      break;
    }
    const whole: SavedMessage = shown.omitted ? { id: shown.id, role: shown.role, text: shown.text, omitted: shown.omitted } : { id: shown.id, role: shown.role, text: shown.text };
    const cost = JSON.stringify(whole).length + 1;
    if (used + cost <= MAX_SAVED_CHARS) {
      kept.push(whole);
      used += cost;
      continue;
    }
    if (shown.role === 'assistant' && (kept.length === 0 || MAX_SAVED_CHARS - used >= MIN_TAIL_CHARS)) {
      // Its end is on the last screen (above what is kept, or all of it for the newest answer).
      const tail = tailWithin(shown.text, MAX_SAVED_CHARS - used - JSON.stringify({ ...whole, text: '', omitted: shown.text.length }).length - 1);
      if (tail !== undefined && tail.length > 0) {
        kept.push({ id: shown.id, role: shown.role, text: tail, omitted: (shown.omitted ?? 0) + shown.text.length - tail.length });
      }
    }
    break;
  }
  return kept.length > 0 ? { chatId, messages: kept.reverse() } : undefined;
}

/**
 * The longest end of `text` that starts at a markdown block boundary and
 * whose JSON takes at most `budget` characters (rendered alone, its blocks
 * render as they do within the whole answer, which is rendered block by
 * block too); undefined when even the last block is longer.
 */
export function tailWithin(text: string, budget: number): string | undefined {
  if (budget <= 0) {
    return undefined;
  }
  const starts = [0];
  let offset = 0;
  for (const block of new BlockSplitter().push(text)) {
    if (!text.startsWith(block, offset)) {
      // Not the exact pieces of the text: no boundary can be trusted.
      return undefined;
    }
    offset += block.length;
    starts.push(offset);
  }
  for (const start of starts) {
    const tail = text.slice(start);
    if (JSON.stringify(tail).length <= budget) {
      return tail;
    }
  }
  return undefined;
}

/**
 * The saved transcript in `value` (from `getState`), checked field by field
 * and copied with only what the view uses; undefined when anything is off or
 * it is over the cap.
 */
export function readSaved(value: unknown): SavedTranscript | undefined {
  if (!isRecord(value) || typeof value.chatId !== 'string' || value.chatId.length > MAX_ID_CHARS || !Array.isArray(value.messages)) {
    return undefined;
  }
  const ids = new Set<string>();
  const messages: SavedMessage[] = [];
  for (const item of value.messages as unknown[]) {
    if (!isRecord(item) || typeof item.id !== 'string' || item.id.length > MAX_ID_CHARS || ids.has(item.id) || !isChatRole(item.role) || typeof item.text !== 'string') {
      return undefined;
    }
    const omitted = item.omitted;
    if (omitted !== undefined && (!Number.isSafeInteger(omitted) || (omitted as number) <= 0 || item.role !== 'assistant')) {
      return undefined;
    }
    ids.add(item.id);
    messages.push(omitted === undefined ? { id: item.id, role: item.role, text: item.text } : { id: item.id, role: item.role, text: item.text, omitted: omitted as number });
  }
  const saved: SavedTranscript = { chatId: value.chatId, messages };
  return messages.length > 0 && JSON.stringify(saved).length <= MAX_SAVED_CHARS ? saved : undefined;
}
