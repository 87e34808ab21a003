import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectSecretValues, readSecretValues } from '../../../src/server/agent/secretValues';
import { pick, seededRandom } from '../../support/random';

const FOLDERS = ['', 'config', 'deploy', 'deploy/prod', 'node_modules/pkg', '.git', 'src', 'src/é', 'certs'];
const SECRET_NAMES = ['.env', '.env.local', 'credentials.json', 'server.pem', 'id_rsa', '.npmrc'];
const ORDINARY_NAMES = ['index.ts', 'README.md', 'env.ts', 'notes.txt'];

describe('secret values: read without holding the thread, the same values', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(os.tmpdir(), 'tandem-secrets-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('generated workspaces: the same values, from the same files, in the same order as the synchronous walk', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root);
      const random = seededRandom(seed);
      // Few distinct values, so that the same value often sits in two files: the first one found names it.
      const value = (): string => `value-${Math.floor(random() * 12)}-secret`;
      for (let i = 0; i < 25; i++) {
        const folder = pick(random, FOLDERS);
        mkdirSync(path.join(root, folder), { recursive: true });
        const secret = random() < 0.6;
        const name = secret ? pick(random, SECRET_NAMES) : pick(random, ORDINARY_NAMES);
        const text = name.endsWith('.json') ? `{"token": "${value()}"}\n` : `KEY_${i}=${value()}\nOTHER=${value()}\n`;
        writeFileSync(path.join(root, folder, name), text);
      }
      const expected = [...collectSecretValues(root).values];
      const read = [...(await readSecretValues(root)).values];
      assert.deepEqual(read, expected, `seed ${seed}`);
      assert.ok(!read.some(([, file]) => file.startsWith('node_modules/') || file.startsWith('.git/')), 'node_modules and .git are skipped');
    }
  });

  it('finds a secret below ordinary files and folders, not in ordinary files', async () => {
    mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    writeFileSync(path.join(root, 'a', 'b', '.env'), 'TOKEN=deep-secret-123\n');
    writeFileSync(path.join(root, 'a', 'notes.txt'), 'TOKEN=not-a-secret-456\n');
    const { values } = await readSecretValues(root);
    assert.deepEqual([...values], [['deep-secret-123', 'a/b/.env']]);
  });
});
