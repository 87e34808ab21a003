/**
 * The Metrics dashboard: a time range picker, a few headline figures, then
 * velocity, quality, and cost and speed, each a chart with its table behind
 * it (a real <table>, keyboard-reachable, what a screen reader reads). With
 * no events, a message says why instead of empty charts. Everything shown is
 * set as text: model names, rules and reasons come from the trail. Charts are
 * drawn by the renderer main.ts passes (uPlot), so the view runs under jsdom.
 */
import { Dom } from '../chat/dom';
import { costText, type MetricsReport } from '../../src/shared/metrics';
import type { MetricsResult } from '../../src/shared/metricsProtocol';
import { cellText, metricsTables, type ColumnFormat, type MetricsTable } from '../../src/shared/metricsTables';
import { DEFAULT_RANGE, METRICS_RANGE_PRESETS, type FromMetricsView, type MetricsRangeChoice, type MetricsRangePreset, type ToMetricsView } from '../../src/shared/metricsViewProtocol';
import { CHARTS, SECTIONS, type ChartKind } from './chartSpecs';

export interface MetricsViewApi {
  postMessage(message: FromMetricsView): void;
}

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  format: ColumnFormat;
  right: boolean;
}

/** What one chart draws: categories along x (days, languages, models), one or more series. */
export interface ChartData {
  title: string;
  kind: ChartKind;
  labels: string[];
  series: ChartSeries[];
}

export interface ChartHandle {
  resize(width: number): void;
  destroy(): void;
}

/** Draws a chart into a container, in the colours of the current theme. */
export type ChartRenderer = (container: HTMLElement, data: ChartData, width: number) => ChartHandle;

export interface MetricsView {
  receive(message: ToMetricsView): void;
  /** Draws the charts again: the theme changed (colours) or the page was resized. */
  redraw(): void;
}

const PRESET_LABELS: Record<MetricsRangePreset, string> = {
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  all: 'All time',
  custom: 'Custom…',
};

/** Most categories a chart draws (the table always has them all). */
const MAX_CATEGORIES = 60;

/**
 * Rows of a per-day table with the days between its first and last added
 * (zeros: nothing happened), so a chart's axis is time, not just the days
 * with events. Only for the chart: the table lists the days with events.
 */
export function withEveryDay(rows: ReadonlyArray<ReadonlyArray<string | number | null>>, columns: number): Array<Array<string | number | null>> {
  const byDay = new Map(rows.map((row) => [String(row[0]), [...row]]));
  const first = rows[0]?.[0];
  const last = rows.at(-1)?.[0];
  if (typeof first !== 'string' || typeof last !== 'string' || Number.isNaN(Date.parse(`${first}T00:00:00Z`))) return rows.map((row) => [...row]);
  const filled: Array<Array<string | number | null>> = [];
  for (let time = Date.parse(`${first}T00:00:00Z`), end = Date.parse(`${last}T00:00:00Z`); time <= end && filled.length <= 3660; time += 86_400_000) {
    const day = new Date(time).toISOString().slice(0, 10);
    filled.push(byDay.get(day) ?? [day, ...Array.from({ length: columns - 1 }, () => 0)]);
  }
  return filled;
}

