/**
 * What the completion engine knows about the cursor: the prefix and suffix
 * windows the model sees (the suffix window is also part of the cache key),
 * the cursor line, and how other files are shown as comments. Pure.
 *
 * Budgets are in tokens, estimated as characters / 4 (no setting: they are
 * sized for small local models, where a shorter prompt means a faster answer).
 */

/** Text before the cursor the model sees. */
export const PREFIX_TOKENS = 1200;
/** Text after the cursor the model sees. */
export const SUFFIX_TOKENS = 400;
/** Snippets of other recently used files. */
export const SNIPPET_TOKENS = 400;
/** The whole prompt: prefix + suffix + snippets (+ a few framing tokens). */
export const PROMPT_BUDGET_TOKENS = 2048;
export const CHARS_PER_TOKEN = 4;

export interface CompletionInput {
  uri: string;
  languageId: string;
  /** The whole document. */
  text: string;
  /** Offset of the cursor in `text`. */
  offset: number;
  /** 1 = invoked explicitly (no debounce), 2 = automatic (as LSP InlineCompletionTriggerKind). */
  triggerKind: 1 | 2;
  /** The editor's indentation for the document, when the client sends it. */
  formatting?: { tabSize: number; insertSpaces: boolean };
}

export interface CursorContext {
  uri: string;
  languageId: string;
  /** The document text and cursor offset (not copied). */
  text: string;
  offset: number;
  /** Up to PREFIX_TOKENS before the cursor, starting at a line start. */
  prefixWindow: string;
  /** Up to SUFFIX_TOKENS after the cursor, ending at a line end; also the cache key's suffix part. */
  suffixWindow: string;
  /** The cursor line before / after the cursor (without the line break). */
  linePrefix: string;
  rightText: string;
  /** The cursor line's leading whitespace. */
  lineIndent: string;
  eol: '\n' | '\r\n';
  /** Non-trivial text right of the cursor: the suggestion is a single line then. */
  singleLine: boolean;
  formatting?: { tabSize: number; insertSpaces: boolean };
}

/** Closers, quotes and separators an editor typically puts right of the cursor (auto-closing). */
const TRIVIAL_RIGHT = /^[\s)\]}>'"`;,.:]*$/;

/** Whether the text right of the cursor is more than auto-closed brackets, quotes and punctuation. */
export function isNonTrivialRight(rightText: string): boolean {
  return !TRIVIAL_RIGHT.test(rightText);
}

export function cursorContext(input: CompletionInput): CursorContext {
  const { text, offset } = input;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) {
    lineEnd = text.length;
  }
  const linePrefix = text.slice(lineStart, offset);
  const rightText = text.slice(offset, lineEnd).replace(/\r$/, '');
  const lineIndent = /^[ \t]*/.exec(linePrefix)?.[0] ?? '';
  return {
    uri: input.uri,
    languageId: input.languageId,
    text,
    offset,
    prefixWindow: prefixWindow(text, offset, PREFIX_TOKENS * CHARS_PER_TOKEN),
    suffixWindow: suffixWindow(text, offset, SUFFIX_TOKENS * CHARS_PER_TOKEN),
    linePrefix,
    rightText,
    lineIndent,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    singleLine: isNonTrivialRight(rightText),
    ...(input.formatting ? { formatting: input.formatting } : {}),
  };
}

/** The last `maxChars` before `offset`, from a line start (the cursor line is kept whole). */
export function prefixWindow(text: string, offset: number, maxChars: number): string {
  if (offset <= maxChars) {
    return text.slice(0, offset);
  }
  const start = offset - maxChars;
  const lineStart = text.indexOf('\n', start - 1) + 1;
  return text.slice(lineStart > 0 && lineStart <= offset ? lineStart : start, offset);
}

/** The first `maxChars` after `offset`, up to a line end (the cursor line is kept whole). */
export function suffixWindow(text: string, offset: number, maxChars: number): string {
  if (text.length - offset <= maxChars) {
    return text.slice(offset);
  }
  const end = offset + maxChars;
  const lineEnd = text.lastIndexOf('\n', end);
  return text.slice(offset, lineEnd > offset ? lineEnd + 1 : end);
}

/** The lines after the cursor line in the suffix window (for the duplicate-suffix rule). */
export function followingLines(suffix: string): string[] {
  const lines = suffix.replace(/\r\n/g, '\n').split('\n');
  return lines.slice(1);
}

const HASH_COMMENT = new Set([
  'python', 'ruby', 'shellscript', 'bash', 'sh', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell',
  'elixir', 'coffeescript', 'julia', 'nim', 'crystal', 'graphql', 'properties', 'cmake', 'terraform', 'hcl',
]);
const DASH_COMMENT = new Set(['sql', 'lua', 'haskell', 'elm', 'ada', 'vhdl']);
const SEMI_COMMENT = new Set(['clojure', 'lisp', 'scheme', 'racket', 'ini']);
const PERCENT_COMMENT = new Set(['latex', 'tex', 'matlab', 'erlang', 'prolog']);
const BLOCK_COMMENT: Readonly<Record<string, readonly [string, string]>> = {
  html: ['<!--', '-->'],
  xml: ['<!--', '-->'],
  markdown: ['<!--', '-->'],
  vue: ['<!--', '-->'],
  svelte: ['<!--', '-->'],
  css: ['/*', '*/'],
  scss: ['/*', '*/'],
  less: ['/*', '*/'],
};

/** Whether `#` starts a comment in the language (for the bracket scanner). */
export function usesHashComments(languageId: string): boolean {
  return HASH_COMMENT.has(languageId);
}

/** Lines as comments of the file's language (`//` when unknown). */
export function commentLines(lines: readonly string[], languageId: string): string {
  const block = BLOCK_COMMENT[languageId];
  if (block) {
    return `${block[0]}\n${lines.join('\n').split(block[1]).join('')}\n${block[1]}\n`;
  }
  const marker = HASH_COMMENT.has(languageId) ? '#' : DASH_COMMENT.has(languageId) ? '--' : SEMI_COMMENT.has(languageId) ? ';' : PERCENT_COMMENT.has(languageId) ? '%' : '//';
  return lines.map((line) => (line ? `${marker} ${line}` : marker)).join('\n') + '\n';
}

/** A document's path as shown to the model: relative to the workspace folder that holds it, else the URI's last segments. */
export function displayPath(uri: string, roots: readonly string[]): string {
  for (const root of roots) {
    const base = root.endsWith('/') ? root : `${root}/`;
    if (uri.startsWith(base)) {
      return safeDecode(uri.slice(base.length));
    }
  }
  const parts = uri.split(/[/\\]/).filter(Boolean);
  return safeDecode(parts.slice(-2).join('/')) || uri;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
