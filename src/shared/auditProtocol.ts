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

/** What the Audit Trail view asks for: one page of events, newest first, and the state of every chain. */
export interface AuditQueryParams {
  /** Only events that name this path (workspace-relative; a path ending in it, or it ending in the named one, matches too). */
  path?: string;
  /** Only these event types (all when absent or empty). */
  types?: string[];
  /** ISO 8601 date or time: a date alone means that whole day (UTC). Inclusive. */
  since?: string;
  until?: string;
  /** Only events of this proposal (with `includeDiffs`: its diff, for the view's diff editor). */
  proposal?: string;
  /** Events skipped from the newest, and at most how many to return (default 200, at most 1000). */
  offset?: number;
  limit?: number;
  /** Proposals carry their recorded unified diff. */
  includeDiffs?: boolean;
}

/** One chain's state, as `tandem audit verify` gives it. */
export interface AuditChainState {
  chain: number;
  intact: boolean;
  /** Whole events read (up to the break, if any). */
  events: number;
  /** The first broken line and why; absent when the chain is intact. */
  broken?: { file: string; line: number; seq?: number; kind: string; message: string };
  /** A torn last line (a crash while writing): the lines before it are intact. */
  tornEnd?: string;
  /** SHA-256 of the last whole line (the chain's anchor). */
  lastSha256?: string;
}

/** One event as the view shows it: never contents, except a proposal's diff when asked for. */
export interface AuditQueryEvent {
  chain: number;
  seq: number;
  time: string;
  session: string;
  type: string;
  actor: string;
  request?: string;
  proposal?: string;
  task?: string;
  step?: string;
  /** The paths the event names. */
  paths: string[];
  /** What happened, in a few words (as `tandem audit show` prints it). */
  summary: string;
  /** The audit file and 1-based line the event is on. */
  file: string;
  line: number;
  /** A proposal's unified diff, with `includeDiffs`. */
  diff?: string;
}

export interface AuditQueryResult {
  /** The folder read; absent when none is known (no folder configured). */
  directory?: string;
  chains: AuditChainState[];
  /** The page, newest first. */
  events: AuditQueryEvent[];
  /** Events matching the filters, all pages. */
  total: number;
  offset: number;
  /** Why nothing could be read (no folder, a filter that is not a date). */
  problem?: string;
}

/** Client → service: events of the audit trail, filtered and paged, newest first, with the chains' state. */
export namespace AuditQueryRequest {
  export const method = 'tandem/auditQuery';
  export const type = new RequestType<AuditQueryParams, AuditQueryResult, void>(method);
}

export interface AuditProvenanceParams {
  /** Workspace-relative path of the file. */
  path: string;
}

/** A change Tandem applied to the file, with what it needs to find its lines again and to say where it came from. */
export interface AuditAppliedChange {
  proposal: string;
  /** When it was proposed. */
  time: string;
  origin: string;
  title?: string;
  request?: string;
  task?: string;
  step?: string;
  /** The model that wrote it, when the trail says. */
  model?: string;
  /** Who accepted it (`person`, `policy:auto-edit`, `policy:full-auto`). */
  approvedBy: string;
  /** When it landed. */
  appliedAt: string;
  /** The unified diff of this file alone (as recorded: `a/` and `b/` names). */
  diff: string;
  /**
   * 0-based indices of the file's changes that were accepted (the review's
   * hunks: runs of changed lines between unchanged ones); absent when every
   * change landed.
   */
  acceptedHunks?: number[];
}

export interface AuditProvenanceResult {
  /** Oldest first. Changes whose diff was not recorded (contents `none`, too large) are left out. */
  changes: AuditAppliedChange[];
  /** SHA-256 of the last line of the chain holding the newest change: quoting it anchors the record. */
  anchor?: string;
  problem?: string;
}

/** Client → service: the changes Tandem applied to a file, for line provenance. */
export namespace AuditProvenanceRequest {
  export const method = 'tandem/auditProvenance';
  export const type = new RequestType<AuditProvenanceParams, AuditProvenanceResult, void>(method);
}
