import OpenAI from 'openai';
import { framedFetch, type FetchFunction } from './sseGuard';

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Time allowed until response headers arrive, in milliseconds. */
  timeoutMs: number;
  /** Called whenever bytes of the response arrive (headers, then every body chunk). */
  onActivity?: () => void;
}

/**
 * An SDK client for one request. Retries are ours (they must be announced and
 * cancellable), so the SDK's are off; its logging is off so that nothing is
 * written to stdout and no contents reach the log. Response bodies reach it as
 * whole events (sseGuard.ts): its own stream parsing is quadratic otherwise.
 */
export function createClient(options: ClientOptions): OpenAI {
  return new OpenAI({
    baseURL: options.baseUrl,
    // Local servers need no key, but the SDK insists on one.
    apiKey: options.apiKey || 'not-needed',
    maxRetries: 0,
    timeout: Math.max(1, Math.round(options.timeoutMs)),
    logLevel: 'off',
    fetch: framedFetch(options.onActivity ? activityFetch(options.onActivity) : (input, init) => fetch(input, init)),
  });
}

/** A fetch that reports every chunk of the response body as it arrives. */
function activityFetch(onActivity: () => void): FetchFunction {
  return async (input, init) => {
    const response = await fetch(input, init);
    onActivity();
    if (!response.body) {
      return response;
    }
    const watch = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        onActivity();
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(watch), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
