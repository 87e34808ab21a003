/**
 * The lexer of the command parser (parse.ts): operators, words with their
 * quoting, escapes and every kind of `$…` expansion, globs, braces and
 * tildes, and here-document bodies. The commands inside `$(…)`, `<(…)` and
 * backticks are handed back to the parser. Linear: each character is read
 * once (backticks and here-document bodies once more per level), nesting is
 * capped, and no regular expression runs over unbounded text.
 */
import type { ParseIssue, Redirect, Script, Word } from './ast';
import { WordBuilder } from './word';

/** Deeper nesting (substitutions, compound commands) than this is not read. */
export const MAX_NESTING = 24;

/** State shared by every lexer and parser of one command line. */
export interface Shared {
  issues: ParseIssue[];
  depth: number;
  /** Nesting went past MAX_NESTING: the rest of the text is not read. */
  stopped: boolean;
}

export type Token =
  | { kind: 'word'; word: Word; start: number; end: number }
  | { kind: 'op'; op: string; start: number; end: number }
  | { kind: 'io'; fd: string; start: number; end: number }
  | { kind: 'newline'; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

/** How the lexer has the commands inside substitutions parsed (by parse.ts). */
export interface NestedParsing {
  /** The commands from `pos` up to the matching `)`; `end` is just after it. */
  untilParen(text: string, pos: number, shared: Shared): { script: Script; end: number };
  /** All the commands of `text` (the inside of backticks). */
  all(text: string, shared: Shared): Script;
}

/** Longest first for each leading character. */
const OPERATORS = ['&&', '&>>', '&>', '&', '||', '|&', '|', ';;&', ';;', ';&', ';', '<<<', '<<-', '<<', '<&', '<>', '<', '>>', '>&', '>|', '>', '(', ')'];
const META: ReadonlySet<string> = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

export class Lexer {
  private lookahead: Token | undefined;
  private pendingHeredocs: Redirect[] = [];

  constructor(
    private readonly text: string,
    private pos: number,
    readonly shared: Shared,
    private readonly parsing: NestedParsing,
  ) {}

  /** Where the next token starts once the lookahead is consumed. */
  get position(): number {
    return this.pos;
  }

  charAt(index: number): string | undefined {
    return this.text[index];
  }

  /** Skips characters the parser read itself (the second `(` of `((`). */
  skip(count: number): void {
    this.pos += count;
  }

  /** A `<<` redirection: its body starts after the next newline. */
  queueHeredoc(redirect: Redirect): void {
    this.pendingHeredocs.push(redirect);
  }

  hasPendingHeredocs(): boolean {
    return this.pendingHeredocs.length > 0;
  }

  /** Runs `read` one nesting level deeper; past MAX_NESTING the rest of the text is not read. */
  nested<T>(read: () => T): T {
    this.shared.depth += 1;
    if (this.shared.depth > MAX_NESTING && !this.shared.stopped) {
      this.shared.stopped = true;
      this.issue('too-deep', `it nests commands more than ${MAX_NESTING} levels deep`);
    }
    try {
      return read();
    } finally {
      this.shared.depth -= 1;
    }
  }

  peek(): Token {
    this.lookahead ??= this.lex();
    return this.lookahead;
  }

  next(): Token {
    const t = this.peek();
    this.lookahead = undefined;
    return t;
  }

  private atEnd(): boolean {
    return this.shared.stopped || this.pos >= this.text.length;
  }

  private lex(): Token {
    for (;;) {
      this.skipBlanks();
      if (this.atEnd()) return { kind: 'eof', start: this.pos, end: this.pos };
      const start = this.pos;
      const c = this.text[start];
      if (c === '\n') {
        this.pos += 1;
        this.readHeredocs();
        return { kind: 'newline', start, end: start + 1 };
      }
      if (c === '#') {
        const end = this.text.indexOf('\n', start);
        this.pos = end < 0 ? this.text.length : end;
        this.issue('comment', 'it contains a comment');
        continue;
      }
      if ((c === '<' || c === '>') && this.text[start + 1] === '(') return this.lexWord();
      const op = OPERATORS.find((candidate) => this.text.startsWith(candidate, start));
      if (op) {
        this.pos += op.length;
        return { kind: 'op', op, start, end: this.pos };
      }
      return this.lexWord();
    }
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t') this.pos += 1;
      else if (c === '\\' && this.text[this.pos + 1] === '\n') this.pos += 2;
      else return;
    }
  }

  private lexWord(): Token {
    const start = this.pos;
    const b = new WordBuilder();
    const c0 = this.text[start];
    if ((c0 === '<' || c0 === '>') && this.text[start + 1] === '(') {
      this.pos += 2;
      const script = this.commandSubstitution();
      b.dynamic(this.text.slice(start, this.pos), 'process', false, [script], true);
    }
    while (!this.atEnd()) {
      const c = this.text[this.pos] ?? '';
      if (META.has(c)) break;
      if (c === '\\') {
        const n = this.text[this.pos + 1];
        if (n === '\n') this.pos += 2;
        else if (n === undefined) {
          b.quotedText('\\');
          this.pos += 1;
        } else {
          b.quotedText(n);
          this.pos += 2;
        }
      } else if (c === "'") this.scanSingle(b);
      else if (c === '"') this.scanDouble(b);
      else if (c === '$') this.scanDollar(b, false);
      else if (c === '`') this.scanBacktick(b, false);
      else {
        b.plain(c);
        this.pos += 1;
      }
    }
    const raw = this.text.slice(start, this.pos);
    const after = this.text[this.pos];
    if ((after === '<' || after === '>') && b.literal && (/^[0-9]+$/.test(raw) || /^\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(raw))) {
      return { kind: 'io', fd: raw, start, end: this.pos };
    }
    return { kind: 'word', word: b.finish(raw, start), start, end: this.pos };
  }

  // ---- quoting and expansions ---------------------------------------------

  private scanSingle(b: WordBuilder): void {
    const end = this.text.indexOf("'", this.pos + 1);
    if (end < 0) {
      this.syntax('a single quote is not closed');
      b.quotedText(this.text.slice(this.pos + 1));
      this.pos = this.text.length;
      return;
    }
    b.quotedText(this.text.slice(this.pos + 1, end));
    this.pos = end + 1;
  }

  private scanDouble(b: WordBuilder): void {
    this.pos += 1;
    b.quotedText('');
    this.scanDoubleBody(b, '"');
    if (this.atEnd()) this.syntax('a double quote is not closed');
    else this.pos += 1;
  }

  /** The inside of "…" (or an unquoted here-document body, `end` null): expansions count, the rest is text. */
  private scanDoubleBody(b: WordBuilder, end: '"' | null): void {
    while (!this.atEnd()) {
      const c = this.text[this.pos] ?? '';
      if (c === end) return;
      if (c === '\\') {
        const n = this.text[this.pos + 1];
        if (n === '\n') this.pos += 2;
        else if (n === '$' || n === '`' || n === '\\' || (n === '"' && end === '"')) {
          b.quotedText(n);
          this.pos += 2;
        } else {
          b.quotedText('\\');
          this.pos += 1;
        }
      } else if (c === '$') this.scanDollar(b, true);
      else if (c === '`') this.scanBacktick(b, true);
      else {
        b.quotedText(c);
        this.pos += 1;
      }
    }
  }

  private scanDollar(b: WordBuilder, quoted: boolean): void {
    const start = this.pos;
    const n = this.text[start + 1] ?? '';
    if (n === '(') {
      if (this.text[start + 2] === '(') {
        this.pos += 3;
        const inner = new WordBuilder();
        this.nested(() => this.scanArithmeticBody(inner));
        b.dynamic(this.text.slice(start, this.pos), 'arithmetic', !quoted, inner.scripts);
      } else {
        this.pos += 2;
        const script = this.commandSubstitution();
        b.dynamic(this.text.slice(start, this.pos), 'command', !quoted, [script]);
      }
    } else if (n === '{') {
      this.pos += 2;
      const inner = new WordBuilder();
      this.nested(() => this.scanBraced(inner, '}'));
      b.dynamic(this.text.slice(start, this.pos), 'parameter', !quoted, inner.scripts);
    } else if (n === '[') {
      this.pos += 2;
      const inner = new WordBuilder();
      this.nested(() => this.scanBraced(inner, ']'));
      b.dynamic(this.text.slice(start, this.pos), 'arithmetic', !quoted, inner.scripts);
    } else if (n === "'" && !quoted) {
      this.scanAnsiC(b);
    } else if (n === '"' && !quoted) {
      // $"…" is translated through the locale's message catalog: what it becomes is not in the text.
      this.pos += 1;
      const inner = new WordBuilder();
      this.scanDouble(inner);
      b.dynamic(this.text.slice(start, this.pos), 'locale', false, inner.scripts);
    } else if (/[A-Za-z_]/.test(n)) {
      let end = start + 2;
      while (end < this.text.length && /[A-Za-z0-9_]/.test(this.text[end] ?? '')) end += 1;
      this.pos = end;
      b.dynamic(this.text.slice(start, end), 'parameter', !quoted);
    } else if (n !== '' && '0123456789@*#?$!-'.includes(n)) {
      this.pos += 2;
      b.dynamic(this.text.slice(start, this.pos), 'parameter', !quoted);
    } else {
      this.pos += 1;
      if (quoted) b.quotedText('$');
      else b.plain('$');
    }
  }

  /** After `$(` or `<(`: the commands up to the matching `)`. */
  private commandSubstitution(): Script {
    if (this.pendingHeredocs.length > 0) this.issue('unreliable', 'a command substitution starts before a here-document body');
    return this.nested(() => {
      const { script, end } = this.parsing.untilParen(this.text, this.pos, this.shared);
      this.pos = end;
      return script;
    });
  }

  /** After `$((` or `((`: up to the matching `))`, with the commands of any substitution inside. */
  scanArithmeticBody(inner: WordBuilder): void {
    let depth = 2;
    while (!this.atEnd()) {
      const c = this.text[this.pos] ?? '';
      if (c === '(') {
        depth += 1;
        this.pos += 1;
      } else if (c === ')') {
        depth -= 1;
        this.pos += 1;
        if (depth === 1) {
          if (this.text[this.pos] === ')') {
            this.pos += 1;
            return;
          }
          // `$((a) b)` is a command substitution of a subshell to bash, after it fails as arithmetic.
          this.issue('unreliable', '`((` that is not closed by `))`');
        } else if (depth === 0) return;
      } else if (c === '$') this.scanDollar(inner, true);
      else if (c === '`') this.scanBacktick(inner, true);
      else if (c === "'") this.scanSingle(inner);
      else if (c === '"') this.scanDouble(inner);
      else if (c === '\\') this.pos += 2;
      else this.pos += 1;
    }
    this.syntax('`((` is not closed');
  }

  /** After `${` (close `}`) or `$[` (close `]`). Bash does not count bare braces inside `${…}`. */
  private scanBraced(inner: WordBuilder, close: '}' | ']'): void {
    while (!this.atEnd()) {
      const c = this.text[this.pos] ?? '';
      if (c === close) {
        this.pos += 1;
        return;
      }
      if (c === '\\') this.pos += 2;
      else if (c === "'") this.scanSingle(inner);
      else if (c === '"') this.scanDouble(inner);
      else if (c === '$') this.scanDollar(inner, true);
      else if (c === '`') this.scanBacktick(inner, true);
      else this.pos += 1;
    }
    this.syntax(`\`${close === '}' ? '${' : '$['}\` is not closed`);
  }

  private scanBacktick(b: WordBuilder, quoted: boolean): void {
    const start = this.pos;
    this.pos += 1;
    let inner = '';
    let nestedBackticks = false;
    let closed = false;
    while (!this.atEnd()) {
      const c = this.text[this.pos] ?? '';
      if (c === '`') {
        this.pos += 1;
        closed = true;
        break;
      }
      if (c === '\\') {
        const n = this.text[this.pos + 1];
        if (n === '`' || n === '\\' || n === '$' || (quoted && n === '"')) {
          if (n === '`') nestedBackticks = true;
          inner += n;
          this.pos += 2;
        } else if (n === '\n') this.pos += 2;
        else {
          inner += '\\';
          this.pos += 1;
        }
      } else {
        inner += c;
        this.pos += 1;
      }
    }
    if (!closed && !this.shared.stopped) this.syntax('a backtick is not closed');
    if (nestedBackticks) this.issue('unreliable', 'it nests backticks');
    const script = this.nested(() => this.parsing.all(inner, this.shared));
    b.dynamic(this.text.slice(start, this.pos), 'command', !quoted, [script]);
  }

  /** `$'…'`: bash decodes the escapes; so does this (the deny check sees `$'\x72m'` as `rm`). */
  private scanAnsiC(b: WordBuilder): void {
    const start = this.pos;
    this.pos += 2;
    let decoded = '';
    let closed = false;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos] ?? '';
      if (c === "'") {
        this.pos += 1;
        closed = true;
        break;
      }
      if (c !== '\\') {
        decoded += c;
        this.pos += 1;
        continue;
      }
      const n = this.text[this.pos + 1] ?? '';
      this.pos += 2;
      const simple = ANSI_ESCAPES[n];
      if (simple !== undefined) {
        decoded += simple;
      } else if (n === 'x' || n === 'u' || n === 'U') {
        const digits = this.takeDigits(16, n === 'x' ? 2 : n === 'u' ? 4 : 8);
        if (digits === '') decoded += `\\${n}`;
        else decoded += safeCodePoint(parseInt(digits, 16));
      } else if (n >= '0' && n <= '7') {
        this.pos -= 1;
        decoded += String.fromCharCode(parseInt(this.takeDigits(8, 3), 8) & 0xff);
      } else if (n === 'c') {
        const x = this.text[this.pos] ?? '';
        this.pos += 1;
        decoded += x === '?' ? '\x7f' : String.fromCharCode(x.charCodeAt(0) & 0x1f);
      } else {
        decoded += `\\${n}`;
      }
    }
    if (!closed) this.syntax("a `$'` quote is not closed");
    b.ansiText(this.text.slice(start, this.pos), decoded);
  }

  private takeDigits(radix: 8 | 16, max: number): string {
    let digits = '';
    while (digits.length < max) {
      const c = this.text[this.pos] ?? '';
      if (!(radix === 16 ? /[0-9a-fA-F]/ : /[0-7]/).test(c) || c === '') break;
      digits += c;
      this.pos += 1;
    }
    return digits;
  }

  /** After a newline: the bodies of the here-documents started on that line. */
  private readHeredocs(): void {
    const pending = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const redirect of pending) {
      const doc = redirect.heredoc;
      if (!doc) continue;
      const stripTabs = redirect.op === '<<-';
      let body = '';
      let terminated = false;
      while (this.pos < this.text.length) {
        const newline = this.text.indexOf('\n', this.pos);
        const lineEnd = newline < 0 ? this.text.length : newline;
        const line = this.text.slice(this.pos, lineEnd);
        this.pos = newline < 0 ? lineEnd : newline + 1;
        const shown = stripTabs ? stripLeadingTabs(line) : line;
        if (shown === doc.delimiter) {
          terminated = true;
          break;
        }
        body += `${shown}\n`;
      }
      doc.body = body;
      if (!terminated) this.syntax(`the here-document is not ended by \`${doc.delimiter}\``);
      if (!doc.quoted) {
        doc.scripts = this.nested(() => {
          const inner = new WordBuilder();
          new Lexer(body, 0, this.shared, this.parsing).scanDoubleBody(inner, null);
          return inner.scripts;
        });
      }
    }
  }

  syntax(message: string): void {
    this.issue('syntax', message);
  }

  issue(kind: ParseIssue['kind'], message: string): void {
    if (this.shared.issues.length < 20 && !this.shared.issues.some((known) => known.kind === kind && known.message === message)) {
      this.shared.issues.push({ kind, message });
    }
  }
}

const ANSI_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

function safeCodePoint(code: number): string {
  return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

function stripLeadingTabs(line: string): string {
  let i = 0;
  while (line[i] === '\t') i += 1;
  return line.slice(i);
}

