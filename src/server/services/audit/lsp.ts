/**
 * The audit trail over LSP: what the client reports (decisions, writes,
 * restores, proposals another extension made) and tandem/auditStatus.
 * Documented in docs/protocol.md ("Audit trail").
 */
import type { Connection } from 'vscode-languageserver/node';
import {
  AuditDecisionNotification,
  AuditProposalNotification,
  AuditRestoreNotification,
  AuditStatusRequest,
  AuditWriteNotification,
  type AuditStatusResult,
} from '../../../shared/auditProtocol';
import type { AuditEvent } from '../../../shared/audit';
import { isRecord } from '../../../shared/guards';
import type { ServiceLog } from '../../log';
import { apiProposal, decisionEvent, restoreEvent, writeEvent } from './clientEvents';
import { recordProposal } from './events';
import type { AuditTrail } from './trail';

export function registerAudit(connection: Connection, trail: AuditTrail, log: ServiceLog): void {
  const report = (method: string, event: AuditEvent | undefined): void => {
    if (event) trail.record(event);
    else log.warn(`Ignored a malformed ${method}.`);
  };
  connection.onNotification(AuditDecisionNotification.type, (raw: unknown) => report(AuditDecisionNotification.method, decisionEvent(raw)));
  connection.onNotification(AuditWriteNotification.type, (raw: unknown) => report(AuditWriteNotification.method, writeEvent(raw)));
  connection.onNotification(AuditRestoreNotification.type, (raw: unknown) => report(AuditRestoreNotification.method, restoreEvent(raw)));
  connection.onNotification(AuditProposalNotification.type, (raw: unknown) => {
    const proposal = apiProposal(raw);
    if (!proposal) {
      log.warn(`Ignored a malformed ${AuditProposalNotification.method}.`);
      return;
    }
    recordProposal(trail, proposal.changeSet, { actor: 'person', origin: 'api', ...proposal.links, ...(proposal.title ? { title: proposal.title } : {}) });
  });
  connection.onRequest(AuditStatusRequest.type, (raw: unknown): Promise<AuditStatusResult> => trail.status(isRecord(raw) && raw.flush === true));
}
