import { opensBlock } from './blocks';

/**
 * Whitespace where the suggestion meets the cursor: an echo of what was
 * typed before it (chat models repeat the line), a second space after
 * `= ` or `return `, and indentation or blank lines in front of the first line
 * when the cursor already sits at the line's indentation. Pure.
 */

/**
 * Rule (any template): the answer starts by repeating what is typed on the
 * cursor line (`const total = ` + `const total = items.length;`), or, on a
 * line blank so far, the line before it: keep only what follows.
 */
export function stripEchoedLine(text: string, prefix: string, linePrefix: string): string {
  const typed = linePrefix.trim();
  if (typed.length >= 3 && text.startsWith(typed)) {
    return text.slice(typed.length).replace(/^[ \t]+/, /[ \t]$/.test(linePrefix) ? '' : ' ');
  }
  if (typed === '') {
    const lines = prefix.split('\n');
    const previous = lines.slice(0, -1).reverse().find((line) => line.trim() !== '')?.trim() ?? '';
    const firstBreak = text.indexOf('\n');
    if (previous.length >= 3 && firstBreak > 0 && text.slice(0, firstBreak).trim() === previous) {
      return text.slice(firstBreak + 1);
    }
  }
  return text;
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
  return text;
}

/**
 * Whether `column` is where a line at the cursor is expected to start: the
 * previous non-blank line's indentation, or deeper than it when that line
 * opens a block (by `step` columns when the document's step is known).
 */
export function isExpectedColumn(column: number, prefix: string, step: number | undefined, tabSize: number, languageId = ''): boolean {
  const lines = prefix.split('\n');
  for (let i = lines.length - 2; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (line.trim() !== '') {
      const indent = width(/^[ \t]*/.exec(line)?.[0] ?? '', tabSize);
      if (!opensBlock(line, languageId) && !/:\s*$/.test(line)) {
        return column === indent;
      }
      return step === undefined ? column > indent : column === indent + step;
    }
  }
  return column === 0;
}

/**
 * Rule: whitespace at the cursor. After code and whitespace on the cursor
 * line (`x = `, `return `) the answer's leading spaces and tabs go. On a line
 * that is blank up to the cursor, when the cursor already sits at the
 * expected column (see isExpectedColumn), the answer's indentation in front of
 * its first line goes, and so do leading blank lines when the code after them
 * is not indented less than the cursor.
 */
export function trimCursorWhitespace(text: string, linePrefix: string, prefix: string, step: number | undefined, tabSize: number, languageId = ''): string {
  if (linePrefix.trim() !== '') {
    return /[ \t]$/.test(linePrefix) ? text.replace(/^[ \t]+/, '') : text;
  }
  const column = width(linePrefix, tabSize);
  const atExpected = column > 0 && isExpectedColumn(column, prefix, step, tabSize, languageId);
  const lead = /^(?:[ \t]*\n)+([ \t]*)(?=\S)/.exec(text);
  if (lead) {
    const codeColumn = width(lead[1] ?? '', tabSize);
    return codeColumn === column || (atExpected && codeColumn > column) ? text.slice(lead[0].length) : text;
  }
  return atExpected ? text.replace(/^[ \t]+/, '') : text;
}

function width(indent: string, tabSize: number): number {
  let columns = 0;
  for (const char of indent) {
    columns += char === '\t' ? tabSize : 1;
  }
  return columns;
}
