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

/**
 * The index of a `;` on the first line that ends the statement — outside
 * strings and comments, with every bracket open since the statement's start
 * closed — when more code follows it on the line; -1 otherwise. One pass.
 */
function semicolonEnd(text: string, depth: number, quote: string, hashComments: boolean): number {
  const end = text.indexOf('\n') < 0 ? text.length : text.indexOf('\n');
  let open = quote;
  let level = depth;
  for (let i = 0; i < end; i++) {
    const char = text[i] ?? '';
    if (open) {
      if (char === '\\') {
        i++;
      } else if (char === open) {
        open = '';
      }
    } else if (char === '"' || char === "'" || char === '`') {
      open = char;
    } else if ((char === '/' && text[i + 1] === '/') || (char === '#' && hashComments)) {
      return -1;
    } else if ('([{'.includes(char)) {
      level++;
    } else if (')]}'.includes(char)) {
      level--;
    } else if (char === ';' && level <= 0) {
      return text.slice(i + 1, end).trim() === '' ? -1 : i;
    }
  }
  return -1;
}

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
  const statementEnd = semicolonEnd(text, depth, openQuote(linePrefix, hashComments), hashComments);
  if (statementEnd >= 0) {
    return text.slice(0, statementEnd + 1);
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
