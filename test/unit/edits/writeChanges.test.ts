import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeWriteFs, writeChanges, type WriteFs } from '../../../src/server/edits/writeChanges';
import type { ChangeSet } from '../../../src/shared/edits';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => statSync(path.join(dir, file)).isFile())
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

describe('writing a change set', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-write-'));
    writeFileSync(path.join(dir, 'a.txt'), 'a\n');
    writeFileSync(path.join(dir, 'b.txt'), 'b\n');
    writeFileSync(path.join(dir, 'run.sh'), 'echo 1\n');
    chmodSync(path.join(dir, 'run.sh'), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const changeSet: ChangeSet = {
    format: 'applyPatch',
    changes: [
      { kind: 'update', path: 'a.txt', oldText: 'a\n', newText: 'A\n' },
      { kind: 'update', path: 'run.sh', oldText: 'echo 1\n', newText: 'echo 2\n' },
      { kind: 'add', path: 'new/deep/c.txt', newText: 'c\n' },
      { kind: 'delete', path: 'b.txt', oldText: 'b\n' },
    ],
  };

  it('writes updates (keeping the file mode), adds with parent folders, deletes', () => {
    writeChanges(dir, changeSet);
    assert.deepEqual(listFiles(dir), ['a.txt', 'new/deep/c.txt', 'run.sh']);
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'A\n');
    assert.equal(readFileSync(path.join(dir, 'new/deep/c.txt'), 'utf8'), 'c\n');
    assert.equal(statSync(path.join(dir, 'run.sh')).mode & 0o777, 0o755);
  });

  it('moves files', () => {
    writeChanges(dir, { format: 'applyPatch', changes: [{ kind: 'update', path: 'a.txt', oldText: 'a\n', newText: 'x\n', moveTo: 'sub/z.txt' }] });
    assert.deepEqual(listFiles(dir), ['b.txt', 'run.sh', 'sub/z.txt']);
  });

  for (const failAt of [1, 2, 3]) {
    it(`restores everything when the ${failAt}. rename fails midway`, () => {
      let renames = 0;
      const failing: WriteFs = {
        ...nodeWriteFs,
        renameSync: (from, to) => {
          renames++;
          if (renames === failAt) throw new Error('disk full');
          nodeWriteFs.renameSync(from, to);
        },
      };
      assert.throws(() => writeChanges(dir, changeSet, failing), /disk full/);
      assert.deepEqual(listFiles(dir), ['a.txt', 'b.txt', 'run.sh']);
      assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'a\n');
      assert.equal(readFileSync(path.join(dir, 'run.sh'), 'utf8'), 'echo 1\n');
      assert.deepEqual(readdirSync(dir).sort(), ['a.txt', 'b.txt', 'run.sh'], 'created folders are removed');
    });
  }

  it('restores everything when a delete fails at the end', () => {
    const failing: WriteFs = {
      ...nodeWriteFs,
      unlinkSync: (file) => {
        if (file.endsWith('b.txt')) throw new Error('busy');
        nodeWriteFs.unlinkSync(file);
      },
    };
    assert.throws(() => writeChanges(dir, changeSet, failing), /busy/);
    assert.deepEqual(listFiles(dir), ['a.txt', 'b.txt', 'run.sh']);
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'a\n');
  });

  it('leaves nothing behind when preparing fails', () => {
    writeFileSync(path.join(dir, 'new'), 'a file where a folder is needed');
    assert.throws(() => writeChanges(dir, changeSet));
    assert.deepEqual(listFiles(dir), ['a.txt', 'b.txt', 'new', 'run.sh']);
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'a\n');
  });
});
