/**
 * Recognises the file path a model writes before a block: a line holding
 * just the path, `File: path`, `### path`, `**path**`, `<path>path</path>`,
 * or a path in a fence info string (```ts src/a.ts).
 */
import { unquotePath } from './paths';

const EXTENSIONLESS = new Set(['Makefile', 'Dockerfile', 'Containerfile', 'Gemfile', 'Rakefile', 'Procfile', 'Jenkinsfile', 'LICENSE', 'README', 'CODEOWNERS']);
const LABEL = /^(?:file(?:name|\s*path)?|path)\s*[:=]\s*(.+)$/i;

/** Whether a single token looks like a file path (not a word, a number or a URL). */
export function isPathLike(token: string, exists?: (path: string) => boolean): boolean {
  if (token === '' || /\s/.test(token) || token.includes('://') || /^[\d.]+$/.test(token)) {
    return false;
  }
  if (!/^[\w@.\-+~/\\[\]()$#%,]+$/.test(token)) {
    return false;
  }
  if (exists?.(token)) {
    return true;
  }
  const base = token.split(/[/\\]/).pop() ?? token;
  return /\.[A-Za-z0-9_]+$/.test(base) || EXTENSIONLESS.has(base) || (token.includes('/') && !token.endsWith('/') && base !== '');
}

/** The path a line outside any block names, if it names one. */
export function pathFromLine(line: string, exists?: (path: string) => boolean): string | undefined {
  let text = line.trim();
  const tag = /^<path>(.+)<\/path>$/.exec(text);
  if (tag) {
    return unquotePath(tag[1] ?? '');
  }
  text = text.replace(/^#{1,6}\s+/, '').replace(/^(?:\/\/|#|--)\s+/, '');
  text = unquotePath(text);
  const label = LABEL.exec(text);
  if (label) {
    const value = unquotePath(label[1] ?? '');
    return value !== '' && !/\s/.test(value) ? value : undefined;
  }
  text = unquotePath(text.replace(/:$/, ''));
  return isPathLike(text, exists) ? text : undefined;
}

/** The path in a fence info string (```ts src/a.ts, ```src/a.ts, ```ts title="src/a.ts"). */
export function pathFromFenceInfo(info: string, exists?: (path: string) => boolean): string | undefined {
  const tokens = info.split(/\s+/).filter((token) => token !== '');
  for (const [i, raw] of tokens.entries()) {
    const token = unquotePath(raw.replace(/^(?:path|file|filename|title)=/i, ''));
    // The first token is usually the language; it is a path only when it looks like one (has '/' or an extension).
    if (i === 0 && !token.includes('/') && !/\.[A-Za-z0-9_]+$/.test(token)) {
      continue;
    }
    if (isPathLike(token, exists)) {
      return token;
    }
  }
  return undefined;
}
