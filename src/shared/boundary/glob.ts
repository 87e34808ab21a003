/**
 * Glob matching in linear time. Globs come from repositories (`.gitignore`,
 * `.tandemignore`) and from the model (`find_files`, `search_text`), so they
 * are hostile input: a regular expression built from `**​/**​/**​/…` or
 * `*a*a*a*…b` backtracks for minutes on one path and freezes the service.
 * Here a glob is compiled to a small automaton and run as a set of states
 * over the path, so a match costs O(path length × glob length), whatever the
 * glob.
 *
 * Syntax (gitignore's, over '/'-separated paths): `*` any run of characters
 * within one name, `?` one character, `[abc]` / `[a-z]` / `[!abc]` classes
 * (never '/'), `**​/` any number of folders, `/**` everything inside,
 * `{a,b}` choices (nested, at most MAX_ALTERNATIVES in all), `\x` a literal x.
 */

/** Braces expanding to more alternatives than this are read literally. */
export const MAX_ALTERNATIVES = 256;
/** Longer globs never match (no real ignore rule or search needs more). */
export const MAX_GLOB_LENGTH = 4096;
/** Most parts (characters, wildcards) of all a glob's expanded alternatives together. */
export const MAX_TOTAL_TOKENS = 4096;

/** Thrown for a glob whose matching cost could freeze the service; callers refuse it (model globs) or skip it (ignore rules). */
export class GlobTooComplexError extends Error {}

export interface GlobOptions {
  /** Whole path (true) or the path's last names (false: `*.pem` matches `a/b/c.pem`). */
  anchored?: boolean;
  /** Compare without case (file systems that ignore case, secret and protected rules). */
  caseInsensitive?: boolean;
}

export interface GlobMatcher {
  test(path: string): boolean;
  readonly source: string;
}

type Token =
  | { kind: 'char'; char: string }
  | { kind: 'one' }
  | { kind: 'class'; ranges: Array<[string, string]>; negated: boolean }
  | { kind: 'star' }
  /** Zero or more whole folders: '' or anything ending in '/'. */
  | { kind: 'dirs' }
  /** One or more characters of any kind (the tail of `dir/**`). */
  | { kind: 'rest' };

export function compileGlob(glob: string, options: GlobOptions = {}): GlobMatcher {
  const fold = options.caseInsensitive === true;
  const source = glob;
  if (glob.length > MAX_GLOB_LENGTH) return { source, test: () => false };
  const plain = plainMatcher(fold ? glob.toLowerCase() : glob, options.anchored !== false);
  if (plain) return { source, test: fold ? (path) => plain(path.toLowerCase()) : plain };
  const programs = expandBraces(glob).map((alternative) => {
    const tokens = tokenize(fold ? alternative.toLowerCase() : alternative);
    return options.anchored === false ? [{ kind: 'dirs' } as Token, ...tokens] : tokens;
  });
  // A path costs at most (its length × all alternatives' tokens): bound the product's glob side.
  const total = programs.reduce((sum, tokens) => sum + tokens.length, 0);
  if (total > MAX_TOTAL_TOKENS) throw new GlobTooComplexError(`the glob is too complex (${total} parts once its {…} choices are expanded; at most ${MAX_TOTAL_TOKENS})`);
  const matchers = programs.map(matcherFor);
  return {
    source,
    test(path: string): boolean {
      const subject = fold ? path.toLowerCase() : path;
      return matchers.some((match) => match(subject));
    },
  };
}

/**
 * A glob of plain characters with at most one `*` (most secret and protected
 * names: `.env`, `*.pem`, `id_rsa*`, `Jenkinsfile`) compared as strings,
 * without tokenising it: the command line compiles every rule on each start,
 * before V8 has optimised anything. Undefined for any other glob.
 */
