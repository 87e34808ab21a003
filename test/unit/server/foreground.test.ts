import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodebaseIndex } from '../../../src/server/services/codebase/codebaseIndex';
import { Foreground } from '../../../src/server/util/foreground';
import { TimeSlice } from '../../../src/server/util/timeSlice';
import { seededRandom } from '../../support/random';

describe('Foreground: background work gives way to completions in flight', () => {
  it('quiet() resolves at once when nothing is in flight, and when the last of several overlapping requests ends', async () => {
    const random = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const foreground = new Foreground();
      await foreground.quiet(60_000);
      const count = 1 + Math.floor(random() * 5);
      const ends = Array.from({ length: count }, () => foreground.begin());
      let resolved = false;
      const waiting = foreground.quiet(60_000).then(() => (resolved = true));
      // Ended in a random order, some twice (a second call does nothing).
      const order = ends.map((end) => ({ end, key: random() })).sort((a, b) => a.key - b.key);
      for (const [i, { end }] of order.entries()) {
        end();
        if (random() < 0.3) end();
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(resolved, i === order.length - 1, `round ${round}: resolved after ${i + 1} of ${count}`);
        assert.equal(foreground.busy, i < order.length - 1);
      }
      await waiting;
    }
  });

  it('quiet() gives up after its longest wait, so a stream of requests cannot starve the index', async () => {
    const foreground = new Foreground();
    foreground.begin();
    const started = performance.now();
    await foreground.quiet(20);
    assert.ok(performance.now() - started >= 15);
    assert.equal(foreground.busy, true);
  });

  it('a time slice awaits its yieldTo at every hand-back', async () => {
    let calls = 0;
    const slice = new TimeSlice(0, async () => void calls++);
    for (let i = 0; i < 5; i++) await slice.handBack();
    assert.equal(calls, 5);
  });

  it('the index waits for completions in flight while it builds, and finishes even when one never ends', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tandem-foreground-'));
    try {
      for (let i = 0; i < 300; i++) {
        mkdirSync(path.join(root, `dir${i % 10}`), { recursive: true });
        writeFileSync(path.join(root, `dir${i % 10}`, `file${i}.ts`), Array.from({ length: 40 }, (_, l) => `export function f${i}x${l}(a: number) { return a + ${l}; }`).join('\n'));
      }
      const foreground = new Foreground();
      let waits = 0;
      const counting = Object.assign(Object.create(foreground) as Foreground, {
        quiet: (maxWaitMs: number) => {
          waits++;
          return foreground.quiet(Math.min(maxWaitMs, 5));
        },
      });
      foreground.begin(); // never ends
      const index = new CodebaseIndex({ foreground: counting });
      await index.setRoots([root]);
      assert.equal(index.state().state, 'ready');
      assert.equal(index.state().files, 300);
      assert.ok(waits > 0, 'the build gave way at least once');
      await index.dispose();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
