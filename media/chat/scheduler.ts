/**
 * Batches rendering work to at most once per animation frame: deltas can
 * arrive hundreds of times a second, but the screen only needs the latest
 * state when it paints. Tasks are de-duplicated, so scheduling the same
 * task many times before a frame runs it once.
 */
export interface FrameScheduler {
  schedule(task: () => void): void;
}

export function animationFrameScheduler(requestFrame: (callback: () => void) => unknown): FrameScheduler {
  const tasks = new Set<() => void>();
  let requested = false;
  const run = (): void => {
    requested = false;
    runAll(tasks);
    if (tasks.size > 0 && !requested) {
      // Still rescheduling itself after many rounds: leave the rest to the next frame.
      requested = true;
      requestFrame(run);
    }
  };
  return {
    schedule(task) {
      tasks.add(task);
      if (!requested) {
        requested = true;
        requestFrame(run);
      }
    },
  };
}

/** A scheduler that runs only when told to: for tests, which flush "frames" by hand. */
export class ManualScheduler implements FrameScheduler {
  private readonly tasks = new Set<() => void>();

  schedule(task: () => void): void {
    this.tasks.add(task);
  }

  get pending(): number {
    return this.tasks.size;
  }

  flush(): void {
    runAll(this.tasks);
  }
}

/**
 * Runs the tasks, including ones they schedule (e.g. a render scheduling the
 * scroll that must follow it), so both land in the same frame.
 */
function runAll(tasks: Set<() => void>): void {
  for (let round = 0; tasks.size > 0 && round < 10; round++) {
    const batch = Array.from(tasks);
    tasks.clear();
    for (const task of batch) {
      task();
    }
  }
}
