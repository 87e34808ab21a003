/**
 * One generation at a time on the built-in model (two at once would share
 * the same cores and both be slow), with answers first:
 *
 * - an answer (chat, edit, commit message, agent turn) waits for the answer
 *   before it, in order, and stops an inline suggestion that is running;
 * - an inline suggestion is dropped at once while an answer runs or waits (a
 *   suggestion is only useful now), and replaces an older suggestion still
 *   running (the newest keystroke wins).
 *
 * A stopped or dropped suggestion ends as cancelled: the editor shows
 * nothing, as for a superseded request.
 */
import { CancelledError } from '../streamErrors';

export type Lane = 'answer' | 'completion';

export interface Lease {
  /** Aborted by the request's own signal, or when an answer takes the engine from a suggestion. */
  readonly signal: AbortSignal;
  release(): void;
}

interface Running {
  lane: Lane;
  controller: AbortController;
  done: Promise<void>;
  finish(): void;
}

export class GenerationSlots {
  private running: Running | undefined;
  private answersWaiting = 0;

  /** Whether a generation runs now. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  async acquire(lane: Lane, signal: AbortSignal): Promise<Lease> {
    if (lane === 'answer') this.answersWaiting += 1;
    try {
      while (this.running) {
        if (signal.aborted) throw new CancelledError();
        if (lane === 'completion' && (this.running.lane === 'answer' || this.answersWaiting > 0)) throw new CancelledError();
        // An answer takes the engine from a suggestion; a newer suggestion from an older one.
        if (this.running.lane === 'completion') this.running.controller.abort();
        await untilDoneOrAborted(this.running.done, signal);
      }
      if (signal.aborted || (lane === 'completion' && this.answersWaiting > 0)) throw new CancelledError();
    } finally {
      if (lane === 'answer') this.answersWaiting -= 1;
    }
    const controller = new AbortController();
    let finish = (): void => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const running: Running = { lane, controller, done, finish };
    this.running = running;
    let released = false;
    return {
      signal: AbortSignal.any([signal, controller.signal]),
      release: () => {
        if (released) return;
        released = true;
        if (this.running === running) this.running = undefined;
        running.finish();
      },
    };
  }
}

function untilDoneOrAborted(done: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = (): void => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    void done.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
