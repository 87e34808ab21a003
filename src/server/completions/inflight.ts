/**
 * A model call in flight and the requests waiting for it.
 *
 * In-flight reuse: when the request that started a call is cancelled (the
 * person typed on), the HTTP request is not aborted at once. The call is
 * orphaned and kept alive for a grace period (the document's current
 * debounce): the next request in the same document joins it when its text
 * before the cursor continues the call's (same suffix window) — it is then
 * answered with the rest of the suggestion if the suggestion starts with what
 * was typed meanwhile. The engine aborts an orphaned call as soon as a request
 * arrives that cannot use it, or when the grace period ends without one; a
 * call that finishes while orphaned still fills the cache.
 */
import type { Clock } from '../services/clock';
import type { CacheEntry } from './cache';

export type CallKey = Pick<CacheEntry, 'uri' | 'prefixLength' | 'prefixTail' | 'suffixWindow'>;

export class ModelCall {
  readonly controller = new AbortController();
  /** The post-processed suggestion ('' for none), undefined when the call failed or was aborted. */
  readonly outcome: Promise<string | undefined>;
  /** Time spent post-processing (ms): the service's own time, not the model's. */
  processingMs = 0;
  private waiters = 0;
  private graceTimer: unknown;
  private finished = false;

  constructor(
    readonly key: CallKey,
    run: (call: ModelCall) => Promise<string | undefined>,
    private readonly clock: Clock,
    private readonly graceMs: number,
    private readonly onGraceOver: (call: ModelCall) => void,
  ) {
    this.outcome = run(this).finally(() => {
      this.finished = true;
      this.clearGrace();
    });
  }

  /** Neither finished nor aborted. */
  get live(): boolean {
    return !this.finished && !this.controller.signal.aborted;
  }

  get orphaned(): boolean {
    return this.waiters === 0;
  }

  /**
   * Waits for the suggestion on behalf of one request. Resolves undefined as
   * soon as `signal` aborts; the last waiter leaving orphans the call.
   */
  join(signal: AbortSignal): Promise<string | undefined> {
    if (signal.aborted) {
      return Promise.resolve(undefined);
    }
    this.waiters++;
    this.clearGrace();
    return new Promise((resolve) => {
      let left = false;
      const leave = (value: string | undefined): void => {
        if (left) {
          return;
        }
        left = true;
        this.waiters--;
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onAbort = (): void => {
        leave(undefined);
        if (this.waiters === 0 && this.live) {
          this.graceTimer = this.clock.setTimeout(() => {
            this.graceTimer = undefined;
            if (this.waiters === 0 && this.live) {
              this.onGraceOver(this);
            }
          }, this.graceMs);
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void this.outcome.then(leave, () => leave(undefined));
    });
  }

  /** Aborts the HTTP request; false when the call had already ended. */
  abort(): boolean {
    if (!this.live) {
      return false;
    }
    this.clearGrace();
    this.controller.abort();
    return true;
  }

  private clearGrace(): void {
    if (this.graceTimer !== undefined) {
      this.clock.clearTimeout(this.graceTimer);
      this.graceTimer = undefined;
    }
  }
}

/** Resolves true after `ms` on `clock`, false as soon as `signal` aborts. */
export function sleepOn(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
