/**
 * Batches rendering work to at most once per animation frame: deltas can
 * arrive hundreds of times a second, but the screen only needs the latest
 * state when it paints. Tasks are de-duplicated, so scheduling the same
 * task many times before a frame runs it once.
 */
export interface FrameScheduler {
  schedule(task: () => void): void;
  /** Runs the task in the next frame, never in the one running now (work cut into slices). */
  defer(task: () => void): void;
  /** Milliseconds on a monotonic clock: how often work that may wait a few frames runs. */
  now(): number;
}

export function animationFrameScheduler(
  requestFrame: (callback: () => void) => unknown,
  now: () => number = () => performance.now(),
): FrameScheduler {
  const tasks = new Set<() => void>();
  const deferred = new Set<() => void>();
  let requested = false;
  const request = (): void => {
    if (!requested) {
      requested = true;
      requestFrame(run);
    }
  };
  const run = (): void => {
    requested = false;
    moveAll(deferred, tasks);
    runAll(tasks);
    // Still rescheduling itself after many rounds, or deferred: leave the rest to the next frame.
    if (tasks.size > 0 || deferred.size > 0) {
      request();
    }
  };
  return {
    schedule(task) {
      tasks.add(task);
      request();
    },
    defer(task) {
      deferred.add(task);
      request();
    },
    now,
  };
}

/** A scheduler that runs only when told to: for tests, which flush "frames" by hand. */
export class ManualScheduler implements FrameScheduler {
  private readonly tasks = new Set<() => void>();
  private readonly deferred = new Set<() => void>();
  /** The clock: each frame starts a frame's time (60 Hz) after the one before. */
  time = 0;

  constructor(private readonly frameMs = 1000 / 60) {}

  now(): number {
    return this.time;
  }

  schedule(task: () => void): void {
    this.tasks.add(task);
  }

  defer(task: () => void): void {
    this.deferred.add(task);
  }

  get pending(): number {
    return this.tasks.size + this.deferred.size;
  }

  /** One frame. */
  flush(): void {
    this.time += this.frameMs;
    moveAll(this.deferred, this.tasks);
    runAll(this.tasks);
  }

  /** Frames until nothing is left (at most `limit`). */
  flushAll(limit = 1000): void {
    for (let frame = 0; frame < limit && this.pending > 0; frame++) {
      this.flush();
    }
  }
}

function moveAll(from: Set<() => void>, to: Set<() => void>): void {
  for (const task of from) {
    to.add(task);
  }
  from.clear();
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
