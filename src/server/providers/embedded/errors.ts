/**
 * Failures of the built-in model, each already worded for a person: the
 * error mapper (providers/errors.ts) shows the message as it is.
 */

export type EmbeddedFailure =
  /** node-llama-cpp or its binary for this platform is not installed. */
  | 'engineMissing'
  /** The model file is missing, unreadable or not a usable GGUF. */
  | 'modelFile'
  /** llama.cpp refused the model (the reason from its log when it gave one). */
  | 'loadFailed'
  /** The model has no function calling: Agent mode cannot run on it. */
  | 'noFunctionCalling'
  /** The prompt does not fit the model's context (said with both sizes, before llama.cpp would fail on it). */
  | 'contextFull'
  /** The engine's process ended (a native abort, out of memory, killed) or broke its protocol: the next request starts a new one. */
  | 'engineStopped';

export class EmbeddedModelError extends Error {
  override readonly name = 'EmbeddedModelError';
  constructor(
    readonly failure: EmbeddedFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
