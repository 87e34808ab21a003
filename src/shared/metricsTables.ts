/**
 * The dashboard's tables, made once from a MetricsReport: the webview shows
 * them (every chart draws columns of one of them, and the table stands
 * behind it), and the extension writes them as CSV. Plain data only: the
 * webview bundles this file.
 */
import { costText, type CompletionFigures, type MetricsReport, type Quantiles, type TokenFigures } from './metrics';

/** How a column's numbers read: a count, a share (0–1), US dollars, milliseconds; text as it is. */
export type ColumnFormat = 'count' | 'rate' | 'usd' | 'ms' | 'text';

export interface MetricsColumn {
  label: string;
  format: ColumnFormat;
}

/** A cell: a number in its column's format, text, or null for "none" (no sample, nothing shown). */
export type MetricsCell = number | string | null;

export interface MetricsTable {
  id: MetricsTableId;
  /** What the table shows, as its caption. */
  caption: string;
  /** The first column names the row (a day, a language, a model…). */
  columns: MetricsColumn[];
  rows: MetricsCell[][];
  /** A line under the table (how a figure is estimated). */
  note?: string;
  /** The last row is the total of the others (charts leave it out). */
  totalRow?: boolean;
}

export const METRICS_TABLE_IDS = [
  'completionsByDay',
  'completionsByLanguage',
  'proposalsByDay',
  'durations',
  'quality',
  'checkFindings',
  'costByDay',
  'costByModel',
  'ttft',
] as const;
export type MetricsTableId = (typeof METRICS_TABLE_IDS)[number];

const count = (label: string): MetricsColumn => ({ label, format: 'count' });
const name = (label: string): MetricsColumn => ({ label, format: 'text' });

function completionRow(label: string, c: CompletionFigures): MetricsCell[] {
  return [label, c.shown, c.accepted, c.partiallyAccepted, c.acceptanceRate, c.charsAccepted];
}

/** Cost of one day or model: 'unknown' when none of its tokens has a price. */
function cost(t: TokenFigures): MetricsCell {
  return t.unpricedTokens > 0 && t.costUsd === 0 ? 'unknown' : t.costUsd;
}

function tokenRow(label: string, t: TokenFigures): MetricsCell[] {
  return [label, t.requests, t.prompt, t.completion, t.total, cost(t), t.unpricedTokens];
}

function quantileRow(label: string, q: Quantiles): MetricsCell[] {
  return [label, q.count, q.p50 ?? null, q.p95 ?? null];
}

const byName = <T>(record: Record<string, T>): Array<[string, T]> => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function metricsTables(report: MetricsReport): MetricsTable[] {
  const { totals, velocity, quality, speed } = report;
  const checks = quality.checkFindings;
  const completionColumns = [count('shown'), count('accepted'), count('partly accepted'), { label: 'acceptance rate', format: 'rate' as const }, count('characters accepted')];
  const tokenColumns = [count('requests'), count('prompt tokens'), count('completion tokens'), count('total tokens'), { label: 'estimated cost (USD)', format: 'usd' as const }, count('tokens without a price')];
  return [
    {
      id: 'completionsByDay',
      caption: 'Inline suggestions per day',
      totalRow: true,
      columns: [name('day (UTC)'), ...completionColumns],
      rows: [...report.days.map((day) => completionRow(day.day, day.completions)), completionRow('total', totals.completions)],
    },
    {
      id: 'completionsByLanguage',
      caption: 'Inline suggestions by language',
      columns: [name('language'), ...completionColumns],
      rows: Object.entries(totals.completionsByLanguage)
        .sort(([a, x], [b, y]) => y.shown - x.shown || (a < b ? -1 : 1))
        .map(([language, figures]) => completionRow(language, figures)),
    },
    {
      id: 'proposalsByDay',
      caption: 'Proposals, decisions and agent tasks per day',
      totalRow: true,
      columns: [name('day (UTC)'), count('proposals'), count('changes accepted'), count('changes rejected'), count('changes refused'), count('agent tasks'), count('agent steps'), count('commands run')],
      rows: [...report.days, { day: 'total', ...totals }].map((day) => [day.day, day.proposals, day.decisions.accepted, day.decisions.rejected, day.decisions.refused, day.agent.started, day.agent.steps, day.agent.commandsRun]),
    },
    {
      id: 'durations',
      caption: 'Time to decision and agent tasks',
      columns: [name('measure'), count('count'), { label: 'p50', format: 'ms' }, { label: 'p95', format: 'ms' }],
      rows: [
        quantileRow('proposal → first decision', velocity.timeToDecisionMs),
        quantileRow('agent task duration', velocity.taskDurationMs),
        // Steps are a count, not milliseconds: the view shows them as they are.
        ['steps per agent task', velocity.stepsPerTask.count, velocity.stepsPerTask.p50 !== undefined ? String(velocity.stepsPerTask.p50) : null, velocity.stepsPerTask.p95 !== undefined ? String(velocity.stepsPerTask.p95) : null],
        ['undecided proposals', velocity.undecidedProposals, null, null],
      ],
      note: PERCENTILES,
    },
    {
      id: 'quality',
      caption: 'Quality of the changes',
      columns: [name('measure'), count('count')],
      rows: [
        ['changes accepted', quality.changes.accepted],
        ['changes rejected', quality.changes.rejected],
        ['accepted changes later undone (restored)', quality.acceptedThenRestored],
        ['check findings caught before approval', checks.findingsBeforeDecision],
        ['proposals accepted despite a high-severity finding', checks.acceptedWithHighFinding],
        ['agent tasks whose last test run passed', quality.tasksLastTestPassed],
        ['agent tasks whose last test run failed', quality.tasksLastTestFailed],
        ...byName(quality.refusalsByReason).map(([reason, n]): MetricsCell[] => [`edit refused: ${reason || '(no reason given)'}`, n]),
        ...byName(quality.commandRefusals).map(([kind, n]): MetricsCell[] => [`command refused: ${kind}`, n]),
      ],
    },
    {
      id: 'checkFindings',
      caption: 'Check findings caught before approval',
      columns: [name('finding'), count('count')],
      rows: [
        ...byName(checks.findingsBySeverity).map(([severity, n]): MetricsCell[] => [`severity ${severity}`, n]),
        ...byName(checks.findingsByRule).map(([rule, n]): MetricsCell[] => [`rule ${rule}`, n]),
        ...byName(checks.projectChecksByStatus).map(([status, n]): MetricsCell[] => [`project checks ${status}`, n]),
        ['found after the decision', checks.findingsAfterDecision],
        ['proposals checked', checks.proposalsChecked],
      ],
    },
    {
      id: 'costByDay',
      caption: 'Tokens and estimated cost per day',
      totalRow: true,
      columns: [name('day (UTC)'), ...tokenColumns],
      rows: [...report.days.map((day) => tokenRow(day.day, day.tokens)), tokenRow('total', totals.tokens)],
      note: costNote(report),
    },
    {
      id: 'costByModel',
      caption: 'Tokens and estimated cost by model',
      columns: [name('model'), ...tokenColumns],
      rows: byName(totals.tokensByModel).map(([model, figures]) => tokenRow(model, figures)),
      note: costNote(report),
    },
    {
      id: 'ttft',
      caption: 'Time to first token by model and purpose',
      columns: [name('model / purpose'), count('requests'), { label: 'p50', format: 'ms' }, { label: 'p95', format: 'ms' }],
      rows: byName(speed.ttftMs).flatMap(([model, byPurpose]) => byName(byPurpose).map(([purpose, q]) => quantileRow(`${model} / ${purpose}`, q))),
      note: PERCENTILES,
    },
  ];
}

