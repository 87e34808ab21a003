import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { ProposalVerdict } from '../../shared/checks';
import type { ChangeSet } from '../../shared/edits';
import type { DecisionOutcome, DecisionScope } from '../../shared/vocabulary';
import { NO_AUDIT_REPORTER, sha256Text, type AuditReporter } from '../audit/auditReporter';
import { applyPlans, checkResult, refuseIfOnlyStaleLeft } from './applyPlans';
import { documentFile, exists, readCurrent } from './currentFile';
import type { ReviewChecks } from './checksHook';
import type { CurrentFile, FilePlan, HunkLayout } from './fileReview';
import { acceptAllRefusedMessage, refusalMessage, summaryMessage, type Refusal } from './messages';
import { PROPOSAL_SCHEME, parseProposalUri } from './proposalUri';
import { Review, ReviewFile, type ReviewActions } from './review';
import { activeDiffUri, closeDiff, waitUntil } from './reviewTabs';
import type { ReviewOptions, ReviewResult } from './types';
import type { PlannedFile } from './workspaceEdit';

/** Shown while at least one review is open (the Proposed Changes view). */
export const REVIEW_ACTIVE_CONTEXT = 'tandem.review.active';
/** The active editor is a review diff (keybindings). */
export const IN_REVIEW_CONTEXT = 'tandem.review.inReview';

/**
 * Reviews of proposed change sets: opens each file as a diff (the real file
 * left, the read-only proposal right), applies what the person accepts as
 * one WorkspaceEdit, refuses what no longer fits the file. Nothing reaches
 * the workspace before the person accepts it, and a change is only applied
 * where its old lines are still exactly what the person has.
 */
