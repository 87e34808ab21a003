/**
 * What the agent must not read or send: `.gitignore`d files (root and nested
 * `.gitignore`s), `.tandemignore`, and secrets whatever the ignore files say
 * (`.env*`, keys, certificates). Also the glob matcher of `find_files` and
 * `search_text`. Reads ignore files from disk lazily; matching is pure.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Never read or sent, whatever the ignore files say. */
export const SECRET_PATTERNS: readonly string[] = [
  '.env*',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.keystore',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.npmrc',
  '.netrc',
  '.pypirc',
  '.git-credentials',
];

/** Folders no listing or search goes into. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git']);

interface Rule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

/**
 * A glob as a regular expression over '/'-separated paths: `**` any number of
 * folders, `*` and `?` within one name, `[abc]` classes, `{a,b}` choices.
 */
export function globToRegExp(glob: string, options: { anchored: boolean } = { anchored: true }): RegExp {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      const atStart = i === 0 || glob[i - 1] === '/';
      if (atStart && slashAfter) {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
      } else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else if (c === '{') {
      braces += 1;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces -= 1;
      out += ')';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeChar(glob[++i] ?? '');
    } else {
      out += escapeChar(c);
    }
  }
  out += ')'.repeat(braces);
  return new RegExp(`${options.anchored ? '^' : '^(?:.*/)?'}${out}$`);
}

function escapeChar(c: string): string {
  return /[.+^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** A `find_files` glob: without a '/', it matches the file name in any folder. */
export function fileGlob(glob: string): RegExp {
  const clean = glob.trim().replace(/^\.\//, '').replace(/^\//, '');
  return globToRegExp(clean, { anchored: clean.includes('/') });
}

/** Parses the lines of a `.gitignore`-style file into rules. Pure. */
export function parseIgnore(text: string): Rule[] {
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
    rules.push({ regex: globToRegExp(line.replace(/^\//, ''), { anchored }), negate, dirOnly });
  }
  return rules;
}

const SECRET_RULES = parseIgnore(SECRET_PATTERNS.join('\n'));

/** True when `relative` (a file, '/'-separated) is a secret by name. */
export function isSecretPath(relative: string): boolean {
  const name = relative.slice(relative.lastIndexOf('/') + 1);
  return SECRET_RULES.some((rule) => rule.regex.test(name));
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
  ) {}

  /** `relative`: '/'-separated, relative to root. */
  isIgnored(relative: string, isDir = false): boolean {
    const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.length === 0) return false;
    if (!isDir && isSecretPath(relative)) return true;
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
    // .gitignore files first (root to leaf), .tandemignore last: it can only add to them.
    sources.push(sources.shift() as { base: string[]; rules: Rule[] });
    for (const { base, rules } of sources) {
      const relative = parts.slice(base.length).join('/');
      for (const rule of rules) {
        if (rule.dirOnly && !isDir) continue;
        if (rule.regex.test(relative)) ignored = !rule.negate;
      }
    }
    return ignored;
  }

  private rules(relativeFile: string): Rule[] {
    let rules = this.cache.get(relativeFile);
    if (!rules) {
      const text = this.read(path.join(this.root, relativeFile));
      rules = text === undefined ? [] : parseIgnore(text);
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
