import { CancelledError, InactivityTimeoutError } from './streamErrors';

/** The abort plumbing of one streaming request: the caller's signal, plus a timer that any activity re-arms. */
export interface InactivityGuard {
  /** Passed to the HTTP call: aborted by the caller's signal or by inactivity. */
  readonly signal: AbortSignal;
  /** Bytes arrived: start the inactivity timer again. */
  rearm(): void;
  /** Why the request stopped when it was us who stopped it (Stop or inactivity), else undefined. */
  stopReason(): Error | undefined;
  /** Clears the timer, detaches from the caller's signal and aborts what is left of the request. */
  dispose(): void;
}

/** Starts guarding a request: aborted when `signal` aborts or nothing arrives for `timeoutSeconds`. */
export function guardInactivity(signal: AbortSignal, timeoutSeconds: number): InactivityGuard {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const rearm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutSeconds * 1000);
  };
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) {
    controller.abort();
  }
  rearm();
  return {
    signal: controller.signal,
    rearm,
    stopReason: () => (signal.aborted ? new CancelledError() : timedOut ? new InactivityTimeoutError(timeoutSeconds) : undefined),
    dispose: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      controller.abort();
    },
  };
}
