/**
 * Standard input for a command that reads it once (`tandem apply-patch`), by
 * plain reads of fd 0: `process.stdin` first loads Node's stream machinery,
 * about a tenth of Node's own start-up and 2 MiB, in a process other tools
 * start once per edit.
 */
import { readSync } from 'node:fs';
import { isRecord } from '../../shared/guards';

/** `readSync(0, buffer, 0, buffer.length, null)`, or a stand-in for it. */
export type ReadChunk = (buffer: Buffer) => number;

const CHUNK_BYTES = 64 * 1024;

/**
 * The chunks of standard input until its end. A read that fails consumes
 * nothing, so what plain reads cannot take (a non-blocking fd says EAGAIN, a
 * closed one EBADF) comes from `fallback` (process.stdin) after the chunks
 * read so far.
 */
export async function* standardInput(
  read: ReadChunk = (buffer) => readSync(0, buffer, 0, buffer.length, null),
  fallback: () => AsyncIterable<Buffer | string> = () => process.stdin,
): AsyncGenerator<Buffer | string> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (;;) {
    let bytes: number;
    try {
      bytes = read(buffer);
    } catch (error) {
      // Windows reports the end of a pipe as an error.
      if (isRecord(error) && error.code === 'EOF') return;
      yield* fallback();
      return;
    }
    if (bytes === 0) return;
    yield Buffer.from(buffer.subarray(0, bytes));
  }
}
