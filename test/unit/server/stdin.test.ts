/**
 * `tandem apply-patch` reads its patch by plain reads of fd 0, and through
 * process.stdin for what those cannot take: whatever the reads return and
 * wherever they fail, the command gets all of its input exactly once.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { standardInput, type ReadChunk } from '../../../src/server/util/stdin';
import { seededRandom } from '../../support/random';

type Failure = 'none' | 'EAGAIN' | 'EBADF' | 'EOF';

/** Reads like readSync on fd 0: short reads of random size, then 0 at the end; `failure` is thrown at `failAt` bytes (EOF only at the end, as Windows does). */
function fakeRead(input: Buffer, random: () => number, failure: Failure, failAt: number): { read: ReadChunk; rest: () => Buffer } {
  let offset = 0;
  return {
    read: (buffer) => {
      const stop = failure === 'EOF' ? input.length : failAt;
      if (failure !== 'none' && offset >= stop) throw Object.assign(new Error(`read failed: ${failure}`), { code: failure });
      const limit = failure === 'none' || failure === 'EOF' ? input.length : failAt;
      const bytes = Math.min(limit - offset, buffer.length, 1 + Math.floor(random() * buffer.length));
      input.copy(buffer, 0, offset, offset + bytes);
      offset += bytes;
      return bytes;
    },
    rest: () => input.subarray(offset),
  };
}

async function readAll(chunks: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(parts);
}

describe('standard input for apply-patch', () => {
  it('gets the whole input once, for any sizes of reads and wherever they fail (generated)', async () => {
    const lengths = [0, 1, 65_535, 65_536, 65_537, 200_001];
    const failures: Failure[] = ['none', 'EAGAIN', 'EBADF', 'EOF'];
    for (let seed = 1; seed <= 48; seed++) {
      const random = seededRandom(seed);
      const length = lengths[seed % lengths.length] ?? 0;
      const failure = failures[Math.floor(seed / lengths.length) % failures.length] ?? 'none';
      const input = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
      const failAt = Math.floor(random() * (length + 1));
      const fake = fakeRead(input, random, failure, failAt);
      let fallbacks = 0;
      const got = await readAll(
        standardInput(fake.read, () => {
          fallbacks++;
          // process.stdin's chunks: whatever the plain reads left, in pieces of its own.
          const rest = fake.rest();
          return Readable.from([rest.subarray(0, 7), rest.subarray(7)].filter((part) => part.length > 0));
        }),
      );
      const context = `seed ${seed}: ${length} bytes, ${failure} at ${failAt}`;
      assert.ok(got.equals(input), `${context}: got ${got.length} bytes, not the input`);
      assert.equal(fallbacks, failure === 'EAGAIN' || failure === 'EBADF' ? 1 : 0, context);
    }
  });

  it('reads nothing before it is iterated (apply-patch --help must not wait for input)', async () => {
    let reads = 0;
    const chunks = standardInput(() => {
      reads++;
      return 0;
    });
    assert.equal(reads, 0);
    assert.equal((await readAll(chunks)).length, 0);
    assert.equal(reads, 1);
  });
});
