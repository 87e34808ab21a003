/**
 * Texts as lines for the line diff. A text of n line breaks has n + 1 lines:
 * the last one is whatever follows the last break, often the empty string.
 * That keeps "has a final newline" a plain line difference and makes
 * `lines.join(eol)` the inverse of splitting. Lines never include their break;
 * each line's own break is kept so that untouched lines keep theirs.
 */

export type Eol = '\n' | '\r\n';

export interface SplitText {
  /** The lines, without line breaks; always at least one (the empty text is one empty line). */
  lines: string[];
  /** `eols[i]` is the break after `lines[i]`: '\n', '\r\n' or '\r'; '' for the last line. */
  eols: string[];
}

const BREAK = /\r\n|\r|\n/g;

export function splitText(text: string): SplitText {
  const lines: string[] = [];
  const eols: string[] = [];
  let start = 0;
  for (const match of text.matchAll(BREAK)) {
    lines.push(text.slice(start, match.index));
    eols.push(match[0]);
    start = match.index + match[0].length;
  }
  lines.push(text.slice(start));
  eols.push('');
  return { lines, eols };
}

export function splitLines(text: string): string[] {
  return splitText(text).lines;
}

/** The text's first line break, else `fallback`: the break inserted lines get. */
export function detectEol(text: string, fallback: Eol = '\n'): Eol {
  const index = text.indexOf('\n');
  if (index < 0) {
    return fallback;
  }
  return index > 0 && text[index - 1] === '\r' ? '\r\n' : '\n';
}

/** Whether two texts have the same lines, whatever their line breaks. */
export function sameLines(a: string | readonly string[], b: string | readonly string[]): boolean {
  const left = typeof a === 'string' ? splitLines(a) : a;
  const right = typeof b === 'string' ? splitLines(b) : b;
  return left.length === right.length && left.every((line, i) => line === right[i]);
}
