/** How the loop reads the model's tool calls: what makes two calls the same, and the words before them. */

/** JSON arguments with sorted keys, so `{"a":1,"b":2}` and `{"b":2,"a":1}` count as the same call. */
export function canonicalArgs(raw: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(raw) as unknown));
  } catch {
    return raw.trim();
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
}

/** The model's words before its tool calls, shortened to a sentence for the step card. */
export function firstSentence(text: string): string | undefined {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return undefined;
  const end = clean.search(/[.!?](\s|$)/);
  const sentence = end > 0 ? clean.slice(0, end + 1) : clean;
  return sentence.length > 160 ? `${sentence.slice(0, 159)}…` : sentence;
}
