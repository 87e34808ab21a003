/**
 * The shape of a command line as the shell would read it (a subset of bash's
 * grammar, enough to find every command it runs). Produced by parse.ts,
 * read by the deny check (invocations.ts) and the run check (runCheck.ts).
 */

/**
 * How the shell may change a word when it runs: `none` (its value is known
 * now), `nonflag` (partly unknown, but it can never become an option: a
 * quoted `"$x"` after static text, a glob after a name, `~/x`), `any` (it
 * could become anything, several words or an option: `$x`, `*.log`, `"$x"`).
 */
export type DynamicKind = 'none' | 'nonflag' | 'any';

export type NoteKind = 'parameter' | 'command' | 'arithmetic' | 'process' | 'ansi-c' | 'locale' | 'glob' | 'brace' | 'tilde' | 'control';

/** A part of a word that makes it more than plain text. */
export interface WordNote {
  kind: NoteKind;
  /** The part as written (`$HOME`, `$(id)`, `*`). */
  text: string;
}

export interface Word {
  /** As written in the command. */
  raw: string;
  /** After quote removal; parts only known at run time kept as written. */
  value: string;
  /** The static text before the first part only known at run time (`value` when static). */
  prefix: string;
  dynamic: DynamicKind;
  /** The shell may turn it into several words (an unquoted expansion, a glob, braces). */
  splits: boolean;
  /** Index in `value` just after the last part only known at run time (0 when static). */
  dynamicEnd: number;
  /** Why it is not a plain word (empty: plain). */
  notes: WordNote[];
  /** Commands the shell runs while expanding it (`$(…)`, backticks, `<(…)`). */
  scripts: Script[];
  /** Unquoted and unescaped text only: reserved words and assignment names must be. */
  literal: boolean;
  /** Quotes or a backslash were used in it. */
  quoted: boolean;
  start: number;
}

export interface HereDoc {
  /** The delimiter after quote removal. */
  delimiter: string;
  /** A quoted delimiter: the body is taken literally (no expansions). */
  quoted: boolean;
  body: string;
  /** Commands run while expanding an unquoted body. */
  scripts: Script[];
}

export interface Redirect {
  /** `>`, `>>`, `>|`, `<`, `<>`, `&>`, `&>>`, `<&`, `>&`, `<<`, `<<-`, `<<<`. */
  op: string;
  /** The file descriptor written before it (`2` in `2>x`, `{fd}` in `{fd}>x`). */
  fd?: string;
  target?: Word;
  heredoc?: HereDoc;
  start: number;
}

export interface SimpleCommand {
  kind: 'simple';
  /** `NAME=value` words before the program. */
  assignments: Word[];
  words: Word[];
  redirects: Redirect[];
  start: number;
  end: number;
}

export type CompoundKeyword = 'subshell' | 'group' | 'if' | 'while' | 'until' | 'for' | 'select' | 'case' | 'arithmetic' | 'conditional' | 'function' | 'coproc';

export interface CompoundCommand {
  kind: 'compound';
  keyword: CompoundKeyword;
  /** Words that are not commands: a `for` list, a `case` subject and patterns, `[[ … ]]` operands. */
  words: Word[];
  bodies: Script[];
  redirects: Redirect[];
  /** A function definition's name. */
  name?: string;
  start: number;
  end: number;
}

export type Command = SimpleCommand | CompoundCommand;

export type Joiner = '&&' | '||' | ';' | '\n' | '&';

export interface Pipeline {
  commands: Command[];
  /** `|&` joins some of its commands (stderr piped too). */
  stderrPiped: boolean;
  /** Starts with `!`. */
  negated: boolean;
  /** Starts with the `time` keyword. */
  timed: boolean;
  /** What follows it: `&` runs it in the background. */
  next?: Joiner;
}

export interface Script {
  pipelines: Pipeline[];
}

export type IssueKind =
  /** Not valid shell syntax (or more than Tandem reads): nothing is sure. */
  | 'syntax'
  /** Nested deeper than Tandem follows: the rest was not read. */
  | 'too-deep'
  /** A construct whose reading is not certain (nested backticks, `$((` that is not arithmetic). */
  | 'unreliable'
  | 'comment';

export interface ParseIssue {
  kind: IssueKind;
  message: string;
}

export interface ParsedScript {
  script: Script;
  issues: ParseIssue[];
}
