import assert from 'node:assert/strict';
import { ScrollSpeed } from '../../../media/chat/scrollSpeed';
import { seededRandom } from '../../support/random';

const SCREEN = 800;
const FRAME = 16;

/** Scroll events a frame apart, `screensPer100ms` fast, from `from` (ms). */
function steady(speed: ScrollSpeed, events: number, screensPer100ms: number, from = 0, direction = -1): number {
  const step = (screensPer100ms * SCREEN * FRAME) / 100;
  let top = 100_000;
  let at = from;
  for (let i = 0; i < events; i++) {
    speed.note(at, top);
    top += direction * step;
    at += FRAME;
  }
  return at - FRAME;
}

describe('scroll speed: what counts as a fling', () => {
  it('faster than a screen per 100 ms over three or more events is a fling, slower is not (300 generated scrolls)', () => {
    const random = seededRandom(909);
    for (let round = 0; round < 300; round++) {
      const fast = random() < 0.5;
      const screens = fast ? 1.1 + random() * 4 : random() * 0.9;
      const events = 3 + Math.floor(random() * 6);
      const speed = new ScrollSpeed();
      const last = steady(speed, events, screens, random() * 1000, random() < 0.5 ? -1 : 1);
      assert.equal(speed.flinging(last, SCREEN), fast, `round ${round}: ${screens.toFixed(2)} screens per 100 ms over ${events} events`);
    }
  });

  it('is not a fling with fewer than three events, after it stopped, or when one jump makes all the distance', () => {
    const few = new ScrollSpeed();
    const at = steady(few, 2, 5);
    assert.equal(few.flinging(at, SCREEN), false, 'two events');

    const stopped = new ScrollSpeed();
    const end = steady(stopped, 8, 5);
    assert.equal(stopped.flinging(end, SCREEN), true);
    assert.equal(stopped.flinging(end + 101, SCREEN), false, 'over 100 ms after the last event');

    // Reading speed, with one jump of three screens (scroll anchoring, a click in the scroll bar).
    const jump = new ScrollSpeed();
    let top = 50_000;
    for (let i = 0; i < 6; i++) {
      jump.note(i * FRAME, top);
      top -= i === 3 ? 3 * SCREEN : 20;
    }
    assert.equal(jump.flinging(5 * FRAME, SCREEN), false);
  });
});
