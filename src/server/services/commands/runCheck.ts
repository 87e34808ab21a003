/**
 * When a command may run without asking (the sandbox aside): it parses
 * completely into plain simple commands joined by `;`, `&&`, `||`, `|` or
 * newlines; each is allowed (by an allow-list entry under full-auto, or
 * because the person allowed its program for this task); each option is
 * known-safe for its program and each path-like word stays inside the
 * workspace. Everything else gets a reason a person can read.
 */
import type { ApprovalPolicy } from '../../../shared/agentProtocol';
import type { CompoundKeyword, ParsedScript, Pipeline, Redirect, SimpleCommand, Word, WordNote } from './ast';
import { programOf, programKey, shown } from './program';
import { checkPath, isFile, MAX_CHECKED_PATHS, programTable, type CommandWorkspace, type Verdict } from './programs';
import { isWrapper } from './wrappers';

export interface RunSettings {
  policy: ApprovalPolicy;
  allowCommands: readonly string[];
  /** Programs the person allowed "for this task". */
  allowedPrograms: ReadonlySet<string>;
  workspace: CommandWorkspace;
}

/**
 * Programs whose first operand is a program text (awk, sed, perl …): with
 * no table of their own they run unasked only with a script file from the
 * workspace.
 */
const CODE_RUNNERS: ReadonlySet<string> = new Set([
  'awk',
  'gawk',
  'mawk',
  'nawk',
  'sed',
  'gsed',
  'perl',
  'ruby',
  'php',
  'lua',
  'luajit',
  'tclsh',
  'wish',
  'expect',
  'osascript',
  'rscript',
  'julia',
  'deno',
  'bun',
  'tsx',
  'ts-node',
  'sqlite3',
  'psql',
  'mysql',
  'gdb',
  'lldb',
  'vi',
  'vim',
  'nvim',
  'emacs',
  'ed',
  'ex',
  'less',
  'more',
  'man',
  'jshell',
  'groovy',
  'scala',
  'kotlin',
  'irb',
  'ghci',
]);

/**
 * Shell builtins that change the shell itself (folder, variables, options,
 * aliases, traps, limits, what names run): they change how the rest of the
 * line is read, so they never run unasked and are never allowed for a task.
 */
const STATEFUL_BUILTINS: ReadonlySet<string> = new Set([
  'cd',
  'pushd',
  'popd',
  'export',
  'declare',
  'typeset',
  'local',
  'readonly',
  'set',
  'unset',
  'shopt',
  'alias',
  'unalias',
  'hash',
  'enable',
  'ulimit',
  'umask',
  'let',
  'read',
  'readarray',
  'mapfile',
  'printf',
  'bind',
  'complete',
  'compgen',
  'fc',
  'history',
  'jobs',
  'fg',
  'bg',
  'disown',
  'wait',
  'suspend',
  'logout',
  'exit',
  'return',
  'shift',
  'getopts',
  'dirs',
  'caller',
]);

/** More simple commands than this in one line are not checked one by one: the line asks. */
export const MAX_CHECKED_COMMANDS = 64;

/** Why `parsed` may not run without asking, or undefined when it may (the sandbox is checked by the caller). */
export function whyAsk(parsed: ParsedScript, settings: RunSettings): string | undefined {
  const issue = parsed.issues[0];
  if (issue) return issue.kind === 'comment' ? 'It contains a comment; only plain commands run without asking.' : `The command could not be fully read: ${issue.message}.`;
  if (settings.policy !== 'full-auto' && settings.allowedPrograms.size === 0) return policyReason(settings.policy);
  let count = 0;
  for (const pipeline of parsed.script.pipelines) {
    const structure = pipelineProblem(pipeline);
    if (structure) return structure;
    count += pipeline.commands.length;
  }
  if (count > MAX_CHECKED_COMMANDS) return `It runs ${count} commands; commands of more than ${MAX_CHECKED_COMMANDS} always ask.`;
  const entries = settings.policy === 'full-auto' ? settings.allowCommands.map((entry) => entry.trim().split(/\s+/).filter(Boolean)).filter((words) => words.length > 0) : [];
  const budget = { paths: MAX_CHECKED_PATHS };
  for (const pipeline of parsed.script.pipelines) {
    for (const [index, command] of pipeline.commands.entries()) {
      const problem = commandProblem(command as SimpleCommand, settings, entries, { pipedIn: index > 0, budget });
      if (problem) return problem;
    }
  }
  return undefined;
}

