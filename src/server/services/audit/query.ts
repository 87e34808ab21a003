/**
 * What the editor reads from the audit folder (the service owns it): a page
 * of events for the Audit Trail view, newest first, with every chain's state
 * as `tandem audit verify` finds it; and the changes applied to one file,
 * for line provenance. Read afresh on every request: the folder is the
 * record, and another writer (another window) may have added to it.
 */
import type { AuditRecord } from '../../../shared/audit';
import type {
  AuditAppliedChange,
  AuditChainState,
  AuditProvenanceResult,
  AuditQueryEvent,
  AuditQueryParams,
  AuditQueryResult,
} from '../../../shared/auditProtocol';
import { fileDiff } from '../../../shared/auditDiff';
import { pathsOf, readFolder, summarize, type ReadEvent } from './reader';
import { verifyFolder } from './verify';

export const DEFAULT_QUERY_LIMIT = 200;
export const MAX_QUERY_LIMIT = 1000;

export function queryFolder(dir: string | undefined, params: AuditQueryParams): AuditQueryResult {
  const offset = Math.max(0, Math.floor(params.offset ?? 0));
  if (!dir) return { chains: [], events: [], total: 0, offset, problem: 'No audit folder is known: the audit trail is off or has no folder.' };
  const since = parseDate(params.since, false);
  const until = parseDate(params.until, true);
  if (since === null || until === null) return { directory: dir, chains: [], events: [], total: 0, offset, problem: 'A date filter is not a date (use 2026-12-01 or 2026-12-01T09:00:00Z).' };
  const chains = verifyFolder(dir).chains.map(chainState);
  const types = params.types && params.types.length > 0 ? new Set(params.types) : undefined;
  const path = params.path?.replace(/\\/g, '/').trim();
  const matching = readFolder(dir).filter(({ record }) => {
    if (types && !types.has(record.type)) return false;
    if (params.proposal !== undefined && record.proposal !== params.proposal) return false;
    const time = Date.parse(record.time);
    if (since !== undefined && !(time >= since)) return false;
    if (until !== undefined && !(time <= until)) return false;
    return !path || pathsOf(record).some((named) => samePath(named, path));
  });
  matching.sort(newestFirst);
  const limit = Math.min(MAX_QUERY_LIMIT, Math.max(1, Math.floor(params.limit ?? DEFAULT_QUERY_LIMIT)));
  const events = matching.slice(offset, offset + limit).map((event) => queryEvent(event, params.includeDiffs === true));
  return { directory: dir, chains, events, total: matching.length, offset };
}

