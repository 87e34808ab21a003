/**
 * The edit corpus through the built CLI: `node dist/server.js apply-patch
 * --cwd <copy of before/>` (and `--dry-run`), checking exit codes, stderr and
 * the files left on disk. Needs `node scripts/build.mjs --no-tests` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCorpus, readTree, treeDifference, type CorpusCase, type Tree } from '../unit/edits/corpus';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist', 'server.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function applyPatch(cwd: string, corpusCase: CorpusCase, extra: string[] = []): Run {
  const args = [serverJs, 'apply-patch', '--cwd', cwd, ...extra];
  if (corpusCase.defaultPath !== undefined) args.push('--path', corpusCase.defaultPath);
  if (corpusCase.selection !== undefined) args.push('--lines', `${corpusCase.selection.startLine + 1}-${corpusCase.selection.endLine}`);
  const result = spawnSync(process.execPath, args, { input: corpusCase.patch, encoding: 'utf8', timeout: 15_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function copyBefore(corpusCase: CorpusCase, into: string): void {
  mkdirSync(into, { recursive: true });
  const before = path.join(corpusCase.dir, 'before');
  if (existsSync(before)) cpSync(before, into, { recursive: true });
}

function parseDryRun(stdout: string): { files: Map<string, string | null>; format: string } {
  const parsed = JSON.parse(stdout) as { files?: unknown; format?: unknown };
  assert.ok(typeof parsed.files === 'object' && parsed.files !== null, 'dry-run JSON has files');
  assert.equal(typeof parsed.format, 'string');
  const files = new Map<string, string | null>();
  for (const [file, text] of Object.entries(parsed.files)) {
    assert.ok(text === null || typeof text === 'string', `${file}: string or null`);
    files.set(file, text);
  }
  return { files, format: String(parsed.format) };
}

function withDryRun(before: Tree, files: Map<string, string | null>): Tree {
  const next: Tree = new Map(before);
  for (const [file, text] of files) {
    if (text === null) next.delete(file);
    else next.set(file, text);
  }
  return next;
}

describe('tandem apply-patch (built CLI) on the edit corpus', function () {
  this.timeout(30_000);
  let work: string;

  before(() => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs --no-tests" first`);
    work = mkdtempSync(path.join(os.tmpdir(), 'tandem-apply-patch-'));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('rejects unknown arguments with exit code 2', () => {
    const result = spawnSync(process.execPath, [serverJs, 'apply-patch', '--frobnicate'], { input: '', encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Unknown argument/);
  });

  it('refuses empty input with exit code 1', () => {
    const result = spawnSync(process.execPath, [serverJs, 'apply-patch', '--cwd', os.tmpdir()], { input: '\n', encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /empty/);
  });

  for (const corpusCase of loadCorpus()) {
    it(corpusCase.name, () => {
      const dir = path.join(work, corpusCase.name);
      copyBefore(corpusCase, path.join(dir, 'dry'));
      copyBefore(corpusCase, path.join(dir, 'real'));

      const dry = applyPatch(path.join(dir, 'dry'), corpusCase, ['--dry-run']);
      const real = applyPatch(path.join(dir, 'real'), corpusCase);
      assert.equal(treeDifference(readTree(path.join(dir, 'dry')), corpusCase.before), undefined, '--dry-run must not touch files');

      if (corpusCase.expected.kind === 'error') {
        for (const run of [dry, real]) {
          assert.equal(run.code, 1, `exit code; stderr: ${run.stderr}`);
          for (const part of corpusCase.expected.error.messageIncludes) {
            assert.ok(run.stderr.includes(part), `stderr lacks ${JSON.stringify(part)}:\n${run.stderr}`);
          }
        }
        assert.equal(treeDifference(readTree(path.join(dir, 'real')), corpusCase.before), undefined, 'a refused edit must not touch files');
        return;
      }
      assert.equal(dry.code, 0, `dry-run exit code; stderr: ${dry.stderr}`);
      assert.equal(real.code, 0, `exit code; stderr: ${real.stderr}`);
      const expected = corpusCase.expected.files;
      assert.equal(treeDifference(withDryRun(corpusCase.before, parseDryRun(dry.stdout).files), expected), undefined, 'dry-run JSON');
      assert.equal(treeDifference(readTree(path.join(dir, 'real')), expected), undefined, 'files on disk');
      // No temp or backup files are left behind.
      assert.ok(![...readTree(path.join(dir, 'real')).keys()].some((file) => file.includes('.tandem-')));
    });
  }
});
