/**
 * Context from other files: the windows of recently used documents whose
 * identifiers overlap most with the code around the cursor (Jaccard
 * similarity of identifier sets over sliding line windows). The windows of a
 * document are computed once per document version.
 */

/** What the index needs of a document (vscode-languageserver-textdocument's TextDocument fits). */
export interface DocSnapshot {
  readonly uri: string;
  readonly languageId: string;
  readonly version: number;
  getText(): string;
}

export interface Snippet {
  uri: string;
  /** 0-based first line of the window. */
  startLine: number;
  text: string;
  score: number;
}

export const WINDOW_LINES = 12;
export const WINDOW_STEP = 6;
/** Lines before the cursor that make the query. */
export const QUERY_LINES = 12;
/** Below this similarity a window is not worth its tokens. */
export const MIN_SIMILARITY = 0.1;
export const MAX_SNIPPETS = 3;
/** Lines of a document that are indexed (the start of very long files only). */
const MAX_INDEXED_LINES = 5000;
const MAX_INDEXED_DOCS = 16;

/** Words that say nothing about what the code is about. */
const COMMON = new Set(
  (
    'if else for while do return function const let var new this self true false null undefined none nil ' +
    'import from export default class def public private protected static void int string bool boolean number ' +
    'async await try catch finally throw type interface extends implements in of is as and or not end then fn pub mut use'
  ).split(' '),
);

/** The identifiers of a text (two characters or more, common keywords left out). */
export function identifiers(text: string): Set<string> {
  const found = new Set<string>();
  for (const match of text.matchAll(/[A-Za-z_$][\w$]+/g)) {
    const word = match[0];
    if (!COMMON.has(word)) {
      found.add(word);
    }
  }
  return found;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) {
    return 0;
  }
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const word of small) {
    if (large.has(word)) {
      common++;
    }
  }
  return common / (a.size + b.size - common);
}

interface Window {
  startLine: number;
  text: string;
  words: Set<string>;
}

interface Indexed {
  version: number;
  windows: Window[];
}

/** The query: identifiers of the last QUERY_LINES lines before the cursor. */
export function queryWords(prefix: string): Set<string> {
  let start = prefix.length;
  for (let line = 0; line < QUERY_LINES && start > 0; line++) {
    start = prefix.lastIndexOf('\n', start - 2) + 1;
  }
  return identifiers(prefix.slice(start));
}

export class SnippetIndex {
  private readonly indexed = new Map<string, Indexed>();

  /**
   * The most similar windows of `docs` (best first, at most one per region of
   * a document, together at most `budgetChars`).
   */
  best(query: ReadonlySet<string>, docs: readonly DocSnapshot[], budgetChars: number): Snippet[] {
    if (query.size === 0 || budgetChars <= 0) {
      return [];
    }
    const scored: Snippet[] = [];
    for (const doc of docs) {
      for (const window of this.windowsOf(doc)) {
        const score = jaccard(query, window.words);
        if (score >= MIN_SIMILARITY) {
          scored.push({ uri: doc.uri, startLine: window.startLine, text: window.text, score });
        }
      }
    }
    scored.sort((a, b) => b.score - a.score || a.uri.localeCompare(b.uri) || a.startLine - b.startLine);
    const chosen: Snippet[] = [];
    let used = 0;
    for (const snippet of scored) {
      if (chosen.length >= MAX_SNIPPETS) {
        break;
      }
      const overlaps = chosen.some((other) => other.uri === snippet.uri && Math.abs(other.startLine - snippet.startLine) < WINDOW_LINES);
      if (overlaps || used + snippet.text.length > budgetChars) {
        continue;
      }
      chosen.push(snippet);
      used += snippet.text.length;
    }
    return chosen;
  }

  forget(uri: string): void {
    this.indexed.delete(uri);
  }

  private windowsOf(doc: DocSnapshot): Window[] {
    const known = this.indexed.get(doc.uri);
    if (known && known.version === doc.version) {
      return known.windows;
    }
    const lines = doc.getText().replace(/\r\n/g, '\n').split('\n').slice(0, MAX_INDEXED_LINES);
    const windows: Window[] = [];
    for (let start = 0; start < lines.length; start += WINDOW_STEP) {
      const text = lines.slice(start, start + WINDOW_LINES).join('\n');
      if (text.trim()) {
        windows.push({ startLine: start, text, words: identifiers(text) });
      }
      if (start + WINDOW_LINES >= lines.length) {
        break;
      }
    }
    this.indexed.delete(doc.uri);
    this.indexed.set(doc.uri, { version: doc.version, windows });
    while (this.indexed.size > MAX_INDEXED_DOCS) {
      const oldest = this.indexed.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.indexed.delete(oldest);
    }
    return windows;
  }
}