/** The changes Tandem applied to `path`, oldest first: proposals with a write (or an accepted decision) for the file. */
export function provenanceOf(dir: string | undefined, path: string): AuditProvenanceResult {
  if (!dir) return { changes: [], problem: 'No audit folder is known: the audit trail is off or has no folder.' };
  const wanted = path.replace(/\\/g, '/');
  const events = readFolder(dir);
  const models = new Map<string, string>();
  const proposals = new Map<string, ReadEvent & { record: Extract<AuditRecord, { type: 'proposal' }> }>();
  const accepted = new Map<string, { actor: string; time: string; hunks: Set<number> }>();
  const written = new Map<string, { actor: string; time: string }>();
  for (const event of events) {
    const { record } = event;
    if (record.type === 'model.request' && record.request) models.set(record.request, record.model);
    else if (record.type === 'agent.start' && record.task) models.set(`task:${record.task}`, record.model);
    else if (record.type === 'proposal' && record.proposal) proposals.set(record.proposal, { ...event, record });
    else if (record.type === 'decision' && record.proposal && samePath(record.path, wanted) && record.decision === 'accepted') {
      const entry = accepted.get(record.proposal) ?? { actor: record.actor, time: record.time, hunks: new Set<number>() };
      for (const hunk of record.hunks) entry.hunks.add(hunk);
      entry.actor = record.actor;
      accepted.set(record.proposal, entry);
    } else if (record.type === 'write' && record.proposal && (samePath(record.path, wanted) || (record.moveTo !== undefined && samePath(record.moveTo, wanted)))) {
      written.set(record.proposal, { actor: record.actor, time: record.time });
    }
  }
  const changes: Array<AuditAppliedChange & { chain: number }> = [];
  for (const [id, { chain, record }] of proposals) {
    const landed = written.get(id);
    const decided = accepted.get(id);
    if (!landed && !decided) continue;
    const file = record.diff ? fileDiff(record.diff, wanted)?.text : undefined;
    if (!file) continue;
    const model = (record.request ? models.get(record.request) : undefined) ?? (record.task ? models.get(`task:${record.task}`) : undefined);
    changes.push({
      chain,
      proposal: id,
      time: record.time,
      origin: record.origin,
      ...(record.title ? { title: record.title } : {}),
      ...(record.request ? { request: record.request } : {}),
      ...(record.task ? { task: record.task } : {}),
      ...(record.step ? { step: record.step } : {}),
      ...(model ? { model } : {}),
      approvedBy: decided?.actor ?? landed?.actor ?? 'person',
      appliedAt: landed?.time ?? decided?.time ?? record.time,
      diff: file,
      // The decisions name the changes that landed; without any, the whole diff did.
      ...(decided && decided.hunks.size > 0 ? { acceptedHunks: [...decided.hunks].sort((a, b) => a - b) } : {}),
    });
  }
  changes.sort((a, b) => a.appliedAt.localeCompare(b.appliedAt));
  const newest = changes.at(-1);
  const anchor = newest ? verifyFolder(dir).chains.find((chain) => chain.chain === newest.chain)?.lastSha256 : undefined;
  return { changes: changes.map(({ chain: _chain, ...change }) => change), ...(anchor ? { anchor } : {}) };
}

function chainState(report: ReturnType<typeof verifyFolder>['chains'][number]): AuditChainState {
  return {
    chain: report.chain,
    intact: report.broken === undefined,
    events: report.events,
    ...(report.broken
      ? { broken: { file: report.broken.file, line: report.broken.line, ...(report.broken.seq !== undefined ? { seq: report.broken.seq } : {}), kind: report.broken.kind, message: report.broken.message } }
      : {}),
    ...(report.tornEnd ? { tornEnd: report.tornEnd.message } : {}),
    ...(report.lastSha256 ? { lastSha256: report.lastSha256 } : {}),
  };
}

function queryEvent({ chain, file, line, record }: ReadEvent, withDiff: boolean): AuditQueryEvent {
  return {
    chain,
    seq: record.seq,
    time: record.time,
    session: record.session,
    type: record.type,
    actor: record.actor,
    ...(record.request ? { request: record.request } : {}),
    ...(record.proposal ? { proposal: record.proposal } : {}),
    ...(record.task ? { task: record.task } : {}),
    ...(record.step ? { step: record.step } : {}),
    paths: pathsOf(record),
    summary: summarize(record),
    file,
    line,
    ...(withDiff && record.type === 'proposal' && record.diff ? { diff: record.diff } : {}),
  };
}

/** Newest first; events of the same millisecond by their place in the chain. */
function newestFirst(a: ReadEvent, b: ReadEvent): number {
  return b.record.time.localeCompare(a.record.time) || b.chain - a.chain || b.record.seq - a.record.seq;
}

function samePath(named: string, wanted: string): boolean {
  return named === wanted || named.endsWith(`/${wanted}`) || wanted.endsWith(`/${named}`);
}

/** Milliseconds; undefined when not given, null when not a date. A date alone is the whole day (UTC). */
function parseDate(value: string | undefined, end: boolean): number | undefined | null {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const time = Date.parse(dateOnly ? `${trimmed}T00:00:00Z` : trimmed);
  if (Number.isNaN(time)) return null;
  return dateOnly && end ? time + 86_400_000 - 1 : time;
}
