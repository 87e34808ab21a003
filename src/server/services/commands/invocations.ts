/**
 * Every command a command line would run, wherever it hides: in pipelines
 * and lists, in compound commands and function bodies, in `$(…)`,
 * backticks and `<(…)`, in here-documents, behind wrappers (`xargs`,
 * `env`, `bash -c`, `find -exec` …), and in options or variables that run
 * programs. What cannot be told from the text is listed as hidden. This is
 * what the deny list is checked against.
 */
import type { Command, ParseIssue, Pipeline, Redirect, Script, Word } from './ast';
import { assignmentHooks, programHooks } from './hooks';
import { MAX_NESTING, parseScript } from './parse';
import { programOf, shown } from './program';
import { unwrap, type Inner } from './wrappers';

export interface Invocation {
  /** The program and its arguments. */
  words: Word[];
  /** How it comes to run, for messages: '' or 'run by `xargs`', 'inside `$(…)`'. */
  via: string;
  /** More words only known at run time follow these (xargs's input). */
  appended: boolean;
}

export interface CommandFacts {
  /** Every pipeline, at any depth: for each of its commands, what it runs (itself and what it wraps). */
  pipelines: Invocation[][][];
  /** Commands that are only known at run time, described for the person. */
  hidden: string[];
  /** Refused whatever the lists say (a fork bomb, a write to a disk device). */
  refused: string[];
  /** Problems reading scripts found inside the command (`bash -c '…'`). */
  issues: ParseIssue[];
}

/** Disk devices: writing one destroys a file system. */
const DISK_DEVICE = /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|disk|rdisk|md[0-9]|dm-|mapper\/|loop|sr|fd[0-9])/;
const WRITING_REDIRECTS: ReadonlySet<string> = new Set(['>', '>>', '>|', '<>', '&>', '&>>']);
const WRITING_PROGRAMS: ReadonlySet<string> = new Set(['tee', 'cp', 'mv', 'shred', 'wipefs', 'install', 'truncate', 'ln']);
/** More nested scripts than this in one command line are not followed (each is parsed again). */
const MAX_SCRIPTS = 2_000;

export function collectInvocations(script: Script, depth = 0): CommandFacts {
  const walker = new Walker();
  walker.script(script, '', depth);
  return walker.facts;
}

interface Io {
  pipedIn: boolean;
  redirects: readonly Redirect[];
}

class Walker {
  readonly facts: CommandFacts = { pipelines: [], hidden: [], refused: [], issues: [] };
  private readonly functions: string[] = [];
  private scripts = 0;

  script(script: Script, via: string, depth: number): void {
    for (const pipeline of script.pipelines) this.pipeline(pipeline, via, depth);
  }

  private pipeline(pipeline: Pipeline, via: string, depth: number): void {
    this.facts.pipelines.push(pipeline.commands.map((command, index) => this.command(command, via, depth, index > 0)));
  }

  private command(command: Command, via: string, depth: number, pipedIn: boolean): Invocation[] {
    this.redirects(command.redirects, via, depth);
    if (command.kind === 'compound') {
      this.words(command.words, via, depth);
      const inner = via || `inside \`${compoundLabel(command.keyword)}\``;
      if (command.keyword === 'function') this.functions.push(command.name ?? '');
      for (const body of command.bodies) this.script(body, inner, depth + 1);
      if (command.keyword === 'function') this.functions.pop();
      return [];
    }
    this.words(command.assignments, via, depth);
    this.words(command.words, via, depth);
    for (const assignment of command.assignments) this.inner(assignmentHooks(assignment), via, depth, { pipedIn: false, redirects: [] });
    if (command.words.length === 0) return [];
    return this.invoke(command.words, via, depth, false, { pipedIn, redirects: command.redirects });
  }

  private invoke(words: Word[], via: string, depth: number, appended: boolean, io: Io): Invocation[] {
    const found: Invocation[] = [{ words, via, appended }];
    if (depth > MAX_NESTING) {
      this.hide(`it wraps commands more than ${MAX_NESTING} levels deep`);
      return found;
    }
    const first = words[0] as Word;
    const program = programOf(first);
    if (program.kind === 'dynamic') {
      this.hide(`the program \`${shown(first.raw, 40)}\` is only known when the shell runs it`);
      return found;
    }
    if (this.functions.includes(program.name)) this.facts.refused.push(`it defines a function \`${program.name}\` that calls itself (a fork bomb)`);
    this.deviceWrites(program.key, words);
    const wrapped = unwrap(program.key, words, appended);
    if (wrapped) found.push(...this.inner(wrapped, via, depth, io));
    // Options that run programs, also on wrappers (ssh -o ProxyCommand=…).
    found.push(...this.inner(programHooks(program.key, words, appended), via, depth, io));
    return found;
  }

