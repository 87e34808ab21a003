/**
 * How a secret is written in its place, declared once for every path out:
 * the data boundary (requests to a model) and the audit trail (events
 * written to disk or sent to a collector). A value gets a typed placeholder,
 * `[REDACTED:github-token]`; a second distinct value of the kind within the
 * same table `[REDACTED:github-token-2]`, so a reader can still tell them apart.
 */
import type { Finding } from './types';

/** Any placeholder, as written by `placeholderName`. */
export const PLACEHOLDER = /\[REDACTED:[a-z0-9-]+\]/g;
/** What is left of a finding once placeholders are taken out must be at least this long to be a secret. */
export const MIN_SECRET_CHARS = 4;

/** The `n`th distinct value of `kind` (from 1). */
export function placeholderName(kind: string, n: number): string {
  return `[REDACTED:${kind}${n === 1 ? '' : `-${n}`}]`;
}

/** Whether a finding is a placeholder written before (`://user:[REDACTED:…]@` again), not a secret. */
export function isPlaceholderOnly(value: string): boolean {
  return value.replace(PLACEHOLDER, '').length < MIN_SECRET_CHARS;
}

/**
 * One table of values and their placeholders (a request, or one audit
 * event): the same value always gets the same placeholder. Values stay in
 * this object; only kinds and counts come out of it.
 */
export class PlaceholderTable {
  private readonly placeholders = new Map<string, string>();
  private readonly kinds = new Map<string, number>();
  /** Placeholder → value (to restore an answer locally). */
  private readonly values = new Map<string, string>();
  /** The values in the order they were found. */
  readonly order: string[] = [];

  placeholderFor(value: string, kind: string): string {
    const known = this.placeholders.get(value);
    if (known !== undefined) return known;
    const n = (this.kinds.get(kind) ?? 0) + 1;
    this.kinds.set(kind, n);
    const placeholder = placeholderName(kind, n);
    this.placeholders.set(value, placeholder);
    this.order.push(value);
    this.values.set(placeholder, value);
    return placeholder;
  }

  placeholderOf(value: string): string | undefined {
    return this.placeholders.get(value);
  }

  valueOf(placeholder: string): string | undefined {
    return this.values.get(placeholder);
  }

  /** `text` with each finding (of `findings`, in order, not overlapping) replaced by its placeholder. */
  replace(text: string, findings: readonly Finding[]): string {
    let out = '';
    let at = 0;
    for (const finding of findings) {
      const value = text.slice(finding.start, finding.end);
      if (isPlaceholderOnly(value)) continue;
      out += text.slice(at, finding.start) + this.placeholderFor(value, finding.kind);
      at = finding.end;
    }
    return out + text.slice(at);
  }

  /** `text` with the values found `from` (index in `order`) up to `to` replaced wherever they appear. */
  replaceKnown(text: string, from = 0, to = this.order.length): string {
    let out = text;
    for (const value of this.order.slice(from, to)) {
      // Values of a few characters (a short password in a URL) are not chased through other texts.
      if (value.length >= 8 && out.includes(value)) out = out.split(value).join(this.placeholders.get(value) ?? '[REDACTED]');
    }
    return out;
  }

  /** Distinct values per kind, kinds in order of first appearance. */
  redactions(): Array<{ kind: string; count: number }> {
    return [...this.kinds].map(([kind, count]) => ({ kind, count }));
  }
}
