import * as vscode from 'vscode';
import type { CheckItem, ReviewChecks, VerdictSummary } from './checksHook';
import type { FileState } from './fileReview';
import type { Review, ReviewFile } from './review';
import type { ReviewRef } from './types';
import type { ReviewManager } from './reviewManager';

export const PROPOSED_CHANGES_VIEW = 'tandem.proposedChanges';

/**
 * A tree element; also what the inline buttons pass to the review commands.
 * `verdict`: the checks' verdict of a review listed alone; `check`: one
 * finding or project problem of a file.
 */
type Node =
  | (ReviewRef & { kind: 'review' })
  | (ReviewRef & { kind: 'verdict' })
  | (ReviewRef & { kind: 'file'; fileId: number })
  | (ReviewRef & { kind: 'check'; fileId: number; item: number });

const VERDICT_ICONS: Record<VerdictSummary['state'], vscode.ThemeIcon> = {
  checking: new vscode.ThemeIcon('loading~spin'),
  passed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  findings: new vscode.ThemeIcon('shield', new vscode.ThemeColor('list.warningForeground')),
  failed: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
};

const CHECK_ICONS: Record<CheckItem['severity'], vscode.ThemeIcon> = {
  high: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  medium: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  low: new vscode.ThemeIcon('info'),
};

const STATE_ICONS: Record<FileState, vscode.ThemeIcon> = {
  pending: new vscode.ThemeIcon('circle-large-outline'),
  accepted: new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed')),
  rejected: new vscode.ThemeIcon('close', new vscode.ThemeColor('disabledForeground')),
  stale: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
};

/**
 * The "Proposed Changes" view: the files of the open reviews with their
 * state and line counts. One review lists its files directly (after its
 * checks' verdict); several list one node per review. Clicking a file opens
 * its diff; a file's findings are its children, and clicking one opens the
 * diff at its line.
 */
