/**
 * The audit trail over LSP: what the client reports (decisions, writes,
 * restores, proposals another extension made) and tandem/auditStatus.
 * Documented in docs/protocol.md ("Audit trail").
 */
import type { Connection } from 'vscode-languageserver/node';
import {
  AuditDecisionNotification,
  AuditProposalNotification,
  AuditProvenanceRequest,
  AuditQueryRequest,
  AuditRestoreNotification,
  AuditStatusRequest,
  AuditWriteNotification,
  type AuditQueryParams,
  type AuditStatusResult,
} from '../../../shared/auditProtocol';
import type { AuditEvent } from '../../../shared/audit';
import { isRecord } from '../../../shared/guards';
import type { ServiceLog } from '../../log';
import { apiProposal, decisionEvent, restoreEvent, writeEvent } from './clientEvents';
import { recordProposal } from './events';
import { provenanceOf, queryFolder } from './query';
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
  // Reads what is written: buffered events are flushed first, so the view shows what just happened.
  connection.onRequest(AuditQueryRequest.type, async (raw: unknown) => {
    await trail.status(true, 0);
    return queryFolder(trail.directory, queryParams(raw));
  });
  connection.onRequest(AuditProvenanceRequest.type, async (raw: unknown) => {
    await trail.status(true, 0);
    const path = isRecord(raw) && typeof raw.path === 'string' ? raw.path : '';
    return path ? provenanceOf(trail.directory, path) : { changes: [], problem: 'No file named.' };
  });
}

/** The query's filters as far as they are well-formed: a malformed field is left out, never trusted. */
function queryParams(raw: unknown): AuditQueryParams {
  if (!isRecord(raw)) return {};
  const params: AuditQueryParams = {};
  for (const key of ['path', 'since', 'until', 'proposal'] as const) {
    const value = raw[key];
    if (typeof value === 'string' && value.length <= 4096) params[key] = value;
  }
  for (const key of ['offset', 'limit'] as const) {
    const value = raw[key];
    if (typeof value === 'number' && Number.isFinite(value)) params[key] = value;
  }
  if (Array.isArray(raw.types)) params.types = raw.types.filter((type): type is string => typeof type === 'string');
  if (raw.includeDiffs === true) params.includeDiffs = true;
  return params;
}
