/**
 * Turns parsed file operations into file changes against the current files:
 * checks paths, merges sections for the same file, checks that files to
 * update exist and files to add do not, and applies hunks and code blocks.
 * Every failure is collected; the caller discards the changes if there is one.
 */
import { joinLines, splitFile } from '../../shared/diff';
import type { EditFailure, FileChange } from '../../shared/edits';
import { applyPatchHunks } from './applyHunks';
import { applyWrite } from './applyWrite';
import { checkPath } from './paths';
import type { FileOp, PatchHunk } from './types';

type ReadFile = (path: string) => string | undefined;
type UpdateOp = Extract<FileOp, { kind: 'update' }>;

export interface BuildResult {
  changes: FileChange[];
  failures: EditFailure[];
}

function isEmptySearch(hunk: PatchHunk): boolean {
  return hunk.body.kind === 'pair' && hunk.body.search.every((line) => line.trim() === '');
}

/** Checks and cleans the paths of an operation; undefined when one is refused. */
function cleanPaths(op: FileOp, readFile: ReadFile, failures: EditFailure[]): FileOp | undefined {
  const exists = (candidate: string): boolean => readFile(candidate) !== undefined;
  const checked = checkPath(op.path, exists);
  if (!checked.ok) {
    failures.push({ kind: 'badPath', path: op.path, block: op.block, message: checked.message });
    return undefined;
  }
  if (op.kind === 'update' && op.moveTo !== undefined) {
    const target = checkPath(op.moveTo, exists);
    if (!target.ok) {
      failures.push({ kind: 'badPath', path: op.moveTo, block: op.block, message: target.message });
      return undefined;
    }
    return { ...op, path: checked.path, moveTo: target.path };
  }
  return { ...op, path: checked.path };
}

/** One update per file: later sections for the same file add their hunks. */
function mergeOps(ops: readonly FileOp[], failures: EditFailure[]): FileOp[] {
  const merged: FileOp[] = [];
  const byPath = new Map<string, FileOp>();
  for (const op of ops) {
    const previous = byPath.get(op.path);
    if (!previous) {
      const copy: FileOp = op.kind === 'update' ? { ...op, hunks: [...op.hunks] } : op;
      byPath.set(op.path, copy);
      merged.push(copy);
    } else if (previous.kind === 'update' && op.kind === 'update' && (op.moveTo === undefined || op.moveTo === previous.moveTo)) {
      previous.hunks.push(...op.hunks);
    } else if (previous.kind === 'update' && op.kind === 'update' && previous.moveTo === undefined) {
      previous.hunks.push(...op.hunks);
      previous.moveTo = op.moveTo;
    } else if ((previous.kind === 'delete' && op.kind === 'add') || (previous.kind === 'add' && op.kind === 'delete')) {
      // Delete + Add of one path is a whole-file rewrite: the truncation rule applies.
      const added = op.kind === 'add' ? op : previous.kind === 'add' ? previous : undefined;
      const rewrite: FileOp = { kind: 'write', path: op.path, block: previous.block, lines: added?.lines ?? [] };
      merged[merged.indexOf(previous)] = rewrite;
      byPath.set(op.path, rewrite);
    } else {
      failures.push({
        kind: 'ambiguous',
        path: op.path,
        block: op.block,
        message: `${op.path}: the edit changes this file in more than one incompatible way (for example adds and deletes it, or moves it to two places). Send one change per file.`,
      });
    }
  }
  return merged;
}

