/**
 * Scrolling faster than a screen in FLING_MS_PER_SCREEN (ms), over the scroll
 * events of the last FLING_WINDOW_MS and at least FLING_EVENTS of them, is a
 * fling: nobody reads at that speed, and what comes near would be rendered
 * only to be scrolled past (work and garbage in every frame of it). One jump
 * (scroll anchoring after a rendered answer changed height, a click in the
 * scroll bar) is not a fling: the speed leaves out the longest step.
 */
export const FLING_MS_PER_SCREEN = 100;
export const FLING_WINDOW_MS = 100;
export const FLING_EVENTS = 3;

interface ScrollEvent {
  /** Page time (ms). */
  at: number;
  /** Scroll position (px from the top). */
  top: number;
}

/** The latest scroll events of one scrolling element, and whether they make a fling. */
export class ScrollSpeed {
  /** Oldest first, at most FLING_WINDOW_MS old when noted. */
  private readonly events: ScrollEvent[] = [];

  note(at: number, top: number): void {
    this.events.push({ at, top });
    while (this.events.length > FLING_EVENTS * 4 || (this.events[0] !== undefined && at - this.events[0].at > FLING_WINDOW_MS)) {
      this.events.shift();
    }
  }

  /** Whether the scroll events up to `at` are a fling, for a screen `screenPx` high. */
  flinging(at: number, screenPx: number): boolean {
    const recent = this.events.filter((event) => at - event.at <= FLING_WINDOW_MS);
    const first = recent[0];
    const last = recent[recent.length - 1];
    if (!first || !last || recent.length < FLING_EVENTS) {
      return false;
    }
    // The distance without its longest step: one jump among slow steps is not a fling.
    let distance = 0;
    let longest = 0;
    for (let index = 1; index < recent.length; index++) {
      const step = Math.abs((recent[index] as ScrollEvent).top - (recent[index - 1] as ScrollEvent).top);
      distance += step;
      longest = Math.max(longest, step);
    }
    // ... and its share of the time (the steps come a frame apart).
    const steps = recent.length - 1;
    const time = (Math.max(last.at - first.at, 1) * (steps - 1)) / steps;
    return ((distance - longest) / Math.max(screenPx, 1)) * FLING_MS_PER_SCREEN >= time;
  }
}
