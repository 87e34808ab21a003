/**
 * The engine's intermediate form: every supported format is parsed into a
 * list of file operations made of hunks, which one locator and one applier
 * then turn into a ChangeSet. Internal to src/server/edits.
 */
import type { HunkLine } from '../../shared/diff';
import type { EditFailure } from '../../shared/edits';

/**
 * The lines of a hunk. `ops` when the format marks each line (apply_patch,
 * unified diff); `pair` for SEARCH/REPLACE and selection code blocks, where
 * context is found by diffing the two sides after line numbers are stripped.
 */
export type HunkBody = { kind: 'ops'; ops: HunkLine[] } | { kind: 'pair'; search: string[]; replace: string[] };

/**
 * One piece of a file update as the model wrote it, still to be located in
 * the file (unlike the review's DiffHunk, computed between two known texts).
 */
export interface PatchHunk {
  /** 1-based index of the block in the whole model output. */
  block: number;
  /** How messages name it: "hunk" (patch, diff) or "SEARCH/REPLACE block". */
  label: 'hunk' | 'SEARCH/REPLACE block';
  body: HunkBody;
  /** apply_patch `@@ line` headers: the hunk comes after these lines (in this order). */
  anchors?: string[];
  /** True when the anchors only break ties (unified diff section headings). */
  anchorsOptional?: boolean;
  /** apply_patch `*** End of File`: the hunk's old lines end the file. */
  atEnd?: boolean;
  /** apply_patch: a hunk without context or `@@` line appends to the file. */
  appendWithoutContext?: boolean;
  /** 1-based line the hunk claims to start at (unified diff header, Roo `:start_line:`). */
  lineHint?: number;
  /** Unified diff `\ No newline at end of file` after an old-side line. */
  oldNoFinalNewline?: boolean;
  /** Unified diff `\ No newline at end of file` after a new-side line. */
  newNoFinalNewline?: boolean;
}

/** A file-level operation parsed from the model output. */
export type FileOp =
  | {
      kind: 'update';
      path: string;
      block: number;
      hunks: PatchHunk[];
      moveTo?: string;
      /** SEARCH/REPLACE: an empty SEARCH may create a missing file or fill an empty one. */
      emptySearchCreates?: boolean;
    }
  | { kind: 'add'; path: string; block: number; lines: string[]; finalNewline: boolean }
  | { kind: 'delete'; path: string; block: number }
  | {
      kind: 'write';
      path: string;
      block: number;
      /** The code block's lines. */
      lines: string[];
      /** 0-based [startLine, endLine) to replace; whole file when absent. */
      selection?: { startLine: number; endLine: number };
      /** The code block's fence was never closed: the answer was probably cut off. */
      unclosed?: boolean;
    };

/** What a parser returns: the operations it understood and what it could not. */
export interface ParseResult {
  ops: FileOp[];
  failures: EditFailure[];
}
