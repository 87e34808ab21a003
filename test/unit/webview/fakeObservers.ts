/**
 * IntersectionObserver for jsdom, which has none (and no layout): a test says
 * which messages are near the viewport (rootMargin 100%) and which are within
 * the far margin (300%), as scrolling would.
 */
import assert from 'node:assert/strict';
import { mountTestPage, type TestPage } from './env';

export class FakeIntersectionObserver {
  static all: FakeIntersectionObserver[] = [];
  readonly targets = new Set<Element>();

  constructor(
    private readonly callback: (entries: IntersectionObserverEntry[]) => void,
    readonly options: { rootMargin?: string } = {},
  ) {
    FakeIntersectionObserver.all.push(this);
  }

  observe(target: Element): void {
    this.targets.add(target);
  }

  unobserve(target: Element): void {
    this.targets.delete(target);
  }

  disconnect(): void {
    this.targets.clear();
  }

  /** Reports every observed target: intersecting when `inside` says so. */
  report(inside: (target: Element) => boolean): void {
    const entries = Array.from(this.targets, (target) => ({ target, isIntersecting: inside(target) }) as unknown as IntersectionObserverEntry);
    this.callback(entries);
  }
}

export function observer(margin: string): FakeIntersectionObserver {
  const found = FakeIntersectionObserver.all.find((candidate) => candidate.options.rootMargin?.startsWith(margin));
  assert.ok(found, `an observer with rootMargin ${margin}`);
  return found;
}

/** `beforeMount`: e.g. to give the window a clock the test drives. */
export function mountWithObservers(beforeMount?: (window: Window) => void): TestPage {
  FakeIntersectionObserver.all = [];
  const page = mountTestPage(undefined, (window) => {
    (window as unknown as { IntersectionObserver: unknown }).IntersectionObserver = FakeIntersectionObserver;
    beforeMount?.(window as unknown as Window);
  });
  return page;
}

