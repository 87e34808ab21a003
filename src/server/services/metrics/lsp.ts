/**
 * tandem/metrics: the dashboard's figures, computed here from the audit
 * trail this service writes (buffered events are written first, so the
 * figures include what just happened). Documented in docs/protocol.md
 * ("Metrics"). Nothing leaves the machine: the answer goes to the editor only.
 */
import type { Connection } from 'vscode-languageserver/node';
import { isRecord } from '../../../shared/guards';
import { MetricsRequest, type MetricsResult } from '../../../shared/metricsProtocol';
import type { ModelPrice } from '../../../shared/metrics';
import { parseDate } from '../audit/command';
import type { AuditTrail } from '../audit/trail';
import { MetricsAggregator, type MetricsRange } from './aggregate';
import { aggregateFolderAsync } from './folder';
import { modelPrice } from './prices';

/** How long a request waits for the service's first settings (the trail's folder). */
const SETTINGS_WAIT_MS = 5_000;

/** Most price entries taken from a request (settings the person wrote). */
const MAX_PRICES = 500;

export function registerMetrics(connection: Connection, trail: Pick<AuditTrail, 'status' | 'directory'>): void {
  connection.onRequest(MetricsRequest.type, (raw: unknown) => computeMetrics(trail, raw));
}

/** The answer to one request; malformed parameters are left out or refused, never trusted. */
export async function computeMetrics(trail: Pick<AuditTrail, 'status' | 'directory'>, raw: unknown): Promise<MetricsResult> {
  // Waits (a little) for the settings to be applied once: a dashboard opened as the editor starts would find no folder yet.
  const status = await trail.status(true, SETTINGS_WAIT_MS);
  const params = isRecord(raw) ? raw : {};
  const prices = pricesOf(params.prices);
  const range = rangeOf(params.since, params.until);
  const directory = status.directory ?? trail.directory;
  const empty = (problem: string): MetricsResult => ({ enabled: status.enabled, ...(directory ? { directory } : {}), report: new MetricsAggregator({}, { prices }).report(), problem });
  if (range === undefined) return empty('The range is not a pair of dates (use 2026-12-01 or 2026-12-01T09:00:00Z, the start before the end).');
  if (!directory) return empty('No audit folder is known: the audit trail is off or has no folder.');
  const report = await aggregateFolderAsync(directory, range, { prices });
  return { enabled: status.enabled, directory, report };
}

function rangeOf(since: unknown, until: unknown): MetricsRange | undefined {
  const range: MetricsRange = {};
  for (const [key, value, end] of [['since', since, false], ['until', until, true]] as const) {
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string' || value.length > 64) return undefined;
    const time = parseDate(value, end);
    if (time === undefined) return undefined;
    range[key] = time;
  }
  if (range.since !== undefined && range.until !== undefined && range.since > range.until) return undefined;
  return range;
}

function pricesOf(value: unknown): Record<string, ModelPrice> {
  const prices: Record<string, ModelPrice> = {};
  if (!isRecord(value)) return prices;
  for (const [model, entry] of Object.entries(value).slice(0, MAX_PRICES)) {
    const price = modelPrice(entry);
    if (price && model !== '__proto__') prices[model] = price;
  }
  return prices;
}
