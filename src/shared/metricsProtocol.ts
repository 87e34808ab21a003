/**
 * The metrics request between the extension (client) and the model service:
 * the dashboard's figures, computed by the service from the audit trail it
 * writes (one source of truth; nothing is sent anywhere). Declared once
 * here, imported by both sides, documented in docs/protocol.md ("Metrics").
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { MetricsReport, ModelPrice } from './metrics';

export interface MetricsParams {
  /** From this time (ISO 8601), inclusive; absent: from the beginning. */
  since?: string;
  /** Up to this time (ISO 8601), inclusive; absent: up to now. */
  until?: string;
  /**
   * The person's prices (`tandem.metrics.prices`, user settings only): a
   * model id, or a prefix ending in `*`, to US dollars per million input and
   * output tokens. They win over the built-in list prices.
   */
  prices?: Record<string, ModelPrice>;
}

export interface MetricsResult {
  /** Whether the audit trail is being written now (`tandem.audit.enabled`); figures of an earlier trail may still be there. */
  enabled: boolean;
  /** The folder read; absent when none is known. */
  directory?: string;
  report: MetricsReport;
  /** Why nothing could be read (no folder, a range that is not a date). */
  problem?: string;
}

/** Client → service: the metrics of the audit trail in a time range. */
export namespace MetricsRequest {
  export const method = 'tandem/metrics';
  export const type = new RequestType<MetricsParams, MetricsResult, void>(method);
}
