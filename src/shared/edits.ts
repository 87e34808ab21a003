/**
 * Proposed edits as plain JSON, shared by the edit engine (model service), the
 * review UI (extension) and the `tandem apply-patch` command. A change set is
 * whole-file: each change carries the text the proposal was computed from and
 * the text it proposes, so the reviewer can diff, re-locate hunks on a
 * document that changed since, and refuse what no longer fits.
 */

/** The model output formats the edit engine understands. */
export type EditFormat = 'applyPatch' | 'searchReplace' | 'unifiedDiff' | 'codeBlock';

/**
 * One file's proposed change. Paths are relative to the workspace folder (or
 * the `--cwd` of `tandem apply-patch`) with '/' separators; an absolute path is
 * kept as given.
 */
export type FileChange =
  | {
      kind: 'update';
      path: string;
      /** The file's text the proposal was made against. */
      oldText: string;
      newText: string;
      /** Set when the file is also renamed (apply_patch `*** Move to:`). */
      moveTo?: string;
    }
  | { kind: 'add'; path: string; newText: string }
  | { kind: 'delete'; path: string; oldText: string };

/** A set of file changes that land together or not at all. */
export interface ChangeSet {
  format: EditFormat;
  changes: FileChange[];
  /**
   * The audit trail's id of this proposal, set by the service when it
   * records the proposal; the reviewer reports its decisions and writes
   * with it (docs/audit.md).
   */
  proposalId?: string;
}

/** Why a proposal (or one block of it) was refused. */
export type EditFailureKind =
  /** The text is not in any supported format. */
  | 'unparseable'
  /** The context/search lines were not found in the file. */
  | 'notFound'
  /** The context/search lines match in more than one place. */
  | 'ambiguous'
  /** Applying would delete code in place of an elision placeholder ("... existing code ..."). */
  | 'placeholder'
  /** The answer looks cut off: an unterminated patch or block, or a whole-file rewrite that ends early. */
  | 'truncation'
  /** Applying would write an edit-format marker line (SEARCH/REPLACE, patch or diff structure) into a file. */
  | 'marker'
  /** The file to update or delete does not exist, or a file to add already does. */
  | 'missingFile'
  | 'fileExists'
  /** A path outside the workspace (or `..` escaping it). */
  | 'badPath';

export interface EditFailure {
  kind: EditFailureKind;
  /** File the failure is about, when there is one. */
  path?: string;
  /** 1-based index of the block (hunk, SEARCH/REPLACE block, file section) in the model output. */
  block?: number;
  /**
   * Plain words for a person and for a model, self-contained: which file,
   * which block, the lines that could not be found, the closest candidate or
   * the candidates' line numbers.
   */
  message: string;
  /** The lines that could not be located. */
  lines?: string[];
  /** 1-based line numbers where ambiguous context matched. */
  candidates?: number[];
  /** For `notFound`: the most similar place in the file. */
  closest?: { line: number; text: string };
}

export type EditOutcome = { ok: true; changeSet: ChangeSet } | { ok: false; failures: EditFailure[] };
