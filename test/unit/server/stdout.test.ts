/**
 * `tandem apply-patch` writes its output by plain writes of fd 1 and 2, and
 * through process.stdout / process.stderr for what those cannot take:
 * whatever the writes accept and wherever they fail, every byte is written
 * exactly once and in order, also when a write stops inside a character.
 */
import assert from 'node:assert/strict';
import { plainOutput, type WriteChunk } from '../../../src/server/util/stdout';
import { seededRandom } from '../../support/random';

describe('standard output for apply-patch', () => {
  it('writes every text once and in order, for any sizes of writes and wherever they fail (generated)', () => {
    const pieces = ['updated src/a.ts\n', 'é😀 “unicode” — ', 'x'.repeat(70_000), '', '{"files": {}}\n'];
    for (let seed = 1; seed <= 60; seed++) {
      const random = seededRandom(seed);
      const texts = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pieces[Math.floor(random() * pieces.length)] ?? '');
      const expected = Buffer.from(texts.join(''));
      const failAt = seed % 3 === 0 ? Number.MAX_SAFE_INTEGER : Math.floor(random() * (expected.length + 1));
      const plain: Buffer[] = [];
      const fallen: Buffer[] = [];
      let written = 0;
      const write: WriteChunk = (bytes, offset) => {
        if (written >= failAt) throw Object.assign(new Error('write failed'), { code: 'EAGAIN' });
        // Short writes of random size, never past the failure point.
        const count = Math.min(bytes.length - offset, failAt - written, 1 + Math.floor(random() * 100_000));
        plain.push(Buffer.from(bytes.subarray(offset, offset + count)));
        written += count;
        return count;
      };
      const sink = plainOutput(write, () => ({ write: (chunk: Uint8Array | string) => fallen.push(Buffer.from(chunk)) }));
      for (const text of texts) sink.write(text);
      const got = Buffer.concat([...plain, ...fallen]);
      const context = `seed ${seed}: ${expected.length} bytes, failing at ${failAt}`;
      assert.ok(got.equals(expected), `${context}: got ${got.length} bytes, not the output`);
      if (failAt >= expected.length) assert.equal(fallen.length, 0, `${context}: nothing should go through the fallback`);
    }
  });
});
