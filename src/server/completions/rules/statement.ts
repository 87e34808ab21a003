/**
 * Completing a partly typed line: the suggestion finishes the statement being
 * typed and stops there, unless the line is blank so far or ends by opening a
 * block (then the block is what is wanted). Pure.
 */
import { openBrackets, openQuote, scanBrackets } from '../brackets';
import { opensBlock } from './blocks';

/**
 * Lines that continue the statement before them: method chains, binary
 * operators (`-` and `*` only when not followed by a space: list items), a
 * closing bracket.
 */
const CONTINUES = /^[ \t]*(\.|\?\.|&&|\|\||\?|:(?!:)|\+|-(?![-\s])|\*(?!\s)|\/(?![/*])|[)\]}]|=>|->|\|>)/;

/** Whether the cursor is in the middle of a statement: code before it on the line, and the line does not open a block. */
export function isPartlyTyped(linePrefix: string, languageId = ''): boolean {
  // An open `(` or `[` is part of the statement (the bracket depth says where it ends); `{`, `:`, `do` open a body.
  return linePrefix.trim() !== '' && (!opensBlock(linePrefix, languageId) || /[([]\s*$/.test(linePrefix));
}

/**
 * Rule: when the line is partly typed and the answer goes on on it, the
 * suggestion ends with the current statement: at the first line break where every bracket open on the cursor
 * line (before the cursor or in the suggestion) is closed again and the next
 * line does not continue the expression.
 */
export function limitToStatement(text: string, linePrefix: string, hashComments = false, languageId = ''): string {
  // An answer that starts on a new line takes the cursor line as finished: nothing to limit.
  if (!isPartlyTyped(linePrefix, languageId) || /^[ \t]*\n/.test(text)) {
    return text;
  }
  let depth = openBrackets(linePrefix, hashComments).length;
  const firstEnd = text.indexOf('\n');
  const firstLine = text.slice(0, firstEnd < 0 ? text.length : firstEnd);
  // A `;` at the statement's level ends it, when more code follows on the line (`config); log("x");`).
  for (let at = firstLine.indexOf(';'); at >= 0 && firstLine.slice(at + 1).trim() !== ''; at = firstLine.indexOf(';', at + 1)) {
    const line = linePrefix + firstLine.slice(0, at);
    if (openBrackets(line, hashComments).length === 0 && openQuote(line, hashComments) === '') {
      return text.slice(0, at + 1);
    }
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    scanBrackets(lines[i] ?? '', (char) => void (depth += '([{'.includes(char) ? 1 : -1), hashComments);
    if (depth <= 0 && !CONTINUES.test(lines[i + 1] ?? '')) {
      return lines.slice(0, i + 1).join('\n');
    }
  }
  return text;
}
