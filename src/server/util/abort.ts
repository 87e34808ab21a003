import type { CancellationToken, Disposable } from 'vscode-languageserver';

/**
 * Waits `ms`, or less when `signal` aborts. Resolves true when the full time
 * passed, false when aborted; never rejects, never leaves a timer behind.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An AbortController that aborts when the LSP CancellationToken is cancelled
 * (it may also be aborted directly, e.g. on shutdown). Dispose it when the
 * request is done.
 */
export function abortOnCancel(token: CancellationToken): { controller: AbortController } & Disposable {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
    return { controller, dispose: () => undefined };
  }
  const subscription = token.onCancellationRequested(() => controller.abort());
  return { controller, dispose: () => subscription.dispose() };
}
