/** Small helpers for writing cases. */

const TICKS = '`'.repeat(3);

/** A Markdown code block, as models wrap code. */
export function fence(tag: string, body: string): string {
  return `${TICKS}${tag}\n${body}\n${TICKS}`;
}
