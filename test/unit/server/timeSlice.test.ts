import assert from 'node:assert/strict';
import { sortInSlices, TimeSlice } from '../../../src/server/util/timeSlice';
import { seededRandom } from '../../support/random';

describe('sortInSlices: a large sort that lets the event loop run', () => {
  it('generated arrays: the same order as Array.prototype.sort, ties kept in their order (stable)', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const random = seededRandom(seed);
      const length = [0, 1, 2047, 2048, 2049, 5000, 20_000][seed % 7] ?? 0;
      // Few distinct keys: many ties, so an unstable merge would show.
      const keys = 1 + Math.floor(random() * 50);
      const items = Array.from({ length }, (_, index) => ({ key: Math.floor(random() * keys), index }));
      const compare = (a: { key: number }, b: { key: number }): number => a.key - b.key;
      assert.deepEqual(await sortInSlices(items, compare, new TimeSlice(0)), [...items].sort(compare), `seed ${seed}, length ${length}`);
    }
  });

  it('gives the event loop a turn during a large sort, and leaves the input as it was', async () => {
    const items = Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 50_000);
    const copy = [...items];
    const events: string[] = [];
    setImmediate(() => events.push('other work'));
    const sorted = await sortInSlices(items, (a, b) => a - b, new TimeSlice(0));
    events.push('sorted');
    assert.deepEqual(events, ['other work', 'sorted']);
    assert.deepEqual(sorted, [...copy].sort((a, b) => a - b));
    assert.deepEqual(items, copy);
  });
});
