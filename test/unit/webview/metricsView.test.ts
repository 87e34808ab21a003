/**
 * The Metrics dashboard under jsdom, with a recording chart renderer in place
 * of uPlot (jsdom has no canvas): the range picker posts the right queries,
 * every chart is drawn from its table's columns and the table is a real
 * table with caption and headers that a keyboard reaches, hostile text from
 * the trail stays text, an empty trail or an audit that is off gives a
 * message instead of charts, and the page reports its first paint.
 */
import assert from 'node:assert/strict';
import { MetricsAggregator } from '../../../src/server/services/metrics/aggregate';
import type { MetricsResult } from '../../../src/shared/metricsProtocol';
import type { FromMetricsView } from '../../../src/shared/metricsViewProtocol';
import { mountMetricsView, withEveryDay, type ChartData, type MetricsView } from '../../../media/metrics/view';
import { createDocument } from './env';

const HOSTILE = '<img src=x onerror=alert(1)>';

function result(events: unknown[], enabled = true): MetricsResult {
  const aggregator = new MetricsAggregator();
  for (const event of events) aggregator.add(event);
  return { enabled, directory: '/audit', report: aggregator.report() };
}

const EVENTS = [
  { time: '2026-12-01T09:00:00.000Z', type: 'completion.shown', path: 'a.ts', chars: 10 },
  { time: '2026-12-01T09:00:01.000Z', type: 'completion.accepted', path: 'a.ts', chars: 10, acceptedChars: 10 },
  { time: '2026-12-02T09:00:00.000Z', type: 'completion.shown', path: 'b.py', chars: 4 },
  { time: '2026-12-02T09:01:00.000Z', type: 'model.request', purpose: 'chat', model: HOSTILE, endpointHost: 'api.example.com', tokens: { prompt: 10, completion: 5, total: 15 }, ttftMs: 120, totalMs: 300 },
  { time: '2026-12-02T09:02:00.000Z', type: 'model.request', purpose: 'chat', model: 'gpt-4o', endpointHost: 'api.example.com', tokens: { prompt: 1_000_000, completion: 0, total: 1_000_000 }, ttftMs: 80, totalMs: 300 },
  { time: '2026-12-02T10:00:00.000Z', type: 'proposal', proposal: 'p1' },
  { time: '2026-12-02T10:00:02.000Z', type: 'checks', proposal: 'p1', stage: 'security', findings: [{ rule: 'sql-injection', severity: 'high', path: 'a.ts', line: 3 }] },
  { time: '2026-12-02T10:00:05.000Z', type: 'decision', proposal: 'p1', decision: 'rejected', path: 'a.ts', reason: HOSTILE },
];

interface Page {
  view: MetricsView;
  posted: FromMetricsView[];
  drawn: ChartData[];
  root: HTMLElement;
  $(selector: string): HTMLElement | null;
  $$(selector: string): HTMLElement[];
}

function mount(): Page {
  const dom = createDocument();
  const root = dom.window.document.getElementById('root') as HTMLElement;
  const posted: FromMetricsView[] = [];
  const drawn: ChartData[] = [];
  const view = mountMetricsView(root, { postMessage: (message) => posted.push(message) }, (container, data) => {
    drawn.push(data);
    container.append(container.ownerDocument.createElement('canvas'));
    return { resize: () => undefined, destroy: () => undefined };
  });
  return { view, posted, drawn, root, $: (selector) => root.querySelector<HTMLElement>(selector), $$: (selector) => Array.from(root.querySelectorAll<HTMLElement>(selector)) };
}

function tableText(page: Page, id: string): string[][] {
  return page.$$(`[data-testid="table-${id}"] tr`).map((row) => Array.from(row.children, (cell) => cell.textContent ?? ''));
}