function policyReason(policy: ApprovalPolicy): string {
  return policy === 'ask' ? 'Every command needs approval (approval policy: ask).' : 'Commands need approval under auto-edit.';
}

function pipelineProblem(pipeline: Pipeline): string | undefined {
  if (pipeline.next === '&') return '`&` runs a command in the background; background jobs always ask.';
  if (pipeline.negated) return '`!` negates a command; only plain commands run without asking.';
  if (pipeline.timed) return '`time` wraps a command; only plain commands run without asking.';
  if (pipeline.commands.length === 0) return 'The command is incomplete.';
  for (const command of pipeline.commands) {
    if (command.kind === 'compound') return `${compoundName(command.keyword)} is a compound command; only simple commands run without asking.`;
  }
  return undefined;
}

function compoundName(keyword: CompoundKeyword): string {
  switch (keyword) {
    case 'subshell':
      return '`( … )` (a subshell)';
    case 'group':
      return '`{ …; }` (a group)';
    case 'function':
      return 'A function definition';
    case 'arithmetic':
      return '`(( … ))`';
    case 'conditional':
      return '`[[ … ]]`';
    case 'coproc':
      return '`coproc`';
    case 'if':
      return '`if … fi`';
    case 'case':
      return '`case … esac`';
    default:
      return `\`${keyword} … done\``;
  }
}

function commandProblem(command: SimpleCommand, settings: RunSettings, allowList: readonly string[][], place: { pipedIn: boolean; budget: { paths: number } }): string | undefined {
  const assignment = command.assignments[0];
  if (assignment) return `\`${shown(assignment.raw, 40)}\` sets an environment variable for the command; commands with variable assignments always ask.`;
  for (const redirect of command.redirects) {
    if (!isHarmless(redirect)) return redirectProblem(redirect);
  }
  for (const word of command.words) {
    const note = word.notes[0];
    if (note) return `${describeNote(note)} in \`${shown(word.raw, 40)}\`; only plain words run without asking.`;
  }
  const first = command.words[0];
  if (!first) return 'The command only redirects; it does not run a program.';
  const program = programOf(first);
  if (program.kind !== 'static') return `The program \`${shown(first.raw, 40)}\` is only known when the shell runs it.`;
  const words = command.words.map((word) => word.value);
  const display = shown(words.join(' '), 60);
  // Tables and wrappers are found without case (`GIT` is git where the file system ignores case).
  const key = programKey(first.value);
  const table = program.path ? undefined : programTable(key);
  const task = !program.path && isSimpleName(first.value) && settings.allowedPrograms.has(first.value);
  const entries = matchingEntries(words, allowList);
  const ctx = { ws: settings.workspace, pipedIn: place.pipedIn, program: program.name, budget: place.budget };
  const args = words.slice(1);
  if (!task && entries.length === 0) {
    if (settings.policy !== 'full-auto') return policyReason(settings.policy);
    // The program is on the allow-list with other words: say what in this command is not known-safe.
    const listed = allowList.some((entry) => entry[0] === first.value);
    const problem = listed && table ? table.check(args, ctx) : undefined;
    return problem ? sentence(problem) : `\`${display}\` is not on the allow-list (tandem.agent.allowCommands).`;
  }
  if (!table && isWrapper(key)) return `\`${program.name}\` runs other commands; it always asks.`;
  if (STATEFUL_BUILTINS.has(key)) return `\`${program.name}\` changes the shell itself (its folder, variables or settings); it always asks.`;
  const problem = table ? table.check(args, ctx) : untabled(key, args, entries, ctx);
  return problem === undefined ? undefined : sentence(problem);
}

function sentence(text: string): string {
  return text.endsWith('.') ? text : `${text}.`;
}

/** Allow-list entries (as words) that start the command (`*` stands for any one word that is not an option). */
function matchingEntries(words: readonly string[], entries: readonly string[][]): string[][] {
  const found: string[][] = [];
  for (const wanted of entries) {
    if (wanted.length > words.length) continue;
    if (wanted.every((want, index) => want === words[index] || (index > 0 && want === '*' && !(words[index] ?? '').startsWith('-')))) found.push(wanted);
  }
  return found;
}

/**
 * A program without a table: only the options written in its allow-list
 * entry (none when it was allowed for the task), every other word a path
 * in the workspace; a program that runs code given as text needs a script file.
 */
