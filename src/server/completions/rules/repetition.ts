/**
 * Repetition: small models loop, writing the same line, the same few lines or
 * the same words again and again. The suggestion is cut where the text
 * starts repeating itself — counting the lines just before the cursor, so a
 * reply that only repeats them leaves nothing. Pure.
 */

/** Blocks of up to this many lines are looked for. */
const MAX_BLOCK = 4;
/** A single line must occur this often in a row; a block of several lines twice. */
const LINE_TIMES = 3;
const BLOCK_TIMES = 2;
/** Within a line: a unit of text this often in a row up to the line's end. */
const INLINE_TIMES = 4;
const MAX_UNIT = 40;

/** A line with something besides brackets and punctuation. */
function meaningful(line: string): boolean {
  return /[\p{L}\p{N}_]/u.test(line);
}

/** Whether `lines[at .. at+size)` occurs `times` times in a row from `at`. */
function repeats(lines: readonly string[], at: number, size: number, times: number): boolean {
  if (at + size * times > lines.length) {
    return false;
  }
  for (let copy = 1; copy < times; copy++) {
    for (let j = 0; j < size; j++) {
      if (lines[at + j] !== lines[at + copy * size + j]) {
        return false;
      }
    }
  }
  return true;
}

/** The length of a line up to where a unit starts repeating INLINE_TIMES times up to its end, or the line's length. */
export function inlineRepetitionEnd(line: string): number {
  let end = line.length;
  for (let unit = 2; unit <= MAX_UNIT && unit * INLINE_TIMES <= line.length; unit++) {
    // The longest tail of the line that has period `unit`.
    let start = line.length - unit;
    while (start > 0 && line[start - 1] === line[start - 1 + unit]) {
      start--;
    }
    if (line.length - start >= unit * INLINE_TIMES && start + unit < end && /\p{L}/u.test(line.slice(start, start + unit))) {
      end = start + unit;
    }
  }
  return end;
}

/**
 * Rule: the suggestion ends where it starts repeating itself: a line three
 * times in a row, a block of 2–4 lines twice, or a unit of text four times to
 * the end of a line. `before` are the complete lines before the cursor line
 * (when that line is blank so far): a reply that repeats them is cut too.
 */
export function cutRepetition(text: string, before: readonly string[] = []): string {
  const own = text.split('\n');
  const context = before.slice(-MAX_BLOCK * BLOCK_TIMES).map((line) => line.trim());
  const lines = [...context, ...own.map((line) => line.trim())];
  for (let at = 0; at < lines.length; at++) {
    for (let size = 1; size <= MAX_BLOCK; size++) {
      const block = lines.slice(at, at + size);
      if (!block.some(meaningful) || at + size > lines.length) {
        continue;
      }
      // A repetition counts once it reaches into the suggestion.
      const times = size === 1 ? LINE_TIMES : BLOCK_TIMES;
      if (at + size * times > context.length && repeats(lines, at, size, times)) {
        const keep = Math.max(0, at + size - context.length);
        return own.slice(0, keep).join('\n');
      }
    }
  }
  for (let index = 0; index < own.length; index++) {
    const line = own[index] ?? '';
    const end = inlineRepetitionEnd(line);
    if (end < line.length) {
      return [...own.slice(0, index), line.slice(0, end)].join('\n');
    }
  }
  return text;
}
