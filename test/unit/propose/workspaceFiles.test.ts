import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveInside, testFileCandidates, workspaceReader } from '../../../src/server/propose/workspaceFiles';

describe('workspace files for edits', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'tandem-files-'));
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src/a.ts'), 'on disk\n');
    writeFileSync(path.join(root, 'secret.txt'), 'outside\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('an unsaved buffer wins over the disk; other files come from disk; missing files are undefined', () => {
    const read = workspaceReader(root, [{ path: 'src/a.ts', text: 'unsaved\n' }]);
    assert.equal(read('src/a.ts'), 'unsaved\n');
    assert.equal(read('./src/a.ts'), 'unsaved\n');
    assert.equal(workspaceReader(root, [])('src/a.ts'), 'on disk\n');
    assert.equal(read('src/missing.ts'), undefined);
    assert.equal(read('src'), undefined, 'a folder is not a file');
  });

  it('never reads outside the folder', () => {
    const inner = path.join(root, 'src');
    assert.equal(workspaceReader(inner, [])('../secret.txt'), undefined);
    assert.equal(resolveInside(inner, '/etc/passwd'), undefined);
    assert.equal(resolveInside(inner, 'a.ts'), path.join(inner, 'a.ts'));
    assert.equal(resolveInside('', 'a.ts'), undefined);
  });

  it('test file candidates follow common conventions', () => {
    assert.deepEqual(testFileCandidates('src/util/math.ts').slice(0, 4), ['src/util/math.test.ts', 'src/util/math.spec.ts', 'src/util/__tests__/math.test.ts', 'test/util/math.test.ts']);
    assert.equal(testFileCandidates('pkg/calc.py')[0], 'pkg/test_calc.py');
    assert.deepEqual(testFileCandidates('calc.go'), ['calc_test.go']);
  });
});
