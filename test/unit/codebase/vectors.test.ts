import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chunkKey, loadVectors, saveVectors, VectorStore, vectorsPath } from '../../../src/server/services/codebase/vectors';
import { seededRandom } from '../../support/random';

describe('codebase vectors on disk', () => {
  let storage: string;
  const root = '/work/some/folder';
  beforeEach(() => (storage = mkdtempSync(path.join(os.tmpdir(), 'tandem-vectors-'))));
  afterEach(() => rmSync(storage, { recursive: true, force: true }));

  function filled(dims: number, count: number, seed = 1): VectorStore {
    const random = seededRandom(seed);
    const store = new VectorStore('embed-model');
    for (let i = 0; i < count; i++) assert.ok(store.set(chunkKey(`chunk ${i}`), Array.from({ length: dims }, () => random() * 2 - 1)));
    return store;
  }

  it('round-trips every vector exactly (as Float32), keyed by chunk text', async () => {
    for (const [dims, count] of [[1, 1], [3, 0], [384, 50], [1536, 7]] as const) {
      const store = filled(dims, count);
      await saveVectors(storage, root, store);
      const loaded = await loadVectors(storage, root, 'embed-model');
      assert.ok('store' in loaded, JSON.stringify(loaded));
      assert.equal(loaded.store.size, count);
      for (const [key, vector] of store.entries()) assert.deepEqual(loaded.store.get(key), vector);
    }
  });

  it('a store refuses a vector of another dimension or with NaN', () => {
    const store = new VectorStore('m');
    assert.ok(store.set('a', [1, 2, 3]));
    assert.equal(store.set('b', [1, 2]), false);
    assert.equal(store.set('c', [1, Number.NaN, 3]), false);
    assert.equal(store.size, 1);
  });

  it('ignores a missing file, another model or folder, and every corrupted or truncated file (generated)', async () => {
    assert.ok('missing' in (await loadVectors(storage, root, 'embed-model')));
    await saveVectors(storage, root, filled(16, 20));
    assert.ok('rejected' in (await loadVectors(storage, root, 'other-model')));
    const file = vectorsPath(storage, root);
    const good = readFileSync(file);
    const random = seededRandom(5);
    for (let round = 0; round < 60; round++) {
      const bad = Buffer.from(good);
      const kind = round % 4;
      let mutated: Buffer;
      if (kind === 0) mutated = bad.subarray(0, Math.floor(random() * bad.length));
      else if (kind === 1) {
        const at = Math.floor(random() * bad.length);
        bad[at] = ((bad[at] ?? 0) + 1 + Math.floor(random() * 254)) % 256;
        mutated = bad;
      } else if (kind === 2) mutated = Buffer.concat([bad, Buffer.alloc(4 * (1 + Math.floor(random() * 8)))]);
      else {
        // A header that claims another dimension for the same bytes.
        const newline = bad.indexOf(0x0a);
        const header = JSON.parse(bad.subarray(0, newline).toString('utf8')) as Record<string, unknown>;
        header.dims = [8, 32, 4, 0][Math.floor(random() * 4)];
        mutated = Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), bad.subarray(newline + 1)]);
      }
      writeFileSync(file, mutated);
      const loaded = await loadVectors(storage, root, 'embed-model');
      assert.ok('rejected' in loaded, `round ${round} kind ${kind}`);
    }
    writeFileSync(file, good);
    assert.ok('store' in (await loadVectors(storage, root, 'embed-model')));
    assert.ok('missing' in (await loadVectors(storage, '/another/folder', 'embed-model')));
  });
});
