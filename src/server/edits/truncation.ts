/**
 * The truncation rule for whole-file rewrites (a code block without a
 * selection). A rewrite of an existing non-empty file is refused when:
 *
 * 1. its code fence was never closed (the answer was cut off), or
 * 2. it contains an elision placeholder the old file does not have
 *    ("// ... rest of the file unchanged"), or
 * 3. it ends with more unclosed brackets than the old file (cut off in the
 *    middle of a function or object) and not with the old file's last line, or
 * 4. the old file has at least 20 non-blank lines, the new text has fewer than
 *    half as many, and the old file's last non-blank line is not among the new
 *    text's last 3 non-blank lines (the old tail is missing).
 *
 * Small rewrites of small files, and shorter rewrites that still end the way
 * the file ends, are accepted.
 */
import { isPlaceholder } from './placeholders';

/** Rule 4 applies to files with at least this many non-blank lines... */
export const TRUNCATION_MIN_LINES = 20;
/** ...when the rewrite has fewer than this share of them. */
export const TRUNCATION_RATIO = 0.5;

/** Net count of opening brackets outside string literals and // comments. */
export function unclosedBrackets(lines: readonly string[]): number {
  let depth = 0;
  let quote: string | undefined;
  let blockComment = false;
  for (const line of lines) {
    for (let i = 0; i < line.length; i++) {
      const ch = line[i] ?? '';
      if (blockComment) {
        if (ch === '*' && line[i + 1] === '/') {
          blockComment = false;
          i++;
        }
      } else if (quote !== undefined) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = undefined;
      } else if (ch === '/' && line[i + 1] === '/') {
        break;
      } else if (ch === '/' && line[i + 1] === '*') {
        blockComment = true;
        i++;
      } else if (ch === '"' || ch === "'" || ch === '`') {
        quote = ch;
      } else if (ch === '(' || ch === '[' || ch === '{') {
        depth++;
      } else if (ch === ')' || ch === ']' || ch === '}') {
        depth--;
      }
    }
    // Plain quotes do not span lines; template literals may.
    if (quote !== '`') quote = undefined;
  }
  return depth;
}

function nonBlank(lines: readonly string[]): string[] {
  return lines.map((line) => line.trim()).filter((line) => line !== '');
}

/** Why a whole-file rewrite looks cut short, or undefined when it looks complete. */
export function truncationReason(oldLines: readonly string[], newLines: readonly string[], unclosedFence: boolean): string | undefined {
  const oldText = nonBlank(oldLines);
  if (oldText.length === 0) {
    return undefined;
  }
  if (unclosedFence) {
    return 'its code block is never closed, so the answer was probably cut off';
  }
  const oldSet = new Set(oldText);
  const placeholderAt = newLines.findIndex((line) => isPlaceholder(line) && !oldSet.has(line.trim()));
  if (placeholderAt >= 0) {
    return `line ${placeholderAt + 1} is the placeholder “${(newLines[placeholderAt] ?? '').trim()}” instead of the code it stands for`;
  }
  const newText = nonBlank(newLines);
  const oldLast = oldText[oldText.length - 1] ?? '';
  const endsLikeFile = newText.slice(-3).includes(oldLast);
  const newOpen = unclosedBrackets(newLines);
  if (!endsLikeFile && newOpen > Math.max(0, unclosedBrackets(oldLines))) {
    return `it ends with ${newOpen} unclosed bracket(s), as if cut off in the middle`;
  }
  if (oldText.length >= TRUNCATION_MIN_LINES && newText.length < oldText.length * TRUNCATION_RATIO && !endsLikeFile) {
    return `it has ${newText.length} non-blank lines where the file has ${oldText.length}, and the file's end (“${oldLast}”) is missing`;
  }
  return undefined;
}