export function mountMetricsView(root: HTMLElement, api: MetricsViewApi, renderChart: ChartRenderer, now: () => number = () => Date.now()): MetricsView {
  const dom = new Dom(root.ownerDocument);
  let range: MetricsRangeChoice = { ...DEFAULT_RANGE };
  let charts: Array<{ container: HTMLElement; data: ChartData; handle?: ChartHandle }> = [];
  let painted = false;
  /** How many times the charts were drawn (the E2E test waits for a theme change's redraw). */
  let draws = 0;

  const presetSelect = dom.el(
    'select',
    { class: 'input', label: 'Time range', testid: 'range' },
    METRICS_RANGE_PRESETS.map((preset) => dom.el('option', { text: PRESET_LABELS[preset], attrs: { value: preset } })),
  );
  presetSelect.value = range.preset;
  const sinceInput = dom.el('input', { class: 'input', label: 'From (UTC date)', testid: 'since', attrs: { type: 'date' } });
  const untilInput = dom.el('input', { class: 'input', label: 'To (UTC date)', testid: 'until', attrs: { type: 'date' } });
  const custom = dom.el('span', { class: 'custom' }, [labelled('From', sinceInput), labelled('To', untilInput), dom.el('button', { class: 'button primary', text: 'Show', attrs: { type: 'submit' } })]);
  const exportButton = dom.button('Export the tables as CSV', { class: 'button secondary', text: 'Export CSV…', testid: 'export', onClick: () => api.postMessage({ type: 'exportCsv' }) });
  exportButton.disabled = true;
  const form = dom.el('form', { class: 'range', label: 'Time range', on: { submit: (event) => (event.preventDefault(), submitCustom()) } }, [
    labelled('Range', presetSelect),
    custom,
    dom.button('Compute the figures again', { class: 'button secondary', text: 'Refresh', onClick: () => query(range) }),
    exportButton,
  ]);
  presetSelect.addEventListener('change', () => {
    const preset = presetSelect.value as MetricsRangePreset;
    showCustom(preset === 'custom');
    if (preset !== 'custom') query({ preset });
  });
  const status = dom.el('p', { class: 'muted status', testid: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const message = dom.el('div', { class: 'message', testid: 'message' });
  message.hidden = true;
  const tiles = dom.el('dl', { class: 'tiles', testid: 'tiles' });
  const main = dom.el('main', { class: 'dashboard', testid: 'dashboard' });
  dom.append(root, [dom.el('header', { class: 'metrics-header' }, [dom.el('h1', { text: 'Tandem metrics' }), form, status]), message, tiles, main]);
  showCustom(false);

  function labelled(text: string, control: HTMLElement): HTMLLabelElement {
    return dom.el('label', { class: 'field' }, [dom.el('span', { class: 'field-label', text }), control]);
  }

  function showCustom(visible: boolean): void {
    custom.hidden = !visible;
  }

  function submitCustom(): void {
    const since = sinceInput.value;
    const until = untilInput.value;
    if (since && until && since > until) {
      status.textContent = 'The start date is after the end date.';
      return;
    }
    query({ preset: 'custom', ...(since ? { since } : {}), ...(until ? { until } : {}) });
  }

  function query(next: MetricsRangeChoice): void {
    api.postMessage({ type: 'query', range: next });
  }

  function showRange(next: MetricsRangeChoice): void {
    range = next;
    presetSelect.value = next.preset;
    sinceInput.value = next.since ?? '';
    untilInput.value = next.until ?? '';
    showCustom(next.preset === 'custom');
  }

  function destroyCharts(): void {
    for (const chart of charts) chart.handle?.destroy();
    charts = [];
  }

  function drawCharts(): void {
    for (const chart of charts) {
      chart.handle?.destroy();
      dom.replaceChildren(chart.container, []);
      chart.handle = renderChart(chart.container, chart.data, chartWidth(chart.container));
    }
    if (charts.length > 0) root.dataset.draws = String(++draws);
  }

  function chartWidth(container: HTMLElement): number {
    return Math.max(240, Math.min(container.parentElement?.clientWidth || 640, 1200));
  }

  function tableElement(table: MetricsTable): HTMLElement {
    const head = dom.el('thead', {}, [dom.el('tr', {}, table.columns.map((column) => dom.el('th', { text: column.label, attrs: { scope: 'col' } })))]);
    const body = dom.el(
      'tbody',
      {},
      table.rows.length > 0
        ? table.rows.map((row, index) =>
            dom.el(
              'tr',
              { class: table.totalRow && index === table.rows.length - 1 ? 'total' : '' },
              row.map((cell, column) =>
                column === 0
                  ? dom.el('th', { text: cellText(cell, 'text'), attrs: { scope: 'row' } })
                  : dom.el('td', { class: typeof cell === 'number' ? 'number' : '', text: cellText(cell, table.columns[column]?.format ?? 'text') }),
              ),
            ),
          )
        : [dom.el('tr', {}, [dom.el('td', { class: 'muted empty', text: 'None in this range.', attrs: { colspan: String(table.columns.length) } })])],
    );
    const element = dom.el('table', { class: 'figures', testid: `table-${table.id}` }, [dom.el('caption', { text: table.caption }), head, body]);
    // A region a keyboard reaches (Tab) and scrolls, named for screen readers.
    return dom.el('div', { class: 'table-wrap', label: `${table.caption} (table)`, attrs: { role: 'region', tabindex: '0' } }, [element]);
  }

  function figure(table: MetricsTable): HTMLElement {
    const spec = CHARTS[table.id];
    const children: HTMLElement[] = [dom.el('h3', { class: 'figure-title', text: table.caption })];
    if (spec) {
      const rows = table.totalRow ? withEveryDay(table.rows.slice(0, -1), table.columns.length) : table.rows;
      const shown = rows.slice(-MAX_CATEGORIES);
      const data: ChartData = {
        title: table.caption,
        kind: spec.kind,
        labels: shown.map((row) => String(row[0] ?? '')),
        series: spec.series.map((series) => {
          const column = table.columns[series.column];
          return {
            label: column?.label ?? '',
            format: column?.format ?? 'count',
            right: series.right === true,
            values: shown.map((row) => {
              const cell = row[series.column];
              return typeof cell === 'number' ? cell : null;
            }),
          };
        }),
      };
      const container = dom.el('div', { class: 'chart', testid: `chart-${table.id}`, attrs: { 'aria-hidden': 'true' } });
      const legend = dom.el(
        'ul',
        { class: 'legend', attrs: { 'aria-hidden': 'true' } },
        data.series.map((series, index) => dom.el('li', {}, [dom.el('span', { class: `swatch c${index}` }), `${series.label}${series.right ? ' (right axis)' : ''}`])),
      );
      if (shown.length > 0) {
        children.push(container, legend);
        charts.push({ container, data });
      }
    }
    children.push(tableElement(table));
    if (table.note) children.push(dom.el('p', { class: 'muted note', text: table.note }));
    return dom.el('section', { class: 'figure', testid: `figure-${table.id}`, attrs: { 'data-table': table.id } }, children);
  }

  function headline(report: MetricsReport): Array<[string, string]> {
    const { totals, quality, velocity } = report;
    const rate = totals.completions.acceptanceRate;
    return [
      ['Suggestions accepted', rate === null ? '—' : `${(rate * 100).toFixed(1)}%`],
      ['Proposals', String(totals.proposals)],
      ['Median time to decision', velocity.timeToDecisionMs.p50 !== undefined ? cellText(velocity.timeToDecisionMs.p50, 'ms') : '—'],
      ['Agent tasks', String(totals.agent.started)],
      ['Findings caught before approval', String(quality.checkFindings.findingsBeforeDecision)],
      ['Estimated cost', costText(totals.tokens)],
    ];
  }

  /** Why there is nothing to draw, or undefined when there is. */
  function emptyReason(result: MetricsResult): string | undefined {
    if (result.report.events > 0) return undefined;
    if (result.problem) return result.problem;
    if (!result.enabled) return 'The audit trail is off (tandem.audit.enabled), so there is nothing to measure. The metrics are computed from the audit trail only: turn it on and they start with your next suggestion, chat or edit.';
    return range.preset === 'all'
      ? 'No events recorded yet. Use Tandem — inline suggestions, chat, edits, the agent — and the figures appear here.'
      : 'No events in this range. Choose a longer range, or “All time”.';
  }

  function render(result: MetricsResult, next: MetricsRangeChoice): void {
    showRange(next);
    destroyCharts();
    const { report } = result;
    const why = emptyReason(result);
    exportButton.disabled = why !== undefined;
    const span = `${report.range.since?.slice(0, 10) ?? 'the beginning'} to ${report.range.until?.slice(0, 10) ?? 'now'} (UTC)`;
    status.textContent = `${report.events.toLocaleString('en-US')} event${report.events === 1 ? '' : 's'}, ${span}${report.skipped > 0 ? `; ${report.skipped} unreadable line${report.skipped === 1 ? '' : 's'} skipped` : ''}.`;
    message.hidden = why === undefined && result.enabled;
    if (why !== undefined) {
      message.dataset.kind = 'empty';
      message.textContent = why;
      dom.replaceChildren(tiles, []);
      dom.replaceChildren(main, []);
      return;
    }
    if (!result.enabled) {
      message.dataset.kind = 'off';
      message.textContent = 'The audit trail is off now: these figures are from what it recorded before.';
    }
    dom.replaceChildren(
      tiles,
      headline(report).flatMap(([label, value]) => [dom.el('div', { class: 'tile' }, [dom.el('dt', { text: label }), dom.el('dd', { text: value })])]),
    );
    const tables = new Map(metricsTables(report).map((table) => [table.id, table]));
    dom.replaceChildren(
      main,
      SECTIONS.map((section) =>
        dom.el('section', { class: 'section', testid: `section-${section.id}`, attrs: { 'aria-labelledby': `h-${section.id}` } }, [
          dom.el('h2', { text: section.title, attrs: { id: `h-${section.id}` } }),
          dom.el(
            'div',
            { class: 'figures-grid' },
            section.tables.flatMap((id) => {
              const table = tables.get(id);
              return table ? [figure(table)] : [];
            }),
          ),
        ]),
      ),
    );
    drawCharts();
    if (!painted) {
      painted = true;
      const win = root.ownerDocument.defaultView;
      // Two frames: the first lays out what was just added, the second is when it is on screen.
      const after = (callback: () => void): void => void (win?.requestAnimationFrame ? win.requestAnimationFrame(callback) : setTimeout(callback, 0));
      after(() =>
        after(() => {
          const ms = win?.performance ? win.performance.now() : now();
          root.dataset.firstPaintMs = String(Math.round(ms));
          api.postMessage({ type: 'painted', ms });
        }),
      );
    }
  }

  api.postMessage({ type: 'ready' });
  return {
    receive(incoming) {
      switch (incoming.type) {
        case 'loading':
          status.textContent = 'Computing the figures from the audit trail…';
          break;
        case 'error':
          destroyCharts();
          dom.replaceChildren(main, []);
          dom.replaceChildren(tiles, []);
          message.hidden = false;
          message.dataset.kind = 'error';
          message.textContent = `Could not compute the metrics: ${incoming.message}`;
          exportButton.disabled = true;
          break;
        case 'result':
          render(incoming.result, incoming.range);
          break;
      }
    },
    redraw: drawCharts,
  };
}
