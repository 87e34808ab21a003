/**
 * What crosses into and out of the dashboard: messages from the webview
 * (generated malformed and hostile ones are refused), what the page accepts,
 * the ranges the picker means, the service's answer to malformed parameters,
 * and the CSV the extension writes (generated hostile cells stay one cell of
 * text: no formula, no extra row or column).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MetricsAggregator } from '../../../src/server/services/metrics/aggregate';
import { computeMetrics } from '../../../src/server/services/metrics/lsp';
import type { AuditStatusResult } from '../../../src/shared/auditProtocol';
import { csvCell, metricsTables, tablesToCsv, type MetricsCell } from '../../../src/shared/metricsTables';
import { isFromMetricsView, isRangeChoice, isToMetricsView, rangeDates } from '../../../src/shared/metricsViewProtocol';
import { writeTrail } from './writeTrail';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('metrics view messages', () => {
  it('accepts the messages the page sends', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'exportCsv' },
      { type: 'query', range: { preset: '7d' } },
      { type: 'query', range: { preset: 'all' } },
      { type: 'query', range: { preset: 'custom', since: '2026-12-01', until: '2026-12-31' } },
      { type: 'query', range: { preset: 'custom', since: '2026-12-01' } },
      { type: 'query', range: { preset: 'custom' } },
      { type: 'painted', ms: 123.4 },
    ]) {
      assert.equal(isFromMetricsView(message), true, JSON.stringify(message));
    }
  });

  it('refuses malformed and hostile messages (generated)', () => {
    const fixed: unknown[] = [
      null,
      undefined,
      'ready',
      42,
      [],
      {},
      { type: 'Ready' },
      { type: 'openFile', path: '/etc/passwd' },
      { type: 'query' },
      { type: 'query', range: null },
      { type: 'query', range: { preset: '1y' } },
      { type: 'query', range: { preset: '7d', since: '2026-12-01' } },
      { type: 'query', range: { preset: 'custom', since: '2026-13-45' } },
      { type: 'query', range: { preset: 'custom', since: '2026-12-01T00:00:00Z' } },
      { type: 'query', range: { preset: 'custom', since: '../../etc' } },
      { type: 'query', range: { preset: 'custom', since: '2026-12-02', until: '2026-12-01' } },
      { type: 'query', range: { preset: 'custom', since: 20261201 } },
      { type: 'painted', ms: -1 },
      { type: 'painted', ms: Number.NaN },
      { type: 'painted', ms: Number.POSITIVE_INFINITY },
      { type: 'painted', ms: '12' },
      { type: 'painted' },
      { type: '__proto__' },
      JSON.parse('{"type":"query","range":{"__proto__":{"preset":"7d"}}}'),
    ];
    for (const message of fixed) assert.equal(isFromMetricsView(message), false, JSON.stringify(message));
    // Mutations of a good message: a field's value replaced by a wrong type, or the field removed.
    const random = mulberry32(13);
    const junk: unknown[] = [null, 0, -5, Number.POSITIVE_INFINITY, '', 'x'.repeat(5000), [], {}, true, '2026-02-30', '9999-99-99', { preset: 'all' }];
    for (let i = 0; i < 500; i++) {
      const message: Record<string, unknown> = { type: 'query', range: { preset: 'custom', since: '2026-12-01', until: '2026-12-02' } };
      const range = message.range as Record<string, unknown>;
      const target = random() < 0.3 ? message : range;
      const keys = Object.keys(target);
      const key = keys[Math.floor(random() * keys.length)]!;
      const value = junk[Math.floor(random() * junk.length)];
      if (random() < 0.2) delete target[key];
      else target[key] = value;
      if (isFromMetricsView(message) && message.type === 'query') {
        // Only a still well-formed message may pass: dates are real days, the preset is one of the list.
        assert.ok(isRangeChoice(message.range), JSON.stringify(message));
        const choice: { since?: unknown; until?: unknown } = message.range;
        for (const day of [choice.since, choice.until]) assert.ok(day === undefined || (typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)), JSON.stringify(message));
      }
    }
  });

  it('the page renders only the shapes it knows', () => {
    const report = new MetricsAggregator().report();
    assert.equal(isToMetricsView({ type: 'loading' }), true);
    assert.equal(isToMetricsView({ type: 'error', message: 'x' }), true);
    assert.equal(isToMetricsView({ type: 'result', range: { preset: 'all' }, result: { enabled: true, report } }), true);
    for (const message of [{ type: 'result', range: { preset: 'all' }, result: { enabled: true } }, { type: 'result', range: { preset: 'nope' }, result: { enabled: true, report } }, { type: 'error' }, { type: 'html', html: '<script>' }, null]) {
      assert.equal(isToMetricsView(message), false, JSON.stringify(message));
    }
  });

  it('ranges: the last n days end today (UTC), custom dates as given', () => {
    const now = new Date('2026-12-07T08:00:00Z');
    assert.deepEqual(rangeDates({ preset: '7d' }, now), { since: '2026-12-01' });
    assert.deepEqual(rangeDates({ preset: '30d' }, now), { since: '2026-11-08' });
    assert.deepEqual(rangeDates({ preset: '90d' }, now), { since: '2026-09-09' });
    assert.deepEqual(rangeDates({ preset: 'all' }, now), {});
    assert.deepEqual(rangeDates({ preset: 'custom', since: '2026-01-01', until: '2026-01-31' }, now), { since: '2026-01-01', until: '2026-01-31' });
  });
});

describe('tandem/metrics in the service', () => {
  let dir: string;
  const status = (enabled: boolean, directory?: string): { status: () => Promise<AuditStatusResult>; directory: string | undefined } => ({
    status: async () => ({ enabled, contents: 'diffs', events: 0, ...(directory ? { directory } : {}) }),
    directory,
  });
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-lsp-'));
    await writeTrail(dir, [
      { time: '2026-12-01T09:00:00.000Z', type: 'model.request', actor: 'person', request: 'a', purpose: 'chat', model: 'house-model', endpointHost: 'api.example.com', context: [], tokens: { prompt: 1_000_000, completion: 0, total: 1_000_000 }, totalMs: 1, attempts: 1, outcome: 'ok' },
      { time: '2026-12-03T09:00:00.000Z', type: 'completion.shown', actor: 'model', request: 'c', path: 'a.ts', chars: 3 },
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('computes the range asked for, with the person’s prices', async () => {
    const result = await computeMetrics(status(true, dir), { since: '2026-12-01', until: '2026-12-01', prices: { 'house-model': { input: 3, output: 0 } } });
    assert.equal(result.problem, undefined);
    assert.equal(result.report.events, 1);
    assert.equal(result.report.totals.tokens.costUsd, 3);
  });

  it('leaves malformed prices out and refuses a range that is not one', async () => {
    const result = await computeMetrics(status(true, dir), { prices: { 'house-model': { input: -3, output: 0 }, __proto__: { input: 1, output: 1 } } });
    assert.equal(result.report.totals.tokens.costUsd, 0);
    assert.equal(result.report.totals.tokens.unpricedTokens, 1_000_000);
    for (const params of [{ since: 'yesterday' }, { since: '2026-12-05', until: '2026-12-01' }, { until: 42 }, { since: 'x'.repeat(100) }]) {
      const refused = await computeMetrics(status(true, dir), params);
      assert.match(refused.problem ?? '', /not a pair of dates/, JSON.stringify(params));
      assert.equal(refused.report.events, 0);
    }
    for (const params of [null, 'junk', [], { prices: 'cheap' }]) assert.equal((await computeMetrics(status(true, dir), params)).report.events, 2);
  });

  it('says when there is no folder, and whether the audit is on', async () => {
    const none = await computeMetrics(status(false), {});
    assert.equal(none.enabled, false);
    assert.match(none.problem ?? '', /No audit folder/);
    assert.equal((await computeMetrics(status(false, dir), {})).enabled, false);
  });
});

describe('CSV export', () => {
  /** A minimal RFC 4180 reader: what a spreadsheet sees. */
  function readCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (quoted) {
        if (char === '"' && text[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (char === '"') quoted = false;
        else cell += char;
      } else if (char === '"') quoted = true;
      else if (char === ',') {
        row.push(cell);
        cell = '';
      } else if (char === '\r' && text[i + 1] === '\n') {
        row.push(cell);
        rows.push(row);
        row = [];
        cell = '';
        i++;
      } else cell += char;
    }
    row.push(cell);
    rows.push(row);
    return rows;
  }

  it('keeps generated hostile text one cell of text: no formula, no extra row or column', () => {
    const random = mulberry32(7);
    const pieces = ['=', '+', '-', '@', '\t', '\r', '\n', '\r\n', ',', '"', '""', ' ', 'SUM(A1:A9)', 'cmd|/c calc', 'a', 'model', '=HYPERLINK("x")', 'é', '\u0000', ';'];
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const length = 1 + Math.floor(random() * 6);
      for (let p = 0; p < length; p++) text += pieces[Math.floor(random() * pieces.length)];
      const cells: MetricsCell[] = ['first', text, 3];
      const line = cells.map(csvCell).join(',');
      const parsed = readCsv(line);
      assert.equal(parsed.length, 1, JSON.stringify(text));
      assert.equal(parsed[0]!.length, 3, JSON.stringify(text));
      const read = parsed[0]![1]!;
      // The text comes back whole, with a leading ' when a spreadsheet would have run it.
      const formula = /^\s*[=+\-@]/.test(text) || /^[\t\r]/.test(text);
      assert.equal(read, formula ? `'${text}` : text, JSON.stringify(text));
      assert.ok(!/^[=+\-@\t\r]/.test(read.trimStart()) || read.startsWith("'"), JSON.stringify(read));
    }
  });

  it('writes numbers as numbers, nothing for none, and one section per table', () => {
    assert.equal(csvCell(12.5), '12.5');
    assert.equal(csvCell(-3), '-3');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(Number.NaN), '');
    assert.equal(csvCell('=1+1'), `"'=1+1"`);
    const aggregator = new MetricsAggregator();
    aggregator.add({ time: '2026-12-01T09:00:00.000Z', type: 'model.request', model: '=cmd|"/c calc"!A1,\nx', endpointHost: 'api.example.com', purpose: 'chat', tokens: { prompt: 1, completion: 1, total: 2 }, ttftMs: 5 });
    const tables = metricsTables(aggregator.report());
    const csv = tablesToCsv(tables, 'Tandem metrics');
    const rows = readCsv(csv);
    assert.deepEqual(rows[0], ['Tandem metrics']);
    for (const table of tables) {
      const at = rows.findIndex((row) => row.length === 1 && row[0] === table.caption);
      assert.ok(at > 0, table.caption);
      assert.deepEqual(rows[at + 1], table.columns.map((column) => column.label));
    }
    const model = rows.find((row) => row[0]?.startsWith("'=cmd|"));
    assert.deepEqual(model?.slice(0, 2), [`'=cmd|"/c calc"!A1,\nx`, '1']);
  });
});
