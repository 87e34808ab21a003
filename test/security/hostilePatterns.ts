/**
 * Hostile patterns for the service's pattern engines, shared by the security
 * tests and the stall figures: regular expressions that backtrack for ages on
 * a JavaScript engine (each with lines that trigger it and the right answer
 * worked out without a regex), patterns RE2 cannot run, and globs that blow
 * up naive matchers. Plus the calls the tests run in a worker (isolated.ts):
 * plain arguments in, plain results out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AgentWorkspace, type ToolOutcome } from '../../src/server/agent/workspace';
import { detectFormat } from '../../src/server/edits/detect';
import { extractCode } from '../../src/server/propose/proposeEdit';
import { IgnoreRules, parseIgnore } from '../../src/shared/boundary/ignore';
import { seededRandom } from '../support/random';

export interface Line {
  text: string;
  /** Whether JavaScript's `new RegExp(pattern).test(text)` is true (worked out by hand, not by a regex). */
  match: boolean;
}

export interface HostileRegex {
  name: string;
  pattern: string;
  /** Lines of about `size` characters: the slow case of a backtracking engine, and a near miss of it. */
  lines(size: number): Line[];
}

const isWord = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9_]$/.test(c);
const trailing = (text: string, char: string): number => {
  let n = 0;
  while (n < text.length && text[text.length - 1 - n] === char) n++;
  return n;
};
const count = (text: string, char: string): number => text.split(char).length - 1;

/** Random text over `alphabet`, with `at` (counted from the end) forced to `char`. */
function randomLine(size: number, alphabet: string, seed: number, force?: { fromEnd: number; char: string }): string {
  const random = seededRandom(seed);
  const chars = Array.from({ length: size }, () => alphabet[Math.floor(random() * alphabet.length)] as string);
  if (force && force.fromEnd <= size) chars[size - force.fromEnd] = force.char;
  return chars.join('');
}

/** Line sizes of the pathological inputs: the largest is over the line limit of every pattern. */
export const LINE_SIZES = [600, 6_000, 60_000, 600_000] as const;

export const HOSTILE_REGEXES: readonly HostileRegex[] = [
  {
    name: 'nested plus, anchored: (a+)+$',
    pattern: '(a+)+$',
    lines: (n) => [
      { text: `${'a'.repeat(n)}!`, match: false },
      { text: 'a'.repeat(n), match: true },
    ],
  },
  {
    name: 'nested star: (a*)*b',
    pattern: '(a*)*b',
    lines: (n) => [
      { text: 'a'.repeat(n), match: false },
      { text: `${'a'.repeat(n)}b`, match: true },
    ],
  },
  {
    name: 'overlapping pluses: (x+x+)+y',
    pattern: '(x+x+)+y',
    lines: (n) => [
      { text: 'x'.repeat(n), match: false },
      { text: `${'x'.repeat(n)}y`, match: true },
    ],
  },
  {
    name: 'repeated wildcard group: (.*a){20}',
    pattern: '(.*a){20}',
    lines: (n) => {
      const few = `${'a'.repeat(19)}${'b'.repeat(n)}`;
      const many = 'ab'.repeat(Math.ceil(n / 2));
      return [
        { text: few, match: count(few, 'a') >= 20 },
        { text: many, match: count(many, 'a') >= 20 },
      ];
    },
  },
  {
    name: 'alternation overlap: (a|aa)+$',
    pattern: '(a|aa)+$',
    lines: (n) => [
      { text: `${'a'.repeat(n)}!`, match: false },
      { text: 'a'.repeat(n), match: true },
    ],
  },
  {
    name: 'identical alternatives: (a|a)*b',
    pattern: '(a|a)*b',
    lines: (n) => [
      { text: 'a'.repeat(n), match: false },
      { text: `${'a'.repeat(n)}b`, match: true },
    ],
  },
  {
    name: 'anchored digits: ^(\\d+)*$',
    pattern: '^(\\d+)*$',
    lines: (n) => [
      { text: `${'1'.repeat(n)}x`, match: false },
      { text: '1'.repeat(n), match: true },
    ],
  },
  {
    name: 'words and optional spaces: (\\w+\\s?)+$',
    pattern: '(\\w+\\s?)+$',
    lines: (n) => {
      const words = 'word '.repeat(Math.ceil(n / 5));
      const end = (text: string): boolean => isWord(text.at(-1)) || (text.at(-1) === ' ' && isWord(text.at(-2)));
      return [
        { text: `${words}!`, match: end(`${words}!`) },
        { text: words, match: end(words) },
      ];
    },
  },
  {
    name: 'e-mail check: ^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
    pattern: '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
    lines: (n) => [
      { text: `${'a'.repeat(n)}!`, match: false },
      { text: `${'a'.repeat(n)}@b.com`, match: true },
    ],
  },
  {
    name: 'large counted repetition: (?:a?){160}a{160}$',
    pattern: '(?:a?){160}a{160}$',
    lines: (n) => {
      const short = 'a'.repeat(Math.min(n, 159));
      return [
        { text: short, match: trailing(short, 'a') >= 160 },
        { text: 'a'.repeat(n), match: n >= 160 },
      ];
    },
  },
  {
    name: 'state explosion for a DFA: [ab]*a[ab]{20}$',
    pattern: '[ab]*a[ab]{20}$',
    lines: (n) =>
      (['a', 'b'] as const).map((char, i) => {
        const text = randomLine(n, 'ab', n + i, { fromEnd: 21, char });
        return { text, match: text.length >= 21 && text[text.length - 21] === 'a' };
      }),
  },
  {
    name: 'wildcard then a long count: .*e.{200}$',
    pattern: '.*e.{200}$',
    lines: (n) =>
      (['e', 'x'] as const).map((char, i) => {
        const text = randomLine(n, 'abcdefgh', 7 * n + i, { fromEnd: 201, char });
        return { text, match: text.length >= 201 && text[text.length - 201] === 'e' };
      }),
  },
];

