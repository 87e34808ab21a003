/**
 * The engine process's streamed text (hostProcess.ts, TextStream): the
 * first piece goes at once, pieces that come faster than the interval or
 * while a message is still being written are joined, nothing is lost or
 * reordered, and everything is sent before the answer.
 */
import assert from 'node:assert/strict';
import type { FromHost } from '../../../src/server/providers/embedded/hostMessages';
import { TextStream } from '../../../src/server/providers/embedded/hostProcess';
import { seededRandom } from '../../support/random';

interface Sent {
  message: FromHost;
  done?: () => void;
}

describe("the engine process's streamed text", () => {
  it('sends the first piece at once, joins the ones that follow within the interval, and loses nothing (generated arrivals)', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = seededRandom(seed);
      const sent: Sent[] = [];
      let clock = 0;
      // Writes complete at once or later, at random: the stream must not send while one is pending.
      const stream = new TextStream(7, (message, done) => sent.push({ message, ...(done ? { done } : {}) }), 8, () => clock);
      let expected = '';
      let writing = 0;
      for (let i = 0; i < 200; i++) {
        const piece = String.fromCharCode(97 + Math.floor(next() * 26)).repeat(1 + Math.floor(next() * 3));
        expected += piece;
        stream.push(piece);
        if (i === 0) assert.equal(sent.length, 1, 'the first piece goes at once');
        clock += next() * 4;
        // Complete some pending writes.
        for (const entry of sent.slice(writing)) {
          if (next() < 0.7) {
            writing++;
            entry.done?.();
          } else break;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      stream.end();
      const texts = sent.map(({ message }) => (message.kind === 'text' && message.id === 7 ? message.text : assert.fail(JSON.stringify(message))));
      assert.equal(texts.join(''), expected, `seed ${seed}: every piece, in order`);
      assert.ok(texts.length < 200 / 2, `seed ${seed}: ${texts.length} messages for 200 pieces`);
    }
  });

  it('sends each piece at once when they come slower than the interval (a real model on a laptop)', () => {
    let clock = 0;
    const sent: Sent[] = [];
    const stream = new TextStream(1, (message, done) => {
      sent.push({ message });
      done?.();
    }, 8, () => clock);
    for (let i = 0; i < 10; i++) {
      stream.push(`t${i}`);
      assert.equal(sent.length, i + 1, `piece ${i} went at once`);
      clock += 30;
    }
  });
});