  private inner(inner: Inner, via: string, depth: number, io: Io): Invocation[] {
    const found: Invocation[] = [];
    for (const reason of inner.hidden) this.hide(reason);
    for (const assignment of inner.assignments) this.inner(assignmentHooks(assignment), via, depth, { pipedIn: false, redirects: [] });
    for (const script of inner.scripts) this.nestedScript(script.text, via || `run by \`${script.how}\``, depth);
    for (const command of inner.commands) {
      if (command.words.length === 0) continue;
      found.push(...this.invoke(command.words, via || `run by \`${command.how}\``, depth + 1, command.appended, { pipedIn: false, redirects: [] }));
    }
    if (inner.readsStdin) this.stdinScript(io, via, depth);
    return found;
  }

  /** A shell reading its script from standard input: a here-document, a here-string, or the previous command. */
  private stdinScript(io: Io, via: string, depth: number): void {
    const input = [...io.redirects].reverse().find((redirect) => (redirect.fd === undefined || redirect.fd === '0') && ['<', '<<', '<<-', '<<<', '<>'].includes(redirect.op));
    if (input?.heredoc) {
      this.nestedScript(input.heredoc.body, via || 'run from a here-document', depth);
    } else if (input?.op === '<<<' && input.target) {
      if (input.target.dynamic !== 'none') this.hide(`a shell runs the here-string \`${shown(input.target.raw, 30)}\`, only known when the command runs`);
      else this.nestedScript(input.target.value, via || 'run from a here-string', depth);
    } else if (input) {
      if (input.target && input.target.dynamic !== 'none') this.hide(`a shell runs commands from \`${shown(input.target.raw, 30)}\`, only known when the command runs`);
    } else if (io.pipedIn) {
      this.hide('a shell runs whatever the command before it in the pipe prints');
    }
  }

  private nestedScript(text: string, via: string, depth: number): void {
    if (++this.scripts > MAX_SCRIPTS) {
      if (this.scripts === MAX_SCRIPTS + 1) this.hide('it runs more nested scripts than Tandem follows');
      return;
    }
    const parsed = parseScript(text, depth + 1);
    for (const issue of parsed.issues) {
      if (issue.kind === 'too-deep' || issue.kind === 'unreliable') this.hide(`a script it runs cannot be read reliably (${issue.message})`);
      else if (issue.kind === 'syntax') this.facts.issues.push(issue);
    }
    this.script(parsed.script, via, depth + 1);
  }

  private words(words: readonly Word[], via: string, depth: number): void {
    for (const word of words) {
      const control = word.notes.find((note) => note.kind === 'control');
      if (control) this.facts.refused.push(`\`${control.text}\` decodes to a control character`);
      for (const script of word.scripts) this.script(script, via || `inside \`${shown(word.raw, 30)}\``, depth + 1);
    }
  }

  private redirects(redirects: readonly Redirect[], via: string, depth: number): void {
    for (const redirect of redirects) {
      if (redirect.target) this.words([redirect.target], via, depth);
      for (const script of redirect.heredoc?.scripts ?? []) this.script(script, via || 'inside a here-document', depth + 1);
      const target = redirect.target;
      if (target && WRITING_REDIRECTS.has(redirect.op) && DISK_DEVICE.test(target.value)) {
        this.facts.refused.push(`it writes to the disk device ${shown(target.value, 30)}`);
      }
    }
  }

  private deviceWrites(key: string, words: readonly Word[]): void {
    for (const word of words.slice(1)) {
      const target = word.value.startsWith('of=') ? word.value.slice(3) : WRITING_PROGRAMS.has(key) ? word.value : '';
      if (DISK_DEVICE.test(target)) this.facts.refused.push(`it writes to the disk device ${shown(target, 30)}`);
    }
  }

  private hide(reason: string): void {
    if (this.facts.hidden.length < 20 && !this.facts.hidden.includes(reason)) this.facts.hidden.push(reason);
  }
}

function compoundLabel(keyword: string): string {
  switch (keyword) {
    case 'subshell':
      return '( … )';
    case 'group':
      return '{ …; }';
    case 'if':
      return 'if … fi';
    case 'while':
    case 'until':
    case 'for':
    case 'select':
      return `${keyword} … done`;
    case 'case':
      return 'case … esac';
    case 'function':
      return 'a function';
    default:
      return keyword;
  }
}
