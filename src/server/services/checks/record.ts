/**
 * The security checks as a recorded step: run `checkProposal`, time it, and
 * write one `checks` event (stage `security`) linked to the proposal, so the
 * trail shows what was found before anyone decided. Used by the
 * tandem/checks/security request and by the agent before it hands a change set
 * to the editor.
 */
import type { AuditLinks, ChecksEvent } from '../../../shared/audit';
import type { CheckFinding } from '../../../shared/checks';
import type { ChangeSet } from '../../../shared/edits';
import type { AuditSink } from '../audit/trail';
import { checkProposal } from './index';

export interface SecurityVerdict {
  findings: CheckFinding[];
  durationMs: number;
}

/** The `checks` event of a security run: where each finding is, never its text (a secret's kind is in the rule's why, not here). */
export function securityChecksEvent(findings: readonly CheckFinding[], durationMs: number, links: AuditLinks & { review?: string }): ChecksEvent {
  const { review, ...rest } = links;
  return {
    type: 'checks',
    actor: 'service',
    ...rest,
    ...(review ? { review } : {}),
    stage: 'security',
    findings: findings.map(({ rule, severity, path, line }) => ({ rule, severity, path, line })),
    durationMs: Math.round(durationMs * 10) / 10,
  };
}

export async function runSecurityChecks(changeSet: ChangeSet, audit: AuditSink, links: AuditLinks & { review?: string } = {}): Promise<SecurityVerdict> {
  const started = performance.now();
  const findings = await checkProposal(changeSet);
  const durationMs = performance.now() - started;
  const proposal = links.proposal ?? changeSet.proposalId;
  audit.record(securityChecksEvent(findings, durationMs, { ...links, ...(proposal ? { proposal } : {}) }));
  return { findings, durationMs: Math.round(durationMs * 10) / 10 };
}
