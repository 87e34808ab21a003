import * as vscode from 'vscode';
import type { FileState } from './fileReview';
import type { Review, ReviewFile } from './review';
import type { ReviewRef } from './types';
import type { ReviewManager } from './reviewManager';

export const PROPOSED_CHANGES_VIEW = 'tandem.proposedChanges';

/** A tree element; also what the inline buttons pass to the review commands. */
type Node = (ReviewRef & { kind: 'review' }) | (ReviewRef & { kind: 'file'; fileId: number });

const STATE_ICONS: Record<FileState, vscode.ThemeIcon> = {
  pending: new vscode.ThemeIcon('circle-large-outline'),
  accepted: new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed')),
  rejected: new vscode.ThemeIcon('close', new vscode.ThemeColor('disabledForeground')),
  stale: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
};

/**
 * The "Proposed Changes" view: the files of the open reviews with their
 * state and line counts. One review lists its files directly; several list
 * one node per review. Clicking a file opens its diff.
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
    );
  }

  getChildren(node?: Node): Node[] {
    const reviews = this.manager.reviews;
    if (!node) {
      const only = reviews.length === 1 ? reviews[0] : undefined;
      if (only) {
        return this.fileNodes(only);
      }
      return reviews.map((review) => ({ kind: 'review', reviewId: review.id }));
    }
    const review = node.kind === 'review' ? this.manager.review(node.reviewId) : undefined;
    return review ? this.fileNodes(review) : [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const review = this.manager.review(node.reviewId);
    if (!review) {
      return new vscode.TreeItem('(finished)');
    }
    if (node.kind === 'review') {
      const item = new vscode.TreeItem(review.title, vscode.TreeItemCollapsibleState.Expanded);
      item.id = review.id;
      const pending = review.entries.filter((file) => !file.model.done).length;
      item.description = `${pending} of ${review.entries.length} file${review.entries.length === 1 ? '' : 's'} to review`;
      item.contextValue = 'tandemReview';
      item.iconPath = new vscode.ThemeIcon('git-pull-request');
      return item;
    }
    const file = review.fileById(node.fileId);
    return file ? fileItem(review, file) : new vscode.TreeItem('(unknown file)');
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

function fileItem(review: Review, file: ReviewFile): vscode.TreeItem {
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
    item.command = { title: 'Open Diff', command: 'vscode.diff', arguments: [left, right, file.diffTitle(), { preview: true }] };
  } else if (model.kind !== 'delete') {
    item.command = { title: 'Open File', command: 'vscode.open', arguments: [file.uri] };
  }
  return item;
}