export interface RefusedRegex {
  pattern: string;
  /** What the refusal must say. */
  reason: RegExp;
}

const BACKREFERENCE = /no backreferences/;
const LOOKAROUND = /no lookahead or lookbehind/;
const TOO_LARGE = /too large|above 1000/;

/** Patterns the linear-time engine cannot run or will not build, by class, generated. */
export function refusedRegexes(): RefusedRegex[] {
  const refused: RefusedRegex[] = [];
  for (let k = 1; k <= 9; k++) {
    const groups = '(a)'.repeat(k);
    refused.push({ pattern: `${groups}\\${k}`, reason: BACKREFERENCE });
    refused.push({ pattern: `x|${groups}(?:\\${k})+`, reason: BACKREFERENCE });
  }
  refused.push({ pattern: '(?<word>\\w+) \\k<word>', reason: BACKREFERENCE });
  refused.push({ pattern: '(?P<word>\\w+) (?P=word)', reason: BACKREFERENCE });
  refused.push({ pattern: '^(["\'])(.*)\\1$', reason: BACKREFERENCE });
  for (const open of ['(?=', '(?!', '(?<=', '(?<!']) {
    for (const shape of ['{}bar)', 'foo{}bar)', '(?:a{}b))+', '^{}\\d)+x', 'x|({}y))*']) {
      refused.push({ pattern: shape.replace('{}', open), reason: LOOKAROUND });
    }
  }
  for (const pattern of ['\\012', '\\01', '[\\1]', '[a\\7]']) refused.push({ pattern, reason: /Octal/ });
  for (const count of [1001, 5000, 99999]) refused.push({ pattern: `a{${count}}`, reason: TOO_LARGE });
  for (const count of [300, 500, 1000]) refused.push({ pattern: `(?:a?){${count}}a{${count}}$`, reason: TOO_LARGE });
  for (const [inner, times] of [
    [10, 300],
    [100, 30],
    [900, 1000],
    [500, 999],
  ] as const) {
    refused.push({ pattern: `(?:${'x'.repeat(inner)}){${times}}`, reason: TOO_LARGE });
  }
  refused.push({ pattern: '((a{10}){10}){11}', reason: TOO_LARGE });
  refused.push({ pattern: `(?:${Array.from({ length: 60 }, (_, i) => `w${i}`).join('|')}){200}`, reason: TOO_LARGE });
  refused.push({ pattern: `[a-z]{1000}[0-9]{1000}[A-Z]{1000}`, reason: TOO_LARGE });
  refused.push({ pattern: 'a'.repeat(1001), reason: /at most 1000/ });
  return refused;
}

/** A temporary workspace with these files ('/'-separated relative paths). */
export function makeWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tandem-patterns-'));
  for (const [relative, text] of Object.entries(files)) {
    const absolute = path.join(root, ...relative.split('/'));
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
  }
  return root;
}

export function removeWorkspace(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** The file of a hostile regex case: every line of every size, one per line. */
export function caseFile(entry: HostileRegex): { text: string; lines: Line[] } {
  const lines = LINE_SIZES.flatMap((size) => entry.lines(size));
  return { text: `${lines.map((line) => line.text).join('\n')}\n`, lines };
}

// ---- Calls made in a worker (isolated.ts): plain data in and out. ----

export async function searchAll(root: string, calls: ReadonlyArray<{ pattern: string; glob?: string }>): Promise<ToolOutcome[]> {
  const ws = new AgentWorkspace(root);
  const outcomes: ToolOutcome[] = [];
  for (const call of calls) outcomes.push(await ws.searchText(call));
  return outcomes;
}

export async function findAll(root: string, globs: readonly string[]): Promise<ToolOutcome[]> {
  const ws = new AgentWorkspace(root);
  const outcomes: ToolOutcome[] = [];
  for (const glob of globs) outcomes.push(await ws.findFiles({ glob }));
  return outcomes;
}

/** Which of `paths` a workspace's ignore rules ignore. */
export function ignoredPaths(root: string, paths: readonly string[]): string[] {
  const rules = new IgnoreRules(root);
  return paths.filter((relative) => rules.isIgnored(relative));
}

/** Parses an ignore file: the number of rules. */
export function ruleCount(text: string): number {
  return parseIgnore(text).length;
}

/** The edit format of a model answer that is `blankLines` empty lines and then a word (a model stuck emitting newlines). */
export function formatAfterBlankLines(blankLines: number): string | undefined {
  return detectFormat(`${'\n'.repeat(blankLines)}done`);
}

/** The code of a selection answer with a run of `spaces` spaces inside it. */
export function codeWithInnerSpaces(spaces: number): number {
  return extractCode(`a${' '.repeat(spaces)}b`)?.length ?? 0;
}
