/**
 * Turns a model's raw answer into a suggestion. Each rule is a small pure
 * function in ./rules (tested one by one); `postProcess` applies them in this
 * order — the order matters, and where two rules disagree the one that shows
 * less wins:
 *
 *  0. only the start of the reply is looked at (MAX_REPLY_CHARS, MAX_REPLY_LINES).
 *  1. junk: cut at template tokens and stop phrases; strip Markdown fences
 *     (chat: around the first fenced block; any template: a leading fence and
 *     a closing one); (chat) drop the cursor marker and an echo of the lines
 *     before the cursor; (any) an echo of the typed part of the cursor line or
 *     of the line before a blank one; drop echoed `// Path:` / file-name comments; strip
 *     stray leading characters (zero-width, emoji, diff markers, a doubled `.`).
 *  2. whitespace at the cursor: no second space after `= `/`return `, no
 *     indentation or blank lines before the first line when the cursor already
 *     sits at the line's indentation.
 *  3. an answer cut by the token limit loses its unfinished last line.
 *  4. repetition: cut where the text starts repeating itself.
 *  5. shape: one line before non-trivial text right of the cursor; otherwise
 *     re-indent to the document's style (the editor's options, else detected).
 *  6. closers right of the cursor: what of the rest of the line the item
 *     replaces; cut before closers that contradict it.
 *  7. brackets: cut at the first closer that closes nothing the suggestion
 *     opened and nothing open before the cursor that the code after it leaves open.
 *  8. partly typed line: only the current statement.
 *  9. multi-line: end where the block ends (through `} else {`, `except:`…),
 *     cap the line count, never end half-open, drop what repeats the lines below.
 * 10. a trailing lone comment marker goes; nothing but whitespace, or what is
 *     already after the cursor, is no suggestion.
 *
 * The suggest widget's selected item is applied afterwards, per request (see
 * rules/selection.ts). Text here uses '\n' line breaks.
 */
import { closableBrackets, cutAtUnmatchedClosing, hasUnmatchedClosing } from './brackets';
import { convertIndentation, type IndentStyle } from './indentation';
import { coverRightText, isInInterpolation } from './rules/closers';
import { cutAtStopTokens, dropLoneCommentMarker, stripEchoedPathComment, stripFences, stripStrayLeading } from './rules/junk';
import { dropSuffixDuplicates, isAlreadyThere } from './rules/overlap';
import { opensBlock } from './rules/blocks';
import { cutRepetition } from './rules/repetition';
import { limitToStatement } from './rules/statement';
import { dropOpenEnd, stopAtBlockEnd } from './rules/stops';
import { stripEchoedLine, stripEchoedPrefix, trimCursorWhitespace } from './rules/whitespace';
import { CURSOR_MARK, type ConcreteTemplate } from './templates';

export { cutAtStopTokens as cutAtSpecialTokens, stripFences } from './rules/junk';
export { dropSuffixDuplicates, isAlreadyThere } from './rules/overlap';
export { stripEchoedPrefix } from './rules/whitespace';

/** A reply is looked at only this far: a suggestion is at most `maxLines` lines, and a chat answer's prose before its code is short. */
export const MAX_REPLY_CHARS = 32_000;
export const MAX_REPLY_LINES = 400;

