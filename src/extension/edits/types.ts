import type * as vscode from 'vscode';
import type { CheckFinding } from '../../shared/checks';
import type { ProposalVerdict } from '../../shared/checks';
import type { ReviewAuditInfo } from '../audit/auditReporter';
import type { FileState, HunkState } from './fileReview';

export type { FileState, HunkState } from './fileReview';

/** One file of a review as the API reports it. */
export interface ReviewFileInfo {
  /** The path the proposal names (relative to the review's folder). */
  path: string;
  /** The new path, for a file the proposal moves. */
  moveTo?: string;
  kind: 'update' | 'add' | 'delete';
  state: FileState;
  /** Lines added and removed by the whole proposal for this file. */
  added: number;
  removed: number;
  hunks: Array<{ state: HunkState; reason?: string }>;
}

/** What one accept or reject did. */
export interface ReviewResult {
  /** Changes (hunks) applied to the workspace by this call. */
  applied: number;
  /** Changes rejected by this call. */
  rejected: number;
  /** Changes that were asked for but not applied, and why, in plain words. */
  refused: Array<{ path: string; hunk: number; reason: string }>;
  /** Set when the call changed nothing for a reason other than stale changes (unknown file, nothing pending, VS Code declined the edit). */
  error?: string;
  /** What the person was told, if anything. */
  message?: string;
}

/** How a review ended. */
export interface ReviewSummary {
  title: string;
  /** Changes applied, of all the changes in the proposal. */
  applied: number;
  total: number;
  files: ReviewFileInfo[];
}

/** An open review of one change set: what TandemApi.edits.propose resolves to. */
export interface ReviewHandle {
  readonly id: string;
  readonly title: string;
  /** The workspace folder the paths are relative to. */
  readonly folder: vscode.Uri;
  /** False once every change is decided (or the review was closed). */
  readonly isOpen: boolean;
  files(): ReviewFileInfo[];
  /** What the checks on the proposal found so far (docs/checks.md); undefined when it is not checked (yet). */
  verdict(): ProposalVerdict | undefined;
  acceptHunk(path: string, index: number): Promise<ReviewResult>;
  rejectHunk(path: string, index: number): Promise<ReviewResult>;
  acceptFile(path: string): Promise<ReviewResult>;
  rejectFile(path: string): Promise<ReviewResult>;
  /** All pending changes as one edit, or none of them when any no longer fits. */
  acceptAll(): Promise<ReviewResult>;
  rejectAll(): Promise<ReviewResult>;
  /** The URIs of a file's diff: the real file (left) and the read-only proposal (right). */
  diffUris(path: string): { actual: vscode.Uri; proposal: vscode.Uri } | undefined;
  readonly onDidFinish: vscode.Event<ReviewSummary>;
}

/**
 * What CodeLens, hover links and tree items pass to the review commands.
 * Without it a command acts on the active review editor (the change at the
 * cursor), an editor title button passes the editor's URI.
 */
export interface ReviewRef {
  reviewId: string;
  fileId?: number;
  hunk?: number;
}

export interface ReviewOptions {
  /** Shown in the tree and in messages, e.g. "Fixing math.ts". */
  title?: string;
  /** Open the first file's diff (default true). */
  reveal?: boolean;
  /** For the audit trail: who decides (default the person) and the agent task and step it belongs to. */
  audit?: ReviewAuditInfo;
  /** The change set comes from another extension (Tandem's API): the audit records it as a proposal of its own. */
  fromApi?: boolean;
  /** The security findings, when the service already checked the change set (an agent's edit): the review does not ask again. */
  findings?: CheckFinding[];
}
