/**
 * Small checks for untrusted values (JSON from the other side of a protocol,
 * settings, caught exceptions), shared by the service, the extension and the
 * webview. No imports: the webview bundles this file.
 */

/** A plain object (not null, not an array): the first check on any JSON payload. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A guard for one vocabulary: true when `value` is one of `values` (declared `as const`). */
export function oneOf<const T extends string>(values: readonly T[]): (value: unknown) => value is T {
  const set: ReadonlySet<unknown> = new Set(values);
  return (value: unknown): value is T => set.has(value);
}

/** What went wrong, for a person or a log line: the message of an Error, else the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** As `errorMessage`, with the stack when there is one (for logs and crashes, never for the model). */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
