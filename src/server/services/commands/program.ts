/** What program a simple command runs, as far as the text tells. */
import type { Word } from './ast';

export type ProgramName =
  /** `name`: the file name as written (`rm` for `/bin/rm`); `key`: compared without case or `.exe` (deny list). */
  | { kind: 'static'; name: string; key: string; path: boolean }
  /** The name is only known when the shell runs it (`$x`, `$(…)`, `r*`). */
  | { kind: 'dynamic' };

export function programOf(word: Word): ProgramName {
  const slash = word.value.lastIndexOf('/');
  // Static when nothing after the last `/` is only known at run time and the word cannot split.
  if (word.dynamic !== 'none' && (word.splits || slash < 0 || slash + 1 < word.dynamicEnd)) return { kind: 'dynamic' };
  const name = word.value.slice(slash + 1);
  return { kind: 'static', name, key: programKey(name), path: slash >= 0 };
}

/** How deny-list entries compare program names: `RM`, `rm.exe` and `rm` are one program (file systems may ignore case). */
export function programKey(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
  return base.endsWith('.exe') ? base.slice(0, -4) : base;
}

/** A word for messages: as written, shortened. */
export function shown(text: string, max = 60): string {
  // Only the start is shown, so only the start is cleaned (commands can be long).
  const line = text.slice(0, max * 2).replace(/\s+/g, ' ').trim();
  return line.length > max || text.length > max * 2 ? `${line.slice(0, max - 1)}…` : line;
}

export function joinRaw(words: readonly Word[], max = 60): string {
  return shown(words.slice(0, max).map((word) => word.raw.slice(0, max)).join(' '), max);
}

/** A copy of `word` whose value is only known at run time (xargs's `{}` replaced by its input). */
export function runtimeWord(word: Word, kind: 'any' | 'nonflag'): Word {
  return { ...word, dynamic: kind, splits: kind === 'any' ? true : word.splits, prefix: kind === 'any' ? '' : word.prefix, dynamicEnd: word.value.length };
}

/** A static word made from text (a script split by `env -S`, a git alias). */
export function textWord(value: string): Word {
  return { raw: value, value, prefix: value, dynamic: 'none', splits: false, dynamicEnd: 0, notes: [], scripts: [], literal: true, quoted: false, start: 0 };
}
