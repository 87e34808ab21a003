/**
 * What the checks on a proposal (docs/checks.md) need from outside: the
 * service that runs the security checks, and the project's own checks
 * (`tandem.checks`), which another module runs in a temporary copy of the
 * workspace and which are optional.
 */
import type * as vscode from 'vscode';
import type { CheckFinding, ProjectCheckResult } from '../../shared/checks';
import type { SecurityCheckParams, SecurityCheckResult } from '../../shared/checksProtocol';
import type { ChangeSet } from '../../shared/edits';
import type { ClientAuditActor } from '../../shared/vocabulary';

/** Which proposal the project's checks run on. */
export interface ProjectCheckRequest {
  folder: vscode.Uri;
  changeSet: ChangeSet;
  reviewId: string;
  proposalId?: string;
}

/** The project's checks on a proposal; `onProgress` hears the results so far (each check as it ends). */
export interface ProjectCheckSource {
  run(
    request: ProjectCheckRequest,
    token: vscode.CancellationToken,
    onProgress: (results: ProjectCheckResult[]) => void,
  ): Promise<ProjectCheckResult[]>;
}

/** tandem/checks/security, as the service client sends it. */
export interface SecurityCheckClient {
  securityCheck(params: SecurityCheckParams, token: vscode.CancellationToken): Promise<SecurityCheckResult>;
}

/** A review as the checks see it. */
export interface CheckedReview {
  id: string;
  folder: vscode.Uri;
  changeSet: ChangeSet;
  proposalId?: string;
  /** Who decides: only a person is asked once more; the agent's policy gets the findings in its tool result instead. */
  actor: ClientAuditActor;
  task?: string;
  step?: string;
  /** Findings the service already gave with the change set (an agent's edit): no request is made. */
  findings?: CheckFinding[];
}
