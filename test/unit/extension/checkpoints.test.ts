import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CheckpointStore, checkRelative, readPreImages, storageUsed } from '../../../src/extension/agent/checkpoints';
import { seededRandom } from '../../support/random';

const text = (bytes: Uint8Array | undefined): string | undefined => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

describe('agent checkpoints', () => {
  let base: string;
  let root: string;
  let store: CheckpointStore;

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-cp-test-'));
    root = path.join(base, 'ws');
    await fs.mkdir(path.join(root, 'src'), { recursive: true });
    await fs.writeFile(path.join(root, 'src/a.ts'), 'a1\n');
    await fs.writeFile(path.join(root, 'src/b.ts'), 'b1\n');
    store = new CheckpointStore(path.join(base, 'storage', 'checkpoints'));
  });
  afterEach(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it('keeps only the pre-images of the touched files, and which did not exist', async () => {
    const info = await store.take('task-1', root, 's1', await readPreImages(root, ['src/a.ts', 'src/new.ts']));
    assert.equal(info.index, 1);
    assert.deepEqual(info.files, [
      { path: 'src/a.ts', existed: true, bytes: 3 },
      { path: 'src/new.ts', existed: false, bytes: 0 },
    ]);
    const usage = await store.usage('task-1');
    // One blob (a.ts) and one manifest: nothing of b.ts, no copy of the workspace.
    assert.equal(usage.files, 2);
    assert.deepEqual((await store.list('task-1')).map((c) => c.stepId), ['s1']);
    assert.equal((await store.find('task-1', 's1'))?.root, root);
  });

  it('a restore plan takes each file from the first checkpoint at or after the point, and deletes what was created', async () => {
    await store.take('t', root, 's1', await readPreImages(root, ['src/a.ts']));
    await fs.writeFile(path.join(root, 'src/a.ts'), 'a2\n');
    await store.take('t', root, 's2', await readPreImages(root, ['src/a.ts', 'src/b.ts', 'src/c.ts']));
    await fs.writeFile(path.join(root, 'src/a.ts'), 'a3\n');
    await fs.writeFile(path.join(root, 'src/c.ts'), 'c1\n');
    await store.take('t', root, 's3', [{ path: 'src/c.ts', content: 'c1\n' }]);

    const toFirst = await store.restorePlan('t', 1);
    assert.equal(toFirst.root, root);
    assert.deepEqual(
      toFirst.entries.map((entry) => [entry.path, text(entry.content)]),
      [
        ['src/a.ts', 'a1\n'],
        ['src/b.ts', 'b1\n'],
        ['src/c.ts', undefined],
      ],
    );
    const toSecond = await store.restorePlan('t', 2);
    assert.deepEqual(
      toSecond.entries.map((entry) => [entry.path, text(entry.content)]),
      [
        ['src/a.ts', 'a2\n'],
        ['src/b.ts', 'b1\n'],
        ['src/c.ts', undefined],
      ],
    );
    const toThird = await store.restorePlan('t', 3);
    assert.deepEqual(toThird.entries.map((entry) => [entry.path, text(entry.content)]), [['src/c.ts', 'c1\n']]);
  });

  it('dropFrom forgets the checkpoints from a point on; the next one is numbered after what is left', async () => {
    await store.take('t', root, 's1', await readPreImages(root, ['src/a.ts']));
    await store.take('t', root, 's2', await readPreImages(root, ['src/b.ts']));
    await store.dropFrom('t', 2);
    assert.deepEqual((await store.list('t')).map((c) => c.stepId), ['s1']);
    const next = await store.take('t', root, 's3', await readPreImages(root, ['src/b.ts']));
    assert.equal(next.index, 2);
    await assert.rejects(store.restorePlan('t', 5), /does not exist/);
  });

  it('refuses paths outside the root and odd task ids do not escape the store', async () => {
    assert.throws(() => checkRelative('../x'), /not a path inside/);
    assert.throws(() => checkRelative('/etc/passwd'), /not a path inside/);
    assert.equal(checkRelative('a/./b/../c.ts'), 'a/c.ts');
    await assert.rejects(store.take('t', root, 's', [{ path: '../outside', content: 'x' }]), /not a path inside/);
    await store.take('../../evil', root, 's', [{ path: 'x', content: 'x' }]);
    const usage = await storageUsed(store.dir);
    assert.equal(usage.files, 2);
    assert.deepEqual(await fs.readdir(path.dirname(store.dir)), ['checkpoints']);
  });

  it('prune keeps the most recently written tasks, whatever order they were named or taken in', async () => {
    // The store dates a task by its folder's modification time: set it, as a clock would, instead of waiting between writes.
    const random = seededRandom(7);
    for (let round = 0; round < 5; round++) {
      await fs.rm(store.dir, { recursive: true, force: true });
      // Distinct times (seconds) in a random order against the names and the order of writing.
      const times = Array.from({ length: 3 + Math.floor(random() * 5) }, (_, index) => ({ at: 1_000_000 + index * 1_000, key: random() })).sort((a, b) => a.key - b.key);
      const tasks = times.map(({ at }, index) => ({ task: `task-${index}`, writtenAt: at }));
      for (const { task, writtenAt } of tasks) {
        await store.take(task, root, 's', [{ path: 'x', content: task }]);
        await fs.utimes(path.join(store.dir, task), writtenAt, writtenAt);
      }
      const keep = Math.floor(random() * (tasks.length + 1));
      await store.prune(keep);
      const newest = [...tasks].sort((a, b) => b.writtenAt - a.writtenAt).slice(0, keep).map((entry) => entry.task);
      assert.deepEqual((await fs.readdir(store.dir)).sort(), newest.sort(), `keep ${keep} of ${JSON.stringify(tasks)}`);
    }
    assert.deepEqual(await storageUsed(path.join(base, 'missing')), { files: 0, bytes: 0 });
  });

  it('stores what a task touched, never more as the workspace grows (10,000 files: npm run bench:agent)', async () => {
    // One pre-image per touched file and one manifest per checkpoint, the last for a created file.
    for (const workspaceFiles of [10, 300]) {
      const files = Array.from({ length: workspaceFiles }, (_, index) => `pkg${index % 7}/file${index}.ts`);
      await fs.rm(root, { recursive: true, force: true });
      for (const file of files) {
        await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await fs.writeFile(path.join(root, file), 'x'.repeat(500));
      }
      for (const touched of [1, 5, 10]) {
        const task = `w${workspaceFiles}-t${touched}`;
        for (const [index, file] of files.slice(0, touched).entries()) {
          await store.take(task, root, `step${index}`, await readPreImages(root, [file]));
          await fs.writeFile(path.join(root, file), 'edited');
        }
        await store.take(task, root, 'create', await readPreImages(root, ['new/created.ts']));
        const usage = await store.usage(task);
        assert.equal(usage.files, touched + (touched + 1), task);
        assert.ok(usage.bytes < touched * 500 + (touched + 1) * 1_000, `${task}: ${usage.bytes} bytes`);
        const restore = await store.restorePlan(task, 1);
        assert.deepEqual(
          restore.entries.map((entry) => [entry.path, entry.content?.byteLength]),
          [...files.slice(0, touched).map((file) => [file, 500]), ['new/created.ts', undefined]],
          task,
        );
        for (const file of files.slice(0, touched)) await fs.writeFile(path.join(root, file), 'x'.repeat(500));
      }
    }
  });
});
