/**
 * Overlap with the code after the cursor: a suggestion does not repeat the
 * lines below it (exactly or nearly: other whitespace, a trailing `;` or `,`),
 * but keeps a closer of its own when the closer below sits at another
 * indentation and so closes something else. Pure.
 */

import { isClosingLine } from './blocks';

/** A line that is nothing but brackets and punctuation, or a block end like `end`, says little on its own. */
export function isTrivialLine(line: string): boolean {
  return /^[\s)\]}([{;,.]*$/.test(line) || isClosingLine(line);
}

/** A content line's comparable form: no whitespace, no trailing `;` or `,`. */
function normal(line: string): string {
  return line.replace(/\s+/g, '').replace(/[;,]+$/, '');
}

/** Closing lines compare with their indentation; a trailing `;`/`,` does not count. */
function normalClosing(line: string): string {
  return line.trimEnd().replace(/[;,]+$/, '');
}

function sameLine(line: string, other: string): boolean {
  return isTrivialLine(line) ? normalClosing(line) === normalClosing(other) : normal(line) === normal(other);
}

/**
 * Rule: the suggestion must not repeat the lines after the cursor. From the
 * first of its lines where it starts repeating them, the rest is dropped:
 * lines with content compare without whitespace and a trailing `;`/`,`;
 * lines that are only brackets and punctuation must match with their
 * indentation (`};` repeats `}`, but `}` does not repeat a `}` indented
 * differently) and are dropped only as the suggestion's tail. The first
 * line counts when the cursor line is blank up to the cursor.
 */
export function dropSuffixDuplicates(text: string, following: readonly string[], firstLineCounts = false): string {
  const next = following.filter((line) => line.trim() !== '');
  if (next.length === 0) {
    return text;
  }
  const lines = text.split('\n');
  for (let i = firstLineCounts ? 0 : 1; i < lines.length; i++) {
    if ((lines[i] ?? '').trim() === '') {
      continue;
    }
    const own = lines.slice(i).filter((line) => line.trim() !== '');
    const count = Math.min(own.length, next.length);
    let same = count > 0;
    let meaningful = false;
    for (let j = 0; j < count && same; j++) {
      const line = own[j] ?? '';
      same = sameLine(i === 0 && j === 0 ? line.trimStart() : line, i === 0 && j === 0 ? (next[j] ?? '').trimStart() : (next[j] ?? ''));
      meaningful ||= !isTrivialLine(line);
    }
    if (same && (meaningful || count === own.length)) {
      return lines.slice(0, i).join('\n').trimEnd();
    }
  }
  return text;
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
