/**
 * Defensive scrubbing of secrets from anything that leaves the service as text
 * (error messages, log lines). The configured key is removed verbatim; common
 * key and bearer-token shapes are removed too, in case a server echoes one.
 */
export const REDACTED = '[redacted]';

export function redact(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    // Very short "keys" (e.g. "x") would shred ordinary words; they are not secrets worth hiding.
    if (secret.length >= 4) {
      result = result.split(secret).join(REDACTED);
    }
  }
  return result
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, `Bearer ${REDACTED}`)
    .replace(/\bsk-[A-Za-z0-9_-]{8,}/g, REDACTED)
    .replace(/\b(api[_-]?key["']?\s*[:=]\s*["']?)[^\s"',}]{6,}/gi, `$1${REDACTED}`);
}

/** A URL as shown to people and logs: without any user:password part. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) {
      return url;
    }
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}
