import type * as vscode from 'vscode';
import type { ProposalVerdict } from '../../shared/checks';
import type { Review, ReviewFile } from './review';

/** One finding or project problem under a file in the Proposed Changes view. */
export interface CheckItem {
  /** "sql-injection (high)", "typecheck: error". */
  label: string;
  /** "line 12 · SQL built from values …". */
  description: string;
  /** Why and how to fix it (Markdown-free plain text). */
  tooltip: string;
  severity: 'high' | 'medium' | 'low' | 'error' | 'warning';
  /** 0-based line in the proposal document as it is now; undefined when that line is no longer shown. */
  line: number | undefined;
}

/** The verdict of a review in a few words, and how it looks. */
export interface VerdictSummary {
  text: string;
  state: 'checking' | 'passed' | 'findings' | 'failed';
  tooltip: string;
}

/**
 * What the reviews ask of the checks on a proposal (src/extension/checks),
 * when they are wired: whether an Accept may go ahead, and what to show. The
 * reviews work the same without them (tests, a manager built alone).
 */
export interface ReviewChecks {
  readonly onDidChange: vscode.Event<void>;
  /** Resolves true when accepting these changes may go ahead (asks the person when they hold a high-severity finding). */
  mayAccept(review: Review, selection: ReadonlyArray<{ file: ReviewFile; hunks: readonly number[] }>): Promise<boolean>;
  /** Resolves once the security verdict is in, or after `waitMs`. */
  whenChecked(review: Review, waitMs: number): Promise<void>;
  /** A few words for a diff title ("2 security findings"), when known. */
  titleNote(review: Review): string | undefined;
  summary(review: Review): VerdictSummary | undefined;
  /** The verdict so far, or the last one once the review ended. */
  verdict(review: Review): ProposalVerdict | undefined;
  fileItems(review: Review, file: ReviewFile): CheckItem[];
}
