import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseApplyPatchArgs, runApplyPatch } from '../../../src/server/edits/applyPatchCommand';

describe('tandem apply-patch command', () => {
  it('parses its arguments', () => {
    assert.deepEqual(parseApplyPatchArgs(['--cwd', 'x', '--dry-run'], '/base'), { ok: true, options: { cwd: path.resolve('/base', 'x'), dryRun: true } });
    assert.deepEqual(parseApplyPatchArgs(['--cwd=/abs', '--path', 'a.ts', '--lines', '3-5'], '/base'), {
      ok: true,
      options: { cwd: '/abs', dryRun: false, defaultPath: 'a.ts', selection: { startLine: 2, endLine: 5 } },
    });
    assert.deepEqual(parseApplyPatchArgs(['--help'], '/base'), { ok: true, help: true });
    assert.equal(parseApplyPatchArgs(['--lines', '3-5'], '/base').ok, false);
    assert.equal(parseApplyPatchArgs(['--path', 'a', '--lines', 'x'], '/base').ok, false);
    assert.equal(parseApplyPatchArgs(['--cwd'], '/base').ok, false);
    assert.equal(parseApplyPatchArgs(['extra'], '/base').ok, false);
  });

  it('applies from stdin, prints a summary, and refuses with reasons on stderr', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-cli-'));
    try {
      writeFileSync(path.join(dir, 'a.txt'), 'one\ntwo\n');
      const run = async (input: string, args: string[]): Promise<{ code: number; out: string; err: string }> => {
        let out = '';
        let err = '';
        const code = await runApplyPatch(args, {
          stdin: Readable.from([input]),
          stdout: { write: (text: string) => (out += text) },
          stderr: { write: (text: string) => (err += text) },
        });
        return { code, out, err };
      };
      const dry = await run('*** Update File: a.txt\n@@\n one\n-two\n+2\n*** End Patch\n', ['--cwd', dir, '--dry-run']);
      assert.equal(dry.code, 0);
      assert.deepEqual(JSON.parse(dry.out), { files: { 'a.txt': 'one\n2\n' }, format: 'applyPatch' });
      assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'one\ntwo\n');

      const real = await run('*** Update File: a.txt\n@@\n one\n-two\n+2\n*** End Patch\n', ['--cwd', dir]);
      assert.deepEqual(real, { code: 0, out: 'updated a.txt\n', err: '' });
      assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'one\n2\n');

      const refused = await run('*** Update File: a.txt\n@@\n-three\n+3\n*** End Patch\n', ['--cwd', dir]);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /a\.txt, hunk 1: could not find these lines/);

      const outside = await run('*** Update File: ../x.txt\n@@\n-a\n+b\n*** End Patch\n', ['--cwd', dir]);
      assert.equal(outside.code, 1);
      assert.match(outside.err, /outside the workspace/);

      assert.equal((await run('', ['--cwd', path.join(dir, 'missing')])).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
