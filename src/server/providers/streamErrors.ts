/**
 * Errors the streaming provider raises itself, so the error mapper and the
 * retry policy can tell them apart from transport and HTTP errors.
 */

/** The request was cancelled by the client ($/cancelRequest). Not a failure. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('The request was cancelled.');
  }
}

/** No bytes arrived for `seconds`. */
export class InactivityTimeoutError extends Error {
  override readonly name = 'InactivityTimeoutError';
  constructor(readonly seconds: number) {
    super(`No data from the model service for ${seconds} s.`);
  }
}

/** The response body ended or broke before the answer was finished. */
export class StreamCutError extends Error {
  override readonly name = 'StreamCutError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An SSE chunk was not valid JSON. */
export class MalformedChunkError extends Error {
  override readonly name = 'MalformedChunkError';
  constructor(options?: { cause?: unknown }) {
    super('The model service sent a chunk that is not valid JSON.', options);
  }
}
