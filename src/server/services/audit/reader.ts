/**
 * Reading an audit folder for reviewers (`tandem audit export` and `show`):
 * every whole line of every chain, in chain order, with where it is. Lines
 * that are not events (a torn last line, tampering) are skipped here;
 * `verify` is what reports them.
 */
import { readFileSync } from 'node:fs';
import type { AuditRecord } from '../../../shared/audit';
import { isRecord } from '../../../shared/guards';
import { listChains } from './files';

export interface ReadEvent {
  chain: number;
  file: string;
  line: number;
  /** The line as written (for a JSONL export: byte for byte, so it still verifies against its neighbours). */
  raw: string;
  record: AuditRecord;
}

export function readFolder(dir: string): ReadEvent[] {
  const events: ReadEvent[] = [];
  for (const [chain, segments] of listChains(dir)) {
    for (const segment of segments) {
      const text = readFileSync(segment.path, 'utf8');
      const lines = text.split('\n');
      // The piece after the last newline is torn (or empty): not an event.
      lines.pop();
      lines.forEach((raw, index) => {
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch {
          return;
        }
        if (isRecord(value) && typeof value.type === 'string' && typeof value.seq === 'number' && typeof value.time === 'string') {
          events.push({ chain, file: segment.name, line: index + 1, raw, record: value as unknown as AuditRecord });
        }
      });
    }
  }
  return events;
}

/** Every path an event names: context sent, files proposed, decided, written or restored. */
export function pathsOf(record: AuditRecord): string[] {
  switch (record.type) {
    case 'model.request':
      return record.context.map((item) => item.path).filter(Boolean);
    case 'proposal':
      return record.files.flatMap((file) => (file.moveTo ? [file.path, file.moveTo] : [file.path]));
    case 'decision':
      return [record.path];
    case 'write':
      return record.moveTo ? [record.path, record.moveTo] : [record.path];
    case 'restore':
      return record.files.map((file) => file.path);
    case 'checks':
      return [...new Set(record.findings?.map((finding) => finding.path) ?? [])];
    case 'completion.shown':
    case 'completion.accepted':
    case 'completion.partiallyAccepted':
      return record.path ? [record.path] : [];
    case 'agent.start':
      return record.activeFile ? [record.activeFile] : [];
    default:
      return [];
  }
}

/** One line a person reads: what happened, in a few words (never contents). */
export function summarize(record: AuditRecord): string {
  switch (record.type) {
    case 'session.start':
      return `Tandem ${record.version} started (${record.reason}); model ${record.model || '—'} at ${record.endpointHost || '—'}; policy ${record.policy.approvalPolicy}; contents ${record.audit.contents}`;
    case 'session.end':
      return `session ended (${record.reason}), ${record.events} events`;
    case 'settings.changed':
      return record.changes.map((change) => `${change.setting}: ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`).join('; ');
    case 'audit.recovered':
      return `recovered after a crash: ${record.torn.file} line ${record.torn.line} was torn (${record.torn.bytes} bytes)`;
    case 'model.request': {
      const tokens = record.tokens ? `, ${record.tokens.total} tokens` : '';
      const redactions = record.redactions?.length ? `, ${record.redactions.reduce((sum, entry) => sum + entry.count, 0)} redacted` : '';
      return `${record.purpose} request to ${record.model} at ${record.endpointHost}: ${record.outcome}${record.error ? ` (${record.error})` : ''}, ${record.context.length} context items${tokens}${redactions}, ${record.totalMs} ms`;
    }
    case 'completion.shown':
    case 'completion.accepted':
    case 'completion.partiallyAccepted':
      return `${record.type.slice('completion.'.length)}${record.path ? ` in ${record.path}` : ''}${record.acceptedChars !== undefined ? ` (${record.acceptedChars} of ${record.chars ?? '?'} chars)` : record.chars !== undefined ? ` (${record.chars} chars)` : ''}`;
    case 'proposal':
      return `${record.origin} proposal ${record.proposal ?? ''}: ${record.files.map((file) => `${file.kind} ${file.path} +${file.added} -${file.removed}`).join(', ')}`;
    case 'decision':
      return `${record.decision} ${record.scope} ${record.path}${record.hunks.length > 0 ? ` (changes ${record.hunks.map((hunk) => hunk + 1).join(', ')})` : ''}${record.reason ? `: ${record.reason}` : ''}`;
    case 'write':
      return `${record.operation} ${record.path}${record.moveTo ? ` → ${record.moveTo}` : ''}${record.sha256After ? ` (now ${record.sha256After.slice(0, 12)}…)` : ''}`;
    case 'agent.start':
      return `agent task with ${record.model} at ${record.endpointHost}, policy ${record.policy.approvalPolicy}, sandbox ${record.sandbox.kind}`;
    case 'agent.step':
      return `step ${record.step ?? ''} (turn ${record.turn}): ${record.title} — ${record.status}, ${record.durationMs} ms`;
    case 'agent.command': {
      const ran = record.approved ? `ran${record.exitCode !== undefined ? `, exit ${record.exitCode}` : ''}${record.timedOut ? ', timed out' : ''}${record.durationMs !== undefined ? `, ${record.durationMs} ms` : ''}` : 'not run';
      return `command \`${record.command}\` (${record.decision}): ${ran}`;
    }
    case 'mcp.call': {
      const how = record.approval === 'asked' ? `asked, ${record.answer ?? 'no answer'}` : record.approval;
      const ran = record.approved ? `${record.error ? `failed (${record.error})` : 'ran'}${record.durationMs !== undefined ? `, ${record.durationMs} ms` : ''}` : `not run${record.error ? ` (${record.error})` : ''}`;
      return `MCP ${record.server}/${record.tool} (${record.source} server; ${how}): ${ran}, arguments ${record.arguments.bytes} bytes${record.result ? `, result ${record.result.bytes} bytes` : ''}`;
    }
    case 'agent.end':
      return `agent task ended: ${record.finishReason}, ${record.steps} steps, ${record.tokens.total} tokens${record.error ? ` (${record.error})` : ''}`;
    case 'restore':
      return `restored to ${record.step ?? ''}: ${record.files.map((file) => `${file.action} ${file.path}`).join(', ')}`;
    case 'checks':
      return record.stage === 'security'
        ? `security checks on ${record.proposal ?? 'a proposal'}: ${record.findings?.length ? record.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`).join(', ') : 'no findings'}, ${record.durationMs} ms`
        : `project checks on ${record.proposal ?? 'a proposal'}: ${(record.checks ?? []).map((check) => `${check.name} ${check.status}${check.problems ? ` (${check.problems} problems)` : ''}`).join(', ') || 'none'}, ${record.durationMs} ms`;
  }
}
