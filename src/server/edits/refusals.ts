/**
 * Refusals shared by hunks and code blocks: placeholders in place of code,
 * whole-file rewrites that look cut short, and edit-format marker lines that
 * would be written as file content.
 */
import type { EditFailure } from '../../shared/edits';
import { writtenMarkers } from './markers';
import { quoteLines } from './messages';

/**
 * The `placeholder` failure for a change that puts `elision.placeholder`
 * where existing lines were: `removed` are old-side indices, counted from
 * file line `oldStart` (0-based).
 */
export function elisionFailure(
  path: string,
  where: string,
  block: number,
  elision: { placeholder: string; removed: readonly number[] },
  fileLines: readonly string[],
  oldStart: number,
): EditFailure {
  const lineNumbers = elision.removed.map((i) => oldStart + i + 1);
  const first = lineNumbers[0] ?? 0;
  const last = lineNumbers[lineNumbers.length - 1] ?? 0;
  const range = first === last ? `line ${first}` : `lines ${first}–${last}`;
  const removed = elision.removed.map((i) => fileLines[oldStart + i] ?? '');
  return {
    kind: 'placeholder',
    path,
    block,
    lines: removed,
    message:
      `${where}: the new text has the placeholder “${elision.placeholder}” where ${removed.length === 1 ? 'an existing line was' : `${removed.length} existing lines were`} (${range}), so applying it would delete ${removed.length === 1 ? 'it' : 'them'}.\n` +
      `${quoteLines(removed)}\nWrite out the code in full instead of a placeholder, or leave unchanged code out of the edit.`,
  };
}

/** The `truncation` failure for a whole-file rewrite. */
export function truncationFailure(path: string, block: number, reason: string): EditFailure {
  return {
    kind: 'truncation',
    path,
    block,
    message: `${path}: the new content for the whole file looks cut short: ${reason}. It was not applied, so the rest of the file is not lost. Send the complete file, or only the changed part as a patch.`,
  };
}

/** At most this many marker lines are named in a `marker` failure. */
const MAX_MARKERS_NAMED = 5;

/**
 * The `marker` failure when the change from `oldText` (undefined: a new file)
 * to `newText` writes edit-format marker lines into `path`; undefined when it
 * writes none. See markers.ts.
 */
export function markerFailure(path: string, oldText: string | undefined, newText: string, block?: number): EditFailure | undefined {
  const found = writtenMarkers(path, oldText ?? '', newText);
  if (found.length === 0) return undefined;
  const named = found.slice(0, MAX_MARKERS_NAMED).map((marker) => `  line ${marker.line}: ${marker.text.trim()}   (${marker.what})`);
  if (found.length > MAX_MARKERS_NAMED) named.push(`  [${found.length - MAX_MARKERS_NAMED} more]`);
  return {
    kind: 'marker',
    path,
    ...(block !== undefined ? { block } : {}),
    lines: found.map((marker) => marker.text),
    message:
      `${path}: applying this would write edit-format marker lines into the file, so part of the answer's structure would become code:\n${named.join('\n')}\n` +
      'Nothing was applied: such lines are never written into a file. A marker of the answer is probably malformed (a SEARCH/REPLACE, patch or diff marker line with a different length, spacing or word), or a block is incomplete; send the edit again with exact markers.',
  };
}
