/**
 * The Audit Trail view: the chain's state first (intact, or broken at which
 * line and why), the filters (file, kind of event, dates), then the events,
 * newest first, one row each, a page at a time. A proposal's row opens its
 * diff. Everything shown is set as text: file names, commands and summaries
 * come from the trail, which the workspace and the model fed.
 */
import { Dom } from '../chat/dom';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../../src/shared/audit';
import type { AuditChainState, AuditQueryEvent, AuditQueryResult } from '../../src/shared/auditProtocol';
import { AUDIT_VIEW_GROUPS, AUDIT_VIEW_PAGE, NO_FILTERS, type AuditViewFilters, type FromAuditView, type ToAuditView } from '../../src/shared/auditViewProtocol';

export interface AuditViewApi {
  postMessage(message: FromAuditView): void;
}

export interface AuditView {
  receive(message: ToAuditView): void;
}

/** Short labels for event types, as a person names them (every type: a new one must be named here). */
const TYPE_LABELS: Record<AuditEventType, string> = {
  'session.start': 'Session start',
  'session.end': 'Session end',
  'settings.changed': 'Settings',
  'audit.recovered': 'Recovered',
  'model.request': 'Model request',
  'completion.shown': 'Suggestion shown',
  'completion.accepted': 'Suggestion accepted',
  'completion.partiallyAccepted': 'Suggestion partly accepted',
  proposal: 'Proposal',
  decision: 'Decision',
  write: 'Write',
  'agent.start': 'Agent task',
  'agent.step': 'Agent step',
  'agent.command': 'Command',
  'agent.end': 'Agent task end',
  'mcp.call': 'MCP tool call',
  restore: 'Restore',
  checks: 'Checks',
};

/** The label of a type read from the trail (any string: an unknown one is shown as it is). */
function typeLabel(type: string): string {
  const known = AUDIT_EVENT_TYPES.find((candidate) => candidate === type);
  return known ? TYPE_LABELS[known] : type;
}

