/**
 * The events only the client sees (tandem/auditProposal, auditDecision,
 * auditWrite, auditRestore), checked where they enter: a malformed report
 * is dropped (and logged by the caller), never written half-understood.
 * Pure.
 */
import type { AuditLinks, DecisionEvent, RestoreEvent, WriteEvent } from '../../../shared/audit';
import type { ChangeSet, FileChange } from '../../../shared/edits';
import { isRecord } from '../../../shared/guards';
import { isClientAuditActor, isDecisionOutcome, isDecisionScope, isWriteOperation } from '../../../shared/vocabulary';

const HASH = /^[0-9a-f]{64}$/;
const MAX_ID = 200;
const MAX_PATH = 4096;

function text(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function optionalHash(value: unknown): string | undefined | false {
  if (value === undefined) return undefined;
  return typeof value === 'string' && HASH.test(value) ? value : false;
}

function links(raw: Record<string, unknown>): AuditLinks | undefined {
  const result: AuditLinks = {};
  for (const key of ['task', 'step'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (!text(value, MAX_ID)) return undefined;
    result[key] = value;
  }
  if (raw.proposalId !== undefined) {
    if (!text(raw.proposalId, MAX_ID)) return undefined;
    result.proposal = raw.proposalId;
  }
  return result;
}

export function decisionEvent(raw: unknown): DecisionEvent | undefined {
  if (!isRecord(raw)) return undefined;
  const linked = links(raw);
  const { reviewId, actor, scope, decision, path, hunks, reason } = raw;
  if (!linked || !text(reviewId, MAX_ID) || !isClientAuditActor(actor) || !isDecisionScope(scope) || !isDecisionOutcome(decision) || !text(path, MAX_PATH)) return undefined;
  if (!Array.isArray(hunks) || hunks.length > 10_000 || !hunks.every((hunk) => Number.isSafeInteger(hunk) && (hunk as number) >= 0)) return undefined;
  if (reason !== undefined && typeof reason !== 'string') return undefined;
  return {
    type: 'decision',
    actor,
    ...linked,
    review: reviewId,
    scope,
    decision,
    path,
    hunks: hunks as number[],
    ...(reason ? { reason: reason.slice(0, 1000) } : {}),
  };
}

export function writeEvent(raw: unknown): WriteEvent | undefined {
  if (!isRecord(raw)) return undefined;
  const linked = links(raw);
  const { reviewId, actor, path, moveTo, operation, bytes } = raw;
  const before = optionalHash(raw.sha256Before);
  const after = optionalHash(raw.sha256After);
  if (!linked || !isClientAuditActor(actor) || !text(path, MAX_PATH) || !isWriteOperation(operation) || before === false || after === false) return undefined;
  if ((reviewId !== undefined && !text(reviewId, MAX_ID)) || (moveTo !== undefined && !text(moveTo, MAX_PATH))) return undefined;
  if (bytes !== undefined && !(Number.isSafeInteger(bytes) && (bytes as number) >= 0)) return undefined;
  return {
    type: 'write',
    actor,
    ...linked,
    ...(reviewId ? { review: reviewId } : {}),
    path,
    ...(moveTo ? { moveTo } : {}),
    operation,
    ...(before ? { sha256Before: before } : {}),
    ...(after ? { sha256After: after } : {}),
    ...(bytes !== undefined ? { bytes: bytes as number } : {}),
  };
}

export function restoreEvent(raw: unknown): RestoreEvent | undefined {
  if (!isRecord(raw)) return undefined;
  const { task, step, actor, files } = raw;
  if (!text(task, MAX_ID) || !text(step, MAX_ID) || !isClientAuditActor(actor) || !Array.isArray(files) || files.length > 10_000) return undefined;
  const checked: RestoreEvent['files'] = [];
  for (const file of files) {
    if (!isRecord(file) || !text(file.path, MAX_PATH) || (file.action !== 'restored' && file.action !== 'deleted')) return undefined;
    const before = optionalHash(file.sha256Before);
    const after = optionalHash(file.sha256After);
    if (before === false || after === false) return undefined;
    checked.push({ path: file.path, action: file.action, ...(before ? { sha256Before: before } : {}), ...(after ? { sha256After: after } : {}) });
  }
  return { type: 'restore', actor, task, step, files: checked };
}

/** A change set another extension opened for review (Tandem's API): checked like one the engine made. */
export function apiProposal(raw: unknown): { proposalId: string; title?: string; links: AuditLinks; changeSet: ChangeSet } | undefined {
  if (!isRecord(raw) || raw.origin !== 'api' || !text(raw.proposalId, MAX_ID) || (raw.title !== undefined && typeof raw.title !== 'string')) return undefined;
  const linked = links(raw);
  const changeSet = raw.changeSet;
  if (!linked || !isRecord(changeSet) || !Array.isArray(changeSet.changes) || typeof changeSet.format !== 'string') return undefined;
  const changes: FileChange[] = [];
  for (const change of changeSet.changes) {
    if (!isRecord(change) || !text(change.path, MAX_PATH)) return undefined;
    if (change.kind === 'update' && typeof change.oldText === 'string' && typeof change.newText === 'string') {
      changes.push({ kind: 'update', path: change.path, oldText: change.oldText, newText: change.newText, ...(text(change.moveTo, MAX_PATH) ? { moveTo: change.moveTo } : {}) });
    } else if (change.kind === 'add' && typeof change.newText === 'string') {
      changes.push({ kind: 'add', path: change.path, newText: change.newText });
    } else if (change.kind === 'delete' && typeof change.oldText === 'string') {
      changes.push({ kind: 'delete', path: change.path, oldText: change.oldText });
    } else {
      return undefined;
    }
  }
  const format = ['applyPatch', 'searchReplace', 'unifiedDiff', 'codeBlock'].includes(changeSet.format) ? (changeSet.format as ChangeSet['format']) : 'codeBlock';
  return {
    proposalId: raw.proposalId,
    ...(typeof raw.title === 'string' ? { title: raw.title.slice(0, 200) } : {}),
    links: { ...(linked.task ? { task: linked.task } : {}), ...(linked.step ? { step: linked.step } : {}) },
    changeSet: { format, changes, proposalId: raw.proposalId },
  };
}

