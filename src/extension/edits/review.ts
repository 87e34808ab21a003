import * as vscode from 'vscode';
import { sameLines } from '../../shared/diff';
import type { CheckFinding, ProposalVerdict } from '../../shared/checks';
import type { ChangeSet } from '../../shared/edits';
import { documentFile, openDocument } from './currentFile';
import { FileReview, type CurrentFile, type HunkLocation } from './fileReview';
import { proposalUri } from './proposalUri';
import type { ReviewAuditInfo } from '../audit/auditReporter';
import type { ReviewFileInfo, ReviewHandle, ReviewResult, ReviewSummary } from './types';

/** What a Review needs from its manager: every change goes through it, one at a time. */
export interface ReviewActions {
  accept(review: Review, file: ReviewFile, indices: readonly number[] | 'all'): Promise<ReviewResult>;
  reject(review: Review, file: ReviewFile, indices: readonly number[] | 'all'): Promise<ReviewResult>;
  acceptAll(review: Review): Promise<ReviewResult>;
  rejectAll(review: Review): Promise<ReviewResult>;
  verdict(review: Review): ProposalVerdict | undefined;
}

/** One file of a review: the model plus where it lives. */
export class ReviewFile {
  /** What we last read of the file (kept for callers that cannot wait). */
  cache: CurrentFile = { exists: false, text: '' };
  /** Last seen existence of the target of a move. */
  targetExists = false;
  readonly proposalUri: vscode.Uri;
  /** The empty left side of a new file's diff. */
  readonly baseUri: vscode.Uri;

  constructor(
    readonly model: FileReview,
    private readonly folder: vscode.Uri,
    reviewId: string,
  ) {
    this.proposalUri = proposalUri(reviewId, model.id, model.targetPath);
    this.baseUri = proposalUri(reviewId, model.id, model.targetPath, 'base');
  }

  get path(): string {
    return this.model.path;
  }

  /** Where the file is now (before a move: the old path). */
  get uri(): vscode.Uri {
    return resolvePath(this.folder, this.model.currentPath);
  }

  get targetUri(): vscode.Uri {
    return resolvePath(this.folder, this.model.targetPath);
  }

  /** The file now, without waiting: its open document, else what was last read. */
  current(): CurrentFile {
    const open = openDocument(this.uri);
    const current = open ? documentFile(open) : this.cache;
    return { ...current, targetExists: this.targetExists };
  }

  locate(current = this.current()): Map<number, HunkLocation> {
    return this.model.locate(current);
  }

  info(): ReviewFileInfo {
    const locations = this.locate();
    return {
      path: this.model.path,
      ...(this.model.isMove ? { moveTo: this.model.targetPath } : {}),
      kind: this.model.kind,
      state: this.model.state(locations),
      added: this.model.added,
      removed: this.model.removed,
      hunks: this.model.hunks.map((hunk) => {
        const state = this.model.hunkState(hunk, locations);
        const location = locations.get(hunk.index);
        const reason = hunk.reason ?? (location?.status === 'stale' ? location.reason : undefined);
        return state === 'stale' && reason ? { state, reason } : { state };
      }),
    };
  }

  /** The diff editor title: "math.ts ↔ Tandem proposal", with the checks' note when known ("· 2 security findings"). */
  diffTitle(note?: string): string {
    const name = basename(this.model.targetPath);
    const suffix = note ? ` · ${note}` : '';
    switch (this.model.kind) {
      case 'add':
        return `${name} (new file) ↔ Tandem proposal${suffix}`;
      case 'delete':
        return `${name} (deleted) ↔ Tandem proposal${suffix}`;
      case 'update':
        return this.model.isMove && !this.model.moved ? `${basename(this.model.path)} → ${name} ↔ Tandem proposal${suffix}` : `${name} ↔ Tandem proposal${suffix}`;
    }
  }

  /** Left and right of the diff: the real file (an empty document for a new file) and the proposal. */
  diffSides(): { left: vscode.Uri; right: vscode.Uri } {
    return { left: this.model.kind === 'add' ? this.baseUri : this.uri, right: this.proposalUri };
  }
}

let nextReviewId = 1;

/** One change set under review. Implements the handle that TandemApi.edits.propose returns. */
export class Review implements ReviewHandle {
  readonly id: string;
  readonly title: string;
  /** The files, in the change set's order. */
  readonly entries: ReviewFile[];
  /** The audit trail's id of the proposal under review (from the service, or chosen for one from the API). */
  proposalId: string | undefined;
  /** Who decides here, for the audit trail. */
  audit: ReviewAuditInfo = { actor: 'person' };
  /** Security findings the service gave with the change set (an agent's edit), so the checks need not ask for them. */
  findings: CheckFinding[] | undefined;
  private closed = false;
  private readonly finished = new vscode.EventEmitter<ReviewSummary>();
  readonly onDidFinish = this.finished.event;

