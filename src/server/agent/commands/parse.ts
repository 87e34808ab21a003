/**
 * Reads a command line the way bash would, far enough to know every command
 * it runs: quotes and escapes, `$…` expansions of every kind (their commands
 * are parsed too), globs, redirections and here-documents, pipelines and
 * lists, and the compound commands (`if`, `for`, `while`, `case`, functions,
 * subshells, groups, `[[ … ]]`, `(( … ))`). Pure and linear in the length of
 * the text: each character is read once (backticks and here-document bodies
 * once more per level), nesting is capped, and no regular expression runs
 * over unbounded text. Anything it cannot read is reported as an issue; the
 * policy then never runs the command unasked.
 */
import type { Command, CompoundCommand, CompoundKeyword, ParsedScript, ParseIssue, Pipeline, Redirect, Script, SimpleCommand, Word } from './ast';
import { WordBuilder } from './word';

/** Deeper nesting (substitutions, compound commands) than this is not read. */
export const MAX_NESTING = 24;

interface Shared {
  issues: ParseIssue[];
  depth: number;
  stopped: boolean;
}

type Token =
  | { kind: 'word'; word: Word; start: number; end: number }
  | { kind: 'op'; op: string; start: number; end: number }
  | { kind: 'io'; fd: string; start: number; end: number }
  | { kind: 'newline'; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

interface Stop {
  ops: ReadonlySet<string>;
  words: ReadonlySet<string>;
}

/** Longest first for each leading character. */
const OPERATORS = ['&&', '&>>', '&>', '&', '||', '|&', '|', ';;&', ';;', ';&', ';', '<<<', '<<-', '<<', '<&', '<>', '<', '>>', '>&', '>|', '>', '(', ')'];
const REDIRECT_OPS: ReadonlySet<string> = new Set(['<', '>', '>>', '>|', '<>', '&>', '&>>', '<&', '>&', '<<', '<<-', '<<<']);
const META: ReadonlySet<string> = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
/** Reserved words that close or continue a compound command: never a program. */
const CLOSING_WORDS: ReadonlySet<string> = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}', 'in']);
const NO_STOP: Stop = stop([], []);
const CLOSE_PAREN: Stop = stop([')'], []);
const CASE_ITEM_END: Stop = stop([';;', ';&', ';;&'], ['esac']);

function stop(ops: string[], words: string[]): Stop {
  return { ops: new Set(ops), words: new Set(words) };
}

/** Parses a whole command line. `depth` counts the nesting it was found at (a `bash -c` script inside another). */
export function parseScript(text: string, depth = 0): ParsedScript {
  const shared: Shared = { issues: [], depth, stopped: false };
  if (depth > MAX_NESTING) {
    shared.issues.push({ kind: 'too-deep', message: `it nests commands more than ${MAX_NESTING} levels deep` });
    return { script: { pipelines: [] }, issues: shared.issues };
  }
  const script = new Parser(text, 0, shared).parseAll();
  return { script, issues: shared.issues };
}

class Parser {
  private lookahead: Token | undefined;
  private pendingHeredocs: Redirect[] = [];

  constructor(
    private readonly text: string,
    private pos: number,
    private readonly shared: Shared,
  ) {}

  parseAll(): Script {
    const pipelines: Pipeline[] = [];
    for (;;) {
      pipelines.push(...this.parseList(NO_STOP).pipelines);
      const t = this.peek();
      if (t.kind === 'eof') break;
      this.syntax(`unexpected ${describe(t)}`);
      this.next();
    }
    if (this.pendingHeredocs.length > 0) this.syntax('a here-document has no body');
    return { pipelines };
  }

  // ---- grammar ------------------------------------------------------------

