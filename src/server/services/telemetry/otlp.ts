/**
 * The optional export of the audit events and usage metrics to a team's
 * OpenTelemetry collector over OTLP/HTTP (JSON), with the standard SDKs:
 * each audit event becomes one log record (body and event name: the event
 * type; attributes: its fields under `tandem.`, content cut to
 * `tandem.audit.contents`), and feeds the metrics (./metrics.ts).
 *
 * Off (no endpoint), nothing is loaded into the audit's path: the trail has
 * no listener, so recording costs what it did. On, an event is handed to
 * the SDK's batch queue (bounded: a collector that is down drops records
 * rather than holding memory or typing); sending happens in the background.
 * A failed export is said once in the log per run of failures, never thrown.
 */
import { SeverityNumber, type Logger } from '@opentelemetry/api';
import { decideEndpoint } from '../../../shared/boundary/endpoint';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { AuditEvent } from '../../../shared/audit';
import { errorMessage } from '../../../shared/guards';
import type { AuditContents } from '../../../shared/vocabulary';
import type { TelemetrySettings } from '../../settings';
import type { AuditListener } from '../audit/trail';
import { eventAttributes } from './attributes';
import { TandemMetrics } from './metrics';

/** What the export needs of the audit trail: its session, and to hear its events. */
export interface TelemetrySource {
  readonly session: string;
  setListener(listener: AuditListener | undefined): void;
}

export interface OtlpExportOptions {
  source: TelemetrySource;
  version: string;
  /** Said once per run of failures (the service log). */
  onProblem: (message: string) => void;
  onInfo?: (message: string) => void;
  /** How often batches go out; shutdown sends the rest. */
  logDelayMs?: number;
  metricIntervalMs?: number;
  /** Longest wait for the last batches at shutdown or when the endpoint changes. */
  closeTimeoutMs?: number;
  /** How long one batch may take, retries included, before it is dropped as failed. */
  exportTimeoutMs?: number;
}

type ExportCallback = Parameters<LogRecordExporter['export']>[1];
type ExportResult = Parameters<ExportCallback>[0];
/** `ExportResultCode.SUCCESS` of @opentelemetry/core. */
const SUCCESS = 0;
const SCOPE = 'tandem.audit';
/** One batch's sending, retries of a refused connection or a busy collector included; then it is dropped. */
const EXPORT_TIMEOUT_MS = 5_000;
const CLOSE_TIMEOUT_MS = 2_000;

/** One endpoint's providers; replaced whole when the endpoint changes. */
class Pipeline {
  private readonly logs: LoggerProvider;
  private readonly meters: MeterProvider;
  private readonly logger: Logger;
  private readonly metrics: TandemMetrics;
  private failing = false;

  constructor(
    readonly endpoint: string,
    private readonly host: string,
    private readonly options: OtlpExportOptions,
  ) {
    const timeoutMillis = options.exportTimeoutMs ?? EXPORT_TIMEOUT_MS;
    const resource = resourceFromAttributes({
      'service.name': 'tandem',
      'service.version': options.version,
      'service.instance.id': options.source.session,
      'tandem.session': options.source.session,
    });
    const logExporter = new OTLPLogExporter({ url: `${endpoint}/v1/logs`, timeoutMillis });
    this.watch(logExporter, 'audit events');
    this.logs = new LoggerProvider({
      resource,
      processors: [new BatchLogRecordProcessor({ exporter: logExporter, scheduledDelayMillis: options.logDelayMs ?? 1_000, exportTimeoutMillis: timeoutMillis, maxQueueSize: 2_048 })],
    });
    const metricExporter = new OTLPMetricExporter({ url: `${endpoint}/v1/metrics`, timeoutMillis });
    this.watch(metricExporter, 'metrics');
    this.meters = new MeterProvider({
      resource,
      readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: options.metricIntervalMs ?? 30_000, exportTimeoutMillis: timeoutMillis })],
    });
    this.logger = this.logs.getLogger(SCOPE, options.version);
    this.metrics = new TandemMetrics(this.meters.getMeter(SCOPE, options.version));
  }

  emit(event: AuditEvent, time: Date, contents: AuditContents): void {
    const failed = event.type === 'model.request' && event.outcome === 'error';
    this.logger.emit({
      eventName: `tandem.${event.type}`,
      body: event.type,
      timestamp: time,
      severityNumber: failed ? SeverityNumber.WARN : SeverityNumber.INFO,
      severityText: failed ? 'WARN' : 'INFO',
      attributes: eventAttributes(event, contents, this.options.source.session),
    });
    this.metrics.record(event);
  }

  async flush(): Promise<void> {
    await Promise.allSettled([this.logs.forceFlush(), this.meters.forceFlush()]);
  }

  /** Sends what is queued (metrics once more) and stops, within the close timeout. */
  async close(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([this.logs.shutdown(), this.meters.shutdown()]), late]);
    clearTimeout(timer);
  }

  /** Hears how each export ended, to say a failure once (and a recovery once). */
  private watch(exporter: { export(items: never, done: (result: ExportResult) => void): void }, what: string): void {
    const send = exporter.export.bind(exporter) as (items: unknown, done: (result: ExportResult) => void) => void;
    (exporter as { export: (items: unknown, done: (result: ExportResult) => void) => void }).export = (items, done) =>
      send(items, (result) => {
        this.outcome(result, what);
        done(result);
      });
  }

  private outcome(result: ExportResult, what: string): void {
    if (result.code === SUCCESS) {
      if (this.failing) this.options.onInfo?.(`OpenTelemetry: ${this.host} receives Tandem's events again.`);
      this.failing = false;
      return;
    }
    if (this.failing) return;
    this.failing = true;
    const reason = result.error ? errorMessage(result.error) : 'no reason given';
    this.options.onProblem(
      `OpenTelemetry: could not send ${what} to ${this.host} (${reason}). Tandem works on; this is said again only after a send succeeds.`,
    );
  }
}

