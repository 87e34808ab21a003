/**
 * What a program table is, and the reader that checks a command's words
 * against one: every option must be listed as known-safe (anything else,
 * including an abbreviation, is not), and every value or operand that
 * could be a path must be inside the workspace and allowed by the
 * secret/ignore rules, decided on the real path.
 */
import { statSync } from 'node:fs';
import type { Access, PathDecision } from '../../../../shared/boundary/boundary';
import { shown } from '../program';

/** The workspace as the command policy sees it (AgentWorkspace and WorkspaceBoundary both fit). */
export interface CommandWorkspace {
  readonly root: string;
  decide(requested: string, access: Access): PathDecision;
}

export interface ProgramContext {
  ws: CommandWorkspace;
  /** Not first in its pipeline: its standard input is the previous command's output. */
  pipedIn: boolean;
  /** The program as written (`git`), for messages. */
  program: string;
  /** Path checks left for the whole command line (each one reads the file system). */
  budget: { paths: number };
}

/** More path-like words than this in one command line are not checked: it asks. */
export const MAX_CHECKED_PATHS = 64;

/** Why a command is not known to be safe; undefined when it is. */
export type Verdict = string | undefined;

export interface ProgramTable {
  check(args: readonly string[], ctx: ProgramContext): Verdict;
}

/**
 * `flag`: no value; `text`/`path`/`output`: a value (attached or the next
 * word) — `path` is read, `output` is written (protected files ask);
 * `optional`: a value only when attached (`--color=auto`, `-U3`).
 */
export type ValueKind = 'flag' | 'text' | 'path' | 'output' | 'optional';

export interface OptionTable {
  options: Readonly<Record<string, ValueKind>>;
  /** Options refused on purpose, with what they would do. */
  refused?: Readonly<Record<string, string>>;
  /** `go`: `-name`/`--name`, `=value` or the next word, no clusters. */
  style?: 'gnu' | 'go';
  /** Options end at the first operand (node, python: the rest belongs to the script). */
  stopAtOperand?: boolean;
  /** `-5` is a count (head, git log). */
  numeric?: boolean;
}

export interface Parsed {
  options: Array<{ name: string; value?: string }>;
  operands: string[];
  /** Words after `--` (undefined: there was none). */
  afterDashes?: string[];
}

/** Options and operands of `args` read with `table`; a string says which word is not known-safe and why. */
export function readArgs(args: readonly string[], table: OptionTable, what: string, ctx: ProgramContext): Parsed | string {
  const parsed: Parsed = { options: [], operands: [] };
  const paths: Array<{ value: string; access: Access }> = [];
  const kindOf = (name: string): { kind: ValueKind } | { problem: string } => {
    const refused = table.refused?.[name];
    if (refused) return { problem: `\`${name}\` of \`${what}\` ${refused}` };
    const kind = table.options[name];
    return kind ? { kind } : { problem: `\`${name}\` is not an option Tandem knows to be safe for \`${what}\`` };
  };
  const take = (name: string, kind: ValueKind, value: string | undefined): void => {
    parsed.options.push(value === undefined ? { name } : { name, value });
    if ((kind === 'path' || kind === 'output') && value !== undefined) paths.push({ value, access: kind === 'output' ? 'write' : 'read' });
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      parsed.afterDashes = args.slice(i + 1);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (table.stopAtOperand) {
        parsed.operands.push(...args.slice(i));
        break;
      }
      parsed.operands.push(arg);
      continue;
    }
    if (table.numeric && /^-[0-9]+$/.test(arg)) {
      parsed.options.push({ name: '-NUM', value: arg.slice(1) });
      continue;
    }
    if (arg.startsWith('--') || table.style === 'go') {
      const eq = arg.indexOf('=');
      const written = eq < 0 ? arg : arg.slice(0, eq);
      const name = table.style === 'go' ? `-${written.replace(/^--?/, '')}` : written;
      const found = kindOf(name);
      if ('problem' in found) return found.problem;
      const known = found.kind;
      if (eq >= 0) {
        if (known === 'flag' && table.style !== 'go') return `\`${name}\` of \`${what}\` takes no value`;
        take(name, known, arg.slice(eq + 1));
      } else if (known === 'text' || known === 'path' || known === 'output') {
        const value = args[++i];
        if (value === undefined) return `\`${name}\` of \`${what}\` needs a value`;
        take(name, known, value);
      } else take(name, known, undefined);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const name = `-${arg[j]}`;
      const found = kindOf(name);
      if ('problem' in found) return found.problem;
      const known = found.kind;
      const rest = arg.slice(j + 1);
      if (known === 'flag') {
        take(name, known, undefined);
        continue;
      }
      if (known === 'optional' || rest !== '') take(name, known, rest);
      else {
        const value = args[++i];
        if (value === undefined) return `\`${name}\` of \`${what}\` needs a value`;
        take(name, known, value);
      }
      break;
    }
  }
  for (const { value, access } of paths) {
    const problem = checkPath(value, ctx, access);
    if (problem) return problem;
  }
  return parsed;
}

/**
 * Why `value`, as a path, may not be used unasked: outside the workspace
 * (after symlinks), a secret, ignored, not a regular file or folder, or —
 * when it is written — a protected file.
 */
export function checkPath(value: string, ctx: ProgramContext, access: Access = 'read'): Verdict {
  if (--ctx.budget.paths < 0) return `It names more than ${MAX_CHECKED_PATHS} files; longer lists always ask`;
  const decision = ctx.ws.decide(value, access);
  return decision.action === 'allow' ? undefined : `\`${shown(value, 40)}\`: ${decision.reason}`;
}

export function checkPaths(values: readonly string[], ctx: ProgramContext, allowStdin = false): Verdict {
  for (const value of values) {
    if (allowStdin && value === '-') continue;
    const problem = checkPath(value, ctx);
    if (problem) return problem;
  }
  return undefined;
}

/** Whether `value` names a folder in the workspace (after the boundary check). */
export function isFolder(value: string, ctx: ProgramContext): boolean {
  const decision = ctx.ws.decide(value, 'read');
  if (decision.action === 'refuse') return false;
  try {
    return statSync(decision.absolute).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `value` names an existing regular file in the workspace. */
export function isFile(value: string, ctx: ProgramContext): boolean {
  const decision = ctx.ws.decide(value, 'read');
  if (decision.action === 'refuse') return false;
  try {
    return statSync(decision.absolute).isFile();
  } catch {
    return false;
  }
}

/** A table of options from a compact list: `flags('-a -l --all')` → every one a flag. */
export function kinds(kind: ValueKind, names: string): Record<string, ValueKind> {
  return Object.fromEntries(
    names
      .split(/\s+/)
      .filter(Boolean)
      .map((name) => [name, kind]),
  );
}

export function has(parsed: Parsed, ...names: string[]): boolean {
  return parsed.options.some((option) => names.includes(option.name));
}

export function valueOf(parsed: Parsed, ...names: string[]): string | undefined {
  return parsed.options.find((option) => names.includes(option.name))?.value;
}