  private parseList(until: Stop): Script {
    const pipelines: Pipeline[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof' || isStop(t, until)) break;
      const pipeline = this.parsePipeline();
      if (!pipeline) {
        this.syntax(`unexpected ${describe(t)}`);
        if (this.peek() === t) this.next();
        continue;
      }
      pipelines.push(pipeline);
      const s = this.peek();
      if (s.kind === 'op' && (s.op === ';' || s.op === '&' || s.op === '&&' || s.op === '||')) {
        this.next();
        pipeline.next = s.op;
        continue;
      }
      if (s.kind === 'newline') {
        this.next();
        pipeline.next = '\n';
        continue;
      }
      if (s.kind === 'eof' || isStop(s, until)) break;
      this.syntax(`unexpected ${describe(s)}`);
      this.next();
    }
    return { pipelines };
  }

  private parsePipeline(): Pipeline | undefined {
    let negated = false;
    let timed = false;
    for (;;) {
      const t = this.peek();
      if (isReserved(t, 'time')) {
        timed = true;
        this.next();
        if (isReserved(this.peek(), '-p')) this.next();
      } else if (isReserved(t, '!')) {
        negated = true;
        this.next();
      } else break;
    }
    const first = this.parseCommand();
    if (!first) return negated || timed ? { commands: [], stderrPiped: false, negated, timed } : undefined;
    const commands = [first];
    let stderrPiped = false;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.op !== '|' && t.op !== '|&')) break;
      this.next();
      if (t.op === '|&') stderrPiped = true;
      this.skipNewlines();
      const command = this.parseCommand();
      if (!command) {
        this.syntax('a pipe `|` has no command after it');
        break;
      }
      commands.push(command);
    }
    return { commands, stderrPiped, negated, timed };
  }

  private parseCommand(): Command | undefined {
    const t = this.peek();
    if (t.kind === 'op' && t.op === '(') {
      this.next();
      if (this.text[this.pos] === '(') {
        this.pos += 1;
        const inner = new WordBuilder();
        this.scanArithmeticBody(inner);
        return this.compound('arithmetic', t.start, [inner.finish('((…))', t.start)], []);
      }
      const body = this.nested(() => this.parseList(CLOSE_PAREN));
      this.expectOp(')');
      return this.compound('subshell', t.start, [], [body]);
    }
    if (t.kind === 'word' && t.word.literal) {
      if (CLOSING_WORDS.has(t.word.value)) return undefined;
      switch (t.word.value) {
        case 'if':
          return this.nested(() => this.parseIf());
        case 'while':
        case 'until':
          return this.nested(() => this.parseLoop(t.word.value as 'while' | 'until'));
        case 'for':
        case 'select':
          return this.nested(() => this.parseFor(t.word.value as 'for' | 'select'));
        case 'case':
          return this.nested(() => this.parseCase());
        case '{':
          return this.nested(() => this.parseGroup());
        case '[[':
          return this.parseConditional();
        case 'function':
          return this.nested(() => this.parseFunction());
        case 'coproc':
          this.issue('unreliable', '`coproc` runs a command in the background under a name Tandem cannot tell from the command');
          this.next();
          return this.nested(() => this.parseCommand() ?? this.compound('coproc', t.start, [], []));
      }
    }
    return this.parseSimple();
  }

  private parseSimple(): Command | undefined {
    const assignments: Word[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    const start = this.peek().start;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'word') {
        this.next();
        if (words.length === 0 && isAssignment(t.word)) assignments.push(t.word);
        else words.push(t.word);
      } else if (t.kind === 'io' || (t.kind === 'op' && REDIRECT_OPS.has(t.op))) {
        this.parseRedirect(redirects);
      } else break;
    }
    if (assignments.length === 0 && words.length === 0 && redirects.length === 0) return undefined;
    const only = words[0];
    if (only && words.length === 1 && assignments.length === 0 && redirects.length === 0 && isOp(this.peek(), '(')) {
      // `name () body`: a function definition.
      this.next();
      this.expectOp(')');
      this.skipNewlines();
      const body = this.nested(() => this.parseCommand());
      return this.compound('function', start, [], body ? [singleCommand(body)] : [], only.value);
    }
    const command: SimpleCommand = { kind: 'simple', assignments, words, redirects, start, end: this.pos };
    return command;
  }

  private parseRedirect(into: Redirect[]): void {
    let t = this.next();
    let fd: string | undefined;
    if (t.kind === 'io') {
      fd = t.fd;
      t = this.next();
    }
    if (t.kind !== 'op' || !REDIRECT_OPS.has(t.op)) {
      this.syntax('a file descriptor without a redirection');
      return;
    }
    const target = this.peek();
    if (target.kind !== 'word') {
      this.syntax(`\`${t.op}\` has no target`);
      return;
    }
    this.next();
    const redirect: Redirect = { op: t.op, target: target.word, start: t.start, ...(fd !== undefined ? { fd } : {}) };
    if (t.op === '<<' || t.op === '<<-') {
      redirect.heredoc = { delimiter: target.word.value, quoted: target.word.quoted, body: '', scripts: [] };
      this.pendingHeredocs.push(redirect);
    }
    into.push(redirect);
  }

  private parseIf(): CompoundCommand {
    const start = this.next().start;
    const bodies: Script[] = [];
    const branch = (): void => {
      bodies.push(this.parseList(stop([], ['then'])));
      this.expectWord('then');
      bodies.push(this.parseList(stop([], ['elif', 'else', 'fi'])));
    };
    branch();
    for (;;) {
      const t = this.peek();
      if (isReserved(t, 'elif')) {
        this.next();
        branch();
        continue;
      }
      if (isReserved(t, 'else')) {
        this.next();
        bodies.push(this.parseList(stop([], ['fi'])));
      }
      break;
    }
    this.expectWord('fi');
    return this.compound('if', start, [], bodies);
  }

  private parseLoop(keyword: 'while' | 'until'): CompoundCommand {
    const start = this.next().start;
    const condition = this.parseList(stop([], ['do']));
    this.expectWord('do');
    const body = this.parseList(stop([], ['done']));
    this.expectWord('done');
    return this.compound(keyword, start, [], [condition, body]);
  }

  private parseFor(keyword: 'for' | 'select'): CompoundCommand {
    const start = this.next().start;
    const words: Word[] = [];
    const t = this.peek();
    if (t.kind === 'op' && t.op === '(' && this.text[t.end] === '(') {
      this.next();
      this.pos += 1;
      const inner = new WordBuilder();
      this.scanArithmeticBody(inner);
      words.push(inner.finish('((…))', t.start));
    } else {
      const name = this.next();
      if (name.kind === 'word') words.push(name.word);
      else this.syntax(`\`${keyword}\` needs a variable name`);
      this.skipNewlines();
      if (isReserved(this.peek(), 'in')) {
        this.next();
        for (let w = this.peek(); w.kind === 'word'; w = this.peek()) {
          this.next();
          words.push(w.word);
        }
      }
    }
    if (isOp(this.peek(), ';')) this.next();
    this.skipNewlines();
    let body: Script;
    if (isReserved(this.peek(), '{')) {
      this.next();
      body = this.parseList(stop([], ['}']));
      this.expectWord('}');
    } else {
      this.expectWord('do');
      body = this.parseList(stop([], ['done']));
      this.expectWord('done');
    }
    return this.compound(keyword, start, words, [body]);
  }

  private parseCase(): CompoundCommand {
    const start = this.next().start;
    const words: Word[] = [];
    const bodies: Script[] = [];
    const subject = this.next();
    if (subject.kind === 'word') words.push(subject.word);
    else this.syntax('`case` needs a word');
    this.skipNewlines();
    this.expectWord('in');
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof') {
        this.syntax('`case` without `esac`');
        break;
      }
      if (isReserved(t, 'esac')) {
        this.next();
        break;
      }
      if (isOp(t, '(')) this.next();
      for (let p = this.peek(); ; p = this.peek()) {
        if (p.kind === 'word') words.push(p.word);
        else if (!isOp(p, '|')) break;
        this.next();
      }
      if (!this.expectOp(')')) {
        if (this.peek().kind !== 'eof') this.next();
        continue;
      }
      bodies.push(this.parseList(CASE_ITEM_END));
      const end = this.peek();
      if (end.kind === 'op' && CASE_ITEM_END.ops.has(end.op)) this.next();
    }
    return this.compound('case', start, words, bodies);
  }

  private parseGroup(): CompoundCommand {
    const start = this.next().start;
    const body = this.parseList(stop([], ['}']));
    this.expectWord('}');
    return this.compound('group', start, [], [body]);
  }

  private parseConditional(): CompoundCommand {
    const start = this.next().start;
    const words: Word[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') {
        this.syntax('`[[` without `]]`');
        break;
      }
      this.next();
      if (t.kind === 'word') {
        if (t.word.literal && t.word.value === ']]') break;
        words.push(t.word);
      }
    }
    return this.compound('conditional', start, words, []);
  }

  private parseFunction(): CompoundCommand {
    const start = this.next().start;
    const name = this.next();
    if (name.kind !== 'word') this.syntax('`function` needs a name');
    if (isOp(this.peek(), '(')) {
      this.next();
      this.expectOp(')');
    }
    this.skipNewlines();
    const body = this.parseCommand();
    return this.compound('function', start, [], body ? [singleCommand(body)] : [], name.kind === 'word' ? name.word.value : '');
  }

  private compound(keyword: CompoundKeyword, start: number, words: Word[], bodies: Script[], name?: string): CompoundCommand {
    const redirects: Redirect[] = [];
    for (let t = this.peek(); t.kind === 'io' || (t.kind === 'op' && REDIRECT_OPS.has(t.op)); t = this.peek()) this.parseRedirect(redirects);
    return { kind: 'compound', keyword, words, bodies, redirects, start, end: this.pos, ...(name !== undefined ? { name } : {}) };
  }

  private expectWord(word: string): boolean {
    if (isReserved(this.peek(), word)) {
      this.next();
      return true;
    }
    this.syntax(`\`${word}\` is missing`);
    return false;
  }

  private expectOp(op: string): boolean {
    if (isOp(this.peek(), op)) {
      this.next();
      return true;
    }
    this.syntax(`\`${op}\` is missing`);
    return false;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.next();
  }

  /** Runs `read` one nesting level deeper; past MAX_NESTING the rest of the text is not read. */
  private nested<T>(read: () => T): T {
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

  // ---- tokens -------------------------------------------------------------

  private peek(): Token {
    this.lookahead ??= this.lex();
    return this.lookahead;
  }

  private next(): Token {
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
      const inner = new Parser(this.text, this.pos, this.shared);
      const script = inner.parseList(CLOSE_PAREN);
      inner.expectOp(')');
      if (inner.pendingHeredocs.length > 0) inner.syntax('a here-document has no body');
      this.pos = inner.pos;
      return script;
    });
  }

  /** After `$((` or `((`: up to the matching `))`, with the commands of any substitution inside. */
  private scanArithmeticBody(inner: WordBuilder): void {
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
    const script = this.nested(() => new Parser(inner, 0, this.shared).parseAll());
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
          new Parser(body, 0, this.shared).scanDoubleBody(inner, null);
          return inner.scripts;
        });
      }
    }
  }

  private syntax(message: string): void {
    this.issue('syntax', message);
  }

  private issue(kind: ParseIssue['kind'], message: string): void {
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

function isStop(t: Token, until: Stop): boolean {
  return (t.kind === 'op' && until.ops.has(t.op)) || (t.kind === 'word' && t.word.literal && until.words.has(t.word.value));
}

function isReserved(t: Token, word: string): boolean {
  return t.kind === 'word' && t.word.literal && t.word.value === word;
}

function isOp(t: Token, op: string): boolean {
  return t.kind === 'op' && t.op === op;
}

/** `NAME=value`, `NAME+=value`, `NAME[i]=value` with the name unquoted. */
export function isAssignment(word: Word): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]'"`$\\]*\])?\+?=/.test(word.raw);
}

function singleCommand(command: Command): Script {
  return { pipelines: [{ commands: [command], stderrPiped: false, negated: false, timed: false }] };
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'word':
      return `\`${t.word.raw.slice(0, 30)}\``;
    case 'op':
      return `\`${t.op}\``;
    case 'io':
      return `\`${t.fd}\``;
    case 'newline':
      return 'end of line';
    case 'eof':
      return 'end of the command';
  }
}
