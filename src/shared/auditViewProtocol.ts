/**
 * Messages between the extension and the Audit Trail webview
 * (media/audit), declared once for both sides. Everything that crosses is
 * checked where it arrives (`isFromAuditView` in the extension; the page
 * only renders, as text, what the extension sends).
 */
import type { AuditQueryResult } from './auditProtocol';
import type { AuditEventType } from './audit';
import { isRecord } from './guards';

/** The view's filters as the person typed them ('' = no filter). */
export interface AuditViewFilters {
  /** Workspace-relative path. */
  path: string;
  /** One of AUDIT_VIEW_GROUPS' ids, or ''. */
  group: string;
  /** YYYY-MM-DD (the date inputs' format), inclusive, UTC days. */
  since: string;
  until: string;
}

export const NO_FILTERS: AuditViewFilters = { path: '', group: '', since: '', until: '' };

/** The kinds of event a person filters by, and the event types each covers. */
export const AUDIT_VIEW_GROUPS: ReadonlyArray<{ id: string; label: string; types: readonly AuditEventType[] }> = [
  { id: 'sessions', label: 'Sessions', types: ['session.start', 'session.end', 'audit.recovered'] },
  { id: 'requests', label: 'Model requests', types: ['model.request'] },
  { id: 'proposals', label: 'Proposals and checks', types: ['proposal', 'checks'] },
  { id: 'decisions', label: 'Decisions and writes', types: ['decision', 'write', 'restore'] },
  { id: 'agent', label: 'Agent tasks and commands', types: ['agent.start', 'agent.step', 'agent.command', 'agent.end'] },
  { id: 'mcp', label: 'MCP tool calls', types: ['mcp.call'] },
  { id: 'completions', label: 'Inline suggestions', types: ['completion.shown', 'completion.accepted', 'completion.partiallyAccepted'] },
  { id: 'settings', label: 'Settings changes', types: ['settings.changed'] },
];

/** Events per page. */
export const AUDIT_VIEW_PAGE = 100;

export type ToAuditView =
  | { type: 'loading' }
  | { type: 'result'; filters: AuditViewFilters; result: AuditQueryResult }
  | { type: 'error'; message: string };

export type FromAuditView =
  /** The page is loaded (again): send it the current result. */
  | { type: 'ready' }
  | { type: 'query'; filters: AuditViewFilters; offset: number }
  | { type: 'openProposal'; proposal: string };

export function isFromAuditView(value: unknown): value is FromAuditView {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
      return true;
    case 'query':
      return isFilters(value.filters) && typeof value.offset === 'number' && Number.isInteger(value.offset) && value.offset >= 0;
    case 'openProposal':
      return typeof value.proposal === 'string' && value.proposal.length > 0 && value.proposal.length <= 200;
    default:
      return false;
  }
}

function isFilters(value: unknown): value is AuditViewFilters {
  return isRecord(value) && (['path', 'group', 'since', 'until'] as const).every((key) => typeof value[key] === 'string' && (value[key] as string).length <= 1024);
}

/** The query a view's filters mean. */
export function typesOf(group: string): string[] | undefined {
  const found = AUDIT_VIEW_GROUPS.find((entry) => entry.id === group);
  return found ? [...found.types] : undefined;
}

export function isToAuditView(value: unknown): value is ToAuditView {
  if (!isRecord(value)) return false;
  if (value.type === 'loading') return true;
  if (value.type === 'error') return typeof value.message === 'string';
  return value.type === 'result' && isFilters(value.filters) && isRecord(value.result) && Array.isArray(value.result.events) && Array.isArray(value.result.chains);
}