export function mountAuditView(root: HTMLElement, api: AuditViewApi): AuditView {
  const dom = new Dom(root.ownerDocument);
  let filters: AuditViewFilters = { ...NO_FILTERS };
  let offset = 0;

  const chainState = dom.el('section', { class: 'chain-state', testid: 'chain-state', attrs: { role: 'status', 'aria-live': 'polite' } });
  const pathInput = dom.el('input', { class: 'filter-input', label: 'File', attrs: { type: 'text', placeholder: 'File (e.g. src/app.ts)', spellcheck: 'false' } });
  const groupSelect = dom.el('select', { class: 'filter-input', label: 'Kind of event' }, [
    dom.el('option', { text: 'All events', attrs: { value: '' } }),
    ...AUDIT_VIEW_GROUPS.map((group) => dom.el('option', { text: group.label, attrs: { value: group.id } })),
  ]);
  const sinceInput = dom.el('input', { class: 'filter-input', label: 'From (UTC date)', attrs: { type: 'date' } });
  const untilInput = dom.el('input', { class: 'filter-input', label: 'To (UTC date)', attrs: { type: 'date' } });
  const submit = (): void => query({ path: pathInput.value.trim(), group: groupSelect.value, since: sinceInput.value, until: untilInput.value }, 0);
  const form = dom.el(
    'form',
    { class: 'filters', testid: 'filters', label: 'Filters', on: { submit: (event) => (event.preventDefault(), submit()) } },
    [
      labelled('File', pathInput),
      labelled('Kind', groupSelect),
      labelled('From', sinceInput),
      labelled('To', untilInput),
      dom.el('button', { class: 'button primary', text: 'Filter', attrs: { type: 'submit' } }),
      dom.button('Clear filters', { class: 'button secondary', text: 'Clear', onClick: () => query({ ...NO_FILTERS }, 0) }),
      dom.button('Refresh', { class: 'button secondary', text: 'Refresh', onClick: () => query(filters, offset) }),
    ],
  );
  groupSelect.addEventListener('change', submit);
  const status = dom.el('p', { class: 'muted status', testid: 'status' });
  const body = dom.el('tbody');
  const table = dom.el('table', { class: 'events', testid: 'events' }, [
    dom.el('thead', {}, [dom.el('tr', {}, ['Time (UTC)', 'Event', 'Actor', 'What happened', 'Links'].map((name) => dom.el('th', { text: name, attrs: { scope: 'col' } })))]),
    body,
  ]);
  const newer = dom.button('Newer events', { class: 'button secondary', text: '← Newer', onClick: () => query(filters, Math.max(0, offset - AUDIT_VIEW_PAGE)) });
  const older = dom.button('Older events', { class: 'button secondary', text: 'Older →', onClick: () => query(filters, offset + AUDIT_VIEW_PAGE) });
  const pager = dom.el('nav', { class: 'pager', label: 'Pages' }, [newer, status, older]);
  dom.append(root, [dom.el('header', { class: 'audit-header' }, [dom.el('h1', { text: 'Tandem audit trail' }), chainState, form]), table, pager]);

  function labelled(text: string, control: HTMLElement): HTMLLabelElement {
    return dom.el('label', { class: 'filter' }, [dom.el('span', { class: 'filter-label', text }), control]);
  }

  function query(next: AuditViewFilters, nextOffset: number): void {
    api.postMessage({ type: 'query', filters: next, offset: nextOffset });
  }

  function showFilters(next: AuditViewFilters): void {
    filters = next;
    pathInput.value = next.path;
    groupSelect.value = next.group;
    sinceInput.value = next.since;
    untilInput.value = next.until;
  }

  function renderChains(result: AuditQueryResult): void {
    const parts: Array<Node | string> = [];
    const broken = result.chains.filter((chain) => !chain.intact);
    if (result.problem) {
      chainState.dataset.state = 'unknown';
      parts.push(dom.el('strong', { text: result.problem }));
    } else if (result.chains.length === 0) {
      chainState.dataset.state = 'unknown';
      parts.push(dom.el('strong', { text: 'No audit trail yet' }), ` in ${result.directory ?? 'the audit folder'}.`);
    } else if (broken.length === 0) {
      chainState.dataset.state = 'intact';
      const events = result.chains.reduce((sum, chain) => sum + chain.events, 0);
      parts.push(
        dom.el('strong', { text: '✓ Chain intact' }),
        ` — ${events} event${events === 1 ? '' : 's'} in ${result.chains.length} chain${result.chains.length === 1 ? '' : 's'}; every line links to the one before it.`,
      );
      const last = result.chains.at(-1)?.lastSha256;
      if (last) parts.push(dom.el('span', { class: 'muted anchor', text: ` Last line’s SHA-256: ${last.slice(0, 16)}…`, title: last }));
    } else {
      chainState.dataset.state = 'broken';
      parts.push(dom.el('strong', { text: `✗ Chain ${broken.length === 1 ? 'broken' : `broken in ${broken.length} places`}` }));
      const list = dom.el('ul', { class: 'breaks' }, broken.map((chain) => dom.el('li', { text: describeBreak(chain) })));
      parts.push(list, dom.el('span', { class: 'muted', text: 'Events from the break on cannot be trusted. Run “tandem audit verify” for details.' }));
    }
    for (const chain of result.chains) if (chain.tornEnd) parts.push(dom.el('div', { class: 'muted', text: `Note (chain ${chain.chain}): ${chain.tornEnd}` }));
    if (result.directory) parts.push(dom.el('div', { class: 'muted folder', text: `Folder: ${result.directory}` }));
    dom.replaceChildren(chainState, parts);
  }

  function row(event: AuditQueryEvent): HTMLTableRowElement {
    const time = new Date(event.time);
    const when = Number.isNaN(time.getTime()) ? event.time : `${time.toISOString().slice(0, 10)} ${time.toISOString().slice(11, 19)}`;
    const links = [event.task ? `task ${event.task}` : '', event.step ? `step ${event.step}` : '', event.request && !event.task ? `request ${event.request}` : '']
      .filter(Boolean)
      .join(' · ');
    const what = dom.el('td', { class: 'summary' }, [dom.el('span', { text: event.summary })]);
    if (event.type === 'proposal' && event.proposal) {
      const proposal = event.proposal;
      what.append(' ', dom.button(`Open the diff of proposal ${proposal}`, { class: 'button small link', text: 'Open diff', testid: 'open-diff', onClick: () => api.postMessage({ type: 'openProposal', proposal }) }));
    }
    return dom.el('tr', { class: `event type-${event.type.replace(/[^a-z]/gi, '-')}`, attrs: { 'data-type': event.type, 'data-seq': String(event.seq) } }, [
      dom.el('td', { class: 'time', text: when, title: `${event.time} · chain ${event.chain}, seq ${event.seq} · ${event.file} line ${event.line}` }),
      dom.el('td', {}, [dom.el('span', { class: 'badge', text: typeLabel(event.type) })]),
      dom.el('td', { class: 'actor', text: event.actor }),
      what,
      dom.el('td', { class: 'links muted', text: links }),
    ]);
  }

  function render(result: AuditQueryResult, next: AuditViewFilters): void {
    showFilters(next);
    offset = result.offset;
    renderChains(result);
    dom.replaceChildren(
      body,
      result.events.length > 0
        ? result.events.map(row)
        : [dom.el('tr', {}, [dom.el('td', { class: 'muted empty', text: hasFilters(next) ? 'No events match these filters.' : 'No events recorded.', attrs: { colspan: '5' } })])],
    );
    const first = result.events.length > 0 ? result.offset + 1 : 0;
    status.textContent = `${first}–${result.offset + result.events.length} of ${result.total} event${result.total === 1 ? '' : 's'}, newest first`;
    newer.disabled = result.offset === 0;
    older.disabled = result.offset + result.events.length >= result.total;
  }

  api.postMessage({ type: 'ready' });
  return {
    receive(message) {
      switch (message.type) {
        case 'loading':
          status.textContent = 'Reading the audit trail…';
          break;
        case 'error':
          chainState.dataset.state = 'unknown';
          dom.replaceChildren(chainState, [dom.el('strong', { text: `Could not read the audit trail: ${message.message}` })]);
          break;
        case 'result':
          render(message.result, message.filters);
          break;
      }
    },
  };
}

export function describeBreak(chain: AuditChainState): string {
  const broken = chain.broken;
  if (!broken) return `chain ${chain.chain}: intact`;
  return `Chain ${chain.chain}: broken at ${broken.file} line ${broken.line}${broken.seq !== undefined ? ` (seq ${broken.seq})` : ''} — ${broken.kind}: ${broken.message}`;
}

function hasFilters(filters: AuditViewFilters): boolean {
  return Boolean(filters.path || filters.group || filters.since || filters.until);
}
