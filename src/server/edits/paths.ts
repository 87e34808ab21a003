/**
 * Paths as the model wrote them, cleaned into ChangeSet form (relative, '/')
 * and checked: nothing may escape the workspace with `..`; an absolute path
 * is only accepted for a file the host can already read; a name no file can
 * portably have (`*?:"<>|`, ending with a dot or a space) is refused.
 */
import path from 'node:path';

export type PathCheck = { ok: true; path: string } | { ok: false; message: string };

/** Strips quotes, backticks and markdown emphasis a model may put around a path. */
export function unquotePath(raw: string): string {
  let text = raw.trim();
  for (let changed = true; changed && text.length > 1; ) {
    changed = false;
    for (const [open, close] of [
      ['`', '`'],
      ['"', '"'],
      ["'", "'"],
      ['**', '**'],
      ['*', '*'],
      ['<', '>'],
    ] as const) {
      if (text.length > open.length + close.length && text.startsWith(open) && text.endsWith(close)) {
        text = text.slice(open.length, text.length - close.length).trim();
        changed = true;
      }
    }
  }
  return text;
}

/** Whether a path is absolute on any platform (`/x`, `C:\x`, `\\server\x`). */
export function isAbsolutePath(raw: string): boolean {
  return raw.startsWith('/') || raw.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(raw);
}

/**
 * Cleans and checks a path. `exists` tells whether the host knows the file
 * (absolute paths are only accepted then).
 */
export function checkPath(raw: string, exists: (candidate: string) => boolean): PathCheck {
  const unquoted = unquotePath(raw);
  if (unquoted === '' || unquoted.includes('\0')) {
    return { ok: false, message: `“${raw}” is not a file path.` };
  }
  const slashes = unquoted.replace(/\\/g, '/');
  if (isAbsolutePath(unquoted)) {
    if (exists(unquoted)) {
      return { ok: true, path: unquoted };
    }
    if (slashes !== unquoted && exists(slashes)) {
      return { ok: true, path: slashes };
    }
    return { ok: false, message: `${unquoted}: absolute paths are only accepted for files that already exist; use a path relative to the workspace.` };
  }
  if (/[*?"<>|:\u0000-\u001f]/.test(slashes) || slashes.split('/').some((segment) => /[. ]$/.test(segment) && segment !== '.' && segment !== '..')) {
    // Not a name a file can portably have: most likely a marker or a remark fused into the path.
    return { ok: false, message: `“${unquoted}” is not a usable file path (it has characters such as * ? : " < > | or a name ending with a dot or a space).` };
  }
  const normalized = path.posix.normalize(slashes);
  if (normalized === '..' || normalized.startsWith('../')) {
    return { ok: false, message: `${unquoted}: the path leads outside the workspace.` };
  }
  if (normalized === '.' || normalized.endsWith('/')) {
    return { ok: false, message: `${unquoted}: not a file path.` };
  }
  return { ok: true, path: normalized.replace(/^\.\//, '') };
}
