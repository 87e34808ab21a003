/**
 * Rewrites a JavaScript regular expression (as `new RegExp(source)` reads it:
 * no flags, Annex B syntax) into RE2 syntax with the same meaning, so a pattern
 * the model writes for "a JavaScript regular expression" finds the same lines
 * on RE2. Where the two differ, JavaScript's meaning wins: `.` excludes \r,
 * \u2028 and \u2029 too, `\s` is JavaScript's set of spaces, `[]` matches
 * nothing, a `{` or `]` that is not syntax is a literal, `\A` is the letter A.
 * What RE2 cannot run (backreferences, lookaround, octal escapes) is refused
 * with a PatternError that tells the model what to write instead.
 *
 * Also estimates the size of the compiled program (repetitions multiply), so
 * a pattern whose program would be huge is refused before RE2 builds it.
 */

/** A pattern the search engine will not run; the message is for the model. */
export class PatternError extends Error {
  override readonly name = 'PatternError';
}

export interface Translation {
  /** The pattern in RE2 syntax. */
  source: string;
  /** Roughly the number of RE2 instructions it compiles to. */
  estimatedSize: number;
}

type Range = readonly [number, number];

/** JavaScript's `\s`: WhiteSpace and LineTerminator (ECMA-262 §22.2.2.9). */
const JS_SPACE: readonly Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
/** JavaScript's `.` without the s flag: anything but a line terminator. */
const JS_LINE_TERMINATORS: readonly Range[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];
const MAX_CODE_POINT = 0x10ffff;

