/**
 * The checks on proposals, shown where the person reviews (docs/checks.md):
 * starts the verification of every review that opens and ends it with the
 * review; puts the findings and the project's problems on the proposal side
 * of the diffs as diagnostics (source "Tandem checks", code the rule), kept
 * on the right lines as the proposal document is laid out again; shows the
 * verdict in a status bar item while a review diff is active; and answers
 * the reviews' questions (ReviewChecks): may an Accept go ahead, what do the
 * title and the Proposed Changes view say.
 */
import * as vscode from 'vscode';
import type { CheckFinding, ProjectCheckProblem, ProposalVerdict } from '../../shared/checks';
import { splitLines } from '../../shared/diff';
import type { CheckItem, ReviewChecks, VerdictSummary } from '../edits/checksHook';
import type { Review, ReviewFile } from '../edits/review';
import type { ReviewManager } from '../edits/reviewManager';
import { activeDiffUri } from '../edits/reviewTabs';
import { hunkOfLine, LineMap } from './lineMap';
import { summarize } from './summary';
import type { ProposalVerification, VerificationState } from './verification';

export const CHECKS_SOURCE = 'Tandem checks';

/** One thing to show on a file: a finding, or a project check's problem (its check's name as the code). */
interface Placed {
  code: string;
  severity: CheckItem['severity'];
  /** 0-based line in the proposed text. */
  line: number;
  column?: number;
  message: string;
  finding?: CheckFinding;
}