function untabled(key: string, args: readonly string[], entries: readonly string[][], ctx: Parameters<typeof checkPath>[1]): Verdict {
  const allowed = new Set(entries.flatMap((entry) => entry.slice(1)));
  const prefix = Math.max(0, ...entries.map((entry) => entry.length - 1));
  let operands = 0;
  let endOfOptions = false;
  for (const [index, arg] of args.entries()) {
    if (index < prefix) continue;
    if (!endOfOptions && arg === '--') {
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && arg.startsWith('-') && arg !== '-') {
      if (!allowed.has(arg)) return `\`${arg}\` is not an option written in the allow-list entry for \`${ctx.program}\``;
      continue;
    }
    if (operands === 0 && CODE_RUNNERS.has(key) && !isFile(arg, ctx)) return `\`${ctx.program}\` runs the program text \`${shown(arg, 30)}\` given on its command line`;
    operands += 1;
    // Tandem does not know whether this program writes its operands: they are checked as written (protected files ask).
    const problem = checkPath(arg, ctx, 'write');
    if (problem) return problem;
  }
  if (operands === 0 && CODE_RUNNERS.has(key)) return `\`${ctx.program}\` without a script file reads a program from its input`;
  return undefined;
}

/** `2>&1`, `>&2`, `>/dev/null`, `2>/dev/null`, `&>/dev/null`, `</dev/null`: nothing is read or written. */
function isHarmless(redirect: Redirect): boolean {
  const target = redirect.target;
  if (!target || target.notes.length > 0 || redirect.heredoc) return false;
  const fd = redirect.fd ?? '';
  if (redirect.op === '>&') return (fd === '2' && target.value === '1') || ((fd === '' || fd === '1') && target.value === '2');
  if (target.value !== '/dev/null') return false;
  if (redirect.op === '<') return fd === '' || fd === '0';
  return ['>', '>>', '&>', '&>>'].includes(redirect.op) && ['', '1', '2'].includes(fd);
}

function redirectProblem(redirect: Redirect): string {
  if (redirect.heredoc) return 'A here-document feeds text to the command; commands with here-documents always ask.';
  if (redirect.op === '<<<') return 'A here-string feeds text to the command; commands with here-strings always ask.';
  const written = `${redirect.fd ?? ''}${redirect.op}${redirect.target ? ` ${shown(redirect.target.raw, 40)}` : ''}`;
  const reads = redirect.op === '<' || redirect.op === '<&';
  return `\`${written}\` ${reads ? 'reads a file into the command' : 'redirects output to a file or descriptor'}; only \`2>&1\` and \`/dev/null\` redirections run without asking.`;
}

export function describeNote(note: WordNote): string {
  const part = `\`${note.text}\``;
  switch (note.kind) {
    case 'parameter':
      return `${part} expands a variable (only known when the shell runs it)`;
    case 'command':
      return `${part} runs a command and uses its output`;
    case 'arithmetic':
      return `${part} is arithmetic expansion`;
    case 'process':
      return `${part} is process substitution (it runs a command)`;
    case 'ansi-c':
      return `${part} is \`$'…'\` quoting (its escapes can spell anything)`;
    case 'locale':
      return `${part} is \`$"…"\` quoting (translated when it runs)`;
    case 'glob':
      return `${part} is expanded to file names`;
    case 'brace':
      return `${part} is brace expansion`;
    case 'tilde':
      return `${part} expands to the home folder`;
    case 'control':
      return `${part} decodes to a control character`;
  }
}

/** A program name "Allow for this task" can hold: no spaces, quotes or shell characters. */
function isSimpleName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/.test(name);
}

/** Programs of the plain top-level commands of `parsed`: what "Allow for this task" adds. */
export function plainPrograms(parsed: ParsedScript): string[] {
  const names = new Set<string>();
  for (const pipeline of parsed.script.pipelines) {
    for (const command of pipeline.commands) {
      if (command.kind !== 'simple') continue;
      const first: Word | undefined = command.words[0];
      if (!first || first.notes.length > 0) continue;
      const program = programOf(first);
      if (program.kind !== 'static' || program.path || !isSimpleName(first.value)) continue;
      if (programTable(program.key) !== undefined || !(isWrapper(program.key) || STATEFUL_BUILTINS.has(program.key))) names.add(first.value);
    }
  }
  return [...names];
}
