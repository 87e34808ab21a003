/**
 * The audit trail's messages between the extension (client) and the model
 * service. The service writes the trail (docs/audit.md); the client reports
 * what only it sees: proposals it opened itself, the person's (or the
 * policy's) decisions on them, the writes that landed and restores.
 * Declared once here, imported by both sides, documented in docs/protocol.md
 * ("Audit trail").
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ChangeSet } from './edits';
import type { AuditContents, ClientAuditActor, DecisionOutcome, DecisionScope, WriteOperation } from './vocabulary';

/** Where a reported event belongs: the agent task and step, when an agent made the change. */
export interface AuditTaskLink {
  task?: string;
  step?: string;
}

export interface AuditProposalParams extends AuditTaskLink {
  /** Chosen by the client for a change set the service did not make (no `changeSet.proposalId`). */
  proposalId: string;
  /** Who proposed it: another extension through Tandem's API. */
  origin: 'api';
  title?: string;
  changeSet: ChangeSet;
}

/** Client → service: a change set the service did not propose was opened for review. */
export namespace AuditProposalNotification {
  export const method = 'tandem/auditProposal';
  export const type = new NotificationType<AuditProposalParams>(method);
}

export interface AuditDecisionParams extends AuditTaskLink {
  /** The proposal's `proposalId` (absent only when the change set had none). */
  proposalId?: string;
  reviewId: string;
  actor: ClientAuditActor;
  scope: DecisionScope;
  decision: DecisionOutcome;
  path: string;
  /** 0-based indices of the file's changes (hunks) the decision covered. */
  hunks: number[];
  /** Why changes were refused. */
  reason?: string;
}

/** Client → service: changes of a proposal were accepted, rejected or refused (one notification per file and outcome). */
export namespace AuditDecisionNotification {
  export const method = 'tandem/auditDecision';
  export const type = new NotificationType<AuditDecisionParams>(method);
}

export interface AuditWriteParams extends AuditTaskLink {
  proposalId?: string;
  reviewId?: string;
  actor: ClientAuditActor;
  /** Relative to the workspace folder. */
  path: string;
  moveTo?: string;
  operation: WriteOperation;
  /** SHA-256 (hex) of the UTF-8 text before (absent for a new file) and after (absent for a deleted one). */
  sha256Before?: string;
  sha256After?: string;
  /** Size of the text after, in UTF-8 bytes. */
  bytes?: number;
}

/** Client → service: a reviewed change landed in the workspace. */
export namespace AuditWriteNotification {
  export const method = 'tandem/auditWrite';
  export const type = new NotificationType<AuditWriteParams>(method);
}

export interface AuditRestoreFile {
  path: string;
  action: 'restored' | 'deleted';
  sha256Before?: string;
  sha256After?: string;
}

export interface AuditRestoreParams {
  task: string;
  step: string;
  actor: ClientAuditActor;
  files: AuditRestoreFile[];
}

/** Client → service: "Restore to here" put files back to an agent checkpoint. */
export namespace AuditRestoreNotification {
  export const method = 'tandem/auditRestore';
  export const type = new NotificationType<AuditRestoreParams>(method);
}

export interface AuditStatusParams {
  /** Write what is buffered before answering. */
  flush?: boolean;
}

export interface AuditStatusResult {
  enabled: boolean;
  /** The folder the trail is written to, when it is being written. */
  directory?: string;
  /** Which chain of the folder this service writes (`audit-<chain>-<n>.jsonl`). */
  chain?: number;
  contents: AuditContents;
  /** Events this session has recorded, and the sequence number of the last one written. */
  events: number;
  lastSeq?: number;
  /** Why the trail is not written although enabled (no folder, a write failed). */
  problem?: string;
}

/** Client → service: where the trail is written and how far; optionally flush it first. */
export namespace AuditStatusRequest {
  export const method = 'tandem/auditStatus';
  export const type = new RequestType<AuditStatusParams, AuditStatusResult, void>(method);
}
