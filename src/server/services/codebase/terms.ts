/**
 * The index's vocabulary: how code and questions become terms. Identifiers
 * count whole and by their parts (`parseLinkLabel` → parselinklabel, parse,
 * link, label; `MAX_FILE_BYTES` → max, file, bytes), so a question in words
 * meets the code that names the same things. Terms are lower-cased, common
 * English and keyword noise is dropped, and a light suffix rule folds
 * `parsing`, `parsed`, `parser` and `parses` together. The same functions run
 * on documents and on queries. Pure.
 */

/** Identifiers, and runs of digits; anything else separates. Bounded per token (minified names). */
const TOKEN = /[A-Za-z_$][A-Za-z0-9_$]{0,63}|[0-9]{1,16}/g;
/** Boundaries inside an identifier: lower→Upper, ACRONYMWord, letters↔digits. */
const CAMEL = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/** Words that say nothing about where code is (question words, articles, and keywords every file has). */
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but of to in on at by for with from into onto as is are was were be been being it its this that these those ' +
    'how what where which who whom why when do does did done can could should would will shall may might must there here ' +
    'i me my we our you your he she they them their if then else than so not no yes all any each some about over under ' +
    'get gets var let const return function new true false null undefined void typeof instanceof ' +
    'use used uses using happen happens code file files find way ways want make makes need needs'
  ).split(' '),
);

/** The terms of `text` before normalisation: each identifier whole and, when it has several, its parts. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    out.push(token);
    const parts = token.match(CAMEL);
    if (parts && (parts.length > 1 || token.includes('_') || token.includes('$'))) {
      for (const part of parts) if (part.length < token.length) out.push(part);
    }
  }
  return out;
}

/** One term as the index keeps it, or null to drop it. */
export function processTerm(term: string): string | null {
  const lower = term.toLowerCase().replace(/^[_$]+|[_$]+$/g, '');
  if (lower.length < 2 || STOP_WORDS.has(lower)) return null;
  return stem(lower);
}

/** Folds the common English suffixes (at most two, keeping a stem of three letters or more). */
export function stem(word: string): string {
  if (!/^[a-z]+$/.test(word) || word.length <= 3) return word;
  let out = word;
  for (let pass = 0; pass < 2; pass++) {
    const before = out;
    if (out.endsWith('ies') && out.length > 4) out = `${out.slice(0, -3)}y`;
    else if (out.endsWith('sses')) out = out.slice(0, -2);
    else {
      for (const suffix of ['ing', 'ed', 'er', 'es', 's', 'e']) {
        if (!out.endsWith(suffix) || out.length - suffix.length < 3) continue;
        if (suffix === 's' && /(ss|us|is)$/.test(out)) break;
        out = out.slice(0, -suffix.length);
        // running → runn → run; but keep "all", "class" and friends.
        if (suffix !== 'e' && suffix !== 's' && /([b-df-hj-np-rtv-z])\1$/.test(out) && !/(ll|ss|ff|zz)$/.test(out)) out = out.slice(0, -1);
        break;
      }
    }
    if (out === before) break;
  }
  return out;
}

/** The query's terms as the index would see them (distinct, in order). */
export function queryTerms(query: string): string[] {
  const seen = new Set<string>();
  for (const token of tokenize(query)) {
    const term = processTerm(token);
    if (term !== null) seen.add(term);
  }
  return [...seen];
}
