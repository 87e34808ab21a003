/**
 * The checks on a proposal over the service connection: the client asks for
 * the security verdict of a change set it is about to show for review; the
 * service runs the checks (docs/checks.md) and records them in the audit
 * trail. Declared once here, imported by both sides, documented in
 * docs/protocol.md ("Checks on a proposal").
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { CheckFinding } from './checks';
import type { ChangeSet } from './edits';

export interface SecurityCheckParams {
  changeSet: ChangeSet;
  /** The proposal's id in the audit trail (`changeSet.proposalId`, or the one the client chose for an API proposal): links the event. */
  proposalId?: string;
  /** The review the proposal is shown in. */
  reviewId?: string;
  /** The agent task and step, when an agent made the change. */
  task?: string;
  step?: string;
}

export interface SecurityCheckResult {
  /** Most severe first, then by file and line; empty when the checks found nothing. */
  findings: CheckFinding[];
  /** How long the checks took in the service, in milliseconds. */
  durationMs: number;
}

/** Client → service: the security checks on a change set's added lines (secrets introduced, insecure code). */
export namespace SecurityCheckRequest {
  export const method = 'tandem/checks/security';
  export const type = new RequestType<SecurityCheckParams, SecurityCheckResult, void>(method);
}
