/**
 * Reading back the unified diffs the audit trail records with proposals
 * (docs/audit.md, `proposal.diff`: jsdiff's createTwoFilesPatch per file,
 * `a/` and `b/` names, /dev/null for a new or deleted file, 3 lines of
 * context). Parsing is jsdiff's `parsePatch`, which follows each hunk's
 * line counts, so a removed line that itself starts with `--` is not taken
 * for the next file's header. Plain data in and out: the extension and the
 * service both use it.
 */
import { formatPatch, parsePatch } from 'diff';

/** One line of a recorded hunk: unchanged context, removed, or added; without its break. */
export interface RecordedLine {
  op: ' ' | '-' | '+';
  text: string;
}

export interface RecordedHunk {
  /** 1-based first line in the old and the new text. */
  oldStart: number;
  newStart: number;
  lines: RecordedLine[];
}

export interface RecordedFileDiff {
  /** Workspace-relative paths without `a/` and `b/`; absent for /dev/null (a new or deleted file). */
  oldPath?: string;
  newPath?: string;
  hunks: RecordedHunk[];
  /** This file's part of the diff, as unified diff text. */
  text: string;
}

/** Every file of a recorded diff, in order; text that is not a diff gives none. */
export function parseRecordedDiff(diff: string): RecordedFileDiff[] {
  let patches: ReturnType<typeof parsePatch>;
  try {
    patches = parsePatch(diff);
  } catch {
    return [];
  }
  return patches
    .filter((patch) => patch.hunks.length > 0 || patch.oldFileName !== undefined)
    .map((patch) => {
      const oldPath = stripSide(patch.oldFileName, 'a/');
      const newPath = stripSide(patch.newFileName, 'b/');
      return {
        ...(oldPath !== undefined ? { oldPath } : {}),
        ...(newPath !== undefined ? { newPath } : {}),
        hunks: patch.hunks.map((hunk) => ({
          oldStart: hunk.oldStart,
          newStart: hunk.newStart,
          lines: hunk.lines.flatMap((line): RecordedLine[] => {
            const op = line[0];
            // "\ No newline at end of file" belongs to the line before it.
            return op === ' ' || op === '-' || op === '+' ? [{ op, text: line.slice(1) }] : [];
          }),
        })),
        text: formatPatch(patch).replace(/^={67}\n/, ''),
      };
    });
}

/** The part of a recorded diff that changes `path` (as its old or new name). */
export function fileDiff(diff: string, path: string): RecordedFileDiff | undefined {
  return parseRecordedDiff(diff).find((file) => file.newPath === path || file.oldPath === path);
}

/** Marks where a recorded diff leaves lines out (it keeps only 3 lines around each change). */
export const GAP_MARKER = '⋯';

/**
 * The before and after text of one file as far as the diff shows them: each
 * hunk's old and new lines, hunks separated by a line saying which lines are
 * left out. Both sides get the same separators, so a diff editor pairs the
 * hunks up.
 */
export function reconstructSides(file: RecordedFileDiff): { before: string; after: string } {
  const before: string[] = [];
  const after: string[] = [];
  let oldNext = 1;
  let newNext = 1;
  for (const hunk of file.hunks) {
    const oldFirst = Math.max(hunk.oldStart, 1);
    const newFirst = Math.max(hunk.newStart, 1);
    if (oldFirst > oldNext || newFirst > newNext) {
      const gap = `${GAP_MARKER} ${Math.max(oldFirst - oldNext, newFirst - newNext)} unchanged lines not recorded ${GAP_MARKER}`;
      before.push(gap);
      after.push(gap);
    }
    for (const line of hunk.lines) {
      if (line.op !== '+') before.push(line.text);
      if (line.op !== '-') after.push(line.text);
    }
    oldNext = oldFirst + hunk.lines.filter((line) => line.op !== '+').length;
    newNext = newFirst + hunk.lines.filter((line) => line.op !== '-').length;
  }
  const join = (lines: string[]): string => (lines.length > 0 ? `${lines.join('\n')}\n` : '');
  return { before: join(before), after: join(after) };
}

function stripSide(name: string | undefined, prefix: string): string | undefined {
  if (name === undefined || name === '/dev/null') return undefined;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}
