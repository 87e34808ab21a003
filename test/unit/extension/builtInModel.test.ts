import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeProgress, installedBuiltInModel, withBuiltInModelPath } from '../../../src/extension/embedded/builtInModel';
import { EMBEDDED_CATALOGUE, TEST_CATALOGUE_ENV } from '../../../src/shared/embeddedCatalogue';

const GiB = 1024 ** 3;
const [LARGE, SMALL] = EMBEDDED_CATALOGUE;

describe('the configuration answer: embedded.builtInModelPath (src/extension/embedded/builtInModel)', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-builtin-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A sparse file of `size` bytes: the catalogue's sizes without writing a gigabyte. */
  async function fileOf(name: string, size: number): Promise<string> {
    const file = path.join(dir, name);
    await fs.writeFile(file, '');
    await fs.truncate(file, size);
    return file;
  }

  it('is empty without a downloaded model, and the path once the file is there with its exact size', async () => {
    assert.ok(LARGE && SMALL);
    assert.equal(await installedBuiltInModel(path.join(dir, 'missing'), {}, 16 * GiB), '');
    assert.equal(await installedBuiltInModel(dir, {}, 16 * GiB), '');
    await fileOf(`${LARGE.fileName}.part`, LARGE.sizeBytes - 1);
    assert.equal(await installedBuiltInModel(dir, {}, 16 * GiB), '', 'a part is not a model');
    for (const size of [0, 1, LARGE.sizeBytes - 1, LARGE.sizeBytes + 1]) {
      await fileOf(LARGE.fileName, size);
      assert.equal(await installedBuiltInModel(dir, {}, 16 * GiB), '', `${size} bytes`);
    }
    const file = await fileOf(LARGE.fileName, LARGE.sizeBytes);
    assert.equal(await installedBuiltInModel(dir, {}, 16 * GiB), file);
  });

  it('prefers the model this machine’s memory calls for, and takes the other one when only it is there', async () => {
    assert.ok(LARGE && SMALL);
    const small = await fileOf(SMALL.fileName, SMALL.sizeBytes);
    assert.equal(await installedBuiltInModel(dir, {}, 16 * GiB), small, 'the small one is better than none');
    const large = await fileOf(LARGE.fileName, LARGE.sizeBytes);
    assert.equal(await installedBuiltInModel(dir, {}, 16 * GiB), large);
    assert.equal(await installedBuiltInModel(dir, {}, 4 * GiB), small);
  });

  it('does not take a link or a folder under the model’s name', async () => {
    assert.ok(LARGE);
    const elsewhere = await fileOf('elsewhere.bin', LARGE.sizeBytes);
    await fs.symlink(elsewhere, path.join(dir, LARGE.fileName));
    assert.equal(await installedBuiltInModel(dir, {}, 16 * GiB), '');
    await fs.rm(path.join(dir, LARGE.fileName));
    await fs.mkdir(path.join(dir, LARGE.fileName));
    assert.equal(await installedBuiltInModel(dir, {}, 16 * GiB), '');
  });

  it('follows the test-only catalogue override, and is empty when it is malformed', async () => {
    const env = { [TEST_CATALOGUE_ENV]: JSON.stringify({ url: 'http://127.0.0.1:1/m.gguf', sizeBytes: 10, sha256: 'a'.repeat(64), fileName: 'fake.gguf' }) };
    const file = await fileOf('fake.gguf', 10);
    assert.equal(await installedBuiltInModel(dir, env, GiB), file);
    for (const raw of ['', '{', '[]', JSON.stringify({ url: 'x', sizeBytes: -1, sha256: 'a'.repeat(64) }), JSON.stringify({ url: 'x', sizeBytes: 10, sha256: 'nothex' }), JSON.stringify({ url: 'x', sizeBytes: 10, sha256: 'a'.repeat(64), fileName: '../fake.gguf' })]) {
      assert.equal(await installedBuiltInModel(dir, { [TEST_CATALOGUE_ENV]: raw }, GiB), '', raw);
    }
  });

  it('sets builtInModelPath in the section, keeping the person’s embedded settings and overriding any value the settings carried', () => {
    const section = { baseUrl: '', embedded: { modelPath: '/m.gguf', idleUnloadMinutes: 5, builtInModelPath: '/from/a/workspace.gguf' }, apiKey: 'k' };
    assert.deepEqual(withBuiltInModelPath(section, ''), { baseUrl: '', apiKey: 'k', embedded: { modelPath: '/m.gguf', idleUnloadMinutes: 5, builtInModelPath: '' } });
    assert.deepEqual(withBuiltInModelPath({ model: 'x' }, '/s/models/q.gguf'), { model: 'x', embedded: { builtInModelPath: '/s/models/q.gguf' } });
    assert.deepEqual(withBuiltInModelPath({ embedded: 'nonsense' }, ''), { embedded: { builtInModelPath: '' } });
  });

  it('words the download’s progress: bytes, speed and time left', () => {
    const base = { downloadId: 'd', totalBytes: 1_117_320_768 };
    assert.equal(describeProgress({ ...base, phase: 'checking', receivedBytes: 0, bytesPerSecond: 0 }), 'Starting…');
    assert.equal(describeProgress({ ...base, phase: 'checking', receivedBytes: 300 * 1024 ** 2, bytesPerSecond: 0 }), 'Resuming at 300 MB…');
    assert.equal(describeProgress({ ...base, phase: 'downloading', receivedBytes: 312 * 1024 ** 2, bytesPerSecond: 0 }), '312 MB of 1.0 GB');
    assert.equal(
      describeProgress({ ...base, phase: 'downloading', receivedBytes: 312 * 1024 ** 2, bytesPerSecond: 8 * 1024 ** 2, secondsLeft: 95 }),
      '312 MB of 1.0 GB · 8 MB/s · about 2 min left',
    );
    assert.equal(describeProgress({ ...base, phase: 'downloading', receivedBytes: 500, bytesPerSecond: 2048, secondsLeft: 7200 }), '500 bytes of 1.0 GB · 2 KB/s · about 2.0 h left');
    assert.equal(describeProgress({ ...base, phase: 'verifying', receivedBytes: base.totalBytes, bytesPerSecond: 0 }), 'Checking the SHA-256…');
  });
});
