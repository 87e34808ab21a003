import path from 'node:path';
import { readRegularFile, WorkspaceBoundary } from '../../shared/boundary/boundary';
import type { EditFailure, EditOutcome } from '../../shared/edits';
import type { FileText } from '../../shared/protocol';

/** Files larger than this are not read for an edit (a model could not rewrite them anyway). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Reads workspace files for the edit engine: the client's unsaved buffers
 * first, then the disk under `root`, both through the workspace boundary: a
 * path outside root (also through a symbolic link), a secret or an ignored
 * file reads as missing (the engine then refuses it; `guardChangeSet` says
 * why). Paths are relative, '/'-separated.
 */
export function workspaceReader(root: string, buffers: readonly FileText[], boundary = new WorkspaceBoundary(root)): (relative: string) => string | undefined {
  const open = new Map(buffers.map((file) => [normalise(file.path), file.text]));
  return (relative) => {
    const decision = boundary.decide(normalise(relative), 'read');
    if (decision.action === 'refuse') {
      return undefined;
    }
    const buffered = open.get(normalise(decision.relative));
    if (buffered !== undefined) {
      return buffered;
    }
    return readRegularFile(decision.absolute, MAX_FILE_BYTES);
  };
}

/**
 * The engine's outcome, with every path it would read or write checked
 * against the boundary: an edit is refused as a whole when any of its files
 * may not be written (outside the workspace, through a link, a secret or an
 * ignored file), and a failure that the boundary explains says so instead of
 * "file not found".
 */
export function guardOutcome(outcome: EditOutcome, boundary: WorkspaceBoundary): EditOutcome {
  const refusals: EditFailure[] = [];
  const seen = new Set<string>();
  const check = (target: string | undefined): void => {
    if (target === undefined || seen.has(target)) return;
    seen.add(target);
    const decision = boundary.decide(target, 'write');
    if (decision.action === 'refuse') refusals.push({ kind: 'badPath', path: target, message: `Refused: ${decision.reason}` });
  };
  if (outcome.ok) {
    for (const change of outcome.changeSet.changes) {
      check(change.path);
      if (change.kind === 'update') check(change.moveTo);
    }
  } else {
    for (const failure of outcome.failures) check(failure.path);
  }
  return refusals.length > 0 ? { ok: false, failures: refusals } : outcome;
}

/** A workspace-relative path in one spelling: '/' separators, no leading './'. */
export function normalise(relative: string): string {
  return path.posix.normalize(relative.replaceAll('\\', '/')).replace(/^\.\//, '');
}