const hex = (code: number): string => `\\x{${code.toString(16)}}`;
const rangesText = (ranges: readonly Range[]): string => ranges.map(([from, to]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`)).join('');

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [from, to] of ranges) {
    if (from > next) out.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const SPACE = rangesText(JS_SPACE);
const NOT_SPACE = rangesText(complement(JS_SPACE));
const DOT = `[^${rangesText(JS_LINE_TERMINATORS)}]`;
const NOTHING = `[^\\x{0}-\\x{10ffff}]`;
const ANYTHING = `[\\x{0}-\\x{10ffff}]`;

const BACKREFERENCE =
  'search_text runs patterns on a linear-time engine, which has no backreferences (\\1, \\k<name>). Search for the text itself, e.g. (\\w+) \\w+, and compare the lines you get.';
const LOOKAROUND =
  'search_text runs patterns on a linear-time engine, which has no lookahead or lookbehind ((?=…), (?!…), (?<=…), (?<!…)). Match the surrounding text instead (foo(?=bar) → foobar), or search for the wider text and read the lines you get.';
const OCTAL = 'Octal escapes (\\012) are not supported; write \\x0a or \\u000a.';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isLetter = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c);

/** A literal code point outside a class, escaped only where RE2 would read syntax. */
function literal(code: number): string {
  if (code < 0x20 || code === 0x7f) return hex(code);
  if (code < 0x80) {
    const char = String.fromCharCode(code);
    return /[A-Za-z0-9_ ]/.test(char) ? char : `\\${char}`;
  }
  return String.fromCodePoint(code);
}

/** One member of a character class: a code point, or a set (`\d`, `\s`, …) in RE2 class syntax. */
type ClassItem = { code: number } | { set: string };

/** Per open group: program size so far, and the size of the last atom (what a quantifier repeats). */
interface Frame {
  size: number;
  last: number;
}

export function translate(pattern: string): Translation {
  let out = '';
  let i = 0;
  const frames: Frame[] = [{ size: 0, last: 0 }];
  const top = (): Frame => frames[frames.length - 1] as Frame;
  const atom = (text: string, size = 1): void => {
    out += text;
    top().size += size;
    top().last = size;
  };

  /** `\u` escapes: `\uHHHH` (a surrogate pair of two joins into one code point) or `\u{H…}`. */
  const unicodeEscape = (at: number): { code: number; end: number } | undefined => {
    if (pattern[at] === '{') {
      const close = pattern.indexOf('}', at);
      const digits = close > at ? pattern.slice(at + 1, close) : '';
      if (/^[0-9a-fA-F]{1,6}$/.test(digits) && parseInt(digits, 16) <= MAX_CODE_POINT) return { code: parseInt(digits, 16), end: close + 1 };
      return undefined;
    }
    const digits = pattern.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) return undefined;
    const code = parseInt(digits, 16);
    const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(pattern.slice(at + 4));
    if (code >= 0xd800 && code <= 0xdbff && low?.[1]) {
      return { code: 0x10000 + ((code - 0xd800) << 10) + (parseInt(low[1], 16) - 0xdc00), end: at + 10 };
    }
    return { code, end: at + 4 };
  };

  /**
   * The escape at `pattern[at] === '\\'`: a code point, a set, or RE2 text
   * (assertions, `\p{…}`). `inClass`: inside `[…]`, where `\b` is backspace.
   */
  const escape = (at: number, inClass: boolean): { item: ClassItem | { text: string }; end: number } => {
    const c = pattern[at + 1];
    if (c === undefined) throw new PatternError('The pattern ends with a lone backslash.');
    const code = (value: number, end: number): { item: ClassItem; end: number } => ({ item: { code: value }, end });
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return { item: { set: `\\${c}` }, end: at + 2 };
      case 's':
        return { item: { set: SPACE }, end: at + 2 };
      case 'S':
        return { item: { set: NOT_SPACE }, end: at + 2 };
      case 'b':
        return inClass ? code(0x08, at + 2) : { item: { text: '\\b' }, end: at + 2 };
      case 'B':
        return inClass ? code(0x42, at + 2) : { item: { text: '\\B' }, end: at + 2 };
      case 'n':
        return code(0x0a, at + 2);
      case 'r':
        return code(0x0d, at + 2);
      case 't':
        return code(0x09, at + 2);
      case 'f':
        return code(0x0c, at + 2);
      case 'v':
        return code(0x0b, at + 2);
      case '0':
        if (isDigit(pattern[at + 2])) throw new PatternError(OCTAL);
        return code(0, at + 2);
      case 'x':
        if (isHex(pattern[at + 2]) && isHex(pattern[at + 3])) return code(parseInt(pattern.slice(at + 2, at + 4), 16), at + 4);
        return code(0x78, at + 2);
      case 'u': {
        const parsed = unicodeEscape(at + 2);
        return parsed ? code(parsed.code, parsed.end) : code(0x75, at + 2);
      }
      case 'c': {
        const letter = pattern[at + 2];
        if (isLetter(letter) || (inClass && (isDigit(letter) || letter === '_'))) return code((letter as string).charCodeAt(0) % 32, at + 3);
        // Annex B: a `\c` that starts no control escape is a backslash and a c.
        return { item: { text: inClass ? '' : '\\\\c' }, end: at + 2 };
      }
      case 'k':
        if (!inClass && pattern[at + 2] === '<') throw new PatternError(BACKREFERENCE);
        return code(0x6b, at + 2);
      case 'p':
      case 'P': {
        const property = /^\{[A-Za-z_]+\}/.exec(pattern.slice(at + 2));
        if (property) return { item: { set: `\\${c}${property[0]}` }, end: at + 2 + property[0].length };
        return code(c.charCodeAt(0), at + 2);
      }
      default: {
        if (c >= '1' && c <= '9') {
          if (!inClass) throw new PatternError(BACKREFERENCE);
          if (c <= '7') throw new PatternError(OCTAL);
        }
        const value = pattern.codePointAt(at + 1) ?? 0;
        return code(value, at + (value > 0xffff ? 3 : 2));
      }
    }
  };

  /** `[…]` from `pattern[at] === '['`; JavaScript's rules: the first `]` closes, even right away. */
  const characterClass = (at: number): { text: string; end: number } => {
    let j = at + 1;
    const negated = pattern[j] === '^';
    if (negated) j++;
    if (pattern[j] === ']') return { text: negated ? ANYTHING : NOTHING, end: j + 1 };
    const items: ClassItem[] = [];
    const readItem = (): ClassItem | undefined => {
      if (pattern[j] === '\\') {
        const { item, end } = escape(j, true);
        j = end;
        return 'text' in item ? undefined : item;
      }
      const value = pattern.codePointAt(j) ?? 0;
      j += value > 0xffff ? 2 : 1;
      return { code: value };
    };
    while (j < pattern.length && pattern[j] !== ']') {
      const from = readItem();
      if (from === undefined) {
        items.push({ code: 0x5c }, { code: 0x63 }); // `\c` read literally
        continue;
      }
      if (pattern[j] === '-' && j + 1 < pattern.length && pattern[j + 1] !== ']') {
        j++;
        const to = readItem() ?? { code: 0x5c };
        if ('code' in from && 'code' in to) {
          if (from.code > to.code) throw new PatternError(`Range out of order in character class: ${pattern.slice(at, j)}`);
          items.push({ set: `${hex(from.code)}-${hex(to.code)}` });
        } else {
          // Annex B: a range next to a set (`[\w-z]`) is the set, a hyphen and the other end.
          items.push(from, { code: 0x2d }, to);
        }
        continue;
      }
      items.push(from);
    }
    if (pattern[j] !== ']') throw new PatternError('missing closing ] of a character class');
    const body = items.map((item) => ('code' in item ? hex(item.code) : item.set)).join('');
    return { text: `[${negated ? '^' : ''}${body}]`, end: j + 1 };
  };

  while (i < pattern.length) {
    const c = pattern[i] as string;
    switch (c) {
      case '\\': {
        const { item, end } = escape(i, false);
        if ('text' in item) atom(item.text, item.text === '' ? 0 : 1);
        else atom('code' in item ? literal(item.code) : `[${item.set}]`);
        i = end;
        break;
      }
      case '[': {
        const { text, end } = characterClass(i);
        atom(text);
        i = end;
        break;
      }
      case '.':
        atom(DOT);
        i++;
        break;
      case '(': {
        const rest = pattern.slice(i, i + 4);
        if (rest.startsWith('(?=') || rest.startsWith('(?!') || rest.startsWith('(?<=') || rest.startsWith('(?<!')) throw new PatternError(LOOKAROUND);
        if (rest.startsWith('(?P=')) throw new PatternError(BACKREFERENCE);
        if (pattern[i + 1] !== '?') {
          out += '(';
          i += 1;
          frames.push({ size: 1, last: 0 });
          break;
        }
        // `(?:`, a named group, or RE2's inline flags (`(?i)`, `(?i:`), which JavaScript lacks but models write.
        const group = /^\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|[imsU-]*([:)]))/.exec(pattern.slice(i, i + 64));
        if (!group) throw new PatternError(`Unsupported group syntax at ${JSON.stringify(pattern.slice(i, i + 8))}; use (…), (?:…) or (?<name>…).`);
        out += group[1] !== undefined ? `(?P<${group[1]}>` : group[0];
        i += group[0].length;
        if (group[2] !== ')') frames.push({ size: 1, last: 0 });
        break;
      }
      case ')': {
        const frame = frames.length > 1 ? (frames.pop() as Frame) : { size: 0, last: 0 };
        out += ')';
        top().size += frame.size;
        top().last = frame.size;
        i++;
        break;
      }
      case '{': {
        const quantifier = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 24));
        if (!quantifier) {
          atom('\\{');
          i++;
          break;
        }
        const min = Number(quantifier[1]);
        const max = quantifier[3] ? Number(quantifier[3]) : min;
        // RE2 refuses counts above 1000 itself; capping keeps the estimate finite until it does.
        const copies = Math.min(Math.max(min, max), 1001);
        out += quantifier[0];
        top().size += top().last * Math.max(0, copies - 1) + 1;
        top().last *= copies;
        i += quantifier[0].length;
        break;
      }
      case '*':
      case '+':
      case '?':
        out += c;
        top().size += 1;
        i++;
        break;
      case '|':
      case '^':
      case '$':
        out += c;
        top().size += 1;
        top().last = 1;
        i++;
        break;
      case '}':
      case ']':
        atom(`\\${c}`);
        i++;
        break;
      default: {
        const code = pattern.codePointAt(i) ?? 0;
        atom(literal(code));
        i += code > 0xffff ? 2 : 1;
      }
    }
  }
  const estimatedSize = frames.reduce((sum, frame) => sum + frame.size, 0);
  return { source: out === '' ? '(?:)' : out, estimatedSize };
}
