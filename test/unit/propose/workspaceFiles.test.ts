import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkspaceBoundary } from '../../../src/shared/boundary/boundary';
import { testFileCandidates } from '../../../src/server/propose/testFiles';
import { guardOutcome, workspaceReader } from '../../../src/server/services/workspaceFiles';

describe('workspace files for edits', () => {
  let root: string;
  before(() => {
    root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tandem-files-')));
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
    assert.equal(workspaceReader(inner, [])('/etc/passwd'), undefined);
    assert.equal(workspaceReader(inner, [])('a.ts'), 'on disk\n');
  });

  it('through the boundary: links out, secrets and their unsaved buffers read as missing', () => {
    const ws = path.join(root, 'ws');
    mkdirSync(ws);
    writeFileSync(path.join(ws, '.env'), 'TOKEN=1\n');
    symlinkSync('../secret.txt', path.join(ws, 'out.txt'));
    symlinkSync('.env', path.join(ws, 'safe.txt'));
    const read = workspaceReader(ws, [{ path: '.env', text: 'TOKEN=unsaved\n' }]);
    for (const p of ['out.txt', 'safe.txt', '.env', '.ENV']) assert.equal(read(p), undefined, p);
  });

  it('guardOutcome refuses a change set that writes a refused path, and explains a missing one', () => {
    const boundary = new WorkspaceBoundary(root);
    const add = { ok: true as const, changeSet: { format: 'applyPatch' as const, changes: [{ kind: 'add' as const, path: '.env.local', newText: 'X=1\n' }] } };
    const guarded = guardOutcome(add, boundary);
    assert.equal(guarded.ok, false);
    assert.match(guarded.ok ? '' : (guarded.failures[0]?.message ?? ''), /secrets file/);
    const missing = guardOutcome({ ok: false, failures: [{ kind: 'missingFile', path: '../x.ts', message: 'not found' }] }, boundary);
    assert.match(missing.ok ? '' : (missing.failures[0]?.message ?? ''), /outside the workspace/);
    const fine = { ok: true as const, changeSet: { format: 'applyPatch' as const, changes: [{ kind: 'add' as const, path: 'src/b.ts', newText: 'x\n' }] } };
    assert.deepEqual(guardOutcome(fine, boundary), fine);
  });

  it('test file candidates follow common conventions', () => {
    assert.deepEqual(testFileCandidates('src/util/math.ts').slice(0, 4), ['src/util/math.test.ts', 'src/util/math.spec.ts', 'src/util/__tests__/math.test.ts', 'test/util/math.test.ts']);
    assert.equal(testFileCandidates('pkg/calc.py')[0], 'pkg/test_calc.py');
    assert.deepEqual(testFileCandidates('calc.go'), ['calc_test.go']);
  });
});
