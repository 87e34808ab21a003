/**
 * A local OTLP/HTTP receiver for tests: accepts POST /v1/logs and
 * /v1/metrics (the JSON encoding Tandem's exporters send), keeps every
 * body's bytes, and decodes the log records and metric data points. It can
 * be told to answer with an error status, and counts the connections made
 * to it (to show that nothing connects when the export is off).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type OtlpValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: OtlpValue[] } };
export interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}

export interface ReceivedLog {
  body: unknown;
  eventName?: string;
  severityText?: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

export interface ReceivedPoint {
  metric: string;
  /** Sum points' value, or a histogram's count. */
  value: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

interface LogsPayload {
  resourceLogs?: Array<{ resource?: { attributes?: OtlpKeyValue[] }; scopeLogs?: Array<{ logRecords?: Array<{ body?: OtlpValue; eventName?: string; severityText?: string; attributes?: OtlpKeyValue[] }> }> }>;
}
type NumberPoint = { asInt?: string | number; asDouble?: number; count?: string | number; attributes?: OtlpKeyValue[] };
interface MetricsPayload {
  resourceMetrics?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeMetrics?: Array<{ metrics?: Array<{ name: string; sum?: { dataPoints?: NumberPoint[] }; histogram?: { dataPoints?: NumberPoint[] } }> }>;
  }>;
}

export function otlpValue(value: OtlpValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(otlpValue);
  return undefined;
}

function attributes(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, otlpValue(value)]));
}

export class OtlpReceiver {
  /** Every body received, as bytes, with its path. */
  readonly bodies: Array<{ path: string; contentType: string; bytes: Buffer }> = [];
  readonly logs: ReceivedLog[] = [];
  readonly points: ReceivedPoint[] = [];
  connections = 0;
  /** The status to answer with (200 = accept). */
  status = 200;
  private waiters: Array<() => void> = [];

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<OtlpReceiver> {
    const server = http.createServer();
    const receiver = new OtlpReceiver(server);
    server.on('connection', () => (receiver.connections += 1));
    server.on('request', (request, response) => receiver.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** All bytes received so far, as text. */
  text(): string {
    return this.bodies.map((body) => body.bytes.toString('utf8')).join('\n');
  }

  /** Resolves once `test` holds for what was received. */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!test()) return;
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const path = request.url ?? '';
      this.bodies.push({ path, contentType: String(request.headers['content-type'] ?? ''), bytes });
      if (this.status === 200 && request.method === 'POST') this.decode(path, bytes);
      response.writeHead(this.status, { 'content-type': 'application/json' });
      response.end('{}');
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  private decode(path: string, bytes: Buffer): void {
    if (path === '/v1/logs') {
      const payload = JSON.parse(bytes.toString('utf8')) as LogsPayload;
      for (const resourceLogs of payload.resourceLogs ?? []) {
        const resource = attributes(resourceLogs.resource?.attributes);
        for (const scope of resourceLogs.scopeLogs ?? []) {
          for (const record of scope.logRecords ?? []) {
            this.logs.push({ body: otlpValue(record.body), eventName: record.eventName, severityText: record.severityText, attributes: attributes(record.attributes), resource });
          }
        }
      }
    } else if (path === '/v1/metrics') {
      const payload = JSON.parse(bytes.toString('utf8')) as MetricsPayload;
      for (const resourceMetrics of payload.resourceMetrics ?? []) {
        const resource = attributes(resourceMetrics.resource?.attributes);
        for (const scope of resourceMetrics.scopeMetrics ?? []) {
          for (const metric of scope.metrics ?? []) {
            for (const point of metric.sum?.dataPoints ?? []) {
              this.points.push({ metric: metric.name, value: Number(point.asInt ?? point.asDouble ?? 0), attributes: attributes(point.attributes), resource });
            }
            for (const point of metric.histogram?.dataPoints ?? []) {
              this.points.push({ metric: metric.name, value: Number(point.count ?? 0), attributes: attributes(point.attributes), resource });
            }
          }
        }
      }
    }
  }
}
