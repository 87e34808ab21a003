import type * as vscode from 'vscode';
import type { AuditReporter } from '../audit/auditReporter';
import { confirmFindings, ReviewChecksController } from '../checks/reviewChecks';
import type { ProjectCheckSource, SecurityCheckClient } from '../checks/types';
import { ProposalVerification } from '../checks/verification';
import { ReviewDecorations } from './reviewDecorations';
import { ReviewManager } from './reviewManager';
import { ReviewTree } from './reviewTree';

/**
 * Builds the reviews of proposed edits: the manager, the Proposed Changes
 * view and the Accept / Reject hints in review diffs, all disposed with
 * `ctx.subscriptions`. The manager knows neither view: both watch it. The
 * review commands are in the command table (commands.ts) and act on the
 * manager returned here. With `checks`, every review's proposal is checked
 * (src/extension/checks): the verdict shows on the review and Accept asks
 * once more about high-severity findings.
 */
export function registerReviews(ctx: {
  log: vscode.LogOutputChannel;
  subscriptions: vscode.Disposable[];
  audit?: AuditReporter;
  checks?: { security: SecurityCheckClient; projectChecks?: ProjectCheckSource };
}): ReviewManager {
  const manager = new ReviewManager(ctx.log, ctx.audit);
  let controller: ReviewChecksController | undefined;
  if (ctx.checks) {
    const verification = new ProposalVerification({
      security: ctx.checks.security,
      ...(ctx.checks.projectChecks ? { projectChecks: ctx.checks.projectChecks } : {}),
      // The lines as the proposal side shows them when the question is asked.
      confirm: (review, findings) => confirmFindings(findings, (finding) => controller?.where(review.id, finding) ?? `${finding.path}:${finding.line}`),
      log: (message) => ctx.log.warn(message),
    });
    controller = new ReviewChecksController(manager, verification);
    manager.checks = controller;
    ctx.subscriptions.push({ dispose: () => verification.dispose() });
  }
  // The views go first when disposed: they listen to the manager (and the checks).
  ctx.subscriptions.push(new ReviewTree(manager), new ReviewDecorations(manager), ...(controller ? [controller] : []), manager);
  return manager;
}
