/**
 * Splits a shell command line into the simple commands it would run, so that
 * policy decisions look at every program, not only the first word:
 * `npm test && rm -rf /` is two commands. Understands quotes, `&&`, `||`,
 * `;`, `|`, `&`, newlines, subshells `( … )`, `{ …; }` groups, command
 * substitution `$( … )` and backticks (their contents are commands too), and
 * `sh -c '…'`-style nested scripts. Pure; not a full shell parser: anything
 * it cannot read (an unclosed quote) makes the result `ok: false`, and the
 * caller then asks the person.
 */

/** One simple command as words (quotes removed; leading `VAR=value` assignments dropped). */
export type SimpleCommand = string[];
/** Simple commands joined by `|`, in order. */
export type Pipeline = SimpleCommand[];

export interface ParsedCommand {
  ok: boolean;
  pipelines: Pipeline[];
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);
const MAX_DEPTH = 8;

/** Every simple command of `line`, flattened. */
export function simpleCommands(line: string): { ok: boolean; commands: SimpleCommand[] } {
  const parsed = parseCommandLine(line);
  return { ok: parsed.ok, commands: parsed.pipelines.flat() };
}

export function parseCommandLine(line: string, depth = 0): ParsedCommand {
  const state = new Parser(line, depth);
  state.run();
  return { ok: state.ok, pipelines: state.pipelines.filter((pipeline) => pipeline.length > 0) };
}

/** The program's name without its folder (`/usr/bin/sudo` → `sudo`). */
export function programName(command: SimpleCommand): string {
  const first = command[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}

class Parser {
  ok = true;
  readonly pipelines: Pipeline[] = [];
  private pipeline: Pipeline = [];
  private words: string[] = [];
  private word = '';
  private inWord = false;
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly depth: number,
  ) {}

  run(): void {
    const { text } = this;
    while (this.i < text.length) {
      const c = text[this.i] ?? '';
      const next = text[this.i + 1] ?? '';
      if (c === '\\') {
        this.append(next);
        this.i += 2;
      } else if (c === "'") {
        this.quoted("'");
      } else if (c === '"') {
        this.quoted('"');
      } else if (c === '$' && next === '(') {
        this.substitution(this.i + 1);
      } else if (c === '`') {
        this.backtick();
      } else if (c === '(' && this.words.length === 0 && !this.inWord) {
        const end = matching(text, this.i);
        if (end < 0) return this.fail();
        this.nested(text.slice(this.i + 1, end));
        this.i = end + 1;
      } else if (c === ')') {
        this.i += 1; // a stray closing parenthesis (e.g. from a case pattern): a separator
        this.endWord();
      } else if ((c === '&' && next === '&') || (c === '|' && next === '|')) {
        this.endPipeline();
        this.i += 2;
      } else if (c === '|') {
        this.endCommand();
        this.i += 1;
      } else if (c === ';' || c === '&' || c === '\n') {
        this.endPipeline();
        this.i += 1;
      } else if (c === '#' && !this.inWord) {
        const end = text.indexOf('\n', this.i);
        this.i = end < 0 ? text.length : end;
      } else if (/\s/.test(c)) {
        this.endWord();
        this.i += 1;
      } else {
        this.append(c);
        this.i += 1;
      }
    }
    this.endPipeline();
  }

  private fail(): void {
    this.ok = false;
    this.i = this.text.length;
  }

  private append(text: string): void {
    this.word += text;
    this.inWord = true;
  }

  private quoted(quote: string): void {
    const { text } = this;
    let j = this.i + 1;
    let value = '';
    for (; j < text.length && text[j] !== quote; j++) {
      const c = text[j] ?? '';
      if (quote === '"' && c === '\\' && j + 1 < text.length) {
        value += text[++j] ?? '';
      } else if (quote === '"' && c === '$' && text[j + 1] === '(') {
        const end = matching(text, j + 1);
        if (end < 0) return this.fail();
        this.nested(text.slice(j + 2, end));
        value += text.slice(j, end + 1);
        j = end;
      } else if (quote === '"' && c === '`') {
        const end = text.indexOf('`', j + 1);
        if (end < 0) return this.fail();
        this.nested(text.slice(j + 1, end));
        j = end;
      } else {
        value += c;
      }
    }
    if (j >= text.length) return this.fail();
    this.append(value);
    this.i = j + 1;
  }

  private substitution(open: number): void {
    const end = matching(this.text, open);
    if (end < 0) return this.fail();
    this.nested(this.text.slice(open + 1, end));
    this.append(this.text.slice(this.i, end + 1));
    this.i = end + 1;
  }

  private backtick(): void {
    const end = this.text.indexOf('`', this.i + 1);
    if (end < 0) return this.fail();
    this.nested(this.text.slice(this.i + 1, end));
    this.append('`…`');
    this.i = end + 1;
  }

  private nested(script: string): void {
    if (this.depth >= MAX_DEPTH) return this.fail();
    const inner = parseCommandLine(script, this.depth + 1);
    if (!inner.ok) this.ok = false;
    this.pipelines.push(...inner.pipelines);
  }

  private endWord(): void {
    if (this.inWord) {
      // `VAR=value` before the program is an assignment, not the program.
      if (!(this.words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(this.word))) {
        this.words.push(this.word);
      }
    }
    this.word = '';
    this.inWord = false;
  }

  private endCommand(): void {
    this.endWord();
    let words = this.words.filter((word) => word !== '{' && word !== '}');
    this.words = [];
    if (words.length === 0) return;
    // `sh -c 'script'`: the script's commands are what runs.
    const program = programName(words);
    const flag = words.indexOf('-c');
    if (SHELLS.has(program) && flag > 0 && words[flag + 1] !== undefined) {
      this.nested(words[flag + 1] ?? '');
    }
    // `time`, `nice`, `env`, `nohup`, `exec` run the rest as a command.
    while (words.length > 1 && ['time', 'nice', 'nohup', 'exec', 'command', 'env'].includes(programName(words))) {
      words = words.slice(1).filter((word, index) => index > 0 || !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
    }
    this.pipeline.push(words);
  }

  private endPipeline(): void {
    this.endCommand();
    if (this.pipeline.length > 0) this.pipelines.push(this.pipeline);
    this.pipeline = [];
  }
}

/** Index of the `)` closing the `(` at `open` (quotes respected), or -1. */
function matching(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j += 1;
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, j + 1);
      if (end < 0) return -1;
      j = end;
    } else if (c === '(') {
      depth += 1;
    } else if (c === ')') {
      depth -= 1;
      if (depth === 0) return j;
    }
  }
  return -1;
}
