/**
 * The Audit Trail webview under jsdom: the chain's state leads the page
 * (intact, or the broken line and why), every event is one row a person can
 * read, newest first as given, hostile text from the trail stays text, the
 * filters and pages post the right queries, a proposal row opens its diff,
 * and the page drops malformed messages.
 */
import assert from 'node:assert/strict';
import { mountAuditView, type AuditView } from '../../../media/audit/view';
import type { AuditQueryEvent, AuditQueryResult } from '../../../src/shared/auditProtocol';
import { AUDIT_VIEW_PAGE, NO_FILTERS, isFromAuditView, isToAuditView, type FromAuditView } from '../../../src/shared/auditViewProtocol';
import { createDocument } from './env';

interface Page {
  view: AuditView;
  posted: FromAuditView[];
  root: HTMLElement;
  $(selector: string): HTMLElement | null;
  $$(selector: string): HTMLElement[];
  window: Window;
}

function mount(): Page {
  const dom = createDocument();
  const root = dom.window.document.getElementById('root') as HTMLElement;
  const posted: FromAuditView[] = [];
  const view = mountAuditView(root, { postMessage: (message) => posted.push(message) });
  return {
    view,
    posted,
    root,
    window: dom.window as unknown as Window,
    $: (selector) => root.querySelector<HTMLElement>(selector),
    $$: (selector) => Array.from(root.querySelectorAll<HTMLElement>(selector)),
  };
}

function event(seq: number, overrides: Partial<AuditQueryEvent> = {}): AuditQueryEvent {
  return { chain: 1, seq, time: `2026-03-01T10:${String(seq % 60).padStart(2, '0')}:00.000Z`, session: 's', type: 'write', actor: 'person', paths: ['src/a.ts'], summary: `edit src/a.ts #${seq}`, file: 'audit-1-000001.jsonl', line: seq, ...overrides };
}

function result(events: AuditQueryEvent[], overrides: Partial<AuditQueryResult> = {}): AuditQueryResult {
  return { directory: '/tmp/audit', chains: [{ chain: 1, intact: true, events: events.length, lastSha256: 'ab'.repeat(32) }], events, total: events.length, offset: 0, ...overrides };
}

