/** Timers, injectable so tests can fire the idle unload by hand. */
export interface IdleTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: IdleTimers = {
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // The idle timer alone must not keep a finished process alive.
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * The built-in model's idle unload (`tandem.embedded.idleUnloadMinutes`):
 * one timer, armed again after each use and cancelled while one runs; when
 * it fires, `unload` decides (it unloads only if nothing runs by then).
 */
export class IdleUnload {
  private handle: unknown;

  constructor(
    private readonly timers: IdleTimers,
    private readonly unload: () => void,
  ) {}

  /** Starts the wait again; `minutes` ≤ 0 (or nothing loaded: pass 0) keeps the model. */
  arm(minutes: number): void {
    this.cancel();
    if (minutes <= 0) return;
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.unload();
    }, minutes * 60_000);
  }

  cancel(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
