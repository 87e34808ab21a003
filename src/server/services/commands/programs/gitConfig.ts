/**
 * The keys a repository's own git configuration sets (`.git/config`, and
 * for a worktree the main repository's config and `config.worktree`), read
 * with a small linear parser: `[section]`, `[section "sub"]`,
 * `[section.sub]` and `key = value` lines. An `include` makes the result
 * unreadable (the included file could set anything).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const MAX_CONFIG_BYTES = 256 * 1024;

export interface RepositoryConfig {
  /** Full lower-case keys: `core.fsmonitor`, `diff.x.textconv`. */
  keys: string[];
  /** Why it could not be read completely. */
  unreadable?: string;
}

export function repositoryGitConfig(root: string): RepositoryConfig {
  const gitDir = findGitDir(root);
  if (gitDir === undefined) return { keys: [] };
  if (typeof gitDir !== 'string') return { keys: [], unreadable: gitDir.problem };
  const files = [path.join(gitDir, 'config'), path.join(gitDir, 'config.worktree')];
  const common = readSmall(path.join(gitDir, 'commondir'));
  if (typeof common === 'string') files.push(path.join(path.resolve(gitDir, common.trim()), 'config'));
  const keys: string[] = [];
  for (const file of files) {
    const text = readSmall(file);
    if (text === undefined) continue;
    if (text === null) return { keys, unreadable: `${path.basename(file)} is too large` };
    keys.push(...configKeys(text));
  }
  const include = keys.find((key) => key.startsWith('include.') || key.startsWith('includeif.'));
  return include ? { keys, unreadable: `it includes another file (${include})` } : { keys };
}

function findGitDir(root: string): string | { problem: string } | undefined {
  const dotGit = path.join(root, '.git');
  let stat;
  try {
    stat = statSync(dotGit);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return dotGit;
  const text = readSmall(dotGit);
  const match = text ? /^gitdir:[ \t]*(.+)$/m.exec(text) : null;
  if (!match?.[1]) return { problem: '.git is neither a folder nor a gitdir link' };
  return path.resolve(root, match[1].trim());
}

/** The text of a small file; undefined when missing, null when too large. */
function readSmall(file: string): string | undefined | null {
  try {
    if (statSync(file).size > MAX_CONFIG_BYTES) return null;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function configKeys(text: string): string[] {
  const keys: string[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const close = line.indexOf(']');
      const header = close < 0 ? line.slice(1) : line.slice(1, close);
      const quote = header.indexOf('"');
      section = quote < 0 ? header.trim().toLowerCase() : `${header.slice(0, quote).trim().toLowerCase()}.${header.slice(quote + 1, header.lastIndexOf('"') > quote ? header.lastIndexOf('"') : undefined)}`;
      line = close < 0 ? '' : line.slice(close + 1).trim();
      if (line === '') continue;
    }
    const name = line.split('=')[0]?.trim().toLowerCase() ?? '';
    if (name !== '' && section !== '') keys.push(`${section}.${name}`);
  }
  return keys;
}
