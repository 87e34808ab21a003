/**
 * What only the editor sees, reported to the model service's audit trail
 * (docs/audit.md): the person's (or the policy's) decisions on proposed
 * changes, the writes that landed, and restores. Fire and forget: reporting
 * never delays a decision, and a service that is not running misses it
 * (its trail then shows the proposal without a decision).
 */
import { createHash } from 'node:crypto';
import type { AuditDecisionParams, AuditProposalParams, AuditRestoreParams, AuditWriteParams } from '../../shared/auditProtocol';
import type { ClientAuditActor } from '../../shared/vocabulary';

export interface AuditReporter {
  proposal(params: AuditProposalParams): void;
  decision(params: AuditDecisionParams): void;
  write(params: AuditWriteParams): void;
  restore(params: AuditRestoreParams): void;
}

/** Reports nothing (tests, or a manager built without a service). */
export const NO_AUDIT_REPORTER: AuditReporter = { proposal: () => undefined, decision: () => undefined, write: () => undefined, restore: () => undefined };

/** Who decides in a review, and what it belongs to: the person, or the agent's policy applying unasked. */
export interface ReviewAuditInfo {
  actor: ClientAuditActor;
  task?: string;
  step?: string;
}

/** SHA-256 (hex) of a text's UTF-8 bytes, as the service hashes it. */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
