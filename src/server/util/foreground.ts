/**
 * Work a person is waiting for (an inline completion) against background
 * work on the same thread (the codebase index). The service has one event
 * loop: while a background job runs a slice, a request that arrives waits.
 * So background work yields twice: it hands the loop back after every short
 * slice (util/timeSlice.ts), and while foreground work is in flight it
 * waits until that work is done (for its model answer to be read at once),
 * for at most `maxWaitMs` at a time so that a stream of requests cannot
 * starve it.
 */
export class Foreground {
  private active = 0;
  private readonly waiters = new Set<() => void>();

  /** Foreground work begins; call the returned function when it ends (more calls do nothing). */
  begin(): () => void {
    this.active++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.active--;
      if (this.active === 0) for (const waiter of [...this.waiters]) waiter();
    };
  }

  get busy(): boolean {
    return this.active > 0;
  }

  /** Resolves when no foreground work is in flight, or after `maxWaitMs`. */
  quiet(maxWaitMs: number): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.waiters.add(done);
    });
  }
}