  constructor(
    readonly changeSet: ChangeSet,
    readonly folder: vscode.Uri,
    title: string | undefined,
    private readonly actions: ReviewActions,
  ) {
    this.id = `r${nextReviewId++}`;
    const seen = new Set<string>();
    // A file whose lines do not change (line breaks aside) and that does not move has nothing to review.
    const changes = changeSet.changes.filter((change) => change.kind !== 'update' || change.moveTo || !sameLines(change.oldText, change.newText));
    this.entries = changes.map((change, index) => {
      checkPath(folder, change.path);
      if (change.kind === 'update' && change.moveTo) {
        checkPath(folder, change.moveTo);
      }
      const key = resolvePath(folder, change.path).toString();
      if (seen.has(key)) {
        throw new Error(`the change set changes ${change.path} twice`);
      }
      seen.add(key);
      return new ReviewFile(new FileReview(index, change), folder, this.id);
    });
    this.title = title ?? defaultTitle(this.entries);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Every change is decided. */
  get done(): boolean {
    return this.entries.every((file) => file.model.done);
  }

  file(path: string): ReviewFile | undefined {
    const normalized = path.replace(/\\/g, '/');
    return this.entries.find((file) => file.model.path === normalized || file.model.targetPath === normalized);
  }

  fileById(id: number): ReviewFile | undefined {
    return this.entries[id];
  }

  files(): ReviewFileInfo[] {
    return this.entries.map((file) => file.info());
  }

  verdict(): ProposalVerdict | undefined {
    return this.actions.verdict(this);
  }

  summary(): ReviewSummary {
    const total = this.entries.reduce((sum, file) => sum + file.model.hunks.length, 0);
    const applied = this.entries.reduce((sum, file) => sum + file.model.hunks.filter((h) => h.decision === 'accepted').length, 0);
    return { title: this.title, applied, total, files: this.files() };
  }

  /** Marks the review finished (once) and tells the listeners. */
  finish(): ReviewSummary | undefined {
    if (this.closed) {
      return undefined;
    }
    this.closed = true;
    const summary = this.summary();
    this.finished.fire(summary);
    this.finished.dispose();
    return summary;
  }

  diffUris(path: string): { actual: vscode.Uri; proposal: vscode.Uri } | undefined {
    const file = this.file(path);
    return file && { actual: file.uri, proposal: file.proposalUri };
  }

  acceptHunk(path: string, index: number): Promise<ReviewResult> {
    return this.withFile(path, (file) => this.actions.accept(this, file, [index]));
  }

  rejectHunk(path: string, index: number): Promise<ReviewResult> {
    return this.withFile(path, (file) => this.actions.reject(this, file, [index]));
  }

  acceptFile(path: string): Promise<ReviewResult> {
    return this.withFile(path, (file) => this.actions.accept(this, file, 'all'));
  }

  rejectFile(path: string): Promise<ReviewResult> {
    return this.withFile(path, (file) => this.actions.reject(this, file, 'all'));
  }

  acceptAll(): Promise<ReviewResult> {
    return this.actions.acceptAll(this);
  }

  rejectAll(): Promise<ReviewResult> {
    return this.actions.rejectAll(this);
  }

  private async withFile(path: string, run: (file: ReviewFile) => Promise<ReviewResult>): Promise<ReviewResult> {
    const file = this.file(path);
    if (!file) {
      return { applied: 0, rejected: 0, refused: [], error: `${path} is not part of this proposal` };
    }
    return run(file);
  }
}

/** `path` relative to `folder` ('/' separators), or as given when absolute. */
export function resolvePath(folder: vscode.Uri, path: string): vscode.Uri {
  if (isAbsolute(path)) {
    return vscode.Uri.file(path);
  }
  return vscode.Uri.joinPath(folder, ...path.replace(/\\/g, '/').split('/').filter((part) => part !== '' && part !== '.'));
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

function checkPath(folder: vscode.Uri, path: string): void {
  if (isAbsolute(path)) {
    return;
  }
  let depth = 0;
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) {
      throw new Error(`${path} is outside the workspace folder ${folder.fsPath}`);
    }
  }
}

function basename(path: string): string {
  return path.replace(/\\/g, '/').split('/').pop() ?? path;
}

function defaultTitle(files: readonly ReviewFile[]): string {
  const only = files.length === 1 ? files[0] : undefined;
  if (only) {
    return `Proposed change to ${basename(only.model.targetPath)}`;
  }
  return `Proposed changes to ${files.length} files`;
}