describe('the Audit Trail view', () => {
  it('asks for the trail when it loads', () => {
    assert.deepEqual(mount().posted, [{ type: 'ready' }]);
  });

  it('says the chain is intact at the top, with the count and the anchor', () => {
    const page = mount();
    page.view.receive({ type: 'result', filters: NO_FILTERS, result: result([event(2), event(1)]) });
    const state = page.$('[data-testid="chain-state"]');
    assert.equal(state?.dataset.state, 'intact');
    assert.match(state?.textContent ?? '', /Chain intact — 2 events in 1 chain/);
    assert.match(state?.textContent ?? '', /abababababababab…/);
    assert.equal(page.root.firstElementChild?.contains(state ?? null), true, 'the state comes first');
  });

  it('names the broken line and why, for each broken chain', () => {
    const page = mount();
    page.view.receive({
      type: 'result',
      filters: NO_FILTERS,
      result: result([event(1)], {
        chains: [
          { chain: 1, intact: false, events: 12, broken: { file: 'audit-1-000001.jsonl', line: 13, seq: 13, kind: 'tampered', message: 'its hash is not the next line’s prev' } },
          { chain: 2, intact: true, events: 3 },
        ],
      }),
    });
    const state = page.$('[data-testid="chain-state"]');
    assert.equal(state?.dataset.state, 'broken');
    assert.match(state?.textContent ?? '', /Chain 1: broken at audit-1-000001\.jsonl line 13 \(seq 13\) — tampered: its hash is not the next line’s prev/);
    assert.doesNotMatch(state?.textContent ?? '', /Chain 2/);
  });

  it('shows one readable row per event, in the order given, with type, actor, summary and links', () => {
    const page = mount();
    const events = [
      event(5, { type: 'agent.command', actor: 'policy:full-auto', summary: 'command `npm test` (run): ran, exit 0', task: 'T1', step: 's3', paths: [] }),
      event(4, { type: 'proposal', actor: 'model', proposal: 'p-1', summary: 'refactor proposal p-1: update src/a.ts +3 -1' }),
      event(3, { type: 'session.start', actor: 'service', summary: 'Tandem 1.0 started (start)' }),
    ];
    page.view.receive({ type: 'result', filters: NO_FILTERS, result: result(events) });
    const rows = page.$$('tbody tr.event');
    assert.deepEqual(
      rows.map((row) => row.dataset.seq),
      ['5', '4', '3'],
    );
    const cells = (row: HTMLElement): string[] => Array.from(row.querySelectorAll('td'), (cell) => (cell.textContent ?? '').trim());
    assert.deepEqual(cells(rows[0] as HTMLElement), ['2026-03-01 10:05:00', 'Command', 'policy:full-auto', 'command `npm test` (run): ran, exit 0', 'task T1 · step s3']);
    assert.equal(cells(rows[1] as HTMLElement)[1], 'Proposal');
    assert.equal(cells(rows[2] as HTMLElement)[1], 'Session start');
    assert.match(page.$('[data-testid="status"]')?.textContent ?? '', /1–3 of 3 events, newest first/);
  });

  it('keeps text from the trail as text (file names, commands, summaries)', () => {
    const page = mount();
    const hostile = ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '"><b>bold</b>', '&lt;b&gt;'];
    page.view.receive({
      type: 'result',
      filters: { ...NO_FILTERS, path: hostile[0] ?? '' },
      result: result(hostile.map((text, i) => event(i + 1, { summary: text, task: text, type: text })), { directory: hostile[1] ?? '' }),
    });
    assert.equal(page.$$('img, script, b').length, 0);
    const text = page.root.textContent ?? '';
    for (const sample of hostile) assert.ok(text.includes(sample), `${sample} shown as text`);
  });

  it('a proposal row opens its diff; other rows have no diff button', () => {
    const page = mount();
    page.view.receive({ type: 'result', filters: NO_FILTERS, result: result([event(2, { type: 'proposal', proposal: 'p-abc-7' }), event(1)]) });
    const buttons = page.$$('[data-testid="open-diff"]');
    assert.equal(buttons.length, 1);
    buttons[0]?.click();
    assert.deepEqual(page.posted.at(-1), { type: 'openProposal', proposal: 'p-abc-7' });
  });

  it('names MCP tool calls and checks, and offers "MCP tool calls" as a kind to filter by', () => {
    const page = mount();
    page.view.receive({
      type: 'result',
      filters: NO_FILTERS,
      result: result([
        event(3, { type: 'mcp.call', summary: 'MCP everything/echo (user server; asked, approve): ran, 4 ms, arguments 21 bytes, result 25 bytes', paths: [] }),
        event(2, { type: 'checks', actor: 'service', summary: 'security checks on p-1: no findings, 3 ms', paths: [] }),
        event(1, { type: '__proto__', summary: 'hostile' }),
      ]),
    });
    assert.deepEqual(page.$$('tbody tr.event .badge').map((badge) => badge.textContent), ['MCP tool call', 'Checks', '__proto__']);
    const kind = page.root.querySelector('select') as HTMLSelectElement;
    const option = Array.from(kind.options).find((entry) => entry.value === 'mcp');
    assert.equal(option?.textContent, 'MCP tool calls');
    kind.value = 'mcp';
    page.$('form')?.dispatchEvent(new (page.window as unknown as typeof globalThis).Event('submit', { cancelable: true }));
    assert.equal((page.posted.at(-1) as { filters?: { group: string } }).filters?.group, 'mcp');
  });

  it('posts the filters a person set, and Clear posts none', () => {
    const page = mount();
    page.view.receive({ type: 'result', filters: NO_FILTERS, result: result([event(1)]) });
    const [file, since, until] = page.$$('input');
    const kind = page.root.querySelector('select') as HTMLSelectElement;
    (file as HTMLInputElement).value = ' src/a.ts ';
    (since as HTMLInputElement).value = '2026-03-01';
    (until as HTMLInputElement).value = '2026-03-02';
    kind.value = 'proposals';
    page.$('form')?.dispatchEvent(new (page.window as unknown as typeof globalThis).Event('submit', { cancelable: true }));
    assert.deepEqual(page.posted.at(-1), { type: 'query', filters: { path: 'src/a.ts', group: 'proposals', since: '2026-03-01', until: '2026-03-02' }, offset: 0 });
    page.$$('button').find((button) => button.textContent === 'Clear')?.click();
    assert.deepEqual(page.posted.at(-1), { type: 'query', filters: NO_FILTERS, offset: 0 });
  });

  it('pages: older and newer ask for the next and previous page, disabled at the ends', () => {
    const page = mount();
    const filters = { ...NO_FILTERS, group: 'agent' };
    page.view.receive({ type: 'result', filters, result: result([event(1)], { total: AUDIT_VIEW_PAGE * 2 + 5, offset: AUDIT_VIEW_PAGE }) });
    const newer = page.$$('button').find((button) => button.textContent === '← Newer') as HTMLButtonElement;
    const older = page.$$('button').find((button) => button.textContent === 'Older →') as HTMLButtonElement;
    assert.equal(newer.disabled, false);
    older.click();
    assert.deepEqual(page.posted.at(-1), { type: 'query', filters, offset: AUDIT_VIEW_PAGE * 2 });
    newer.click();
    assert.deepEqual(page.posted.at(-1), { type: 'query', filters, offset: 0 });
    page.view.receive({ type: 'result', filters, result: result([event(1)], { total: 1, offset: 0 }) });
    assert.equal(newer.disabled, true);
    assert.equal(older.disabled, true);
  });

  it('says so when nothing matches, and when the trail cannot be read', () => {
    const page = mount();
    page.view.receive({ type: 'result', filters: { ...NO_FILTERS, path: 'nope.ts' }, result: result([]) });
    assert.match(page.$('tbody')?.textContent ?? '', /No events match these filters/);
    page.view.receive({ type: 'result', filters: NO_FILTERS, result: result([], { chains: [], problem: 'No audit folder is known: the audit trail is off or has no folder.' }) });
    assert.match(page.$('[data-testid="chain-state"]')?.textContent ?? '', /No audit folder is known/);
    page.view.receive({ type: 'error', message: 'service stopped' });
    assert.match(page.$('[data-testid="chain-state"]')?.textContent ?? '', /Could not read the audit trail: service stopped/);
  });

  it('the messages both ways are checked: malformed ones are refused', () => {
    const good: unknown[] = [{ type: 'ready' }, { type: 'query', filters: NO_FILTERS, offset: 100 }, { type: 'openProposal', proposal: 'p-1' }];
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'run' },
      { type: 'query', filters: NO_FILTERS, offset: -1 },
      { type: 'query', filters: NO_FILTERS, offset: 1.5 },
      { type: 'query', filters: { ...NO_FILTERS, path: 3 }, offset: 0 },
      { type: 'query', filters: { path: '' }, offset: 0 },
      { type: 'openProposal', proposal: '' },
      { type: 'openProposal', proposal: 'x'.repeat(201) },
    ];
    for (const message of good) assert.equal(isFromAuditView(message), true, JSON.stringify(message));
    for (const message of bad) assert.equal(isFromAuditView(message), false, JSON.stringify(message));
    assert.equal(isToAuditView({ type: 'result', filters: NO_FILTERS, result: result([]) }), true);
    assert.equal(isToAuditView({ type: 'result', filters: NO_FILTERS, result: {} }), false);
    assert.equal(isToAuditView({ type: 'error' }), false);
  });
});
