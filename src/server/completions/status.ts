/**
 * `tandem/completionStatus`, sent on changes only: `loading` while a model
 * call is in flight (unless the last call failed: the error stays up until a
 * call succeeds), `error` with a plain message when the backend failed or
 * completions are not configured, `idle` after a success.
 */
import type { CompletionStatusParams } from '../../shared/protocol';

export class CompletionStatusTracker {
  private inFlight = 0;
  private settled: CompletionStatusParams = { state: 'idle' };
  private lastSent: string | undefined;

  constructor(private readonly send: (status: CompletionStatusParams) => void) {}

  callStarted(): void {
    this.inFlight++;
    this.publish();
  }

  /** `undefined`: cancelled (changes nothing); '' success; otherwise the error message. */
  callEnded(error: string | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (error === '') {
      this.settled = { state: 'idle' };
    } else if (error !== undefined) {
      this.settled = { state: 'error', message: error };
    }
    this.publish();
  }

  /** A problem found without calling the model (not configured). */
  fail(message: string): void {
    this.settled = { state: 'error', message };
    this.publish();
  }

  current(): CompletionStatusParams {
    return this.inFlight > 0 && this.settled.state === 'idle' ? { state: 'loading' } : this.settled;
  }

  private publish(): void {
    const status = this.current();
    const key = JSON.stringify(status);
    if (key !== this.lastSent) {
      this.lastSent = key;
      this.send(status);
    }
  }
}
