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

/** Ignore-file lines longer than this are left out (no real rule is). */
const MAX_RULE_CHARS = 4096;
/** At most this many rules, and this many characters of rules, per ignore file. */
const MAX_RULES = 5_000;
const MAX_IGNORE_CHARS = 256 * 1024;
/** Paths nested deeper than this count as ignored: checking them costs the depth's square per rule. */
export const MAX_IGNORE_DEPTH = 64;

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
  let budget = MAX_IGNORE_CHARS;
  for (const raw of text.split('\n')) {
    // Repository content: bounded, and trimmed without regular expressions (a long inner run of
    // spaces or slashes would make a trailing-run pattern backtrack quadratically).
    if (raw.length > MAX_RULE_CHARS || rules.length >= MAX_RULES || (budget -= raw.length) < 0) continue;
    let line = trimTrailingBlanks(raw);
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    if (line.startsWith('\\#') || line.startsWith('\\!')) line = line.slice(1);
    let end = line.length;
    while (end > 0 && line[end - 1] === '/') end--;
    const dirOnly = end < line.length;
    line = line.slice(0, end);
    if (line === '') continue;
    const anchored = line.includes('/');
    try {
      rules.push({ glob: compileGlob(line.startsWith('/') ? line.slice(1) : line, { anchored, caseInsensitive: options.caseInsensitive === true }), negate, dirOnly });
    } catch {
      // Too complex to match cheaply: the rule is left out (secrets are refused whatever the ignore files say).
    }
  }
  return rules;
}

/** Trailing spaces, tabs and CRs go, except a space escaped with a backslash (as in git). */
function trimTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t' || line[end - 1] === '\r')) end--;
  if (end < line.length && end > 0 && line[end - 1] === '\\' && line[end] === ' ') end++;
  return line.slice(0, end);
}

export class IgnoreRules {
  private readonly cache = new Map<string, Rule[]>();
  private readonly folders = new Map<string, boolean>();

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
    if (parts.length > MAX_IGNORE_DEPTH) return true;
    if (isSecretPath(parts.join('/'))) return true;
    return this.folderIgnored(parts.slice(0, -1)) || this.matches(parts, isDir);
  }

  /** Whether a folder (or one above it) is ignored; remembered, since a walk asks for every file in it. */
  private folderIgnored(parts: string[]): boolean {
    if (parts.length === 0) return false;
    const key = parts.join('/');
    let ignored = this.folders.get(key);
    if (ignored === undefined) {
      ignored = this.folderIgnored(parts.slice(0, -1)) || this.matches(parts, true);
      this.folders.set(key, ignored);
    }
    return ignored;
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
