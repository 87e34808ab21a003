/**
 * The suggestion cache: what the model suggested at a cursor position, served
 * again without a model call while the person types along it.
 *
 * An entry is keyed by the document URI, the text before the cursor (its
 * length and last PREFIX_KEY_CHARS characters) and the suffix window (the text
 * after the cursor the model saw). A request hits when it is in the same
 * document with the same suffix window and its text before the cursor is the
 * entry's plus some `typed` text the suggestion starts with: it is answered
 * with the rest of the suggestion. Backspacing within the typed-along part
 * hits too (`typed` just gets shorter); anything typed after the cursor
 * changes the suffix window and misses.
 */

export const PREFIX_KEY_CHARS = 256;
export const CACHE_ENTRIES = 64;

export interface CachePosition {
  uri: string;
  /** The whole document and the cursor offset in it. */
  text: string;
  offset: number;
  suffixWindow: string;
}

export interface CacheEntry {
  uri: string;
  prefixLength: number;
  prefixTail: string;
  suffixWindow: string;
  /** The post-processed suggestion at that position, in the document's line breaks. */
  suggestion: string;
}

export interface CacheHit {
  /** What is left of the suggestion after what was typed along. */
  rest: string;
  typed: string;
  entry: CacheEntry;
}

/** The key parts of a position: the text before the cursor is recorded by its length and its tail. */
export function positionKey(position: CachePosition): Pick<CacheEntry, 'uri' | 'prefixLength' | 'prefixTail' | 'suffixWindow'> {
  const { text, offset } = position;
  return {
    uri: position.uri,
    prefixLength: offset,
    prefixTail: text.slice(Math.max(0, offset - PREFIX_KEY_CHARS), offset),
    suffixWindow: position.suffixWindow,
  };
}

/**
 * What was typed since `key` when `position` continues it (same document, same
 * suffix window, the same text before the old cursor); undefined otherwise.
 */
export function typedSince(key: Pick<CacheEntry, 'uri' | 'prefixLength' | 'prefixTail' | 'suffixWindow'>, position: CachePosition): string | undefined {
  if (position.uri !== key.uri || position.offset < key.prefixLength || position.suffixWindow !== key.suffixWindow) {
    return undefined;
  }
  const tailStart = key.prefixLength - key.prefixTail.length;
  if (!position.text.startsWith(key.prefixTail, tailStart)) {
    return undefined;
  }
  return position.text.slice(key.prefixLength, position.offset);
}

export class SuggestionCache {
  /** Insertion-ordered: the oldest entry first. */
  private readonly entries: CacheEntry[] = [];

  constructor(private readonly capacity: number = CACHE_ENTRIES) {}

  get size(): number {
    return this.entries.length;
  }

  put(given: CacheEntry): void {
    // Own copies: a slice of the document would keep that whole version of it alive.
    const entry = { ...given, prefixTail: detach(given.prefixTail), suffixWindow: detach(given.suffixWindow) };
    const same = this.entries.findIndex(
      (other) => other.uri === entry.uri && other.prefixLength === entry.prefixLength && other.prefixTail === entry.prefixTail && other.suffixWindow === entry.suffixWindow,
    );
    if (same >= 0) {
      this.entries.splice(same, 1);
    }
    this.entries.push(entry);
    if (this.entries.length > this.capacity) {
      this.entries.shift();
    }
  }

  /** The newest entry this position types along (a non-blank rest left), moved to the newest place. */
  lookup(position: CachePosition): CacheHit | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (!entry) {
        continue;
      }
      const typed = typedSince(entry, position);
      if (typed === undefined || typed.length >= entry.suggestion.length || !entry.suggestion.startsWith(typed)) {
        continue;
      }
      const rest = entry.suggestion.slice(typed.length);
      if (!rest.trim()) {
        continue;
      }
      this.entries.splice(i, 1);
      this.entries.push(entry);
      return { rest, typed, entry };
    }
    return undefined;
  }

  /** Drops the entries of a document (closed). */
  forget(uri: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]?.uri === uri) {
        this.entries.splice(i, 1);
      }
    }
  }
}

/** A flat copy of a string that may be a slice of a much larger one (V8 flattens the concatenation). */
function detach(text: string): string {
  return (' ' + text).slice(1);
}
