import path from 'node:path';
import { normalise } from '../services/workspaceFiles';

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
