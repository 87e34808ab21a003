/**
 * Recognises the file path a model writes before a block: a line holding
 * just the path, `File: path`, `### path`, `**path**`, `<path>path</path>`,
 * a path with a remark (`### src/a.ts (new file)`, `src/a.ts — the entry`),
 * a lead-in naming one path in backticks (“Here is the updated `src/a.ts`:”),
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
  if (isPathLike(text, exists)) return text;
  return pathWithRemark(text, exists) ?? pathInLeadIn(line.trim(), exists);
}

/** A path that clearly is one: it exists, or has a folder or an extension. */
function clearlyPath(token: string, exists?: (path: string) => boolean): boolean {
  return isPathLike(token, exists) && (exists?.(token) === true || token.includes('/') || /\.[A-Za-z0-9_]+$/.test(token));
}

/** `src/a.ts (new file)`, `src/a.ts - the entry point`. */
function pathWithRemark(text: string, exists?: (path: string) => boolean): string | undefined {
  const match = /^(\S+)\s+(?:\([^)]*\)|[-\u2013\u2014]\s.*)$/.exec(text);
  const token = match ? unquotePath((match[1] ?? '').replace(/:$/, '')) : undefined;
  return token !== undefined && clearlyPath(token, exists) ? token : undefined;
}

/** A sentence ending with a colon that names exactly one path, in backticks: “Here is the updated `src/a.ts`:”. */
function pathInLeadIn(text: string, exists?: (path: string) => boolean): string | undefined {
  if (!text.endsWith(':')) return undefined;
  const quoted = Array.from(text.matchAll(/`([^`\s]+)`/g), (match) => match[1] ?? '').filter((token) => clearlyPath(token, exists));
  return quoted.length === 1 && (exists?.(quoted[0] ?? '') === true || (quoted[0] ?? '').includes('/')) ? quoted[0] : undefined;
}

/**
 * Whether a line can only be a path hint for code that should follow it (a
 * heading, label, tag or emphasis around a path, or the target file's own
 * name), not a line of code.
 */
export function isPathHintLine(line: string, target: string | undefined, exists?: (path: string) => boolean): boolean {
  const text = line.trim();
  const path = pathFromLine(text, exists);
  if (path === undefined) return false;
  return path === target || exists?.(path) === true || /^(?:#{1,6}\s|<path>|\*\*|`|(?:file(?:name|\s*path)?|path)\s*[:=])/i.test(text);
}

/** Whether a line introduces code that should follow it (“Here is the updated file:”), so text ending with it was cut off. */
export function isLeadInLine(line: string): boolean {
  const text = line.trim();
  return /^[A-Z]/.test(text) && text.endsWith(':') && text.split(/\s+/).length >= 3 && !/[(=;{]/.test(text);
}

/** Whether `token` does not exist but ends with an existing path that has a folder, right after a word (`tssrc/a.ts`). */
function fusedWithLanguage(token: string, exists?: (path: string) => boolean): boolean {
  if (!exists || exists(token)) return false;
  for (let k = 1; k < token.length; k++) {
    const rest = token.slice(k);
    if (/\w/.test(token[k - 1] ?? '') && rest.includes('/') && exists(rest)) return true;
  }
  return false;
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
    if (i === 0 && fusedWithLanguage(token, exists)) {
      // ```tssrc/a.ts: the language and an existing path without the space between; which file is meant is unclear.
      return undefined;
    }
    if (isPathLike(token, exists)) {
      return token;
    }
  }
  return undefined;
}
