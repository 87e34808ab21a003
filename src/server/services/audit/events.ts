/**
 * Builders for the events features record, so every feature describes
 * context, proposals and answers the same way: by path, SHA-256 and size,
 * with text only at the contents level that asks for it (docs/audit.md).
 */
import { randomBytes } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import type { AuditContextItem, AuditLinks, AuditProposalFile, ModelRequestEvent, ProposalEvent } from '../../../shared/audit';
import type { ChangeSet } from '../../../shared/edits';
import type { ChatError, ContextItem, FinishReason, TokenUsage } from '../../../shared/protocol';
import type { ModelPurpose, ProposalOrigin } from '../../../shared/vocabulary';
import type { AuditSink } from './trail';
import { hostOf } from './trail';
import { sha256 } from './hash';

/** Diffs larger than this are left out of a proposal event (the hashes stay). */
export const MAX_AUDIT_DIFF_BYTES = 256 * 1024;

let proposals = 0;
/** Random per process, so ids stay unique across sessions and chains (`p-3f9a2c1b-1`). */
const PROCESS_TAG = randomBytes(4).toString('hex');

export function newProposalId(): string {
  return `p-${PROCESS_TAG}-${++proposals}`;
}

export function contextItem(kind: AuditContextItem['kind'], path: string, text: string, lines?: [number, number]): AuditContextItem {
  return { path, kind, sha256: sha256(text), bytes: Buffer.byteLength(text), ...(lines ? { lines } : {}) };
}

/** Context chips as sent (after the data boundary). */
export function contextItems(items: readonly ContextItem[]): AuditContextItem[] {
  return items.map((item) =>
    contextItem(item.kind, item.path, item.text, item.startLine !== undefined && item.endLine !== undefined ? [item.startLine, item.endLine] : undefined),
  );
}

/** The outcome of a model answer as the audit names it. */
export function requestOutcome(finishReason: FinishReason | string, error: ChatError | undefined): Pick<ModelRequestEvent, 'outcome' | 'finishReason' | 'error'> {
  if (error) return { outcome: 'error', error: error.kind };
  if (finishReason === 'cancelled') return { outcome: 'cancelled' };
  return { outcome: 'ok', finishReason };
}

export interface ModelRequestRecord extends AuditLinks {
  actor: ModelRequestEvent['actor'];
  purpose: ModelPurpose;
  model: string;
  baseUrl: string | undefined;
  context: AuditContextItem[];
  withheld?: string[];
  redactions?: Array<{ kind: string; count: number }>;
  usage?: TokenUsage;
  ttftMs?: number;
  totalMs: number;
  attempts: number;
  outcome: Pick<ModelRequestEvent, 'outcome' | 'finishReason' | 'error'>;
  /** Kept at contents `all` only. */
  messages?: Array<{ role: string; content: string }>;
  answer?: string;
  toolCalls?: Array<{ name: string; arguments: string }>;
}

export function recordModelRequest(audit: AuditSink, request: ModelRequestRecord): void {
  if (!audit.active) return;
  const { actor, purpose, model, baseUrl, context, withheld, redactions, usage, ttftMs, totalMs, attempts, outcome, messages, answer, toolCalls, ...links } = request;
  const all = audit.contents === 'all';
  audit.record({
    type: 'model.request',
    actor,
    ...links,
    purpose,
    model,
    endpointHost: hostOf(baseUrl),
    context,
    ...(withheld && withheld.length > 0 ? { withheld } : {}),
    ...(redactions ? { redactions } : {}),
    ...(usage ? { tokens: { prompt: usage.promptTokens, completion: usage.completionTokens, total: usage.totalTokens } } : {}),
    ...(ttftMs !== undefined ? { ttftMs: round(ttftMs) } : {}),
    totalMs: round(totalMs),
    attempts,
    ...outcome,
    ...(all && messages ? { messages } : {}),
    ...(all && answer !== undefined ? { answer } : {}),
    ...(all && toolCalls && toolCalls.length > 0 ? { toolCalls } : {}),
  });
}

/**
 * Records a proposal and gives the change set its id (`changeSet.proposalId`),
 * which the reviewer reports its decisions and writes with.
 */
export function recordProposal(
  audit: AuditSink,
  changeSet: ChangeSet,
  event: AuditLinks & { actor: ProposalEvent['actor']; origin: ProposalOrigin; title?: string },
): void {
  if (!audit.active) return;
  changeSet.proposalId ??= newProposalId();
  const { actor, origin, title, ...links } = event;
  const files = changeSet.changes.map(proposalFile);
  const record: ProposalEvent = { type: 'proposal', actor, ...links, proposal: changeSet.proposalId, origin, format: changeSet.format, ...(title ? { title } : {}), files };
  if (audit.contents !== 'none') {
    const diff = unifiedDiff(changeSet);
    if (Buffer.byteLength(diff) <= MAX_AUDIT_DIFF_BYTES) record.diff = diff;
    else record.diffOmitted = 'tooLarge';
  }
  // The whole files are scanned with the diff: a hunk may show a secret only in part (some lines of a key block).
  audit.record(record, record.diff ? changeSet.changes.flatMap((change) => [change.kind === 'add' ? '' : change.oldText, change.kind === 'delete' ? '' : change.newText]).filter(Boolean) : undefined);
}

function proposalFile(change: ChangeSet['changes'][number]): AuditProposalFile {
  const oldText = change.kind === 'add' ? '' : change.oldText;
  const newText = change.kind === 'delete' ? '' : change.newText;
  const { added, removed } = countLines(oldText, newText);
  return {
    path: change.path,
    kind: change.kind,
    ...(change.kind === 'update' && change.moveTo ? { moveTo: change.moveTo } : {}),
    ...(change.kind !== 'add' ? { sha256Before: sha256(oldText) } : {}),
    ...(change.kind !== 'delete' ? { sha256After: sha256(newText) } : {}),
    added,
    removed,
  };
}

/** Every file's unified diff (`a/` and `b/` names, /dev/null for a new or deleted file), one after the other. */
export function unifiedDiff(changeSet: ChangeSet): string {
  return changeSet.changes
    .map((change) => {
      const before = change.kind === 'add' ? '/dev/null' : `a/${change.path}`;
      const after = change.kind === 'delete' ? '/dev/null' : `b/${change.kind === 'update' && change.moveTo ? change.moveTo : change.path}`;
      const oldText = change.kind === 'add' ? '' : change.oldText;
      const newText = change.kind === 'delete' ? '' : change.newText;
      return createTwoFilesPatch(before, after, oldText, newText, undefined, undefined, { context: 3 }).replace(/^={67}\n/, '');
    })
    .join('');
}

/** Lines only in the old text and only in the new one (a multiset count: cheap, and what a reviewer expects for +/-). */
function countLines(oldText: string, newText: string): { added: number; removed: number } {
  const counts = new Map<string, number>();
  for (const line of splitLines(oldText)) counts.set(line, (counts.get(line) ?? 0) + 1);
  let added = 0;
  for (const line of splitLines(newText)) {
    const left = counts.get(line) ?? 0;
    if (left > 0) counts.set(line, left - 1);
    else added += 1;
  }
  let removed = 0;
  for (const left of counts.values()) removed += left;
  return { added, removed };
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