describe('metrics dashboard (webview)', () => {
  it('asks for the figures when loaded, and for each range picked', () => {
    const page = mount();
    assert.deepEqual(page.posted, [{ type: 'ready' }]);
    const select = page.$('[data-testid="range"]') as HTMLSelectElement;
    for (const preset of ['7d', '90d', 'all'] as const) {
      select.value = preset;
      select.dispatchEvent(new select.ownerDocument.defaultView!.Event('change'));
    }
    assert.deepEqual(page.posted.slice(1), [{ type: 'query', range: { preset: '7d' } }, { type: 'query', range: { preset: '90d' } }, { type: 'query', range: { preset: 'all' } }]);
    // Custom: no query until dates are given and shown.
    select.value = 'custom';
    select.dispatchEvent(new select.ownerDocument.defaultView!.Event('change'));
    assert.equal(page.posted.length, 4);
    (page.$('[data-testid="since"]') as HTMLInputElement).value = '2026-12-01';
    (page.$('[data-testid="until"]') as HTMLInputElement).value = '2026-12-02';
    (page.$('form') as HTMLFormElement).requestSubmit();
    assert.deepEqual(page.posted.at(-1), { type: 'query', range: { preset: 'custom', since: '2026-12-01', until: '2026-12-02' } });
    (page.$('[data-testid="since"]') as HTMLInputElement).value = '2026-12-09';
    (page.$('form') as HTMLFormElement).requestSubmit();
    assert.equal(page.posted.length, 5, 'a start after the end is not asked for');
    assert.match(page.$('[data-testid="status"]')!.textContent ?? '', /start date is after the end date/);
  });

  it('draws every chart from its table, and every table is a real table a keyboard reaches', async () => {
    const page = mount();
    page.view.receive({ type: 'result', range: { preset: 'all' }, result: result(EVENTS) });
    assert.equal(page.$('[data-testid="message"]')!.hidden, true);
    const tables = page.$$('table.figures');
    assert.equal(tables.length, 9);
    for (const table of tables) {
      assert.ok(table.querySelector('caption')?.textContent, 'caption');
      assert.ok(table.querySelectorAll('thead th[scope="col"]').length >= 2, 'column headers');
      const wrap = table.parentElement!;
      assert.equal(wrap.getAttribute('tabindex'), '0');
      assert.equal(wrap.getAttribute('role'), 'region');
      assert.ok(wrap.getAttribute('aria-label'));
    }
    // Every chart has the table behind it, and draws that table's numbers.
    for (const chart of page.$$('.chart')) {
      assert.equal(chart.getAttribute('aria-hidden'), 'true');
      assert.ok(chart.closest('.figure')?.querySelector('table'), 'a chart without a table');
    }
    const byDay = page.drawn.find((data) => data.title === 'Inline suggestions per day')!;
    assert.deepEqual(byDay.labels, ['2026-12-01', '2026-12-02']);
    assert.deepEqual(byDay.series.map((series) => [series.label, series.values]), [['shown', [1, 1]], ['accepted', [1, 0]], ['partly accepted', [0, 0]]]);
    assert.deepEqual(tableText(page, 'completionsByDay').at(-1), ['total', '2', '1', '0', '50.0%', '10']);
    const cost = page.drawn.find((data) => data.title === 'Tokens and estimated cost by model')!;
    assert.deepEqual(cost.labels, ['<img src=x onerror=alert(1)>', 'gpt-4o']);
    // The unknown model's cost is not drawn as 0: it is unknown.
    assert.deepEqual(cost.series[1]?.values, [null, 2.5]);
    assert.deepEqual(tableText(page, 'costByModel').slice(1), [
      [HOSTILE, '1', '10', '5', '15', 'unknown', '15'],
      ['gpt-4o', '1', '1,000,000', '0', '1,000,000', '$2.50', '0'],
    ]);
    assert.deepEqual(tableText(page, 'quality').find((row) => row[0]?.startsWith('check findings')), ['check findings caught before approval', '1']);
    assert.deepEqual(tableText(page, 'checkFindings').slice(1, 3), [['severity high', '1'], ['rule sql-injection', '1']]);
    // Hostile text stays text.
    assert.equal(page.root.querySelector('img'), null);
    assert.match(page.$('[data-testid="tiles"]')!.textContent ?? '', /Estimated cost\$2\.50 \+ unknown/);
    assert.equal((page.$('[data-testid="export"]') as HTMLButtonElement).disabled, false);
    (page.$('[data-testid="export"]') as HTMLButtonElement).click();
    assert.deepEqual(page.posted.at(-1), { type: 'exportCsv' });
    // The first paint is reported once.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const painted = page.posted.filter((message) => message.type === 'painted');
    assert.equal(painted.length, 1);
    page.view.receive({ type: 'result', range: { preset: 'all' }, result: result(EVENTS) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(page.posted.filter((message) => message.type === 'painted').length, 1);
  });

  it('a per-day chart runs along every day between the first and the last (zeros where nothing happened)', () => {
    assert.deepEqual(withEveryDay([['2026-12-30', 1, 2], ['2027-01-02', 3, 4]], 3), [['2026-12-30', 1, 2], ['2026-12-31', 0, 0], ['2027-01-01', 0, 0], ['2027-01-02', 3, 4]]);
    assert.deepEqual(withEveryDay([], 3), []);
    assert.deepEqual(withEveryDay([['not a day', 1]], 2), [['not a day', 1]]);
    const page = mount();
    page.view.receive({ type: 'result', range: { preset: 'all' }, result: result([...EVENTS, { time: '2026-12-05T09:00:00.000Z', type: 'completion.shown', path: 'a.ts', chars: 1 }]) });
    const byDay = page.drawn.find((data) => data.title === 'Inline suggestions per day')!;
    assert.deepEqual(byDay.labels, ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05']);
    assert.deepEqual(byDay.series[0]?.values, [1, 1, 0, 0, 1]);
    // The table lists the days with events, and the total.
    assert.deepEqual(tableText(page, 'completionsByDay').slice(1).map((row) => row[0]), ['2026-12-01', '2026-12-02', '2026-12-05', 'total']);
  });

  it('redraws the charts on request (a theme change), with the same data', () => {
    const page = mount();
    page.view.receive({ type: 'result', range: { preset: 'all' }, result: result(EVENTS) });
    const first = page.drawn.length;
    assert.ok(first > 0);
    page.view.redraw();
    assert.equal(page.drawn.length, first * 2);
    assert.deepEqual(page.drawn.slice(first), page.drawn.slice(0, first));
    assert.equal(page.$$('.chart canvas').length, first, 'each chart drawn once into its place');
  });

  it('an empty trail, an audit that is off, a problem, an error: a message, no empty charts', () => {
    const cases: Array<[MetricsResult, string, RegExp]> = [
      [result([]), 'all', /No events recorded yet/],
      [result([]), '7d', /No events in this range/],
      [result([], false), 'all', /audit trail is off/],
      [{ ...result([]), problem: 'No audit folder is known.' }, 'all', /No audit folder is known/],
    ];
    for (const [value, preset, expected] of cases) {
      const page = mount();
      page.view.receive({ type: 'result', range: { preset: preset as '7d' }, result: value });
      const message = page.$('[data-testid="message"]')!;
      assert.equal(message.hidden, false);
      assert.match(message.textContent ?? '', expected);
      assert.equal(page.$$('.chart').length, 0);
      assert.equal(page.$$('table').length, 0);
      assert.equal(page.drawn.length, 0);
      assert.equal((page.$('[data-testid="export"]') as HTMLButtonElement).disabled, true);
    }
    const off = mount();
    off.view.receive({ type: 'result', range: { preset: 'all' }, result: result(EVENTS, false) });
    assert.match(off.$('[data-testid="message"]')!.textContent ?? '', /off now: these figures are from what it recorded before/);
    assert.ok(off.$$('table').length > 0);
    const failed = mount();
    failed.view.receive({ type: 'result', range: { preset: 'all' }, result: result(EVENTS) });
    failed.view.receive({ type: 'error', message: HOSTILE });
    assert.match(failed.$('[data-testid="message"]')!.textContent ?? '', /Could not compute the metrics: <img/);
    assert.equal(failed.$$('table').length, 0);
    assert.equal(failed.root.querySelector('img'), null);
  });
});
