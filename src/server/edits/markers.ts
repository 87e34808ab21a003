/**
 * Edit-format marker lines: the lines that structure an edit answer
 * (SEARCH/REPLACE markers, Roo `:start_line:`, apply_patch `***` headers,
 * unified-diff headers, conflict-style runs) rather than being code. The
 * engine's promise is that applying an answer never writes such a line into
 * a file: a marker in new text means the answer was malformed and part of its
 * structure would become code (see `writtenMarkers`).
 *
 * Some lines are markers only in context: a run of `=` or `-` alone is also a
 * heading underline, a horizontal rule or a comment banner, so it counts only
 * when nothing legitimate explains it (see `markerAt`).
 */
import { alignLines, fileLines } from '../../shared/diff';

/**
 * SEARCH/REPLACE markers, however mangled: a run of marker characters, then
 * the word (aider, Cline, Roo; aider's older ORIGINAL/UPDATED). Short runs
 * count with the word in capitals only (`>>> replace(x)` is a doctest), a
 * run of dashes only with nothing but punctuation after the word (`-- search
 * helpers` is a comment).
 */
const SR_WORD: readonly RegExp[] = [
  /^(?:<{2,}[<-]*|>{2,}[>-]*|={3,}|\+{3,})\s*(?:SEARCH|REPLACE|ORIGINAL|UPDATED)\b/,
  /^(?:<{5,}|>{5,}|={5,}|\+{5,})[<>-]*\s*(?:search|replace|original|updated)\b/i,
];
/**
 * The runs of dashes, tried only on a line that starts with three. Made on
 * first use, like `title()`: V8 parses a pattern as soon as its literal is
 * evaluated, not when it first runs, and a Unicode property class builds its
 * character sets from ICU then (these three patterns were about 4 M of the
 * 85 M instructions a one-shot `tandem apply-patch` costs beyond Node's own
 * start, counted with callgrind, in a run that never uses them).
 */
let srWordDashes: readonly RegExp[] | undefined;

/** Whether a trimmed line is a SEARCH/REPLACE marker word with its run. */
function srWord(text: string): boolean {
  if (SR_WORD.some((pattern) => pattern.test(text))) return true;
  if (!text.startsWith('---')) return false;
  srWordDashes ??= [/^-{3,}\s*(?:SEARCH|REPLACE)\b[^\p{L}\p{N}]*$/u, /^-{5,}\s*(?:search|replace)\b[^\p{L}\p{N}]*$/iu];
  return srWordDashes.some((pattern) => pattern.test(text));
}
/** Conflict-style runs: `<<<<<<< HEAD`, `>>>>>>> branch`, `|||||||`, or a bare shorter run. */
const CONFLICT = /^(?:<{7,}|>{7,}|\|{7,})|^(?:<{5,}|>{5,})$/;
/** Roo's line hints. */
const ROO = /^:(?:start|end)_line:/i;
/** apply_patch headers, in any case and spacing. */
const APPLY_PATCH = /^\*{3}\s*(?:begin\s+patch|end\s+patch|(?:update|add|delete)\s+file\b|move\s+to\s*:|end\s+of\s+file)/i;
/** Unified-diff headers that cannot be anything else. */
const DIFF = /^(?:diff --git |@@(?:\s|$)|@@+\s*-\d+(?:,\d+)?\s+\+\d+(?:,\d+)?\s*@@)/;
/** A diff file header with git's a/ b/ prefixes or /dev/null. */
const PREFIXED_FILE_HEADER = /^(?:--- (?:a\/\S.*|\/dev\/null)|\+\+\+ (?:b\/\S.*|\/dev\/null))$/;
/** A line of `+` alone (Cline's REPLACE run without its word). */
const PLUS_RUN = /^\+{5,}$/;
const EQUALS_RUN = /^={5,}$/;
const DASH_RUN = /^-{5,}$/;
const OLD_HEADER = /^--- \S/;
const NEW_HEADER = /^\+\+\+ \S/;

/** Cheap pre-filter: does any line start with a character a marker can start with? */
const MAYBE_MARKER = /^[ \t]*(?:<<|>>|={3}|\|{3}|\+{3}|-{3}|:(?:start|end)_line:|\*{2}|@@|diff --git )/im;

