/**
 * The edit engine: turns model output (an apply_patch patch, SEARCH/REPLACE
 * blocks, a unified diff, or a code block) into a ChangeSet against the
 * current files. Pure and editor-agnostic: files are read through
 * `readFile`, nothing is written. A proposal either lands exactly where it
 * should or is refused with reasons; nothing is guessed. See docs/edits.md.
 */
import type { EditFailure, EditFormat, EditOutcome } from '../../shared/edits';
import { buildChanges } from './changeSet';
import { detectFormat } from './detect';
import { unparseable } from './messages';
import { parseApplyPatch } from './parseApplyPatch';
import { parseCodeBlock } from './parseCodeBlock';
import { parseSearchReplace } from './parseSearchReplace';
import { parseUnifiedDiff } from './parseUnifiedDiff';
import { markerFailure } from './refusals';
import type { ParseResult } from './types';

export { detectFormat } from './detect';
export { describeFailures } from './messages';
export { markerFailure } from './refusals';

export interface EditInput {
  /** Model output: an apply_patch patch, SEARCH/REPLACE blocks, a unified diff, or a fenced code block / bare code. */
  text: string;
  /** Reads a file's current text (unsaved buffer or disk); undefined when it does not exist. Paths as in ChangeSet (relative, '/'). */
  readFile(path: string): string | undefined;
  /** For a code block or SEARCH/REPLACE block without a path: the file it is meant for. */
  defaultPath?: string;
  /** For a code block meant as new content of a selection: 0-based [startLine, endLine) of the selection in defaultPath. Without it a code block is the whole file's new content. */
  selection?: { startLine: number; endLine: number };
}

function parse(format: EditFormat, input: EditInput, exists: (path: string) => boolean): ParseResult {
  switch (format) {
    case 'applyPatch':
      return parseApplyPatch(input.text);
    case 'searchReplace':
      return parseSearchReplace(input.text, input.defaultPath, exists);
    case 'unifiedDiff':
      return parseUnifiedDiff(input.text, input.defaultPath, exists);
    case 'codeBlock':
      return parseCodeBlock(input.text, { defaultPath: input.defaultPath, selection: input.selection }, exists);
  }
}

/**
 * Applies model output to the files `readFile` sees. All or nothing: the
 * outcome is either every change, or every failure found (each naming its
 * file and block, with a message fit for a person and for the model). No
 * change ever writes an edit-format marker line that was not already there.
 */
export function applyEdits(input: EditInput): EditOutcome {
  const format = detectFormat(input.text);
  if (format === undefined) {
    return { ok: false, failures: [unparseable('The answer is empty: there is no patch, diff or code block to apply.')] };
  }
  const cache = new Map<string, string | undefined>();
  const readFile = (path: string): string | undefined => {
    if (!cache.has(path)) cache.set(path, input.readFile(path));
    return cache.get(path);
  };
  const exists = (path: string): boolean => readFile(path) !== undefined;
  const parsed = parse(format, input, exists);
  const built = buildChanges(parsed.ops, readFile);
  const failures: EditFailure[] = [...parsed.failures, ...built.failures];
  // The last line of defence for every change, whatever produced it: no marker line becomes file content.
  for (const change of built.changes) {
    if (change.kind === 'delete') continue;
    const marker = markerFailure(change.kind === 'update' ? (change.moveTo ?? change.path) : change.path, change.kind === 'update' ? change.oldText : undefined, change.newText);
    if (marker) failures.push(marker);
  }
  if (failures.length > 0) {
    return { ok: false, failures };
  }
  if (built.changes.length === 0) {
    return { ok: false, failures: [unparseable('The answer contains no changes.')] };
  }
  return { ok: true, changeSet: { format, changes: built.changes } };
}
