/**
 * Turns a model's raw answer into a suggestion, or '' for none. Each rule is
 * a small pure function (tested one by one); `postProcess` applies them in
 * order. Text here uses '\n' line breaks.
 */
import { closableBrackets, cutAtUnmatchedClosing, hasUnmatchedClosing } from './brackets';
import { convertIndentation, indentWidth, type IndentStyle } from './indentation';
import { CURSOR_MARK, SPECIAL_TOKENS, type ConcreteTemplate } from './templates';

/** Rule: a special token that leaked through (e.g. `<|endoftext|>`) ends the suggestion. */
export function cutAtSpecialTokens(text: string): string {
  let end = text.length;
  for (const token of SPECIAL_TOKENS) {
    const at = text.indexOf(token);
    if (at >= 0 && at < end) {
      end = at;
    }
  }
  return text.slice(0, end);
}

/** Rule (chat): the content of the first fenced code block, or of a whole answer in single backticks. */
export function stripFences(text: string): string {
  const fenced = /(^|\n)[ \t]*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)(\n[ \t]*\2[ \t]*(\n|$)|$)/.exec(text);
  if (fenced) {
    return fenced[3] ?? '';
  }
  const inline = /^\s*`([^`\n]+)`\s*$/.exec(text);
  return inline ? (inline[1] ?? '') : text;
}

/** Rule (chat): the answer repeats the last (up to 3) lines before the cursor: keep only what follows them. */
export function stripEchoedPrefix(text: string, prefix: string): string {
  const answer = text.replace(/^\s*\n/, '');
  const lines = prefix.split('\n');
  for (let count = Math.min(3, lines.length); count >= 1; count--) {
    const echoed = lines.slice(-count).join('\n').trimStart();
    if (echoed.trim().length >= 3 && answer.trimStart().startsWith(echoed)) {
      return answer.trimStart().slice(echoed.length);
    }
  }
  // The cursor sits after the line's indentation and the answer starts with it again.
  const indent = lines[lines.length - 1] ?? '';
  return indent && !indent.trim() && answer.startsWith(indent) ? answer.slice(indent.length) : text;
}

/** Rule: an answer cut by the token limit loses its last, unfinished line (a one-line answer is kept). */
export function dropTruncatedLastLine(text: string, finishReason: string): string {
  const lastBreak = text.lastIndexOf('\n');
  return finishReason === 'length' && lastBreak >= 0 ? text.slice(0, lastBreak) : text;
}

/** Rule: only the first line (when text sits right of the cursor). */
export function firstLineOnly(text: string): string {
  const lineBreak = text.indexOf('\n');
  return lineBreak < 0 ? text : text.slice(0, lineBreak);
}

/** Rule: a one-line suggestion does not re-insert the text right of the cursor. */
export function stripRightText(text: string, rightText: string): string {
  const right = rightText.trim();
  const trimmed = text.trimEnd();
  return right && trimmed.endsWith(right) ? trimmed.slice(0, trimmed.length - right.length) : text;
}

/**
 * Rule: a multi-line suggestion stops at its first blank line, and at the
 * first line indented less than the cursor line — except a line starting with
 * a closing bracket (one that survived the bracket rule matches), which is
 * kept as the last line.
 */
export function stopAtBlankLineOrDedent(text: string, cursorIndent: string, tabSize: number): string {
  const lines = text.split('\n');
  const base = indentWidth(cursorIndent, tabSize);
  const kept = [lines[0] ?? ''];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.trim()) {
      break;
    }
    const width = indentWidth(/^[ \t]*/.exec(line)?.[0] ?? '', tabSize);
    if (width < base) {
      if (/^[)\]}]/.test(line.trim())) {
        kept.push(line);
      }
      break;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

/** A line that is nothing but brackets and punctuation says little on its own. */
function isTrivialLine(line: string): boolean {
  return /^[\s)\]}([{;,.]*$/.test(line);
}

/**
 * Rule: the suggestion must not repeat the lines after the cursor. From the
 * first of its lines (after the first) where it starts repeating them, the
 * rest is dropped: lines with content compare without indentation; lines that
 * are only brackets and punctuation must match exactly (indentation too) and
 * are dropped only as the suggestion's tail.
 */
export function dropSuffixDuplicates(text: string, following: readonly string[]): string {
  const first = following.findIndex((line) => line.trim() !== '');
  if (first < 0) {
    return text;
  }
  const next = following.slice(first);
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const count = Math.min(lines.length - i, next.length);
    let same = true;
    let meaningful = false;
    for (let j = 0; j < count && same; j++) {
      const line = lines[i + j] ?? '';
      const other = next[j] ?? '';
      const trivial = isTrivialLine(line);
      same = trivial ? line.trimEnd() === other.trimEnd() : line.trim() === other.trim();
      meaningful ||= !trivial;
    }
    if (same && (meaningful || i + count === lines.length)) {
      return lines.slice(0, i).join('\n');
    }
  }
  return text;
}

/** Rule: at most `maxLines` lines. */
export function capLines(text: string, maxLines: number): string {
  return text.split('\n').slice(0, Math.max(1, maxLines)).join('\n');
}

/** Rule: nothing but whitespace is no suggestion. */
export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** Rule: a suggestion that is already right after the cursor (whole lines of it) is no suggestion. */
export function isAlreadyThere(text: string, suffix: string): boolean {
  const suggestion = text.trimEnd();
  if (suffix.startsWith(suggestion)) {
    return true;
  }
  const trimmed = suggestion.trimStart();
  const after = suffix.trimStart();
  return trimmed !== '' && after.startsWith(trimmed) && /^[ \t]*(\n|$)/.test(after.slice(trimmed.length));
}

export interface PostProcessOptions {
  template: ConcreteTemplate;
  finishReason: string;
  languageId: string;
  /** The prefix and suffix windows ('\n' line breaks). */
  prefix: string;
  suffix: string;
  linePrefix: string;
  rightText: string;
  lineIndent: string;
  singleLine: boolean;
  indent: IndentStyle;
  maxLines: number;
  hashComments: boolean;
}

/** All rules in order; '' when nothing worth showing is left. */
export function postProcess(raw: string, options: PostProcessOptions): string {
  let text = cutAtSpecialTokens(raw.replace(/\r\n/g, '\n'));
  if (options.template === 'chat') {
    text = stripEchoedPrefix(stripFences(text).split(CURSOR_MARK).join(''), options.prefix);
  }
  text = dropTruncatedLastLine(text, options.finishReason);
  text = options.singleLine ? stripRightText(firstLineOnly(text), options.rightText) : convertIndentation(text, options.indent, options.lineIndent);
  if (hasUnmatchedClosing(text, options.hashComments)) {
    const closable = closableBrackets(options.prefix, options.suffix, options.hashComments);
    text = cutAtUnmatchedClosing(text, closable, options.hashComments);
  }
  if (!options.singleLine) {
    text = stopAtBlankLineOrDedent(text, options.lineIndent, options.indent.size);
    text = dropSuffixDuplicates(text, options.suffix.split('\n').slice(1));
    text = capLines(text, options.maxLines);
  }
  // Trailing spaces matter before text right of the cursor ("a, |b"), nowhere else.
  text = options.singleLine ? text : text.trimEnd();
  if (isBlank(text) || isAlreadyThere(text, options.suffix)) {
    return '';
  }
  return text;
}