const PERCENTILES = 'p50 is the median, p95 the time 95% stay within (nearest rank; sampled past 2,048 values). Durations are in milliseconds in the CSV.';

function costNote(report: MetricsReport): string {
  const { cost } = report;
  const unknown = cost.unpricedModels.length > 0 ? ` No price is known for ${cost.unpricedModels.join(', ')}: their cost is unknown (set tandem.metrics.prices).` : '';
  return `Estimates from list prices as of ${cost.pricesAsOf}${cost.overridden ? ' and your tandem.metrics.prices' : ''}, not a bill; a model server on this machine costs 0. Total: ${costText(report.totals.tokens)}.${unknown}`;
}

/** What a spreadsheet reads as the start of a formula (leading white space is skipped by some). */
const FORMULA_START = /^\s*[=+\-@]|^[\t\r]/;

/** A cell as the dashboard shows it. */
export function cellText(cell: MetricsCell, format: ColumnFormat): string {
  if (cell === null) return '—';
  if (typeof cell === 'string') return cell;
  switch (format) {
    case 'rate':
      return `${(cell * 100).toFixed(1)}%`;
    case 'usd':
      return cell === 0 ? '$0.00' : cell < 1 ? `$${cell.toFixed(4)}` : `$${cell.toFixed(2)}`;
    case 'ms':
      return cell >= 10_000 ? `${(cell / 1000).toFixed(1)} s` : `${Math.round(cell)} ms`;
    default:
      return cell.toLocaleString('en-US');
  }
}

/**
 * One CSV cell (RFC 4180): text is quoted, with quotes doubled, so commas,
 * quotes and line breaks stay inside it; text a spreadsheet would run as a
 * formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return,
 * also after leading spaces) gets a leading `'` so it stays text. Numbers are
 * written as numbers.
 */
export function csvCell(cell: MetricsCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const guarded = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return `"${guarded.replace(/"/g, '""')}"`;
}

/** The tables as one CSV file: each table's caption on a line of its own, its header, its rows, then a blank line. */
export function tablesToCsv(tables: readonly MetricsTable[], heading: string): string {
  const lines = [csvCell(heading), ''];
  for (const table of tables) {
    lines.push(csvCell(table.caption));
    lines.push(table.columns.map((column) => csvCell(column.label)).join(','));
    for (const row of table.rows) lines.push(row.map(csvCell).join(','));
    if (table.note) lines.push(csvCell(table.note));
    lines.push('');
  }
  // CRLF, as RFC 4180 and spreadsheets expect.
  return lines.join('\r\n');
}
