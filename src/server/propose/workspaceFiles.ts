import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FileText } from '../../shared/protocol';

/** Files larger than this are not read for an edit (a model could not rewrite them anyway). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Reads workspace files for the edit engine: the client's unsaved buffers
 * first, then the disk under `root`. A path that escapes `root` reads as
 * missing (the engine then refuses it). Paths are relative, '/'-separated.
 */
export function workspaceReader(root: string, buffers: readonly FileText[]): (relative: string) => string | undefined {
  const open = new Map(buffers.map((file) => [normalise(file.path), file.text]));
  return (relative) => {
    const key = normalise(relative);
    const buffered = open.get(key);
    if (buffered !== undefined) {
      return buffered;
    }
    const absolute = resolveInside(root, key);
    if (!absolute) {
      return undefined;
    }
    return readTextFile(absolute, MAX_FILE_BYTES);
  };
}

/** A file's text from disk; undefined when it is missing, not a file, or larger than `maxBytes`. */
export function readTextFile(absolute: string, maxBytes: number): string | undefined {
  try {
    const stat = statSync(absolute);
    if (!stat.isFile() || stat.size > maxBytes) {
      return undefined;
    }
    return readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
}

/** The absolute path of `relative` under `root`, or undefined when it would leave root. */
export function resolveInside(root: string, relative: string): string | undefined {
  if (!root) {
    return undefined;
  }
  const absolute = path.resolve(root, relative);
  const inside = path.relative(root, absolute);
  return inside === '' || inside.startsWith('..') || path.isAbsolute(inside) ? undefined : absolute;
}

/** A workspace-relative path in one spelling: '/' separators, no leading './'. */
export function normalise(relative: string): string {
  return path.posix.normalize(relative.replaceAll('\\', '/')).replace(/^\.\//, '');
}

/**
 * Where a test file for `source` usually lives, most likely first:
 * next to it (`a.test.ts`, `a.spec.ts`, `test_a.py`, `a_test.go`), in a
 * `__tests__` folder, or in a top-level `test`/`tests` folder.
 */
export function testFileCandidates(source: string): string[] {
  const { dir, name, ext } = path.posix.parse(normalise(source));
  const join = (...parts: string[]): string => path.posix.join(...parts.filter((part) => part !== '' && part !== '.'));
  const withoutSrc = dir.replace(/^src(\/|$)/, '');
  if (ext === '.py') {
    return [join(dir, `test_${name}.py`), join('tests', `test_${name}.py`), join('test', `test_${name}.py`), join(dir, `${name}_test.py`)];
  }
  if (ext === '.go') {
    return [join(dir, `${name}_test.go`)];
  }
  return [
    join(dir, `${name}.test${ext}`),
    join(dir, `${name}.spec${ext}`),
    join(dir, '__tests__', `${name}.test${ext}`),
    join('test', withoutSrc, `${name}.test${ext}`),
    join('tests', withoutSrc, `${name}.test${ext}`),
    join('test', `${name}.test${ext}`),
  ];
}
