import type { TokenUsage } from '../shared/protocol';
import { redact } from './redact';

/** Where log lines go: `connection.console` in the service, an array in tests. */
export interface LogSink {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RequestLogEntry {
  method: string;
  model?: string;
  /** The endpoint's base URL; only its host is logged. */
  endpoint?: string;
  /** HTTP status, or the error kind / 'cancelled' when there was none. */
  status: number | string;
  ttftMs?: number;
  totalMs: number;
  usage?: TokenUsage;
  attempts?: number;
}

/**
 * The service log. Every line is scrubbed of the current API key (and
 * key-shaped strings) before it is written.
 */
export class ServiceLog {
  constructor(
    private readonly sink: LogSink,
    private readonly secrets: () => readonly string[] = () => [],
  ) {}

  info(message: string): void {
    this.sink.info(this.clean(message));
  }

  warn(message: string): void {
    this.sink.warn(this.clean(message));
  }

  error(message: string): void {
    this.sink.error(this.clean(message));
  }

  /** One line per request: method, model, host, status, timings, tokens. Never contents. */
  request(entry: RequestLogEntry): void {
    this.info(formatRequestLine(entry));
  }

  private clean(message: string): string {
    return redact(message, this.secrets());
  }
}

export function formatRequestLine(entry: RequestLogEntry): string {
  const parts = [entry.method];
  if (entry.model) {
    parts.push(`model=${entry.model}`);
  }
  if (entry.endpoint) {
    parts.push(`host=${hostOf(entry.endpoint)}`);
  }
  parts.push(`status=${entry.status}`);
  if (entry.ttftMs !== undefined) {
    parts.push(`ttft=${Math.round(entry.ttftMs)}ms`);
  }
  parts.push(`total=${Math.round(entry.totalMs)}ms`);
  if (entry.usage) {
    parts.push(`tokens=${entry.usage.promptTokens}+${entry.usage.completionTokens}=${entry.usage.totalTokens}`);
  }
  if (entry.attempts !== undefined && entry.attempts > 1) {
    parts.push(`attempts=${entry.attempts}`);
  }
  return parts.join(' ');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid url)';
  }
}