export class ReviewManager implements vscode.Disposable, ReviewActions {
  private readonly open_: Review[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** Decisions run one at a time: each one reads, plans and applies against the text as it is then. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<void>();
  /** The reviews, their files or the files' texts changed: views refresh. */
  readonly onDidChange = this.changed.event;
  private readonly proposalChanged = new vscode.EventEmitter<vscode.Uri>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly toRefresh = new Set<ReviewFile>();
  private readonly contexts = new Map<string, boolean>();
  private readonly opened = new vscode.EventEmitter<Review>();
  /** A review opened (whatever opened it): the checks start here. Its `onDidFinish` says when it ends. */
  readonly onDidOpenReview = this.opened.event;
  /** The checks on proposals, once wired (registerReviews): Accept asks them first, titles show their verdict. */
  checks: ReviewChecks | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly audit: AuditReporter = NO_AUDIT_REPORTER,
  ) {
    this.disposables.push(
      this.changed,
      this.opened,
      this.proposalChanged,
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, {
        onDidChange: this.proposalChanged.event,
        provideTextDocumentContent: (uri) => this.proposalText(uri),
      }),
      vscode.workspace.onDidChangeTextDocument((event) => this.documentChanged(event.document)),
      vscode.workspace.onDidOpenTextDocument((document) => this.documentChanged(document)),
      vscode.workspace.onDidCreateFiles(() => void this.rereadAll()),
      vscode.workspace.onDidDeleteFiles(() => void this.rereadAll()),
      vscode.workspace.onDidRenameFiles(() => void this.rereadAll()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.updateInReview()),
      vscode.window.tabGroups.onDidChangeTabGroups(() => this.updateInReview()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateInReview()),
    );
    this.setContext(REVIEW_ACTIVE_CONTEXT, false);
    this.setContext(IN_REVIEW_CONTEXT, false);
  }

  /** Open reviews, oldest first. */
  get reviews(): readonly Review[] {
    return this.open_;
  }

  /**
   * Opens a review of `changeSet`, whose paths are relative to `folder`: the
   * first file's diff opens without taking focus, the rest are listed in the
   * Proposed Changes view. Throws for a path outside the folder.
   */
  async open(changeSet: ChangeSet, folder: vscode.Uri, options: ReviewOptions = {}): Promise<Review> {
    const review = new Review(changeSet, folder, options.title, this);
    review.proposalId = changeSet.proposalId;
    if (options.audit) review.audit = options.audit;
    if (options.findings) review.findings = options.findings;
    if (options.fromApi && review.proposalId === undefined) {
      // Not proposed by the service: the trail learns of it here, under an id chosen here.
      review.proposalId = `api-${randomUUID()}`;
      this.audit.proposal({ proposalId: review.proposalId, origin: 'api', ...(options.title ? { title: options.title } : {}), changeSet, ...this.links(review) });
    }
    await Promise.all(review.entries.map((file) => this.read(file)));
    if (review.done) {
      // Nothing to decide (every file's new text equals its old text).
      const summary = review.finish();
      vscode.window.setStatusBarMessage(summaryMessage(0, summary?.total ?? 0), 8_000);
      return review;
    }
    this.open_.push(review);
    this.log.info(`Review ${review.id} opened: "${review.title}", ${review.entries.length} file(s)`);
    this.setContext(REVIEW_ACTIVE_CONTEXT, true);
    this.opened.fire(review);
    this.changed.fire();
    if (options.reveal !== false) {
      const first = review.entries.find((file) => !file.model.done);
      if (first) {
        // The security verdict takes milliseconds: the first diff's title shows it.
        await this.checks?.whenChecked(review, 1_000);
        await this.showFile(first, { preserveFocus: true });
      }
    }
    return review;
  }

  review(id: string): Review | undefined {
    return this.open_.find((review) => review.id === id);
  }

  /** The review file a URI shows: a proposal document, or a file under review (newest review first). */
  findByUri(uri: vscode.Uri): { review: Review; file: ReviewFile } | undefined {
    const ref = parseProposalUri(uri);
    if (ref) {
      const review = this.review(ref.reviewId);
      const file = review?.fileById(ref.fileId);
      return review && file ? { review, file } : undefined;
    }
    const key = uri.toString();
    for (const review of [...this.open_].reverse()) {
      const file = review.entries.find((entry) => !entry.model.done && entry.uri.toString() === key);
      if (file) {
        return { review, file };
      }
    }
    return undefined;
  }

  /** The review the person is looking at (its diff is the active editor), else the newest. */
  currentReview(): Review | undefined {
    const active = activeDiffUri();
    const found = active && this.findByUri(active);
    return found?.review ?? this.open_[this.open_.length - 1];
  }

  /** The proposal text and where each pending hunk shows, as of now. */
  layout(file: ReviewFile): { text: string; hunks: HunkLayout[] } {
    const { text, layout } = file.model.proposal(file.current());
    return { text, hunks: layout };
  }

  // ---- decisions (ReviewActions) ----

  async accept(review: Review, file: ReviewFile, indices: readonly number[] | 'all'): Promise<ReviewResult> {
    if (review.isOpen && this.checks) {
      const hunks = indices === 'all' ? file.model.pending().map((hunk) => hunk.index) : indices;
      if (!(await this.checks.mayAccept(review, [{ file, hunks }]))) return keptResult();
    }
    return this.serial(async () => {
      if (!review.isOpen) return closedResult();
      const wanted = indices === 'all' ? file.model.pending().map((hunk) => hunk.index) : indices;
      const unknown = wanted.find((index) => !file.model.hunks[index]);
      if (unknown !== undefined) {
        return { applied: 0, rejected: 0, refused: [], error: `${file.path} has no change ${unknown}` };
      }
      // Every index is known (checked above).
      if (!wanted.some((index) => file.model.hunks[index]?.decision === 'pending')) {
        return { applied: 0, rejected: 0, refused: [], error: `nothing left to decide in ${file.path} for that change` };
      }
      let plan: FilePlan | undefined;
      let before: CurrentFile;
      for (let attempt = 0; ; attempt++) {
        await this.read(file);
        // Plan against the text as it is at this moment: the person may have typed since the proposal.
        before = file.current();
        plan = file.model.plan(before, wanted);
        if (plan.operation === 'none') break;
        const error = await applyPlans([{ plan, uri: file.uri, target: file.targetUri }], this.log);
        if (!error) break;
        if (attempt > 0 || error.kind !== 'declined') {
          return { applied: 0, rejected: 0, refused: [], error: error.message, message: this.warn(error.message) };
        }
        // VS Code refuses edits planned on an older version of a document: the person typed meanwhile. Plan again.
      }
      if (plan.operation !== 'none') {
        file.model.commit(plan);
        checkResult(file, plan, this.log);
      }
      const scope: DecisionScope = indices === 'all' ? 'file' : 'change';
      this.reportDecision(review, file, scope, 'accepted', plan.apply);
      this.reportWrite(review, file, before, plan);
      let refused: Refusal[] = plan.refuse.map(({ index, reason }) => ({ path: file.path, hunk: index, reason }));
      if (indices === 'all') {
        // Accept File: what no longer fits is refused for good; the file is done.
        file.model.decide(
          refused.map((r) => r.hunk),
          'refused',
          new Map(refused.map((r) => [r.hunk, r.reason])),
        );
      } else if (plan.operation !== 'none') {
        refused = [...refused, ...refuseIfOnlyStaleLeft(file)];
      }
      this.reportRefused(review, scope, refused);
      const message = refused.length ? this.warn(refusalMessage(refused)) : undefined;
      await this.afterDecision(review, [file], plan.rename !== undefined);
      return { applied: plan.apply.length, rejected: 0, refused, ...(message ? { message } : {}) };
    });
  }

  reject(review: Review, file: ReviewFile, indices: readonly number[] | 'all'): Promise<ReviewResult> {
    return this.serial(async () => {
      if (!review.isOpen) return closedResult();
      const wanted = indices === 'all' ? file.model.pending().map((hunk) => hunk.index) : indices;
      const pending = wanted.filter((index) => file.model.hunks[index]?.decision === 'pending');
      const rejected = file.model.decide(wanted, 'rejected');
      if (rejected === 0) {
        return { applied: 0, rejected: 0, refused: [], error: `nothing left to decide in ${file.path} for that change` };
      }
      const scope: DecisionScope = indices === 'all' ? 'file' : 'change';
      this.reportDecision(review, file, scope, 'rejected', pending);
      await this.read(file);
      const refused = refuseIfOnlyStaleLeft(file);
      this.reportRefused(review, scope, refused);
      const message = refused.length ? this.warn(refusalMessage(refused)) : undefined;
      await this.afterDecision(review, [file], false);
      return { applied: 0, rejected, refused, ...(message ? { message } : {}) };
    });
  }

  async acceptAll(review: Review): Promise<ReviewResult> {
    if (review.isOpen && this.checks) {
      const selection = review.entries.filter((file) => !file.model.done).map((file) => ({ file, hunks: file.model.pending().map((hunk) => hunk.index) }));
      if (!(await this.checks.mayAccept(review, selection))) return keptResult();
    }
    return this.serial(async () => {
      if (!review.isOpen) return closedResult();
      const files = review.entries.filter((file) => !file.model.done);
      for (let attempt = 0; ; attempt++) {
        await Promise.all(files.map((file) => this.read(file)));
        // All or nothing: one stale change anywhere refuses the whole set.
        const refused: Refusal[] = [];
        const planned: PlannedFile[] = [];
        const befores = new Map<ReviewFile, CurrentFile>();
        for (const file of files) {
          befores.set(file, file.current());
          const plan = file.model.plan(
            file.current(),
            file.model.pending().map((hunk) => hunk.index),
          );
          refused.push(...plan.refuse.map(({ index, reason }) => ({ path: file.path, hunk: index, reason })));
          planned.push({ plan, uri: file.uri, target: file.targetUri });
        }
        if (refused.length > 0) {
          this.reportRefused(review, 'set', refused);
          const message = this.warn(acceptAllRefusedMessage([...new Set(refused.map((r) => r.path))]));
          this.changed.fire();
          return { applied: 0, rejected: 0, refused, message };
        }
        const error = await applyPlans(planned.filter((entry) => entry.plan.operation !== 'none'), this.log);
        if (error) {
          if (attempt > 0 || error.kind !== 'declined') {
            return { applied: 0, rejected: 0, refused: [], error: error.message, message: this.warn(error.message) };
          }
          continue;
        }
        let applied = 0;
        for (const { plan } of planned) {
          plan.file.commit(plan);
          applied += plan.apply.length;
        }
        for (const { plan } of planned) {
          const file = files.find((entry) => entry.model === plan.file);
          if (!file) continue;
          checkResult(file, plan, this.log);
          this.reportDecision(review, file, 'set', 'accepted', plan.apply);
          this.reportWrite(review, file, befores.get(file), plan);
        }
        await this.afterDecision(review, files, false);
        return { applied, rejected: 0, refused: [] };
      }
    });
  }

  rejectAll(review: Review): Promise<ReviewResult> {
    return this.serial(async () => {
      if (!review.isOpen) return closedResult();
      let rejected = 0;
      for (const file of review.entries) {
        const pending = file.model.pending().map((hunk) => hunk.index);
        rejected += file.model.decide(pending, 'rejected');
        this.reportDecision(review, file, 'set', 'rejected', pending);
      }
      await this.afterDecision(review, review.entries, false);
      return { applied: 0, rejected, refused: [] };
    });
  }

  verdict(review: Review): ProposalVerdict | undefined {
    return this.checks?.verdict(review);
  }

  // ---- the audit trail ----

  private links(review: Review): { task?: string; step?: string } {
    const { task, step } = review.audit;
    return { ...(task ? { task } : {}), ...(step ? { step } : {}) };
  }

  private reportDecision(review: Review, file: ReviewFile, scope: DecisionScope, decision: DecisionOutcome, hunks: readonly number[], reason?: string): void {
    if (hunks.length === 0) return;
    this.audit.decision({
      ...(review.proposalId ? { proposalId: review.proposalId } : {}),
      reviewId: review.id,
      actor: review.audit.actor,
      scope,
      decision,
      path: file.path,
      hunks: [...hunks],
      ...(reason ? { reason } : {}),
      ...this.links(review),
    });
  }

  /** Changes asked for that no longer fit their file: one decision per file and reason. */
  private reportRefused(review: Review, scope: DecisionScope, refused: readonly Refusal[]): void {
    const groups = new Map<string, Refusal[]>();
    for (const refusal of refused) {
      const key = `${refusal.path}\u0000${refusal.reason}`;
      groups.set(key, [...(groups.get(key) ?? []), refusal]);
    }
    for (const group of groups.values()) {
      const first = group[0];
      const file = first && review.entries.find((entry) => entry.path === first.path);
      if (file && first) this.reportDecision(review, file, scope, 'refused', group.map((refusal) => refusal.hunk), first.reason);
    }
  }

  /** What landed: the file's SHA-256 before (as planned against) and after. */
  private reportWrite(review: Review, file: ReviewFile, before: CurrentFile | undefined, plan: FilePlan): void {
    if (plan.operation === 'none') return;
    const after = plan.operation === 'delete' ? undefined : plan.resultText;
    this.audit.write({
      ...(review.proposalId ? { proposalId: review.proposalId } : {}),
      reviewId: review.id,
      actor: review.audit.actor,
      path: file.path,
      ...(plan.rename ? { moveTo: plan.rename.to } : {}),
      operation: plan.operation,
      ...(before?.exists ? { sha256Before: sha256Text(before.text) } : {}),
      ...(after !== undefined ? { sha256After: sha256Text(after), bytes: Buffer.byteLength(after) } : {}),
      ...this.links(review),
    });
  }

  // ---- editors ----

  /** Opens a file's review diff (or the file itself once it is decided). */
  async showFile(file: ReviewFile, options: { preserveFocus: boolean; preview?: boolean }): Promise<void> {
    const showOptions: vscode.TextDocumentShowOptions = { preserveFocus: options.preserveFocus, preview: options.preview ?? true };
    if (file.model.done) {
      if (file.model.kind !== 'delete' && (await exists(file.uri))) {
        await vscode.commands.executeCommand('vscode.open', file.uri, showOptions);
      }
      return;
    }
    const { left, right } = file.diffSides();
    await vscode.commands.executeCommand('vscode.diff', left, right, this.diffTitle(file), showOptions);
    // The extension host learns about the new active editor a moment later; commands that follow need it.
    const shown = [left.toString(), right.toString()];
    await waitUntil(() => shown.includes(vscode.window.activeTextEditor?.document.uri.toString() ?? ''), 2_000);
    this.updateInReview();
  }

  /** A file's diff title, with the checks' note on its review when known. */
  diffTitle(file: ReviewFile): string {
    const review = this.open_.find((candidate) => candidate.entries.includes(file));
    return file.diffTitle(review && this.checks?.titleNote(review));
  }

  /** After decisions: refresh, close what is decided, open the next file, finish the review when all is decided. */
  private async afterDecision(review: Review, files: readonly ReviewFile[], moved: boolean): Promise<void> {
    let closedActive = false;
    for (const file of files) {
      if (file.model.done) {
        closedActive = (await closeDiff(file)) || closedActive;
      } else if (moved && (await closeDiff(file))) {
        // The left side was the old path: show the diff again on the new one.
        await this.showFile(file, { preserveFocus: false });
      }
    }
    this.refreshFiles(review.entries);
    if (review.done) {
      this.finish(review);
      return;
    }
    if (closedActive) {
      const next = review.entries.find((file) => !file.model.done);
      if (next) {
        // The person was reviewing in that editor: keep them in the review.
        await this.showFile(next, { preserveFocus: false });
      }
    }
  }

  private finish(review: Review): void {
    const index = this.open_.indexOf(review);
    if (index >= 0) {
      this.open_.splice(index, 1);
    }
    for (const file of review.entries) {
      void closeDiff(file);
    }
    const summary = review.finish();
    if (summary) {
      this.log.info(`Review ${review.id} finished: ${summary.applied} of ${summary.total} change(s) applied`);
      vscode.window.setStatusBarMessage(summaryMessage(summary.applied, summary.total), 10_000);
    }
    this.setContext(REVIEW_ACTIVE_CONTEXT, this.open_.length > 0);
    this.updateInReview();
    this.changed.fire();
  }

  // ---- the files' current texts ----

  private async read(file: ReviewFile): Promise<CurrentFile> {
    file.cache = await readCurrent(file.uri);
    if (file.model.isMove && !file.model.moved) {
      file.targetExists = await exists(file.targetUri);
    }
    return file.current();
  }

  private async rereadAll(): Promise<void> {
    const files = this.open_.flatMap((review) => review.entries.filter((file) => !file.model.done));
    await Promise.all(files.map((file) => this.read(file).catch(() => undefined)));
    this.refreshFiles(files);
  }

  private documentChanged(document: vscode.TextDocument): void {
    if (document.uri.scheme === PROPOSAL_SCHEME || this.open_.length === 0) {
      return;
    }
    const key = document.uri.toString();
    const files = this.open_.flatMap((review) => review.entries.filter((file) => file.uri.toString() === key));
    if (files.length === 0) {
      return;
    }
    for (const file of files) {
      file.cache = documentFile(document);
      this.toRefresh.add(file);
    }
    // Typing fires often: refresh the proposals a moment later, once.
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      const batch = [...this.toRefresh];
      this.toRefresh.clear();
      this.refreshFiles(batch);
    }, 60);
  }

  private refreshFiles(files: readonly ReviewFile[]): void {
    for (const file of files) {
      this.proposalChanged.fire(file.proposalUri);
    }
    this.changed.fire();
  }

  private proposalText(uri: vscode.Uri): string {
    const ref = parseProposalUri(uri);
    if (!ref || ref.side === 'base') {
      return '';
    }
    const file = this.review(ref.reviewId)?.fileById(ref.fileId);
    if (!file) {
      return '';
    }
    return this.layout(file).text;
  }

  // ---- context keys ----

  private updateInReview(): void {
    const active = activeDiffUri();
    this.setContext(IN_REVIEW_CONTEXT, active !== undefined && this.findByUri(active) !== undefined);
  }

  private setContext(key: string, value: boolean): void {
    if (this.contexts.get(key) === value) return;
    this.contexts.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  private warn(message: string): string {
    void vscode.window.showWarningMessage(message);
    return message;
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function closedResult(): ReviewResult {
  return { applied: 0, rejected: 0, refused: [], error: 'this review is already finished' };
}

/** The person chose Cancel when asked about the proposal's security findings. */
function keptResult(): ReviewResult {
  return { applied: 0, rejected: 0, refused: [], error: 'not accepted: the person chose not to accept changes with security findings' };
}
