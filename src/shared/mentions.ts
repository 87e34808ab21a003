/**
 * `@`-mentions and `/` commands in the chat input: where one is being typed,
 * which complete ones a question holds, fuzzy ranking for the picker, and the
 * token estimate chips and the budget line show. Plain data (the webview
 * bundles this file).
 */
import { isMentionKind, isSlashCommand, type MentionKind, type SlashCommand } from './vocabulary';

/**
 * The prompt budget of a chat question, in tokens, when the model's context
 * window is not known (OpenAI-compatible endpoints do not report it). The
 * service assembles prompts to this budget; the chat shows the same figure.
 */
export const CHAT_BUDGET_TOKENS = 24_000;

/**
 * Token estimate used for chips and budgets: characters / 4, rounded up
 * (close for English and code with BPE tokenizers; the service trims to the
 * same figure, so what the chat shows is what it enforces).
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** "950", "1.2k", "24k": a token count for a chip or the budget line. */
export function formatTokens(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  const thousands = tokens / 1000;
  return `${thousands >= 10 ? Math.round(thousands) : Math.round(thousands * 10) / 10}k`;
}

/** Longest `@…` or `/…` token the picker follows; past it the person is not picking. */
export const MAX_TRIGGER_CHARS = 200;

/** What is being typed at the caret, for the picker. */
export type Trigger =
  /** `@fi`: choosing a kind (`query` filters the kinds). */
  | { type: 'kind'; start: number; query: string }
  /** `@file:src/ap`: choosing a file (or folder, symbol) of `kind`. */
  | { type: 'argument'; start: number; kind: MentionKind; query: string }
  /** `/ex` at the start of the input. */
  | { type: 'slash'; start: number; query: string };

/** Characters after which an `@` starts a mention: an `@` inside a word is an e-mail address or a decorator's argument. */
const OPENERS = new Set([' ', '\t', '\n', '\r', '(', '[', '{', '"', "'", '`', ',', ';']);

/**
 * The mention or command the caret is in, or undefined. `@` counts at the
 * start or after a space or opening bracket (never inside `a@b.com`), and
 * the token runs to the caret without whitespace.
 */
export function findTrigger(text: string, caret: number): Trigger | undefined {
  const before = text.slice(0, Math.max(0, Math.min(caret, text.length)));
  const tokenStart = Math.max(before.lastIndexOf(' '), before.lastIndexOf('\n'), before.lastIndexOf('\t'), before.lastIndexOf('\r')) + 1;
  const token = before.slice(tokenStart);
  if (token.length === 0 || token.length > MAX_TRIGGER_CHARS) return undefined;
  if (token.startsWith('/') && tokenStart === 0) {
    const query = token.slice(1);
    return /^[a-z]*$/i.test(query) ? { type: 'slash', start: 0, query } : undefined;
  }
  // The `@` may follow an opener inside the token: `(@file` or `"@problems`.
  const at = token.indexOf('@');
  if (at < 0 || (at > 0 && !OPENERS.has(token[at - 1] ?? ''))) return undefined;
  const start = tokenStart + at;
  const body = token.slice(at + 1);
  if (body.includes('@')) return undefined;
  const colon = body.indexOf(':');
  if (colon < 0) return /^[a-z]*$/i.test(body) ? { type: 'kind', start, query: body } : undefined;
  const kind = body.slice(0, colon).toLowerCase();
  return isMentionKind(kind) ? { type: 'argument', start, kind, query: body.slice(colon + 1) } : undefined;
}

/** A complete mention in a question (`@problems`, `@file:src/app.ts`). */
export interface Mention {
  kind: MentionKind;
  /** After the colon; empty for a kind alone. */
  argument: string;
  start: number;
  end: number;
}

/**
 * The mentions written out in `text`: `@kind` or `@kind:argument`, starting
 * where a mention may start and ending at whitespace or closing punctuation.
 * Unknown words (`@Override`, `@types/node`, `a@b.com`) are not mentions.
 */
export function mentionsIn(text: string): Mention[] {
  const found: Mention[] = [];
  const pattern = /@([a-z]+)(?::([^\s@]+))?/gi;
  for (const match of text.matchAll(pattern)) {
    const start = match.index;
    const previous = start > 0 ? text[start - 1] ?? '' : '';
    if (start > 0 && !OPENERS.has(previous)) continue;
    const word = match[1] ?? '';
    // Case matters: `@File` in prose or a Java annotation is not a mention.
    if (!isMentionKind(word)) continue;
    const end = start + match[0].length;
    // `@files` or `@problemsolving` are other words.
    const next = text[end] ?? '';
    if (/[\w-]/.test(next)) continue;
    let argument = match[2] ?? '';
    // A sentence's closing punctuation is not part of a path.
    const trailing = /[.,;:!?)\]}"'`]+$/.exec(argument);
    if (trailing) argument = argument.slice(0, trailing.index);
    found.push({ kind: word, argument, start, end: start + 1 + word.length + (argument ? argument.length + 1 : 0) });
  }
  return found;
}

/** The slash command the question is, when it is exactly one (`/explain`), or undefined. */
export function slashCommandOf(text: string): SlashCommand | undefined {
  const word = /^\/([a-z]+)\s*$/.exec(text.trim())?.[1];
  return word !== undefined && isSlashCommand(word) ? word : undefined;
}

/**
 * How well `query` matches `candidate` (higher is better), or undefined when
 * its characters do not all appear in order. Case-insensitive; a match at
 * the start, after a separator (`/ . _ -`, a space) or at a capital counts
 * more, and so do runs of consecutive characters, and matches in the last
 * path segment (a file's name over its folders).
 */
export function fuzzyScore(query: string, candidate: string): number | undefined {
  if (query.length === 0) return 0;
  if (query.length > candidate.length) return undefined;
  const lowerQuery = query.toLowerCase();
  const lowerCandidate = candidate.toLowerCase();
  const nameStart = Math.max(candidate.lastIndexOf('/'), candidate.lastIndexOf('\\')) + 1;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of lowerQuery) {
    const index = lowerCandidate.indexOf(char, from);
    if (index < 0) return undefined;
    const before = candidate[index - 1] ?? '';
    const atBoundary = index === 0 || /[\\/._\-\s:]/.test(before) || (/[a-z]/.test(before) && /[A-Z]/.test(candidate[index] ?? ''));
    score += 1 + (atBoundary ? 3 : 0) + (index === previous + 1 ? 2 : 0) + (index >= nameStart ? 1 : 0);
    previous = index;
    from = index + 1;
  }
  if (lowerCandidate.startsWith(lowerQuery)) score += 4;
  if (lowerCandidate.slice(nameStart).startsWith(lowerQuery)) score += 4;
  return score;
}

/** Candidates that match `query`, best first; ties keep the shorter, then the original order. */
export function rankByQuery<T>(query: string, candidates: readonly T[], text: (candidate: T) => string, limit = Number.POSITIVE_INFINITY): T[] {
  // No query: the caller's order (the picker's order of kinds, paths sorted).
  if (query.length === 0) return candidates.slice(0, limit);
  const scored: Array<{ candidate: T; score: number; length: number; index: number }> = [];
  candidates.forEach((candidate, index) => {
    const label = text(candidate);
    const score = fuzzyScore(query, label);
    if (score !== undefined) scored.push({ candidate, score, length: label.length, index });
  });
  scored.sort((a, b) => b.score - a.score || a.length - b.length || a.index - b.index);
  return scored.slice(0, limit).map((entry) => entry.candidate);
}
