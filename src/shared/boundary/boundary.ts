/**
 * The workspace boundary: one decision for every read, list, search, write,
 * delete and move that Tandem makes on a model's or a repository's say-so.
 * Decided on the real path: symbolic links are followed (also dangling ones
 * and links in the middle of a path), so `linkdir -> ../outside`,
 * `safe.txt -> .env` and `AGENTS.md -> /proc/self/environ` are seen for what
 * they are. Names are compared without case where the file system ignores
 * case; secret and protected names always are. Fails closed: what cannot be
 * resolved is refused. Node only (no `vscode`), shared by the service, the
 * CLI and the extension.
 */
import { lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { IgnoreRules } from './ignore';
import { isProtectedPath, isSecretPath } from './rules';

export type Access = 'read' | 'write';

export type PathDecision =
  /** `relative`: as the request named it ('/'-separated); `absolute`: the real path to read or write. */
  | { action: 'allow'; relative: string; absolute: string }
  | { action: 'ask'; relative: string; absolute: string; reason: string }
  | { action: 'refuse'; reason: string };

export interface BoundaryOptions {
  /**
   * Also refuse what `.gitignore` and `.tandemignore` exclude (the agent,
   * chat context, completions). Secrets are refused whatever this says.
   */
  ignoreFiles?: boolean;
  /** Test seam: the file system's case sensitivity (found out by default). */
  caseInsensitive?: boolean;
}

/** Symbolic links followed in one path before it is refused as a loop. */
const MAX_LINKS = 40;
/** Ignore files larger than this are not read (a repository could point one at a huge file). */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

export class WorkspaceBoundary {
  readonly root: string;
  /** The root with its own symbolic links resolved. */
  readonly realRoot: string;
  readonly caseInsensitive: boolean;
  readonly ignore: IgnoreRules;
  private readonly useIgnoreFiles: boolean;

  constructor(root: string, options: BoundaryOptions = {}) {
    this.root = path.resolve(root);
    this.realRoot = safeRealpath(this.root) ?? this.root;
    this.caseInsensitive = options.caseInsensitive ?? detectCaseInsensitive(this.realRoot);
    this.useIgnoreFiles = options.ignoreFiles !== false;
    this.ignore = new IgnoreRules(this.root, (absolute) => this.readIgnoreFile(absolute), this.caseInsensitive);
  }

  /** Where `requested` (relative to the root, or absolute) really points, and whether it may be read or written. */
  decide(requested: string, access: Access): PathDecision {
    const given = requested.trim();
    if (given === '') return { action: 'refuse', reason: 'No path was given.' };
    if (/[\u0000-\u001f]/.test(given)) return { action: 'refuse', reason: 'The path contains control characters.' };
    const absolute = path.resolve(this.root, given);
    const relative = this.relativeTo(this.root, absolute);
    if (relative === undefined) {
      return { action: 'refuse', reason: `${given} is outside the workspace; Tandem only works under the workspace folder.` };
    }
    const resolved = resolveReal(absolute);
    if (!resolved.ok) return { action: 'refuse', reason: `${relative}: ${resolved.reason}` };
    const realRelative = this.relativeTo(this.realRoot, resolved.path);
    if (realRelative === undefined) {
      return { action: 'refuse', reason: `${relative} leads outside the workspace through a symbolic link (to ${resolved.path}); it is neither read nor written.` };
    }
    if (relative !== '.') {
      for (const [name, shown] of [
        [relative, relative],
        [realRelative, `${relative} (a link to ${realRelative})`],
      ] as const) {
        if (isSecretPath(name)) {
          return { action: 'refuse', reason: `${shown} is a secrets file (such as .env, a key or credentials); it is neither read nor sent.` };
        }
        if (this.useIgnoreFiles && name !== '.' && this.ignore.isIgnored(name, resolved.isDir)) {
          return { action: 'refuse', reason: `${shown} is excluded by ignore rules (.gitignore or .tandemignore); it is neither read nor sent.` };
        }
      }
    }
    if (resolved.special) {
      return { action: 'refuse', reason: `${relative} is not a regular file or folder (a device, pipe or socket).` };
    }
    const shownRelative = relative === '' ? '.' : relative;
    if (access === 'write' && (isProtectedPath(relative) || isProtectedPath(realRelative))) {
      return { action: 'ask', relative: shownRelative, absolute: resolved.path, reason: `${shownRelative} is a protected file (editor settings, git internals, CI or agent rules).` };
    }
    return { action: 'allow', relative: shownRelative, absolute: resolved.path };
  }

  /** Whether a path found by walking the workspace (no links followed) is excluded. */
  isIgnored(relative: string, isDir = false): boolean {
    if (isSecretPath(relative)) return true;
    return this.useIgnoreFiles && this.ignore.isIgnored(relative, isDir);
  }

  /**
   * A file's text through the boundary: `undefined` when it does not exist
   * (or is a folder, or larger than `maxBytes`); a refusal when the boundary
   * refuses it.
   */
  readText(requested: string, maxBytes: number): { text: string } | { refused: string } | undefined {
    const decision = this.decide(requested, 'read');
    if (decision.action === 'refuse') return { refused: decision.reason };
    const text = readRegularFile(decision.absolute, maxBytes);
    return text === undefined ? undefined : { text };
  }

  /** `absolute` relative to `base` ('/'-separated, '.' for base itself), or undefined when it is not under it. */
  private relativeTo(base: string, absolute: string): string | undefined {
    const a = this.caseInsensitive ? absolute.toLowerCase() : absolute;
    const b = this.caseInsensitive ? base.toLowerCase() : base;
    const inside = path.relative(b, a);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
    if (inside === '') return '.';
    // Keep the original spelling of the path (only the comparison ignores case).
    const original = path.relative(base, absolute);
    const relative = original.toLowerCase() === inside.toLowerCase() ? original : inside;
    return relative.split(path.sep).join('/');
  }

  private readIgnoreFile(absolute: string): string | undefined {
    const resolved = resolveReal(absolute);
    if (!resolved.ok || this.relativeTo(this.realRoot, resolved.path) === undefined) return undefined;
    return readRegularFile(resolved.path, MAX_IGNORE_FILE_BYTES);
  }
}

/** The text of a regular file, or undefined (missing, not a regular file, too large, unreadable). */
export function readRegularFile(absolute: string, maxBytes: number): string | undefined {
  try {
    const stat = statSync(absolute);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    const text = readFileSync(absolute, 'utf8');
    // /proc-style files report size 0 and may hold more: still bounded.
    return text.length > maxBytes ? undefined : text;
  } catch {
    return undefined;
  }
}

type Resolved = { ok: true; path: string; isDir: boolean; special: boolean } | { ok: false; reason: string };

/**
 * The real path of `absolute`: every symbolic link on the way followed, also
 * a dangling last one (a write there would create its target). Components
 * that do not exist yet are kept as written.
 */
export function resolveReal(absolute: string): Resolved {
  let pending = splitPath(path.resolve(absolute));
  let current = path.parse(path.resolve(absolute)).root;
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift() as string;
    const candidate = path.join(current, name);
    let stat;
    try {
      stat = lstatSync(candidate);
    } catch (error) {
      if (isMissing(error)) {
        // Does not exist: neither does anything below it; no link can hide there.
        return { ok: true, path: path.join(candidate, ...pending), isDir: false, special: false };
      }
      return { ok: false, reason: `cannot be checked (${errorCode(error)}).` };
    }
    if (stat.isSymbolicLink()) {
      if (++links > MAX_LINKS) return { ok: false, reason: 'too many symbolic links (a loop?).' };
      let target: string;
      try {
        target = readlinkSync(candidate);
      } catch (error) {
        return { ok: false, reason: `cannot read a symbolic link (${errorCode(error)}).` };
      }
      const next = path.resolve(current, target);
      pending = [...splitPath(next), ...pending];
      current = path.parse(next).root;
      continue;
    }
    current = candidate;
    if (pending.length === 0) {
      return { ok: true, path: current, isDir: stat.isDirectory(), special: !stat.isFile() && !stat.isDirectory() };
    }
    if (!stat.isDirectory()) return { ok: true, path: path.join(current, ...pending), isDir: false, special: false };
  }
  return { ok: true, path: current, isDir: true, special: false };
}

function splitPath(absolute: string): string[] {
  const { root } = path.parse(absolute);
  return absolute.slice(root.length).split(path.sep).filter((part) => part !== '' && part !== '.');
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : String(error);
}

function safeRealpath(absolute: string): string | undefined {
  try {
    return realpathSync.native(absolute);
  } catch {
    return undefined;
  }
}

/**
 * Whether the file system under `dir` ignores case: the same folder under a
 * name with its case swapped. Without a letter to swap, the platform's
 * default (macOS and Windows ignore case).
 */
export function detectCaseInsensitive(dir: string): boolean {
  const base = path.basename(dir);
  const swapped = [...base].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  if (swapped === base) return process.platform === 'darwin' || process.platform === 'win32';
  try {
    const a = statSync(dir);
    const b = statSync(path.join(path.dirname(dir), swapped));
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}
