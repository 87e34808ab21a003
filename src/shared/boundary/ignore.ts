/**
 * Ignore rules of a workspace: `.gitignore`d files (root and nested
 * `.gitignore`s), `.tandemignore`, and secrets whatever the ignore files say
 * (rules.ts). Also the glob of `find_files` and `search_text`. Ignore files
 * are repository content: their globs run in linear time (glob.ts). Reads
 * ignore files lazily through `read`; matching is pure.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileGlob, type GlobMatcher } from './glob';
import { isSecretPath } from './rules';

export { isSecretPath } from './rules';

/** Folders no listing or search goes into. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git']);

interface Rule {
  glob: GlobMatcher;
  negate: boolean;
  dirOnly: boolean;
}

/** A `find_files` glob: without a '/', it matches the file name in any folder. */
export function fileGlob(glob: string): GlobMatcher {
  const clean = glob.trim().replace(/^\.\//, '').replace(/^\//, '');
  return compileGlob(clean, { anchored: clean.includes('/') });
}

/** Parses the lines of a `.gitignore`-style file into rules. Pure. */
export function parseIgnore(text: string, options: { caseInsensitive?: boolean } = {}): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    line = line.replace(/^\\([#!])/, '$1');
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.replace(/\/+$/, '');
    if (line === '') continue;
    const anchored = line.includes('/');
    rules.push({ glob: compileGlob(line.replace(/^\//, ''), { anchored, caseInsensitive: options.caseInsensitive === true }), negate, dirOnly });
  }
  return rules;
}

/**
 * Ignore rules of one workspace: secrets, `.tandemignore` at the root, and
 * every `.gitignore` from the root down to the file's folder. A file inside an
 * ignored folder is ignored (as in git).
 */
export class IgnoreRules {
  private readonly cache = new Map<string, Rule[]>();

  constructor(
    private readonly root: string,
    private readonly read: (absolute: string) => string | undefined = readText,
    /** Match ignore files without case (a file system that ignores case). */
    private readonly caseInsensitive = false,
  ) {}

  /** `relative`: '/'-separated, relative to root. Secrets (and secret folders) are always ignored. */
  isIgnored(relative: string, isDir = false): boolean {
    const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.length === 0) return false;
    if (isSecretPath(parts.join('/'))) return true;
    for (let i = 1; i <= parts.length; i++) {
      const dir = i < parts.length || isDir;
      if (this.matches(parts.slice(0, i), dir)) return true;
    }
    return false;
  }

  private matches(parts: string[], isDir: boolean): boolean {
    let ignored = false;
    const sources: Array<{ base: string[]; rules: Rule[] }> = [{ base: [], rules: this.rules('.tandemignore') }];
    for (let depth = 0; depth < parts.length; depth++) {
      const base = parts.slice(0, depth);
      sources.push({ base, rules: this.rules([...base, '.gitignore'].join('/')) });
    }
    // .gitignore files first (root to leaf), .tandemignore last: it can add to them, or let a file in again with `!` (never a secret: see isIgnored).
    sources.push(sources.shift() as { base: string[]; rules: Rule[] });
    for (const { base, rules } of sources) {
      const relative = parts.slice(base.length).join('/');
      for (const rule of rules) {
        if (rule.dirOnly && !isDir) continue;
        if (rule.glob.test(relative)) ignored = !rule.negate;
      }
    }
    return ignored;
  }

  private rules(relativeFile: string): Rule[] {
    let rules = this.cache.get(relativeFile);
    if (!rules) {
      const text = this.read(path.join(this.root, relativeFile));
      rules = text === undefined ? [] : parseIgnore(text, { caseInsensitive: this.caseInsensitive });
      this.cache.set(relativeFile, rules);
    }
    return rules;
  }
}

function readText(absolute: string): string | undefined {
  try {
    return readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
}
