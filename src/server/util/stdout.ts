/**
 * Standard output and error for a command that writes a few lines and exits
 * (`tandem apply-patch`), by plain writes of fd 1 and 2: `process.stdout`
 * first builds a stream (and loads the modules behind it), a few
 * milliseconds of a process other tools start once per edit.
 */
import { writeSync } from 'node:fs';

/** `writeSync(fd, bytes, offset)`, or a stand-in for it: the number of bytes written. */
export type WriteChunk = (bytes: Buffer, offset: number) => number;

export interface TextSink {
  write(text: string): unknown;
}

/**
 * A writer that writes whole texts with plain writes. A write that fails
 * (a non-blocking fd says EAGAIN, a closed pipe EPIPE) hands the rest of
 * that text, and every later one, to `fallback` (process.stdout or
 * process.stderr), so the output stays in order and fails as it did there.
 */
export function plainOutput(write: WriteChunk, fallback: () => { write(chunk: Uint8Array | string): unknown }): TextSink {
  let fallen = false;
  return {
    write(text: string): void {
      if (fallen) {
        fallback().write(text);
        return;
      }
      const bytes = Buffer.from(text, 'utf8');
      let offset = 0;
      try {
        while (offset < bytes.length) offset += write(bytes, offset);
      } catch {
        fallen = true;
        // The bytes as they are: a write may have stopped inside a character.
        fallback().write(bytes.subarray(offset));
      }
    },
  };
}

export const standardOutput = (): TextSink => plainOutput((bytes, offset) => writeSync(1, bytes, offset), () => process.stdout);
export const standardError = (): TextSink => plainOutput((bytes, offset) => writeSync(2, bytes, offset), () => process.stderr);
