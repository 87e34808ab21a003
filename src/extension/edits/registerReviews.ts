import type * as vscode from 'vscode';
import type { AuditReporter } from '../audit/auditReporter';
import { ReviewDecorations } from './reviewDecorations';
import { ReviewManager } from './reviewManager';
import { ReviewTree } from './reviewTree';

/**
 * Builds the reviews of proposed edits: the manager, the Proposed Changes
 * view and the Accept / Reject hints in review diffs, all disposed with
 * `ctx.subscriptions`. The manager knows neither view: both watch it. The
 * review commands are in the command table (commands.ts) and act on the
 * manager returned here.
 */
export function registerReviews(ctx: { log: vscode.LogOutputChannel; subscriptions: vscode.Disposable[]; audit?: AuditReporter }): ReviewManager {
  const manager = new ReviewManager(ctx.log, ctx.audit);
  // The views go first when disposed: they listen to the manager.
  ctx.subscriptions.push(new ReviewTree(manager), new ReviewDecorations(manager), manager);
  return manager;
}
