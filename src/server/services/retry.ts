import { classifyError, type Failure, type HeaderLookup } from '../providers/errors';
import type { Clock } from './clock';

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8_000;
export const RETRY_AFTER_CAP_MS = 30_000;

/**
 * How long to wait before retry number `attempt` (1-based): the server's
 * `retry-after-ms` / `retry-after` (seconds or an HTTP date) when given, capped
 * at 30 s; otherwise exponential backoff from 500 ms, capped at 8 s. Pure.
 */
export function retryDelayMs(attempt: number, headers: HeaderLookup | undefined, now: number = Date.now()): number {
  const fromServer = serverRetryDelay(headers, now);
  if (fromServer !== undefined) {
    return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, Math.round(fromServer)));
  }
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

function serverRetryDelay(headers: HeaderLookup | undefined, now: number): number | undefined {
  const ms = parseNumber(headers?.get('retry-after-ms'));
  if (ms !== undefined) {
    return ms;
  }
  const raw = headers?.get('retry-after')?.trim();
  if (!raw) {
    return undefined;
  }
  const seconds = parseNumber(raw);
  if (seconds !== undefined) {
    return seconds * 1000;
  }
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : date - now;
}

function parseNumber(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) {
    return undefined;
  }
  return Number(value);
}

/** "0.5 s", "2 s", "1.5 s". */
export function formatDelay(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  return `${seconds} s`;
}

/** The sentence announcing a retry, e.g. "Rate limited by the model service (429); retrying in 2 s (attempt 1 of 2)." */
export function retryMessage(failure: Failure, baseUrl: string, delayMs: number, attempt: number, maxRetries: number): string {
  let what: string;
  if (failure.kind === 'rateLimited') {
    what = 'Rate limited by the model service (429)';
  } else if (failure.kind === 'server') {
    what = `The model service failed (${failure.status ?? 'error'})`;
  } else {
    what = `Could not connect to ${baseUrl}`;
  }
  return `${what}; retrying in ${formatDelay(delayMs)} (attempt ${attempt} of ${maxRetries}).`;
}

/** One announced wait before a retry. */
export interface RetryNotice {
  message: string;
  /** 1-based. */
  attempt: number;
  delayMs: number;
}

export interface RetryOptions {
  signal: AbortSignal;
  maxRetries: number;
  /** The endpoint as a person may see it (no credentials), for "Could not connect to …". */
  endpoint: string;
  clock: Pick<Clock, 'now'>;
  /** Resolves false when `signal` aborted during the wait. */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
  /** False once part of the answer reached the person: a retry would show it twice. */
  mayRetry(): boolean;
  /** Called before each wait. */
  announce(notice: RetryNotice): void;
}

/** How a request with retries ended; `retries` counts the waits made. */
export type Retried<T> = { kind: 'done'; value: T; retries: number } | { kind: 'cancelled'; retries: number } | { kind: 'failed'; failure: Failure; retries: number };

/**
 * Runs `attempt` until it succeeds, retrying what is worth retrying (429,
 * 5xx, refused connections) at most `maxRetries` times and only while
 * `mayRetry()` holds, each time after an announced wait that Stop cuts short
 * (the server's retry-after, else backoff). A cancelled request, or any
 * failure once `signal` aborted, ends as cancelled; any other failure is
 * returned classified, for the caller to word.
 */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<Retried<T>> {
  let retries = 0;
  for (;;) {
    try {
      return { kind: 'done', value: await attempt(), retries };
    } catch (thrown) {
      const failure = classifyError(thrown);
      if (failure.kind === 'cancelled' || options.signal.aborted) {
        return { kind: 'cancelled', retries };
      }
      if (!failure.retryable || !options.mayRetry() || retries >= options.maxRetries) {
        return { kind: 'failed', failure, retries };
      }
      retries += 1;
      const delayMs = retryDelayMs(retries, failure.headers, options.clock.now());
      options.announce({ message: retryMessage(failure, options.endpoint, delayMs, retries, options.maxRetries), attempt: retries, delayMs });
      if (!(await options.sleep(delayMs, options.signal))) {
        return { kind: 'cancelled', retries };
      }
    }
  }
}
