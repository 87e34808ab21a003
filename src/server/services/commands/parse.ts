/**
 * Reads a command line the way bash would, far enough to know every command
 * it runs: pipelines and lists, redirections and here-documents, and the
 * compound commands (`if`, `for`, `while`, `case`, functions, subshells,
 * groups, `[[ … ]]`, `(( … ))`); words and their expansions come from the
 * lexer (lex.ts), which hands the commands inside substitutions back here.
 * Pure and linear in the length of the text. Anything it cannot read is
 * reported as an issue; the policy then never runs the command unasked.
 */
import type { Command, CompoundCommand, CompoundKeyword, ParsedScript, ParseIssue, Pipeline, Redirect, Script, SimpleCommand, Word } from './ast';
import { Lexer, MAX_NESTING, type NestedParsing, type Shared, type Token } from './lex';
import { WordBuilder } from './word';

export { MAX_NESTING } from './lex';

interface Stop {
  ops: ReadonlySet<string>;
  words: ReadonlySet<string>;
}

const REDIRECT_OPS: ReadonlySet<string> = new Set(['<', '>', '>>', '>|', '<>', '&>', '&>>', '<&', '>&', '<<', '<<-', '<<<']);
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
  const script = new Parser(new Lexer(text, 0, shared, NESTED)).parseAll();
  return { script, issues: shared.issues };
}

const NESTED: NestedParsing = {
  untilParen(text, pos, shared) {
    const parser = new Parser(new Lexer(text, pos, shared, NESTED));
    return { script: parser.parseSubstitution(), end: parser.lexer.position };
  },
  all(text, shared) {
    return new Parser(new Lexer(text, 0, shared, NESTED)).parseAll();
  },
};

class Parser {
  constructor(readonly lexer: Lexer) {}

  parseAll(): Script {
    const pipelines: Pipeline[] = [];
    for (;;) {
      pipelines.push(...this.parseList(NO_STOP).pipelines);
      const t = this.peek();
      if (t.kind === 'eof') break;
      this.syntax(`unexpected ${describe(t)}`);
      this.next();
    }
    if (this.lexer.hasPendingHeredocs()) this.syntax('a here-document has no body');
    return { pipelines };
  }

  /** After `$(` or `<(`: the commands up to the matching `)`, which is consumed. */
  parseSubstitution(): Script {
    const script = this.parseList(CLOSE_PAREN);
    this.expectOp(')');
    if (this.lexer.hasPendingHeredocs()) this.syntax('a here-document has no body');
    return script;
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
      if (this.lexer.charAt(this.lexer.position) === '(') {
        this.lexer.skip(1);
        const inner = new WordBuilder();
        this.lexer.scanArithmeticBody(inner);
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
    const command: SimpleCommand = { kind: 'simple', assignments, words, redirects, start, end: this.lexer.position };
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
      this.lexer.queueHeredoc(redirect);
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
    if (t.kind === 'op' && t.op === '(' && this.lexer.charAt(t.end) === '(') {
      this.next();
      this.lexer.skip(1);
      const inner = new WordBuilder();
      this.lexer.scanArithmeticBody(inner);
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
    return { kind: 'compound', keyword, words, bodies, redirects, start, end: this.lexer.position, ...(name !== undefined ? { name } : {}) };
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

  private peek(): Token {
    return this.lexer.peek();
  }

  private next(): Token {
    return this.lexer.next();
  }

  private nested<T>(read: () => T): T {
    return this.lexer.nested(read);
  }

  private syntax(message: string): void {
    this.lexer.syntax(message);
  }

  private issue(kind: ParseIssue['kind'], message: string): void {
    this.lexer.issue(kind, message);
  }

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
