/**
 * The comparison levels used to locate context lines, strictest first. A
 * level only applies when every stricter one found nothing.
 */

export type MatchLevel = 'exact' | 'trimEnd' | 'trim' | 'unicode';

export const MATCH_LEVELS: readonly MatchLevel[] = ['exact', 'trimEnd', 'trim', 'unicode'];

const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u2035]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u2036]/g;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const SPACES = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
// eslint-disable-next-line no-misleading-character-class -- each invisible character on its own, the zero-width joiner too
const INVISIBLE = /[\u200B\u200C\u200D\u2060\uFEFF]/g;
const ELLIPSIS = /\u2026/g;
const NON_ASCII = /[^\x00-\x7F]/;

/** Folds typographic punctuation a model (or a chat UI) may introduce to its ASCII form. */
export function foldUnicode(text: string): string {
  if (!NON_ASCII.test(text)) {
    return text;
  }
  return text
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-')
    .replace(SPACES, ' ')
    .replace(INVISIBLE, '')
    .replace(ELLIPSIS, '...');
}

/** A line's comparison key at a level. */
export function normalizeLine(level: MatchLevel, line: string): string {
  switch (level) {
    case 'exact':
      return line;
    case 'trimEnd':
      return line.trimEnd();
    case 'trim':
      return line.trim();
    case 'unicode':
      return foldUnicode(line).trim();
  }
}

/** The leading whitespace of a line. */
export function indentOf(line: string): string {
  const match = /^[ \t]*/.exec(line);
  return match ? match[0] : '';
}
