import assert from 'node:assert/strict';
import { isPathLike, pathFromFenceInfo, pathFromLine } from '../../../src/server/edits/pathHints';
import { checkPath, unquotePath } from '../../../src/server/edits/paths';

const none = (): boolean => false;

describe('paths', () => {
  it('cleans relative paths', () => {
    assert.deepEqual(checkPath('./src//a.ts', none), { ok: true, path: 'src/a.ts' });
    assert.deepEqual(checkPath('src\\win\\b.ts', none), { ok: true, path: 'src/win/b.ts' });
    assert.deepEqual(checkPath('src/x/../a.ts', none), { ok: true, path: 'src/a.ts' });
    assert.deepEqual(checkPath('`src/a.ts`', none), { ok: true, path: 'src/a.ts' });
  });

  it('refuses escapes, and absolute paths the host does not know', () => {
    assert.equal(checkPath('../a.ts', none).ok, false);
    assert.equal(checkPath('src/../../a.ts', none).ok, false);
    assert.equal(checkPath('/etc/passwd', none).ok, false);
    assert.equal(checkPath('C:\\x\\y.txt', none).ok, false);
    assert.deepEqual(checkPath('/work/a.ts', (p) => p === '/work/a.ts'), { ok: true, path: '/work/a.ts' });
    assert.equal(checkPath('', none).ok, false);
    assert.equal(checkPath('src/', none).ok, false);
  });

  it('unquotes paths a model decorated', () => {
    assert.equal(unquotePath('**`src/a.ts`**'), 'src/a.ts');
    assert.equal(unquotePath('"a b.txt"'), 'a b.txt');
  });

  it('recognises path lines and fence info paths, not prose', () => {
    assert.equal(pathFromLine('src/app.ts'), 'src/app.ts');
    assert.equal(pathFromLine('### `src/app.ts`'), 'src/app.ts');
    assert.equal(pathFromLine('File: lib/x.py'), 'lib/x.py');
    assert.equal(pathFromLine('<path>a/b.go</path>'), 'a/b.go');
    assert.equal(pathFromLine('src/app.ts:'), 'src/app.ts');
    assert.equal(pathFromLine('Makefile'), 'Makefile');
    assert.equal(pathFromLine('Here is the change:'), undefined);
    assert.equal(pathFromLine('e.g.'), undefined);
    assert.equal(pathFromLine('https://example.com/x.js'), undefined);
    assert.equal(pathFromFenceInfo('ts src/a.ts'), 'src/a.ts');
    assert.equal(pathFromFenceInfo('src/a.ts'), 'src/a.ts');
    assert.equal(pathFromFenceInfo('python title="app/x.py"'), 'app/x.py');
    assert.equal(pathFromFenceInfo('python'), undefined);
    assert.equal(isPathLike('1.2'), false);
  });
});
