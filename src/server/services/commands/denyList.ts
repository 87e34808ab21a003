/**
 * Deny-list entries and how they match what a command runs. An entry is a
 * program and words: `rm -r`, `git push`, `git reset --hard`, `curl | sh`.
 * - The program compares by file name without case or `.exe` (`/bin/RM` is
 *   `rm`); `mkfs` also matches `mkfs.ext4`.
 * - `-r`, `-rf` (one or two letters): the command has each letter among its
 *   short options, in any cluster or case, or the long option with that
 *   meaning (`--recursive`, `--force`, also abbreviated: `--rec`).
 * - `--hard`: that long option or an abbreviation of it (`--har`).
 * - Other words: the first is the subcommand, the first word that is not an
 *   option (`push` in `git -C . push`; `git log push` is not `git push`);
 *   the rest must follow it in that order.
 * - `a | b`: a command matching `a` piped, later in the same pipeline, into
 *   one matching `b`.
 * A word only known at run time (`$x`, `*`) could be any of these, so it
 * matches them; after `--` words are not options.
 */
import type { Word } from './ast';
import type { Invocation } from './invocations';
import { programKey, shown } from './program';

type Requirement = { kind: 'letters'; letters: string } | { kind: 'long'; name: string } | { kind: 'exact'; word: string };

interface Part {
  program: string;
  options: Requirement[];
  words: string[];
}

export interface DenyEntry {
  text: string;
  parts: Part[];
}

/** Long options and the short letter they stand for. */
const LONG_LETTERS: ReadonlyArray<[string, string]> = [
  ['recursive', 'r'],
  ['force', 'f'],
  ['dereference-recursive', 'r'],
];

export function compileDenyList(entries: readonly string[]): DenyEntry[] {
  const compiled: DenyEntry[] = [];
  for (const text of entries) {
    const parts = text
      .split('|')
      .map((part) => part.trim().split(/\s+/).filter(Boolean))
      .filter((words) => words.length > 0)
      .map(compilePart);
    if (parts.length > 0) compiled.push({ text: text.trim(), parts });
  }
  return compiled;
}

function compilePart(words: string[]): Part {
  const options: Requirement[] = [];
  const plain: string[] = [];
  for (const word of words.slice(1)) {
    if (/^-[A-Za-z]{1,2}$/.test(word)) options.push({ kind: 'letters', letters: word.slice(1).toLowerCase() });
    else if (/^--[A-Za-z0-9][A-Za-z0-9-]*$/.test(word)) options.push({ kind: 'long', name: word.slice(2) });
    else if (word.startsWith('-') && word.length > 1) options.push({ kind: 'exact', word });
    else plain.push(word);
  }
  return { program: programKey(words[0] ?? ''), options, words: plain };
}

export interface DenyHit {
  entry: DenyEntry;
  invocation: Invocation;
  /** For `a | b` entries: the commands that matched each part. */
  chain?: Invocation[];
  /** A word only known at run time that the match relies on. */
  runtime?: Word;
  /** The match relies on words the command gets from its input (xargs). */
  byInput?: boolean;
}

/** The first entry a pipeline (its commands, each with what it wraps) matches. */
export function matchDenyList(pipeline: readonly Invocation[][], entries: readonly DenyEntry[]): DenyHit | undefined {
  for (const entry of entries) {
    if (entry.parts.length === 1) {
      const part = entry.parts[0] as Part;
      for (const element of pipeline) {
        for (const invocation of element) {
          const hit = matchPart(invocation, part);
          if (hit) return { entry, invocation, ...hit };
        }
      }
      continue;
    }
    const chain: Invocation[] = [];
    let last: DenyHit | undefined;
    for (const element of pipeline) {
      const part = entry.parts[chain.length];
      if (!part) break;
      for (const invocation of element) {
        const hit = matchPart(invocation, part);
        if (hit) {
          chain.push(invocation);
          last = { entry, invocation, ...hit, chain };
          break;
        }
      }
    }
    if (chain.length === entry.parts.length && last) return last;
  }
  return undefined;
}