/** Rule: the start of the reply only, however much an endpoint sends (the rules below stay linear or close to it). */
export function boundReply(raw: string): string {
  const head = raw.length > MAX_REPLY_CHARS ? raw.slice(0, MAX_REPLY_CHARS) : raw;
  let at = -1;
  for (let line = 0; line < MAX_REPLY_LINES; line++) {
    at = head.indexOf('\n', at + 1);
    if (at < 0) {
      return head;
    }
  }
  return head.slice(0, at);
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

/** Rule: at most `maxLines` lines. */
export function capLines(text: string, maxLines: number): string {
  return text.split('\n').slice(0, Math.max(1, maxLines)).join('\n');
}

/** Rule: nothing but whitespace is no suggestion. */
export function isBlank(text: string): boolean {
  return text.trim() === '';
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
  /** The document's indentation: the editor's options, else detected; undefined when unknown. */
  indent: IndentStyle | undefined;
  maxLines: number;
  hashComments: boolean;
  /** The document's path as the prompt shows it (for echoed path comments). */
  path?: string;
}

export interface Suggestion {
  /** What to insert at the cursor ('' for no suggestion). */
  text: string;
  /** How many characters right of the cursor (on its line) it replaces. */
  replace: number;
}

const NONE: Suggestion = { text: '', replace: 0 };

/** All rules in order; text '' when nothing worth showing is left. */
export function postProcess(raw: string, options: PostProcessOptions): Suggestion {
  const chat = options.template === 'chat';
  const tabSize = options.indent?.size ?? 4;
  const blankLine = options.linePrefix.trim() === '';
  // Zero-width characters in front of lines are never code, and would hide a fence or a token.
  let text = cutAtStopTokens(boundReply(raw).replace(/\r\n/g, '\n').replace(/^[\u200B-\u200D\u2060\uFEFF]+/gm, ''));
  if (chat || options.languageId !== 'markdown') {
    text = stripFences(text, chat);
  }
  if (chat) {
    text = stripEchoedPrefix(text.split(CURSOR_MARK).join(''), options.prefix);
  }
  text = stripEchoedLine(text, options.prefix, options.linePrefix);
  text = stripEchoedPathComment(text, options.path ?? '', options.prefix);
  text = stripStrayLeading(text, options.linePrefix, options.languageId);
  text = trimCursorWhitespace(text, options.linePrefix, options.prefix, options.indent?.size, tabSize, options.languageId);
  text = dropTruncatedLastLine(text, options.finishReason);
  const before = blankLine ? options.prefix.split('\n').slice(0, -1) : [];
  const unrepeated = cutRepetition(text, before);
  // A reply that loops on an opener (`if (a) {` nested forever) has nothing complete to show.
  text = unrepeated !== text && opensBlock(unrepeated.split('\n').pop() ?? '', options.languageId) ? '' : unrepeated;
  text = options.singleLine ? firstLineOnly(text) : convertIndentation(text, options.indent, options.lineIndent, options.linePrefix, options.languageId);
  const covered = coverRightText(text, options.prefix, options.rightText, options.hashComments, options.singleLine);
  text = covered.text;
  if (hasUnmatchedClosing(text, options.hashComments)) {
    const closable = closableBrackets(options.prefix, options.suffix.slice(covered.replace), options.hashComments);
    // A `${` open before the cursor is a bracket the scanner cannot see (it is inside a string); closing it is fine.
    const interpolation = isInInterpolation(options.linePrefix, options.hashComments) && covered.replace > 0 ? ['{'] : [];
    text = cutAtUnmatchedClosing(text, [...closable, ...interpolation], options.hashComments);
  }
  text = limitToStatement(text, options.linePrefix, options.hashComments, options.languageId);
  if (!options.singleLine) {
    text = stopAtBlockEnd(text, { linePrefix: options.linePrefix, lineIndent: options.lineIndent, tabSize, languageId: options.languageId, hashComments: options.hashComments });
    text = capLines(text, options.maxLines);
    text = dropOpenEnd(text, options.languageId, options.hashComments);
    const duplicates = dropSuffixDuplicates(text, options.suffix.split('\n').slice(1), blankLine && options.rightText.trim() === '');
    // Dropping a repeated closer may leave a block open again.
    text = duplicates === text ? text : dropOpenEnd(duplicates, options.languageId, options.hashComments);
  }
  text = dropLoneCommentMarker(text);
  // Trailing spaces matter before text right of the cursor ("a, |b", "{ a |}"), nowhere else.
  text = options.rightText.trim() !== '' && !text.includes('\n') ? text : text.trimEnd();
  if (isBlank(text) || isAlreadyThere(text, options.suffix)) {
    return NONE;
  }
  return { text, replace: rightTextReplaced(text, options.prefix, options.rightText, options.hashComments) };
}

/** How much of the text right of the cursor a (final) suggestion replaces; cheap enough to run per request. */
export function rightTextReplaced(text: string, prefix: string, rightText: string, hashComments: boolean): number {
  const covered = coverRightText(text, prefix, rightText, hashComments);
  return covered.text === text ? covered.replace : 0;
}