function applyUpdate(op: UpdateOp, readFile: ReadFile, failures: EditFailure[]): FileChange | undefined {
  const oldText = readFile(op.path);
  const emptySearches = op.emptySearchCreates ? op.hunks.filter(isEmptySearch) : [];
  if (emptySearches.length > 0 && op.hunks.length > 1) {
    failures.push({
      kind: 'ambiguous',
      path: op.path,
      block: emptySearches[0]?.block,
      message: `${op.path}, SEARCH/REPLACE block ${emptySearches[0]?.block}: its SEARCH part is empty, so it is unclear where its text goes. An empty SEARCH only creates a new file (as the file's only block).`,
    });
    return undefined;
  }
  const only = emptySearches[0];
  if (only && only.body.kind === 'pair' && (oldText === undefined || oldText.trim() === '')) {
    const file = splitFile(oldText ?? '');
    const newText = joinLines(only.body.replace, [], file.eol, only.body.replace.length > 0);
    return oldText === undefined ? { kind: 'add', path: op.path, newText } : { kind: 'update', path: op.path, oldText, newText };
  }
  if (oldText === undefined) {
    failures.push({
      kind: 'missingFile',
      path: op.path,
      block: op.block,
      message: `${op.path}: the file to change does not exist. To create it, add it as a new file instead.`,
    });
    return undefined;
  }
  if (only) {
    failures.push({
      kind: 'ambiguous',
      path: op.path,
      block: only.block,
      message: `${op.path}, SEARCH/REPLACE block ${only.block}: its SEARCH part is empty but the file is not, so it is unclear where the text goes. Put the lines to replace (or the lines next to the insertion) in SEARCH.`,
    });
    return undefined;
  }
  if (op.moveTo !== undefined && op.moveTo !== op.path && readFile(op.moveTo) !== undefined) {
    failures.push({
      kind: 'fileExists',
      path: op.moveTo,
      block: op.block,
      message: `${op.path}: cannot move it to ${op.moveTo}: that file already exists.`,
    });
    return undefined;
  }
  const result = applyPatchHunks(op.path, oldText, op.hunks);
  if (!result.ok) {
    failures.push(...result.failures);
    return undefined;
  }
  const change: FileChange = { kind: 'update', path: op.path, oldText, newText: result.text };
  if (op.moveTo !== undefined && op.moveTo !== op.path) change.moveTo = op.moveTo;
  return change;
}

function applyOp(op: FileOp, readFile: ReadFile, failures: EditFailure[]): FileChange | undefined {
  switch (op.kind) {
    case 'update':
      return applyUpdate(op, readFile, failures);
    case 'add': {
      if (readFile(op.path) !== undefined) {
        failures.push({
          kind: 'fileExists',
          path: op.path,
          block: op.block,
          message: `${op.path}: cannot add this file: it already exists. Change it with a patch instead.`,
        });
        return undefined;
      }
      return { kind: 'add', path: op.path, newText: joinLines(op.lines, [], '\n', op.finalNewline && op.lines.length > 0) };
    }
    case 'delete': {
      const oldText = readFile(op.path);
      if (oldText === undefined) {
        failures.push({ kind: 'missingFile', path: op.path, block: op.block, message: `${op.path}: cannot delete this file: it does not exist.` });
        return undefined;
      }
      return { kind: 'delete', path: op.path, oldText };
    }
    case 'write': {
      const oldText = readFile(op.path);
      const result = applyWrite(op, oldText);
      if (!result.ok) {
        failures.push(result.failure);
        return undefined;
      }
      return oldText === undefined ? { kind: 'add', path: op.path, newText: result.text } : { kind: 'update', path: op.path, oldText, newText: result.text };
    }
  }
}

/** Computes the file changes for `ops`, collecting every failure. */
export function buildChanges(ops: readonly FileOp[], readFile: ReadFile): BuildResult {
  const failures: EditFailure[] = [];
  const cleaned = ops.map((op) => cleanPaths(op, readFile, failures)).filter((op): op is FileOp => op !== undefined);
  const changes: FileChange[] = [];
  /** Which change (by its path) already touches a path. */
  const claimed = new Map<string, string>();
  for (const op of mergeOps(cleaned, failures)) {
    const change = applyOp(op, readFile, failures);
    if (!change) continue;
    const touched = change.kind === 'update' && change.moveTo !== undefined ? [change.path, change.moveTo] : [change.path];
    const clash = touched.find((path) => claimed.has(path));
    if (clash !== undefined) {
      failures.push({
        kind: 'ambiguous',
        path: clash,
        block: op.block,
        message: `${clash}: the edit changes this path in two places (${claimed.get(clash)} and ${change.path}); send one change per file.`,
      });
      continue;
    }
    for (const path of touched) claimed.set(path, change.path);
    changes.push(change);
  }
  return { changes, failures };
}
