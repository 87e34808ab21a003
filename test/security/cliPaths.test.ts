/**
 * `tandem apply-patch` against the hostile repository: every path is
 * decided on its real location, so no patch writes through a link out of
 * the workspace (also a dangling one), over a secret, or into a protected
 * path without --allow-protected; refused patches change nothing at all.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { runApplyPatch } from '../../src/server/edits/applyPatchCommand';
import { makeHostileRepo, type HostileRepo } from './hostileRepo';

async function apply(repo: HostileRepo, patch: string, extra: string[] = []): Promise<{ code: number; stderr: string; stdout: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runApplyPatch(['--cwd', repo.root, ...extra], {
    stdin: Readable.from([patch]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stderr, stdout };
}

const add = (file: string, line = 'planted'): string => `*** Begin Patch\n*** Add File: ${file}\n+${line}\n*** End Patch\n`;
const update = (file: string, from: string, to: string): string => `*** Begin Patch\n*** Update File: ${file}\n@@\n-${from}\n+${to}\n*** End Patch\n`;

describe('security: tandem apply-patch decides on real paths', function () {
  this.timeout(30_000);
  let repo: HostileRepo;
  beforeEach(() => (repo = makeHostileRepo()));
  afterEach(() => repo.cleanup());

  it('refuses every write through a link out, over a secret, or into a secret folder; nothing changes anywhere', async () => {
    const before = repo.snapshotOutside();
    const patches = [
      add('linkdir/new.txt'),
      add('dangling.txt'),
      add('hop1/new.txt'),
      update('abs-link.txt', `outside ${repo.markers[11] ?? ''}`, 'changed'),
      update('linkdir/notes.txt', 'x', 'y'),
      update('safe.txt', 'x', 'y'),
      add('.env.local'),
      add('.ENV.staging'),
      add('sub/.env/more.txt'),
      add('keys/new.pem'),
      add('.aws/config2'),
      `--- a/src/config.ts\n+++ b/src/config.ts\n@@ -1 +1 @@\n-x\n+y\n`,
      // A valid change to an ordinary file next to a refused one: all or nothing.
      `*** Begin Patch\n*** Add File: src/fine.ts\n+ok\n*** Add File: linkdir/also.txt\n+no\n*** End Patch\n`,
    ];
    for (const patch of patches) {
      const result = await apply(repo, patch);
      assert.equal(result.code, 1, `${patch}\n${result.stdout}`);
      assert.match(result.stderr, /Refused|outside|secrets|does not exist|not found/i, patch);
    }
    assert.deepEqual(repo.snapshotOutside(), before, 'nothing outside changed');
    assert.equal(existsSync(path.join(repo.root, 'src/fine.ts')), false, 'the valid half of a refused patch was not written');
    assert.equal(existsSync(path.join(repo.root, '.env.local')), false);
  });

  it('says where a link leads instead of "not found"', async () => {
    const result = await apply(repo, update('linkdir/notes.txt', 'x', 'y'));
    assert.match(result.stderr, /outside the workspace through a symbolic link/);
  });

  it('protected paths only with --allow-protected; ordinary files as before', async () => {
    const refused = await apply(repo, add('.vscode/settings.json', '{}'));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /protected .*--allow-protected/);
    assert.equal(existsSync(path.join(repo.root, '.vscode/settings.json')), false);
    const allowed = await apply(repo, add('.vscode/settings.json', '{}'), ['--allow-protected']);
    assert.equal(allowed.code, 0, allowed.stderr);
    const plain = await apply(repo, update('src/app.ts', 'export const app = 1;', 'export const app = 2;'));
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(readFileSync(path.join(repo.root, 'src/app.ts'), 'utf8'), 'export const app = 2;\n');
  });

  it('a link inside the workspace is written at its target', async () => {
    const result = await apply(repo, add('docs/new.md', 'hello'));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(path.join(repo.root, 'docs/new.md'), 'utf8'), 'hello\n');
  });
});
