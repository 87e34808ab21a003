/**
 * Reads the options of a program the way getopt does, from a small
 * description: which options are flags, which take a value, which take a
 * value only when attached (`-i{}`, `--color=auto`). Used to find where a
 * wrapper's own options end and the command it runs begins.
 */
import type { Word } from './ast';

export interface OptionSpec {
  /** Options without a value: `-i --null`. */
  flags?: string;
  /** Options with a value (attached or the next word): `-u --unset`. */
  valued?: string;
  /** Options whose value is attached only, if given at all: `-i[R]`, `--replace[=R]`. */
  attached?: string;
  /** Any `--name=value` is accepted (programs whose long options always use `=`). */
  anyLongWithEquals?: boolean;
  /** `-5` is an option (nice's adjustment). */
  numeric?: boolean;
  /** A lone `-` is an option (env). */
  dashOption?: boolean;
  /** Options also after operands (GNU permutation) — the wrapper's command never starts before them. */
}

export interface ReadOption {
  name: string;
  /** The value: a word, or text cut from a cluster or after `=`. */
  value?: Word | string;
}

export type ReadOptions =
  | { ok: true; options: ReadOption[]; rest: number }
  | { ok: false; word: Word; why: 'unknown' | 'runtime' | 'missing' };

interface CompiledSpec {
  flags: Set<string>;
  valued: Set<string>;
  attached: Set<string>;
  spec: OptionSpec;
}

const compiled = new WeakMap<OptionSpec, CompiledSpec>();

function compile(spec: OptionSpec): CompiledSpec {
  let done = compiled.get(spec);
  if (!done) {
    const set = (text?: string): Set<string> => new Set((text ?? '').split(/\s+/).filter(Boolean));
    done = { flags: set(spec.flags), valued: set(spec.valued), attached: set(spec.attached), spec };
    compiled.set(spec, done);
  }
  return done;
}

/**
 * Options from `words[from]` up to the first operand (or `--`). `rest` is
 * the index of the first word after them. A word only known at run time
 * where an option could be, or an option not in the spec, stops the read:
 * then it is not known where the command starts.
 */
export function readOptions(words: readonly Word[], from: number, spec: OptionSpec): ReadOptions {
  const c = compile(spec);
  const options: ReadOption[] = [];
  let i = from;
  while (i < words.length) {
    const word = words[i] as Word;
    if (word.dynamic === 'any') return { ok: false, word, why: 'runtime' };
    const v = word.value;
    if (v === '--') return { ok: true, options, rest: i + 1 };
    if (v === '-' && spec.dashOption) {
      options.push({ name: '-' });
      i += 1;
      continue;
    }
    if (!v.startsWith('-') || v === '-' || word.dynamic !== 'none') break;
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = eq < 0 ? v : v.slice(0, eq);
      if (eq >= 0 && (c.valued.has(name) || c.attached.has(name) || c.flags.has(name) || spec.anyLongWithEquals)) {
        options.push({ name, value: v.slice(eq + 1) });
        i += 1;
        continue;
      }
      if (c.valued.has(name)) {
        const value = words[i + 1];
        if (!value) return { ok: false, word, why: 'missing' };
        options.push({ name, value });
        i += 2;
        continue;
      }
      if (c.flags.has(name) || c.attached.has(name)) {
        options.push({ name });
        i += 1;
        continue;
      }
      return { ok: false, word, why: 'unknown' };
    }
    if (spec.numeric && /^-[0-9]+$/.test(v)) {
      options.push({ name: '-NUM', value: v.slice(1) });
      i += 1;
      continue;
    }
    // A cluster of short options: `-abc`, `-n5`, `-u NAME`.
    let next = i + 1;
    for (let j = 1; j < v.length; j++) {
      const name = `-${v[j]}`;
      const rest = v.slice(j + 1);
      if (c.valued.has(name)) {
        if (rest !== '') options.push({ name, value: rest });
        else {
          const value = words[i + 1];
          if (!value) return { ok: false, word, why: 'missing' };
          options.push({ name, value });
          next = i + 2;
        }
        break;
      }
      if (c.attached.has(name)) {
        options.push({ name, value: rest });
        break;
      }
      if (!c.flags.has(name)) return { ok: false, word, why: 'unknown' };
      options.push({ name });
    }
    i = next;
  }
  return { ok: true, options, rest: i };
}

export function optionText(value: Word | string | undefined): string | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? value : value.value;
}

/** The value is only known at run time. */
export function optionIsRuntime(value: Word | string | undefined): boolean {
  return value !== undefined && typeof value !== 'string' && value.dynamic !== 'none';
}
