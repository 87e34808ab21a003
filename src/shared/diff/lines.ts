/**
 * Texts as lines with their own line breaks, for the review (extension) and
 * the edit engine (service). One scanner, two views:
 *
 * - `splitText`: a text of n breaks has n + 1 lines, the last one whatever
 *   follows the last break (often ''). "Has a final newline" is then a plain
 *   line difference and `lines.join(eol)` undoes the split: the review diffs
 *   and splices texts this way.
 * - `splitFile`: a file's lines as an editor counts them (no line after a
 *   final break; an empty file has none), each with its ending, the file's
 *   dominant ending and whether it ends with a break: the edit engine locates
 *   and writes lines this way.
 *
 * Lines never include their break; every line's own break is kept, so lines an
 * edit does not touch keep theirs in CRLF, LF, CR and mixed files.
 */
import type { HunkLine } from './lineDiff';

/** A line break. */
export type Eol = '\n' | '\r\n' | '\r';

export interface SplitText {
  /** The lines, without line breaks; always at least one (the empty text is one empty line). */
  lines: string[];
  /** `eols[i]` is the break after `lines[i]`: '\n', '\r\n' or '\r'; '' for the last line. */
  eols: string[];
}

export interface FileLines {
  /** Line contents without line endings. An empty file has no lines. */
  lines: string[];
  /** Each line's ending; the last one is '' when the file has no final newline. */
  eols: string[];
  /** The ending used for new lines: the most common one, '\n' when there is none. */
  eol: Eol;
  /** Whether the last line ends with a line break (false for an empty file). */
  finalNewline: boolean;
}

/** The capture keeps each break between the lines it separates. */
const BREAK = /(\r\n|\r|\n)/;

export function splitText(text: string): SplitText {
  const parts = text.split(BREAK);
  const lines: string[] = [];
  const eols: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    lines.push(parts[i] ?? '');
    eols.push(parts[i + 1] ?? '');
  }
  return { lines, eols };
}

export function splitLines(text: string): string[] {
  return splitText(text).lines;
}

/** Splits a file's text into its lines, remembering every line's ending and the dominant one. */
export function splitFile(text: string): FileLines {
  const { lines, eols } = splitText(text);
  dropLineAfterFinalBreak(lines, eols);
  return { lines, eols, eol: dominantEol(eols), finalNewline: eols.length > 0 && eols[eols.length - 1] !== '' };
}

/** A text's lines as `splitFile` counts them (model-written text, any line ending), without endings. */
export function fileLines(text: string): string[] {
  const lines = splitLines(text);
  dropLineAfterFinalBreak(lines);
  return lines;
}

/** The empty "line" after a final break (or the empty text's only line) is no line of a file. */
function dropLineAfterFinalBreak(lines: string[], eols?: string[]): void {
  if (lines[lines.length - 1] === '') {
    lines.pop();
    eols?.pop();
  }
}

/** The most common of the endings ('' entries do not count), '\n' on a tie with it or when there is none. */
export function dominantEol(eols: readonly string[]): Eol {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (const eol of eols) {
    if (eol === '\r\n') crlf++;
    else if (eol === '\n') lf++;
    else if (eol === '\r') cr++;
  }
  return crlf > lf && crlf >= cr ? '\r\n' : cr > lf && cr > crlf ? '\r' : '\n';
}

/**
 * The break the review gives new lines when the editor does not say: the
 * text's first break (a lone '\r' counts as '\n'), else '\n'.
 */
export function firstEol(text: string | SplitText): '\n' | '\r\n' {
  const eols = typeof text === 'string' ? splitText(text).eols : text.eols;
  const first = eols.find((eol) => eol !== '');
  return first === '\r\n' ? '\r\n' : '\n';
}

/** Whether two texts have the same lines, whatever their line breaks. */
export function sameLines(a: string | readonly string[], b: string | readonly string[]): boolean {
  const left = typeof a === 'string' ? splitLines(a) : a;
  const right = typeof b === 'string' ? splitLines(b) : b;
  return left.length === right.length && left.every((line, i) => line === right[i]);
}

/**
 * Joins lines back into text. `eols[i]` is kept when given (a line that was
 * already in the file); new lines get `eol`. The last line ends with `eol`
 * (or its own ending) only when `finalNewline`.
 */
export function joinLines(lines: readonly string[], eols: readonly (string | undefined)[], eol: Eol, finalNewline: boolean): string {
  const parts: string[] = [];
  const last = lines.length - 1;
  for (let i = 0; i <= last; i++) {
    const own = eols[i];
    const ending = own ? own : eol;
    parts.push(lines[i] ?? '', i < last || finalNewline ? ending : '');
  }
  return parts.join('');
}

/**
 * The endings of the lines a change writes: `ops` applied from original line
 * `start` of a file whose lines end with `eols`. A kept line keeps its own
 * ending; an added line that replaces a removed one (the k-th added line of a
 * run of changes, for its k-th removed line) takes that line's ending, so a
 * replaced line in a mixed CRLF/LF file stays as it was; other added lines
 * take the ending of the lines around them when those agree, else undefined
 * (the file's dominant ending, see `joinLines`). One entry per kept or added
 * line, in order.
 */
export function changedEndings(ops: readonly HunkLine[], eols: readonly string[], start: number): (string | undefined)[] {
  const endings: (string | undefined)[] = [];
  let t = start;
  for (let i = 0; i < ops.length; ) {
    if (ops[i]?.op === ' ') {
      endings.push(eols[t]);
      t++;
      i++;
      continue;
    }
    // A run of removed and added lines between kept ones.
    const removed: string[] = [];
    const runStart = t;
    let added = 0;
    let j = i;
    for (; j < ops.length && ops[j]?.op !== ' '; j++) {
      if (ops[j]?.op === '-') removed.push(eols[t++] ?? '');
      else added++;
    }
    const above = eols[runStart - 1];
    const below = eols[t];
    const around = above && below ? (above === below ? above : undefined) : above || below || undefined;
    for (let k = 0; k < added; k++) {
      const own = removed[k];
      endings.push(own ? own : around);
    }
    i = j;
  }
  return endings;
}