export class ReviewTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly manager: ReviewManager) {
    this.view = vscode.window.createTreeView(PROPOSED_CHANGES_VIEW, { treeDataProvider: this });
    this.disposables.push(
      this.emitter,
      this.view,
      manager.onDidChange(() => {
        this.emitter.fire(undefined);
        this.updateBadge();
      }),
      ...(manager.checks ? [manager.checks.onDidChange(() => this.emitter.fire(undefined))] : []),
    );
  }

  /** The checks on the proposals, when wired (registerReviews sets them before building the view). */
  private get checks(): ReviewChecks | undefined {
    return this.manager.checks;
  }

  getChildren(node?: Node): Node[] {
    const reviews = this.manager.reviews;
    if (!node) {
      const only = reviews.length === 1 ? reviews[0] : undefined;
      if (only) {
        const verdict: Node[] = this.checks?.summary(only) ? [{ kind: 'verdict', reviewId: only.id }] : [];
        return [...verdict, ...this.fileNodes(only)];
      }
      return reviews.map((review) => ({ kind: 'review', reviewId: review.id }));
    }
    const review = this.manager.review(node.reviewId);
    if (!review) return [];
    if (node.kind === 'review') return this.fileNodes(review);
    if (node.kind === 'file') {
      const file = review.fileById(node.fileId);
      const items = file && this.checks ? this.checks.fileItems(review, file) : [];
      return items.map((_, item) => ({ kind: 'check', reviewId: review.id, fileId: node.fileId, item }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const review = this.manager.review(node.reviewId);
    if (!review) {
      return new vscode.TreeItem('(finished)');
    }
    const summary = this.checks?.summary(review);
    if (node.kind === 'review') {
      const item = new vscode.TreeItem(review.title, vscode.TreeItemCollapsibleState.Expanded);
      item.id = review.id;
      const pending = review.entries.filter((file) => !file.model.done).length;
      item.description = `${summary ? `${summary.text} · ` : ''}${pending} of ${review.entries.length} file${review.entries.length === 1 ? '' : 's'} to review`;
      if (summary) item.tooltip = summary.tooltip;
      item.contextValue = 'tandemReview';
      item.iconPath = new vscode.ThemeIcon('git-pull-request');
      return item;
    }
    if (node.kind === 'verdict') {
      if (!summary) return new vscode.TreeItem('(not checked)');
      const item = new vscode.TreeItem(summary.text, vscode.TreeItemCollapsibleState.None);
      item.id = `${review.id}/verdict`;
      item.description = 'checks';
      item.tooltip = summary.tooltip;
      item.iconPath = VERDICT_ICONS[summary.state];
      item.contextValue = 'tandemReviewVerdict';
      return item;
    }
    const file = review.fileById(node.fileId);
    if (!file) return new vscode.TreeItem('(unknown file)');
    const items = this.checks?.fileItems(review, file) ?? [];
    if (node.kind === 'check') {
      const check = items[node.item];
      return check ? checkItem(review, file, check, node.item, this.manager.diffTitle(file)) : new vscode.TreeItem('(checked again)');
    }
    const item = fileItem(review, file, this.manager.diffTitle(file));
    if (items.length > 0) {
      // Opened: a finding is what the person should see first.
      item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
      item.description = `${item.description ?? ''} · ${items.length} finding${items.length === 1 ? '' : 's'}`;
    }
    return item;
  }

  private fileNodes(review: Review): Node[] {
    return review.entries.map((file) => ({ kind: 'file', reviewId: review.id, fileId: file.model.id }));
  }

  private updateBadge(): void {
    const pending = this.manager.reviews.reduce((sum, review) => sum + review.entries.filter((file) => !file.model.done).length, 0);
    this.view.badge = pending > 0 ? { value: pending, tooltip: `${pending} file${pending === 1 ? '' : 's'} with proposed changes to review` } : undefined;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function fileItem(review: Review, file: ReviewFile, title: string): vscode.TreeItem {
  const info = file.info();
  const model = file.model;
  const name = model.targetPath.split('/').pop() ?? model.targetPath;
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
  item.id = `${review.id}/${model.id}`;
  const directory = model.targetPath.includes('/') ? model.targetPath.slice(0, model.targetPath.lastIndexOf('/')) : '';
  const kind = model.kind === 'add' ? 'new file · ' : model.kind === 'delete' ? 'delete · ' : model.isMove ? `moved from ${model.path} · ` : '';
  const decided = info.hunks.filter((hunk) => hunk.state !== 'pending' && hunk.state !== 'stale').length;
  const progress = info.hunks.length > 1 && decided > 0 && info.state !== 'accepted' && info.state !== 'rejected' ? ` · ${decided}/${info.hunks.length} decided` : '';
  item.description = `${directory ? `${directory} · ` : ''}${kind}+${info.added} −${info.removed} · ${info.state}${progress}`;
  const staleCount = info.hunks.filter((hunk) => hunk.state === 'stale').length;
  item.tooltip = new vscode.MarkdownString(
    [
      `**${model.targetPath}** — ${info.state}`,
      `${info.hunks.length} change${info.hunks.length === 1 ? '' : 's'}, +${info.added} −${info.removed} lines`,
      staleCount ? `${staleCount} no longer match${staleCount === 1 ? 'es' : ''} the file (it was edited after the proposal)` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
  item.iconPath = STATE_ICONS[info.state];
  item.contextValue = `tandemReviewFile.${model.done ? 'done' : info.state}`;
  if (!model.done) {
    const { left, right } = file.diffSides();
    item.command = { title: 'Open Diff', command: 'vscode.diff', arguments: [left, right, title, { preview: true }] };
  } else if (model.kind !== 'delete') {
    item.command = { title: 'Open File', command: 'vscode.open', arguments: [file.uri] };
  }
  return item;
}

/** A finding (or project problem) of a file: clicking it opens the diff at its line on the proposal side. */
function checkItem(review: Review, file: ReviewFile, check: CheckItem, index: number, title: string): vscode.TreeItem {
  const item = new vscode.TreeItem(check.label, vscode.TreeItemCollapsibleState.None);
  item.id = `${review.id}/${file.model.id}/check/${index}/${check.label}`;
  item.description = check.line === undefined ? `${check.description} (no longer in the proposal)` : check.description;
  item.tooltip = check.tooltip;
  item.iconPath = CHECK_ICONS[check.severity];
  item.contextValue = 'tandemReviewCheck';
  if (check.line !== undefined && !file.model.done) {
    const { left, right } = file.diffSides();
    const selection = new vscode.Range(check.line, 0, check.line, 0);
    item.command = { title: 'Show the Line', command: 'vscode.diff', arguments: [left, right, title, { preview: true, selection }] };
  }
  return item;
}
