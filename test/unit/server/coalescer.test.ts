import assert from 'node:assert/strict';
import type { Clock } from '../../../src/server/services/clock';
import { DeltaCoalescer } from '../../../src/server/services/coalescer';

/** A clock driven by hand. */
class ManualClock implements Clock {
  time = 1000;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((timer) => timer.at <= this.time);
    this.timers = this.timers.filter((timer) => timer.at > this.time);
    for (const timer of due) {
      timer.callback();
    }
  }
}

describe('delta coalescing', () => {
  it('sends the first delta at once, then at most one per 16 ms with everything received meanwhile', () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    const coalescer = new DeltaCoalescer((text) => sent.push(text), clock);
    coalescer.push('Hel');
    assert.deepEqual(sent, ['Hel'], 'first delta immediately');
    clock.advance(2);
    coalescer.push('lo');
    coalescer.push(', ');
    clock.advance(5);
    coalescer.push('wor');
    assert.deepEqual(sent, ['Hel'], 'held back within the interval');
    clock.advance(9); // 16 ms after the first send
    assert.deepEqual(sent, ['Hel', 'lo, wor']);
    coalescer.push('ld');
    assert.deepEqual(sent, ['Hel', 'lo, wor'], 'next one waits for the interval again');
    clock.advance(16);
    assert.deepEqual(sent, ['Hel', 'lo, wor', 'ld']);
    assert.equal(sent.join(''), 'Hello, world');
  });

  it('sends at once when the interval has already passed', () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    const coalescer = new DeltaCoalescer((text) => sent.push(text), clock);
    coalescer.push('a');
    clock.advance(100);
    coalescer.push('b');
    assert.deepEqual(sent, ['a', 'b']);
    assert.equal(clock.pending, 0);
  });

  it('flushes pending text on dispose, cancels its timer and ignores later pushes', () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    const coalescer = new DeltaCoalescer((text) => sent.push(text), clock);
    coalescer.push('a');
    coalescer.push('b');
    assert.equal(clock.pending, 1);
    coalescer.dispose();
    assert.deepEqual(sent, ['a', 'b']);
    assert.equal(clock.pending, 0);
    coalescer.push('c');
    clock.advance(100);
    assert.deepEqual(sent, ['a', 'b']);
  });

  it('sends nothing for empty text', () => {
    const sent: string[] = [];
    const coalescer = new DeltaCoalescer((text) => sent.push(text), new ManualClock());
    coalescer.push('');
    coalescer.dispose();
    assert.deepEqual(sent, []);
  });

  it('1,000 tiny chunks within 100 ms become a handful of notifications', () => {
    const clock = new ManualClock();
    const sent: string[] = [];
    const coalescer = new DeltaCoalescer((text) => sent.push(text), clock);
    for (let i = 0; i < 1000; i++) {
      coalescer.push('x');
      clock.advance(0.1);
    }
    coalescer.dispose();
    assert.equal(sent.join('').length, 1000);
    assert.ok(sent.length <= 8, `${sent.length} notifications`);
  });
});
