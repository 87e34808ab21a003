/**
 * A file's text as lines with their own line endings, so an edit can keep
 * CRLF, LF and mixed files exactly as they were outside the changed lines.
 */
import type { HunkLine } from './types';

export type Eol = '\n' | '\r\n' | '\r';

export interface TextLines {
  /** Line contents without line endings. An empty file has no lines. */
  lines: string[];
  /** Each line's ending; the last one is '' when the file has no final newline. */
  eols: string[];
  /** The ending used for new lines: the most common one, '\n' when there is none. */
  eol: Eol;
  /** Whether the last line ends with a line break (false for an empty file). */
  finalNewline: boolean;
}

const LINE_BREAK = /\r\n|\n|\r/g;

/** Splits text into lines, remembering every line's ending and the dominant one. */
export function splitText(text: string): TextLines {
  const lines: string[] = [];
  const eols: string[] = [];
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  let start = 0;
  LINE_BREAK.lastIndex = 0;
  for (let match = LINE_BREAK.exec(text); match; match = LINE_BREAK.exec(text)) {
    lines.push(text.slice(start, match.index));
    eols.push(match[0]);
    if (match[0] === '\r\n') crlf++;
    else if (match[0] === '\n') lf++;
    else cr++;
    start = match.index + match[0].length;
  }
  if (start < text.length) {
    lines.push(text.slice(start));
    eols.push('');
  }
  const eol: Eol = crlf > lf && crlf >= cr ? '\r\n' : cr > lf && cr > crlf ? '\r' : '\n';
  return { lines, eols, eol, finalNewline: eols.length > 0 && eols[eols.length - 1] !== '' };
}

/** Splits model-written text into lines (any line ending), without a trailing empty line. */
export function toLines(text: string): string[] {
  if (text === '') {
    return [];
  }
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
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