/** Files where `===`/`---` lines are headings and rules (underlined titles, horizontal rules). */
const MARKUP_EXTENSIONS = new Set(['md', 'markdown', 'mdx', 'mdown', 'mkd', 'rst', 'txt', 'text', 'adoc', 'asciidoc', 'asc', 'org', 'textile', 'rdoc', 'pod', 'wiki', 'creole']);
const MARKUP_NAMES = new Set(['README', 'LICENSE', 'LICENCE', 'CHANGELOG', 'CHANGES', 'HISTORY', 'NEWS', 'NOTICE', 'AUTHORS', 'CONTRIBUTORS', 'CONTRIBUTING', 'COPYING', 'TODO']);
/** Languages whose comments start with `--`, so a line of dashes is a comment banner. */
const DASH_COMMENT_EXTENSIONS = new Set(['lua', 'sql', 'hs', 'lhs', 'elm', 'ada', 'adb', 'ads', 'vhd', 'vhdl', 'purs', 'agda', 'applescript', 'cabal']);

export interface FileKind {
  /** `===` and `---` lines are headings or rules there. */
  markup: boolean;
  /** A line of dashes is a comment there. */
  dashComments: boolean;
}

/** How `===`/`---` lines are read in a file, from its name. */
export function fileKind(path: string): FileKind {
  const base = path.split(/[/\\]/).pop() ?? path;
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return {
    markup: MARKUP_EXTENSIONS.has(extension) || MARKUP_NAMES.has(stem.toUpperCase()),
    dashComments: DASH_COMMENT_EXTENSIONS.has(extension),
  };
}

/** The marker a line is by itself, regardless of its neighbours; undefined for other lines. */
export function standaloneMarker(line: string): string | undefined {
  const text = line.trim();
  if (text.length < 2) return undefined;
  if (srWord(text)) return 'a SEARCH/REPLACE marker';
  if (CONFLICT.test(text)) return 'a conflict-style marker';
  if (ROO.test(text)) return 'a Roo line hint';
  if (APPLY_PATCH.test(text)) return 'an apply_patch header';
  if (DIFF.test(text)) return 'a unified-diff header';
  if (PREFIXED_FILE_HEADER.test(text)) return 'a unified-diff file header';
  if (PLUS_RUN.test(text)) return 'a REPLACE marker';
  return undefined;
}

/**
 * Whether a line looks like part of SEARCH/REPLACE structure (a marker word
 * with a run, a conflict-style run, a Roo hint, a run of `+` or `=`). Inside
 * an answer in that format such a line is either a real marker or a mangled
 * one; content lines like that must be escaped with a backslash.
 */
export function looksLikeSearchReplaceMarker(line: string): boolean {
  const text = line.trim();
  return srWord(text) || CONFLICT.test(text) || ROO.test(text) || PLUS_RUN.test(text) || EQUALS_RUN.test(text);
}

/** Whether a line names a SEARCH/REPLACE marker word (however mangled), so the answer is meant in that format. */
export function namesSearchReplaceMarker(line: string): boolean {
  return srWord(line.trim());
}

