import assert from 'node:assert/strict';
import { adaptiveDebounce, MAX_DEBOUNCE_MS, PAUSE_MS, TypingRhythm } from '../../../src/server/completions/debounce';

describe('adaptive debounce', () => {
  it('is clamp(base, 1.5 × median interval, max(base, MAX))', () => {
    assert.equal(adaptiveDebounce(75, undefined), 75);
    assert.equal(adaptiveDebounce(75, 100), 150);
    assert.equal(adaptiveDebounce(75, 30), 75);
    assert.equal(adaptiveDebounce(75, 1000), MAX_DEBOUNCE_MS);
    assert.equal(adaptiveDebounce(500, 1000), 500);
  });

  it('follows the typing rhythm of each document', () => {
    const rhythm = new TypingRhythm();
    const typeAt = (uri: string, times: number[]): void => times.forEach((t) => rhythm.record(uri, t));
    typeAt('a', [0, 100]);
    assert.equal(rhythm.delayMs('a', 75), 75, 'too few intervals: the base');
    typeAt('a', [220, 300, 420]);
    assert.equal(rhythm.median('a'), 110);
    assert.equal(rhythm.delayMs('a', 75), 165);
    typeAt('b', [0, 40, 80, 120, 160]);
    assert.equal(rhythm.delayMs('b', 75), 75, 'fast typing: the base');
    assert.equal(rhythm.delayMs('a', 75), 165, 'documents do not mix');
  });

  it('ignores pauses and adapts when the rhythm changes', () => {
    const rhythm = new TypingRhythm();
    let t = 0;
    for (let i = 0; i < 12; i++) rhythm.record('a', (t += 100));
    rhythm.record('a', (t += PAUSE_MS + 1));
    assert.equal(rhythm.median('a'), 100, 'a pause is not part of the rhythm');
    for (let i = 0; i < 10; i++) rhythm.record('a', (t += 200));
    assert.equal(rhythm.delayMs('a', 75), 300, 'only the recent intervals count');
    rhythm.forget('a');
    assert.equal(rhythm.delayMs('a', 75), 75);
  });
});