function plainMatcher(glob: string, anchored: boolean): ((path: string) => boolean) | undefined {
  if (/[?[\\{]/.test(glob) || (!anchored && glob.includes('/'))) return undefined;
  const star = glob.indexOf('*');
  if (star >= 0 && glob.indexOf('*', star + 1) >= 0) return undefined;
  const name = (path: string): string => (anchored ? path : path.slice(path.lastIndexOf('/') + 1));
  if (star < 0) return (path) => name(path) === glob;
  const head = glob.slice(0, star);
  const tail = glob.slice(star + 1);
  return (path) => {
    const subject = name(path);
    if (subject.length < head.length + tail.length || !subject.startsWith(head) || !subject.endsWith(tail)) return false;
    // The star's part may not cross a folder.
    const slash = subject.indexOf('/', head.length);
    return slash < 0 || slash >= subject.length - tail.length;
  };
}

/**
 * Most globs (`*.pem`, `.env.*`, `dist`, `node_modules`, `id_rsa*`) have at
 * most one `*` and no `**`: they match by their fixed start and end, in
 * one pass and without allocating. Unanchored, such a glob can only match
 * the path's last name. The rest run on the automaton.
 */
function matcherFor(tokens: readonly Token[]): (path: string) => boolean {
  const unanchored = tokens[0]?.kind === 'dirs';
  const body = unanchored ? tokens.slice(1) : tokens;
  const stars = body.filter((token) => token.kind === 'star').length;
  const simple = stars <= 1 && body.every((token) => token.kind === 'star' || (token.kind !== 'dirs' && token.kind !== 'rest' && !(token.kind === 'char' && token.char === '/' && unanchored)));
  if (!simple) return (path) => run(tokens, path);
  const star = body.findIndex((token) => token.kind === 'star');
  const head = star < 0 ? body : body.slice(0, star);
  const tail = star < 0 ? [] : body.slice(star + 1);
  return (path) => {
    const subject = unanchored ? path.slice(path.lastIndexOf('/') + 1) : path;
    if (star < 0) return subject.length === head.length && matchesAt(head, subject, 0);
    if (subject.length < head.length + tail.length || !matchesAt(head, subject, 0) || !matchesAt(tail, subject, subject.length - tail.length)) return false;
    // The star's part may not cross a folder.
    return subject.indexOf('/', head.length) < 0 || subject.indexOf('/', head.length) >= subject.length - tail.length;
  };
}

function matchesAt(tokens: readonly Token[], subject: string, offset: number): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const c = subject[offset + i] ?? '';
    if (token.kind === 'char' ? token.char !== c : token.kind === 'one' ? c === '/' : token.kind === 'class' ? !inClass(token, c) : true) return false;
  }
  return true;
}

/** `{a,b}x{c,d}` → [axc, axd, bxc, bxd]; unbalanced or too many: the glob as it is. */
export function expandBraces(glob: string): string[] {
  const out: string[] = [];
  let size = 0;
  const expand = (text: string): boolean => {
    const open = findBrace(text);
    if (open < 0) {
      out.push(text);
      // Stop as soon as the expansion is too large to match cheaply (before building all of it).
      if ((size += text.length) > MAX_TOTAL_TOKENS * 2) throw new GlobTooComplexError(`the glob is too complex (its {…} choices expand to more than ${MAX_TOTAL_TOKENS * 2} characters)`);
      return out.length <= MAX_ALTERNATIVES;
    }
    const parts = splitBrace(text, open);
    if (!parts) {
      out.push(text);
      return out.length <= MAX_ALTERNATIVES;
    }
    const { before, choices, after } = parts;
    for (const choice of choices) {
      if (!expand(before + choice + after)) return false;
    }
    return true;
  };
  return expand(glob) ? out : [glob];
}

function findBrace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '{') return i;
  }
  return -1;
}

function splitBrace(text: string, open: number): { before: string; choices: string[]; after: string } | undefined {
  let depth = 0;
  let start = open + 1;
  const choices: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) {
        choices.push(text.slice(start, i));
        return choices.length < 2 ? undefined : { before: text.slice(0, open), choices, after: text.slice(i + 1) };
      }
    } else if (c === ',' && depth === 1) {
      choices.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return undefined;
}

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*') {
      let end = i;
      while (glob[end + 1] === '*') end++;
      const double = end > i;
      const atSegmentStart = i === 0 || glob[i - 1] === '/';
      const slashAfter = glob[end + 1] === '/';
      const atEnd = end + 1 === glob.length;
      if (double && atSegmentStart && slashAfter) {
        pushUnique(tokens, { kind: 'dirs' });
        i = end + 1; // the '/' is part of `**/`
      } else if (double && atSegmentStart && atEnd && i > 0) {
        tokens.push({ kind: 'rest' }); // `dir/**`: everything inside
        i = end;
      } else if (double && atSegmentStart && atEnd) {
        tokens.push({ kind: 'dirs' }, { kind: 'star' }); // `**` alone: any path
        i = end;
      } else {
        pushUnique(tokens, { kind: 'star' });
        i = end;
      }
    } else if (c === '?') {
      tokens.push({ kind: 'one' });
    } else if (c === '[') {
      const parsed = parseClass(glob, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else {
        tokens.push({ kind: 'char', char: '[' });
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      tokens.push({ kind: 'char', char: glob[++i] ?? '' });
    } else {
      tokens.push({ kind: 'char', char: c });
    }
  }
  return tokens;
}

