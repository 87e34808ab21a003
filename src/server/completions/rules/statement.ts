/**
 * Completing a partly typed line: the suggestion finishes the statement being
 * typed and stops there, unless the line is blank so far or ends by opening a
 * block (then the block is what is wanted). Pure.
 */
import { openBrackets, scanBrackets } from '../brackets';

/** Lines that continue the statement before them (method chains, operators, a closing bracket). */
const CONTINUES = /^[ \t]*(\.|\?\.|&&|\|\||\?|:(?!:)|\+|-(?!-)|\*|\/(?![/*])|[)\]}]|=>|->|\|>)/;
/** A line that ends by opening a block, as the statement's body follows. */
const OPENS_BLOCK = /([{:]|\bdo(\s*\|[^|]*\|)?|\bthen|=>|->)\s*$/;

/** Whether the cursor is in the middle of a statement: code before it on the line, and the line does not open a block. */
export function isPartlyTyped(linePrefix: string): boolean {
  return linePrefix.trim() !== '' && !OPENS_BLOCK.test(linePrefix);
}

/**
 * Rule: when the line is partly typed and the answer goes on on it, the
 * suggestion ends with the current statement: at the first line break where every bracket open on the cursor
 * line (before the cursor or in the suggestion) is closed again and the next
 * line does not continue the expression.
 */
export function limitToStatement(text: string, linePrefix: string, hashComments = false): string {
  // An answer that starts on a new line takes the cursor line as finished: nothing to limit.
  if (!isPartlyTyped(linePrefix) || !text.includes('\n') || /^[ \t]*\n/.test(text)) {
    return text;
  }
  let depth = openBrackets(linePrefix, hashComments).length;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    scanBrackets(lines[i] ?? '', (char) => void (depth += '([{'.includes(char) ? 1 : -1), hashComments);
    if (depth <= 0 && !CONTINUES.test(lines[i + 1] ?? '')) {
      return lines.slice(0, i + 1).join('\n');
    }
  }
  return text;
}