export class OtlpExport {
  private pipeline: Pipeline | undefined;
  private contents: AuditContents = 'none';
  private rejected: string | undefined;
  private readonly closing = new Set<Promise<void>>();
  private readonly listener: AuditListener = (event, time) => this.pipeline?.emit(event, time, this.contents);

  constructor(private readonly options: OtlpExportOptions) {}

  /** The endpoint this session sends to ('' when off). */
  get endpoint(): string {
    return this.pipeline?.endpoint ?? '';
  }

  /** The settings as now resolved: starts, moves or stops the export. Never throws. */
  apply(telemetry: TelemetrySettings, contents: AuditContents, localOnly = false): void {
    this.contents = contents;
    const next = telemetry.otlpEndpoint;
    if (next === this.endpoint && !(localOnly && next && !decideEndpoint(next).local)) return;
    this.stop();
    if (!next) return;
    const host = usableHost(next);
    if (!host) {
      if (this.rejected !== next) this.options.onProblem(`tandem.telemetry.otlpEndpoint is not an http(s) URL (${JSON.stringify(next)}): nothing is sent.`);
      this.rejected = next;
      return;
    }
    // The events carry diffs (and at `all` prompts): under localOnly they stay on this machine like every request.
    const decision = decideEndpoint(next);
    if (localOnly && !decision.local) {
      const key = `localOnly ${next}`;
      if (this.rejected !== key) {
        this.options.onProblem(`tandem.dataBoundary.localOnly is on: audit events and metrics are not sent to ${host} (${decision.reason}).`);
      }
      this.rejected = key;
      return;
    }
    this.rejected = undefined;
    try {
      this.pipeline = new Pipeline(next, host, this.options);
    } catch (error) {
      this.options.onProblem(`OpenTelemetry: could not start the export to ${host}: ${errorMessage(error)}`);
      return;
    }
    this.options.source.setListener(this.listener);
    this.options.onInfo?.(`OpenTelemetry: sending audit events (contents: ${contents}) and metrics to ${host}.`);
  }

  /** Sends what is queued now (tests, `tandem/auditStatus` with flush). */
  async flush(): Promise<void> {
    await this.pipeline?.flush();
  }

  /** At shutdown: the last batches sent (bounded wait), then nothing more. */
  async close(): Promise<void> {
    this.stop();
    await Promise.all([...this.closing]);
  }

  private stop(): void {
    const pipeline = this.pipeline;
    if (!pipeline) return;
    this.pipeline = undefined;
    this.options.source.setListener(undefined);
    const closing = pipeline.close().finally(() => this.closing.delete(closing));
    this.closing.add(closing);
  }
}

/** Host and port of an http(s) URL without credentials, or undefined when it is not one. */
function usableHost(endpoint: string): string | undefined {
  try {
    const url = new URL(endpoint);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : undefined;
  } catch {
    return undefined;
  }
}
