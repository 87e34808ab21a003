/**
 * Messages between the extension and the Metrics dashboard webview
 * (media/metrics), declared once for both sides. What the page sends is
 * checked where it arrives (`isFromMetricsView`); the page only renders, as
 * text, what the extension sends, and never builds a file: the CSV is made by
 * the extension from the report it holds.
 */
import { isRecord } from './guards';
import type { MetricsResult } from './metricsProtocol';

/** The time ranges the picker offers; `custom` takes UTC dates. */
export const METRICS_RANGE_PRESETS = ['7d', '30d', '90d', 'all', 'custom'] as const;
export type MetricsRangePreset = (typeof METRICS_RANGE_PRESETS)[number];

export interface MetricsRangeChoice {
  preset: MetricsRangePreset;
  /** `custom` only: YYYY-MM-DD, inclusive UTC days; either may be absent. */
  since?: string;
  until?: string;
}

export const DEFAULT_RANGE: MetricsRangeChoice = { preset: '30d' };

export type ToMetricsView =
  | { type: 'loading' }
  | { type: 'result'; range: MetricsRangeChoice; result: MetricsResult }
  | { type: 'error'; message: string };

export type FromMetricsView =
  /** The page is loaded (again): send it the figures of the current range. */
  | { type: 'ready' }
  | { type: 'query'; range: MetricsRangeChoice }
  /** Save the figures shown as CSV (the extension asks where). */
  | { type: 'exportCsv' }
  /** The first figures were drawn, `ms` after the page started loading (a figure of the dashboard's speed). */
  | { type: 'painted'; ms: number };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: unknown): value is string {
  return typeof value === 'string' && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

export function isRangeChoice(value: unknown): value is MetricsRangeChoice {
  if (!isRecord(value) || !(METRICS_RANGE_PRESETS as readonly unknown[]).includes(value.preset)) return false;
  for (const key of ['since', 'until'] as const) {
    if (value[key] !== undefined && !isDay(value[key])) return false;
    if (value[key] !== undefined && value.preset !== 'custom') return false;
  }
  return !(typeof value.since === 'string' && typeof value.until === 'string' && value.since > value.until);
}

export function isFromMetricsView(value: unknown): value is FromMetricsView {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'exportCsv':
      return true;
    case 'query':
      return isRangeChoice(value.range);
    case 'painted':
      return typeof value.ms === 'number' && Number.isFinite(value.ms) && value.ms >= 0 && value.ms < 3_600_000;
    default:
      return false;
  }
}

/** The page's check of what arrives: the shape it renders (the extension is the only sender). */
export function isToMetricsView(value: unknown): value is ToMetricsView {
  if (!isRecord(value)) return false;
  if (value.type === 'loading') return true;
  if (value.type === 'error') return typeof value.message === 'string';
  if (value.type !== 'result' || !isRangeChoice(value.range) || !isRecord(value.result)) return false;
  const report = value.result.report;
  return typeof value.result.enabled === 'boolean' && isRecord(report) && Array.isArray(report.days) && isRecord(report.totals) && isRecord(report.quality) && isRecord(report.speed) && isRecord(report.cost);
}

/**
 * The dates a choice means, given today's UTC date: `7d` is today and the
 * six days before it. Returns YYYY-MM-DD bounds (inclusive), absent when open.
 */
export function rangeDates(choice: MetricsRangeChoice, now: Date): { since?: string; until?: string } {
  const daysBack = (days: number): string => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days)).toISOString().slice(0, 10);
  switch (choice.preset) {
    case '7d':
      return { since: daysBack(6) };
    case '30d':
      return { since: daysBack(29) };
    case '90d':
      return { since: daysBack(89) };
    case 'all':
      return {};
    case 'custom':
      return { ...(choice.since ? { since: choice.since } : {}), ...(choice.until ? { until: choice.until } : {}) };
  }
}