export class ReviewChecksController implements ReviewChecks, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('tandem-checks');
  private readonly status = vscode.window.createStatusBarItem('tandem.checks.verdict', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly manager: ReviewManager,
    private readonly verification: ProposalVerification,
  ) {
    this.status.name = 'Tandem: Checks on the Proposal';
    this.disposables.push(
      this.changed,
      this.diagnostics,
      this.status,
      manager.onDidOpenReview((review) => this.opened(review)),
      // The proposal documents were laid out again (typing, decisions): the lines move with them.
      manager.onDidChange(() => this.refresh()),
      this.verification.onDidChange(() => {
        this.refresh();
        this.changed.fire();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.updateStatus()),
    );
  }

  private opened(review: Review): void {
    const { actor, task, step } = review.audit;
    this.verification.start({
      id: review.id,
      folder: review.folder,
      changeSet: review.changeSet,
      actor,
      ...(review.proposalId ? { proposalId: review.proposalId } : {}),
      ...(task ? { task } : {}),
      ...(step ? { step } : {}),
      ...(review.findings ? { findings: review.findings } : {}),
    });
    const ended = review.onDidFinish(() => {
      ended.dispose();
      this.verification.end(review.id);
    });
  }

  // ---- ReviewChecks ----

  mayAccept(review: Review, selection: ReadonlyArray<{ file: ReviewFile; hunks: readonly number[] }>): Promise<boolean> {
    return this.verification.mayAccept(review.id, (findings) =>
      findings.filter((finding) => {
        const chosen = selection.find(({ file }) => file.model.targetPath === finding.path);
        if (!chosen) return false;
        const hunk = hunkOfLine(chosen.file.model.hunks, finding.line - 1);
        // A finding outside the changes (it should not happen: the checks read added lines) counts for the whole file.
        return hunk === undefined || chosen.hunks.includes(hunk);
      }),
    );
  }

  async whenChecked(review: Review, waitMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.verification.securityVerdict(review.id), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  titleNote(review: Review): string | undefined {
    const state = this.verification.state(review.id);
    if (!state || state.security !== 'done') return undefined;
    const count = state.verdict.findings.length;
    // The title cannot change once the diff is open: it says only what will not change (the project's checks are in the status bar and the view).
    return count > 0 ? `${count} security finding${count === 1 ? '' : 's'}` : 'no security findings';
  }

  verdict(review: Review): ProposalVerdict | undefined {
    return this.verification.verdict(review.id);
  }

  summary(review: Review): VerdictSummary | undefined {
    const state = this.verification.state(review.id);
    return state && summarize(state);
  }

  fileItems(review: Review, file: ReviewFile): CheckItem[] {
    const state = this.verification.state(review.id);
    if (!state || file.model.done || file.model.kind === 'delete') return [];
    const placed = placedOn(state, file.model.targetPath);
    if (placed.length === 0) return [];
    const map = this.lineMap(file);
    return placed.map((item) => {
      const line = map.map(item.line);
      return {
        label: item.finding ? `${item.code} (${item.severity})` : `${item.code}: ${item.severity}`,
        // The line as the proposal side shows it now.
        description: `${line === undefined ? '' : `line ${line + 1} · `}${item.finding ? item.finding.why : item.message}`,
        tooltip: item.message,
        severity: item.severity,
        line,
      };
    });
  }

  /** Where a finding is on the proposal side now ("src/db.ts:14"), for the question before Accept. */
  where(reviewId: string, finding: CheckFinding): string {
    const review = this.manager.review(reviewId);
    const file = review?.entries.find((entry) => entry.model.targetPath === finding.path && !entry.model.done && entry.model.kind !== 'delete');
    const line = file ? this.lineMap(file).map(finding.line - 1) : undefined;
    return `${finding.path}:${line === undefined ? finding.line : line + 1}`;
  }

  // ---- diagnostics and the status bar ----

  private lineMap(file: ReviewFile): LineMap {
    const change = file.model.change;
    const proposed = change.kind === 'delete' ? '' : change.newText;
    return new LineMap(proposed, this.manager.layout(file).text);
  }

  private refresh(): void {
    const entries: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
    for (const review of this.manager.reviews) {
      const state = this.verification.state(review.id);
      if (!state) continue;
      for (const file of review.entries) {
        if (file.model.done || file.model.kind === 'delete') continue;
        const placed = placedOn(state, file.model.targetPath);
        if (placed.length === 0) continue;
        const text = this.manager.layout(file).text;
        const change = file.model.change;
        const map = new LineMap(change.kind === 'delete' ? '' : change.newText, text);
        const lines = splitLines(text);
        const diagnostics: vscode.Diagnostic[] = [];
        for (const item of placed) {
          const line = map.map(item.line);
          if (line === undefined) continue;
          const length = lines[line]?.length ?? 0;
          const start = Math.min(Math.max(0, (item.column ?? 1) - 1), length);
          const diagnostic = new vscode.Diagnostic(new vscode.Range(line, item.column ? start : 0, line, length), item.message, SEVERITY[item.severity]);
          diagnostic.source = CHECKS_SOURCE;
          diagnostic.code = item.code;
          diagnostics.push(diagnostic);
        }
        entries.push([file.proposalUri, diagnostics]);
      }
    }
    // Whole: a file whose review ended, or whose findings went with a rejected change, is left with none.
    this.diagnostics.clear();
    this.diagnostics.set(entries);
    this.updateStatus();
  }

  private updateStatus(): void {
    const active = activeDiffUri();
    const review = active && this.manager.findByUri(active)?.review;
    const summary = review && this.summary(review);
    if (!summary) {
      this.status.hide();
      return;
    }
    this.status.text = `${STATUS_ICONS[summary.state]} ${summary.text}`;
    this.status.tooltip = summary.tooltip;
    this.status.backgroundColor = summary.state === 'findings' || summary.state === 'failed' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.status.show();
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

const SEVERITY: Record<CheckItem['severity'], vscode.DiagnosticSeverity> = {
  high: vscode.DiagnosticSeverity.Error,
  medium: vscode.DiagnosticSeverity.Warning,
  low: vscode.DiagnosticSeverity.Information,
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
};

const STATUS_ICONS: Record<VerdictSummary['state'], string> = {
  checking: '$(loading~spin)',
  passed: '$(pass)',
  findings: '$(shield)',
  failed: '$(warning)',
};

/** The findings and project problems of one file, in the order the checks gave them. */
function placedOn(state: VerificationState, path: string): Placed[] {
  const placed: Placed[] = state.verdict.findings
    .filter((finding) => finding.path === path)
    .map((finding) => ({ code: finding.rule, severity: finding.severity, line: finding.line - 1, message: `${finding.why} Fix: ${finding.fix}`, finding }));
  for (const check of state.verdict.project) {
    for (const problem of check.problems.filter((candidate: ProjectCheckProblem) => candidate.path === path)) {
      placed.push({ code: check.name, severity: problem.severity, line: Math.max(0, problem.line - 1), ...(problem.column ? { column: problem.column } : {}), message: problem.message });
    }
  }
  return placed;
}

export const ACCEPT_ANYWAY = 'Accept Anyway';

/**
 * Asks once more before changes with high-severity findings land (a modal:
 * Accept Anyway, or Cancel). `where` gives each finding's place as the
 * proposal side shows it now ("src/db.ts:14").
 */
export async function confirmFindings(findings: readonly CheckFinding[], where: (finding: CheckFinding) => string = (finding) => `${finding.path}:${finding.line}`): Promise<boolean> {
  const count = findings.length;
  const detail = findings.map((finding) => `• ${finding.rule} at ${where(finding)} — ${finding.why}`).join('\n');
  const choice = await vscode.window.showWarningMessage(
    `The proposal has ${count} high-severity security finding${count === 1 ? '' : 's'} in the changes you are accepting. Accept anyway?`,
    { modal: true, detail },
    ACCEPT_ANYWAY,
  );
  return choice === ACCEPT_ANYWAY;
}
