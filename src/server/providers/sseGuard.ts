/**
 * Response bodies cut into whole server-sent events before the `openai`
 * package sees them. Its decoders copy everything buffered and scan it again
 * from the start on every network chunk, so one long unterminated event, sent
 * in small pieces, costs quadratic time on the service's only thread (a 1 MiB
 * line in 16-byte pieces: a minute). Here the body is scanned once,
 * remembering where the scan stopped, and handed on one complete event per
 * chunk, so the package's scans are linear too, and a little at a time
 * (WORK_PER_TURN). An event may not grow past MAX_EVENT_BYTES: the request
 * then fails as a malformed reply.
 *
 * The boundaries are the package's own (`\n\n`, `\r\r`, `\r\n\r\n`, the first
 * one by position, as `findDoubleNewlineIndex` finds it), so it splits the
 * body into exactly the events it would have found itself. Bodies that are not
 * event streams (a JSON answer) pass as one "event" and fall under the cap.
 */

/**
 * Largest event (or non-streamed body) accepted. Real ones are far smaller: even
 * a whole answer in one event is held under about 1 MB by the model's output
 * token limit. At this size the package parses one event in tens of
 * milliseconds, the longest it holds the thread.
 */
export const MAX_EVENT_BYTES = 4 * 1024 * 1024;

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * An event, or a whole body, over the cap. A SyntaxError, because to every
 * caller it is a reply that cannot be parsed: the stream readers report it as
 * a malformed chunk and keep what arrived before it.
 */
export class OversizedEventError extends SyntaxError {
  override readonly name = 'OversizedEventError';
  constructor(readonly limitBytes: number) {
    const limit = limitBytes % (1024 * 1024) === 0 ? `${limitBytes / (1024 * 1024)} MiB` : `${limitBytes} bytes`;
    super(`The model service sent a reply part over ${limit} without an event boundary; the reply is malformed.`);
  }
}

const LF = 0x0a;
const CR = 0x0d;
/**
 * Work per turn of the event loop, counting a chunk read as 1 and an event
 * handed on as 4. A backlog (one network read can hold thousands of
 * keep-alive comments; a slow reader lets thousands of tiny reads queue up)
 * would otherwise be worked through in one run of promise callbacks, holding
 * the thread: here it yields about every millisecond of work.
 */
const WORK_PER_TURN = 256;
const CHUNK_WORK = 1;
const EVENT_WORK = 4;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Splits a byte stream into events: each output chunk is one event with its
 * terminating blank line, the last may lack one (the body ended). Errors with
 * OversizedEventError when an event passes `maxEventBytes`.
 */
export function eventFramer(maxEventBytes = MAX_EVENT_BYTES): TransformStream<Uint8Array, Uint8Array> {
  /**
   * The event being read so far, in a buffer that doubles as it fills: each
   * byte is copied a few times at most, and a body in 1-byte reads does not
   * keep a million small arrays alive.
   */
  let held = new Uint8Array(0);
  let heldBytes = 0;
  /** The last three bytes of the event so far (most recent in the low byte): enough to see a boundary that straddles chunks. */
  let recent = 0;
  let work = 0;
  const breathe = async (cost: number): Promise<void> => {
    work += cost;
    if (work < WORK_PER_TURN) return;
    work = 0;
    await nextTurn();
  };
  const hold = (bytes: Uint8Array): void => {
    if (heldBytes + bytes.length > held.length) {
      const grown = new Uint8Array(Math.max(2 * held.length, heldBytes + bytes.length, 4096));
      grown.set(held.subarray(0, heldBytes));
      held = grown;
    }
    held.set(bytes, heldBytes);
    heldBytes += bytes.length;
  };
  /** The event that ends with `last`: what is held, then `last`. */
  const take = (last: Uint8Array): Uint8Array => {
    recent = 0;
    if (heldBytes === 0) return last;
    const event = new Uint8Array(heldBytes + last.length);
    event.set(held.subarray(0, heldBytes));
    event.set(last, heldBytes);
    heldBytes = 0;
    if (held.length > 64 * 1024) held = new Uint8Array(0);
    return event;
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      await breathe(CHUNK_WORK);
      let start = 0;
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i] as number;
        if (byte !== LF && byte !== CR) {
          recent = 0;
          continue;
        }
        const previous = recent & 0xff;
        // \n\n, \r\r, or the \n closing \r\n\r\n.
        const boundary = byte === previous || (byte === LF && (recent & 0xffffff) === 0x0d0a0d);
        recent = ((recent << 8) | byte) & 0xffffff;
        if (boundary) {
          if (heldBytes + (i + 1 - start) > maxEventBytes) throw new OversizedEventError(maxEventBytes);
          controller.enqueue(take(chunk.subarray(start, i + 1)));
          start = i + 1;
          await breathe(EVENT_WORK);
        }
      }
      const rest = chunk.subarray(start);
      if (rest.length === 0) return;
      if (heldBytes + rest.length > maxEventBytes) throw new OversizedEventError(maxEventBytes);
      hold(rest);
    },
    flush(controller) {
      if (heldBytes > 0) controller.enqueue(take(new Uint8Array(0)));
    },
  });
}

/** A fetch whose response bodies arrive as whole events (see eventFramer). */
export function framedFetch(inner: FetchFunction, maxEventBytes = MAX_EVENT_BYTES): FetchFunction {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body) return response;
    return new Response(response.body.pipeThrough(eventFramer(maxEventBytes)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