/** Consecutive `*` or `**​/` tokens match the same as one: keep one (fewer states). */
function pushUnique(tokens: Token[], token: Token): void {
  if (tokens.at(-1)?.kind !== token.kind) tokens.push(token);
}

function parseClass(glob: string, open: number): { token: Token; end: number } | undefined {
  let i = open + 1;
  let negated = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: Array<[string, string]> = [];
  let first = true;
  for (; i < glob.length; i++) {
    let c = glob[i] ?? '';
    if (c === ']' && !first) return { token: { kind: 'class', ranges, negated }, end: i };
    first = false;
    if (c === '\\' && i + 1 < glob.length) c = glob[++i] ?? '';
    if (glob[i + 1] === '-' && glob[i + 2] !== undefined && glob[i + 2] !== ']') {
      let to = glob[i + 2] ?? '';
      i += 2;
      if (to === '\\' && i + 1 < glob.length) to = glob[++i] ?? '';
      ranges.push([c, to]);
    } else {
      ranges.push([c, c]);
    }
  }
  return undefined;
}

function inClass(token: Extract<Token, { kind: 'class' }>, c: string): boolean {
  if (c === '/') return false;
  const hit = token.ranges.some(([from, to]) => c >= from && c <= to);
  return hit !== token.negated;
}

/**
 * Runs the automaton over `input`, visiting only the live states:
 * `states` are "the tokens before i have matched the input so far";
 * `inside` marks being within the folders part of the `dirs` token i
 * (unlike entering it, that cannot be left without a '/').
 */
function run(tokens: readonly Token[], input: string): boolean {
  const n = tokens.length;
  let states = new Uint8Array(n + 1);
  let inside = new Uint8Array(n + 1);
  let live: number[] = [];
  let liveInside: number[] = [];
  let nextStates = new Uint8Array(n + 1);
  let nextInside = new Uint8Array(n + 1);
  let nextLive: number[] = [];
  let nextLiveInside: number[] = [];
  /** Adds state i and what it reaches without consuming (a `star` or `dirs` may match nothing). */
  const enter = (i: number, set: Uint8Array, list: number[]): void => {
    for (let at = i; at <= n && !set[at]; at++) {
      set[at] = 1;
      list.push(at);
      const kind = tokens[at]?.kind;
      if (kind !== 'star' && kind !== 'dirs') return;
    }
  };
  const stay = (i: number, set: Uint8Array, list: number[]): void => {
    if (!set[i]) {
      set[i] = 1;
      list.push(i);
    }
  };
  enter(0, states, live);
  for (let p = 0; p < input.length; p++) {
    const c = input[p] ?? '';
    for (const i of nextLive) nextStates[i] = 0;
    for (const i of nextLiveInside) nextInside[i] = 0;
    nextLive = [];
    nextLiveInside = [];
    const step = (i: number): void => {
      const token = tokens[i];
      if (!token) return;
      switch (token.kind) {
        case 'dirs':
          stay(i, nextInside, nextLiveInside);
          if (c === '/') enter(i + 1, nextStates, nextLive); // a folder ended: what follows may start
          return;
        case 'char':
          if (token.char === c) enter(i + 1, nextStates, nextLive);
          return;
        case 'one':
          if (c !== '/') enter(i + 1, nextStates, nextLive);
          return;
        case 'class':
          if (inClass(token, c)) enter(i + 1, nextStates, nextLive);
          return;
        case 'star':
          if (c !== '/') enter(i, nextStates, nextLive); // stays (and may leave without consuming)
          return;
        case 'rest':
          stay(i, nextStates, nextLive);
          enter(i + 1, nextStates, nextLive); // one character at least: leaving follows a consumed one
          return;
      }
    };
    for (const i of live) step(i);
    for (const i of liveInside) if (!states[i]) step(i);
    if (nextLive.length === 0 && nextLiveInside.length === 0) return false;
    [states, nextStates] = [nextStates, states];
    [inside, nextInside] = [nextInside, inside];
    [live, nextLive] = [nextLive, live];
    [liveInside, nextLiveInside] = [nextLiveInside, liveInside];
  }
  return states[n] === 1;
}
