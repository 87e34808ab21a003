import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { byteOrder, readFolder } from '../../../src/server/util/readFolder';
import { seededRandom } from '../../support/random';

/** Names that sort differently by UTF-16 units, by code points and by locale. */
const PIECES = ['a', 'B', 'z', '_', '-', '.', '1', '10', '9', 'é', 'e\u0301', 'ß', '\uff21', '\ue000', '😀', '𝒜', 'Ω', ' ', '~'];

describe('readFolder: a large folder in batches, the same entries as readdirSync', () => {
  let root: string;
  before(() => (root = mkdtempSync(path.join(os.tmpdir(), 'tandem-folder-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('generated folders: the same names, kinds and order whether read at once or in batches', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const folder = path.join(root, `f${seed}`);
      mkdirSync(folder);
      const count = 1 + Math.floor(random() * 300);
      for (let i = 0; i < count; i++) {
        const name = Array.from({ length: 1 + Math.floor(random() * 4) }, () => PIECES[Math.floor(random() * PIECES.length)]).join('') + i;
        const kind = random();
        if (kind < 0.1) mkdirSync(path.join(folder, name));
        else if (kind < 0.15) symlinkSync('nowhere', path.join(folder, name));
        else writeFileSync(path.join(folder, name), '');
      }
      const expected = readdirSync(folder, { withFileTypes: true }).map((entry) => [entry.name, entry.isFile(), entry.isDirectory(), entry.isSymbolicLink()]);
      for (const threshold of [0, Number.MAX_SAFE_INTEGER]) {
        const read = (await readFolder(folder, threshold)).map((entry) => [entry.name, entry.isFile(), entry.isDirectory(), entry.isSymbolicLink()]);
        assert.deepEqual(read, expected, `seed ${seed}, threshold ${threshold}`);
      }
    }
  });

  it('fails as readdirSync does: missing, or not a folder', async () => {
    writeFileSync(path.join(root, 'file'), 'x'.repeat(100));
    for (const threshold of [0, Number.MAX_SAFE_INTEGER]) {
      await assert.rejects(readFolder(path.join(root, 'missing'), threshold), { code: 'ENOENT' });
      await assert.rejects(readFolder(path.join(root, 'file'), threshold), { code: 'ENOTDIR' });
    }
  });

  it('byte order is code point order: astral characters after the private use area, unlike UTF-16 order', () => {
    const names = ['😀', '\ue000', 'a', 'é', 'Z'];
    assert.deepEqual([...names].sort(byteOrder), ['Z', 'a', 'é', '\ue000', '😀']);
    assert.deepEqual([...names].sort(byteOrder), [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
  });
});