function matchPart(invocation: Invocation, part: Part): { runtime?: Word; byInput?: boolean } | undefined {
  const first = invocation.words[0];
  if (!first) return undefined;
  const key = programKey(first.value);
  if (key !== part.program && !key.startsWith(`${part.program}.`)) return undefined;
  const args = invocation.words.slice(1);
  const dashes = args.findIndex((word) => word.dynamic === 'none' && word.value === '--');
  const options = dashes < 0 ? args : args.slice(0, dashes);
  // A word that could become an option at run time (or xargs input before any `--`) matches any option.
  const runtimeOption = options.find((word) => word.dynamic === 'any');
  const anyOption = runtimeOption !== undefined || (invocation.appended && dashes < 0);
  let runtime: Word | undefined = runtimeOption;
  let byInput = part.options.length > 0 && anyOption && !runtimeOption;
  if (part.options.length > 0 && !anyOption) {
    const letters = new Set<string>();
    const longs: string[] = [];
    for (const word of options) {
      if (word.dynamic !== 'none') continue;
      const v = word.value;
      if (v.startsWith('--')) longs.push(v.slice(2).split('=')[0] ?? '');
      else if (v.startsWith('-')) for (const letter of v.slice(1)) letters.add(letter.toLowerCase());
    }
    for (const long of longs) {
      for (const [name, letter] of LONG_LETTERS) if (long !== '' && name.startsWith(long)) letters.add(letter);
    }
    for (const requirement of part.options) {
      const met =
        requirement.kind === 'letters'
          ? [...requirement.letters].every((letter) => letters.has(letter))
          : requirement.kind === 'long'
            ? longs.some((long) => long !== '' && requirement.name.startsWith(long))
            : args.some((word) => word.value === requirement.word);
      if (!met) return undefined;
    }
  }
  // The first word is the subcommand: the first word that is not an option (or, after an option, maybe its value).
  // Later words only have to follow in order.
  let wanted = 0;
  for (const [index, word] of args.entries()) {
    if (wanted >= part.words.length) break;
    const want = part.words[wanted] as string;
    const previous = args[index - 1];
    const mayBeValue = previous !== undefined && previous.dynamic === 'none' && previous.value.startsWith('-') && !previous.value.includes('=') && previous.value !== '--';
    if (word.dynamic === 'any') {
      runtime ??= word;
      wanted = part.words.length;
    } else if (word.dynamic === 'nonflag' ? want === '*' || want.startsWith(word.prefix) : want === '*' || word.value === want) {
      if (word.dynamic !== 'none') runtime ??= word;
      wanted += 1;
    } else if (wanted === 0 && !mayBeValue && !(word.dynamic === 'none' && word.value.startsWith('-'))) {
      return undefined;
    }
  }
  if (wanted < part.words.length && invocation.appended) {
    wanted = part.words.length;
    byInput = true;
  }
  if (wanted < part.words.length) return undefined;
  return { ...(runtime ? { runtime } : {}), ...(byInput ? { byInput } : {}) };
}

/** "`rm -r build` (run by `xargs`) matches the deny-list entry `rm -r`." */
export function describeDenyHit(hit: DenyHit): string {
  const command = shown((hit.chain ?? [hit.invocation]).map((invocation) => invocation.words.map((word) => word.raw).join(' ')).join(' | '), 60);
  const via = hit.invocation.via ? ` (${hit.invocation.via})` : '';
  if (hit.byInput && !hit.runtime) {
    return `\`${command}\`${via} could match the deny-list entry \`${hit.entry.text}\` with the words it gets from its input.`;
  }
  if (hit.runtime) {
    return `\`${command}\`${via} could match the deny-list entry \`${hit.entry.text}\`: \`${shown(hit.runtime.raw, 30)}\` is only known when the command runs.`;
  }
  return `\`${command}\`${via} matches the deny-list entry \`${hit.entry.text}\`.`;
}