/** A heading's text: words and light punctuation, nothing code-like (no brackets, semicolons, operators). Made on first use (see `srWord`). */
let titlePattern: RegExp | undefined;
const title = (): RegExp => (titlePattern ??= /^[\p{L}\p{N}][\p{L}\p{N} .,:'"`&/!?#*_-]*$/u);
/** Outside markup files a run underlines a title of about its own length (numpydoc `Returns` / `-------`). */
const UNDERLINE_SLACK = 2;

/** Whether the `=`/`-` run at `i` underlines (or overlines) a title. */
function isUnderline(lines: readonly string[], i: number, run: string, kind: FileKind): boolean {
  const previous = (lines[i - 1] ?? '').trim();
  const next = (lines[i + 1] ?? '').trim();
  const titled = (text: string): boolean =>
    text !== '' && standaloneMarker(text) === undefined && !EQUALS_RUN.test(text) && !DASH_RUN.test(text) && (kind.markup || (title().test(text) && Math.abs(text.length - run.length) <= UNDERLINE_SLACK));
  if (titled(previous)) return true;
  // An overline: title below, the same run below that.
  return titled(next) && (lines[i + 2] ?? '').trim() === run;
}

/**
 * The marker the line at `i` is, given its neighbours, or undefined. A run of
 * `=` alone is a heading underline or overline when it marks a title; a run of
 * `-` alone is also a rule or a comment banner, so it counts only next to other
 * markers, or in code where it underlines nothing; `--- a` then `+++ b` is a
 * diff's file header.
 */
export function markerAt(lines: readonly string[], i: number, kind: FileKind): string | undefined {
  const line = lines[i] ?? '';
  const own = standaloneMarker(line);
  if (own !== undefined) return own;
  const text = line.trim();
  if (OLD_HEADER.test(text) && NEW_HEADER.test((lines[i + 1] ?? '').trim())) return 'a unified-diff file header';
  if (NEW_HEADER.test(text) && OLD_HEADER.test((lines[i - 1] ?? '').trim())) return 'a unified-diff file header';
  const equals = EQUALS_RUN.test(text);
  const dashes = DASH_RUN.test(text);
  if (!equals && !dashes) return undefined;
  const nextToMarker = standaloneMarker(lines[i - 1] ?? '') !== undefined || standaloneMarker(lines[i + 1] ?? '') !== undefined;
  if (nextToMarker) return equals ? 'a SEARCH/REPLACE divider' : 'a SEARCH/REPLACE separator';
  if (dashes && (kind.markup || kind.dashComments)) return undefined;
  if (isUnderline(lines, i, text, kind)) return undefined;
  return equals ? 'a SEARCH/REPLACE divider' : 'a SEARCH/REPLACE separator';
}

export interface WrittenMarker {
  /** 1-based line in the new text. */
  line: number;
  text: string;
  what: string;
}

/**
 * Marker lines the change from `oldText` to `newText` writes into the file at
 * `path`: lines of the new text that are markers (see `markerAt`) and were not
 * already at that place in the old text. Unchanged lines never count, so a
 * file that already holds conflict markers can still be edited.
 */
export function writtenMarkers(path: string, oldText: string, newText: string): WrittenMarker[] {
  if (oldText === newText || !MAYBE_MARKER.test(newText)) return [];
  const before = fileLines(oldText);
  const after = fileLines(newText);
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const kind = fileKind(path);
  const candidates: number[] = [];
  for (let j = prefix; j < after.length - suffix; j++) {
    if (markerAt(after, j, kind) !== undefined) candidates.push(j);
  }
  if (candidates.length === 0) return [];
  const oldMiddle = before.slice(prefix, before.length - suffix);
  const newMiddle = after.slice(prefix, after.length - suffix);
  const added = addedIndices(oldMiddle, newMiddle, candidates.map((j) => j - prefix));
  return candidates
    .filter((j) => added.has(j - prefix))
    .map((j) => ({ line: j + 1, text: after[j] ?? '', what: markerAt(after, j, kind) ?? 'a marker' }));
}

/**
 * Which of `wanted` (ascending indices into `b`) are added lines, not lines of `a` kept
 * in place: by a line diff when it aligns the two, otherwise (too large to
 * align) by counting: a line is added when `b` has more copies of it than `a`.
 */
function addedIndices(a: readonly string[], b: readonly string[], wanted: readonly number[]): Set<number> {
  const added = new Set<number>();
  const regions = alignLines(a, b);
  if (regions) {
    // Both ascending: walk them together.
    let r = 0;
    for (const index of wanted) {
      while (r < regions.length && (regions[r]?.bEnd ?? 0) <= index) r++;
      if ((regions[r]?.bStart ?? Infinity) <= index) added.add(index);
    }
    return added;
  }
  const available = new Map<string, number>();
  const wantedTexts = new Set(wanted.map((index) => b[index] ?? ''));
  for (const line of a) if (wantedTexts.has(line)) available.set(line, (available.get(line) ?? 0) + 1);
  for (const index of wanted) {
    const text = b[index] ?? '';
    const left = available.get(text) ?? 0;
    if (left > 0) available.set(text, left - 1);
    else added.add(index);
  }
  return added;
}
