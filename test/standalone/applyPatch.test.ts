/**
 * `node dist/server.js apply-patch` as a person or a script runs it: exit
 * codes, the patch on stdin, `--dry-run` JSON on stdout and writes on disk,
 * for a few corpus cases that together use every format and option. The
 * whole corpus runs in-process in test/unit/edits/applyPatchCorpus.test.ts
 * (the same checks, without a process per case). Needs `node scripts/build.mjs` first.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkCorpusCase, type CommandRun } from '../unit/edits/applyPatchCorpus';
import { loadCorpus } from '../unit/edits/corpus';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist', 'server.js');

/**
 * Corpus cases run through the built CLI: each format (apply_patch, unified
 * diff, SEARCH/REPLACE, code block), --path, --lines, CRLF through the pipes,
 * a move, a delete, a new file, and a refusal.
 */
const CLI_CASES = ['ap-basic-update', 'ap-move-file', 'ap-delete-file', 'ap-crlf', 'ud-git-basic', 'ud-default-path', 'ud-new-file', 'sr-aider-two-files', 'cb-selection', 'ap-not-found'];

/** The built CLI with `stdin` piped in, awaited without blocking the event loop. */
function cli(args: string[], stdin: string): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverJs, 'apply-patch', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('tandem apply-patch (built CLI)', function () {
  this.timeout(30_000);
  let work: string;

  before(() => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
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

  it('prints its usage with --help and exits 0; a --cwd that is not a folder exits 2', async () => {
    const help = await cli(['--help'], '');
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--dry-run/);
    const missing = await cli(['--cwd', path.join(work, 'no-such-folder')], '*** Begin Patch\n*** End Patch\n');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /is not a folder/);
  });

  it('reads a patch on stdin, prints what it changed and writes the file', async () => {
    const dir = mkdtempSync(path.join(work, 'write-'));
    writeFileSync(path.join(dir, 'notes.txt'), 'one\ntwo\nthree\n');
    const run = await cli(['--cwd', dir], '*** Begin Patch\n*** Update File: notes.txt\n@@\n one\n-two\n+2\n three\n*** End Patch\n');
    assert.deepEqual(run, { code: 0, stdout: 'updated notes.txt\n', stderr: '' });
    assert.equal(readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'one\n2\nthree\n');
  });

  const corpus = new Map(loadCorpus().map((corpusCase) => [corpusCase.name, corpusCase]));
  it('runs corpus cases that exist, in every format', () => {
    assert.deepEqual(
      CLI_CASES.filter((name) => !corpus.has(name)),
      [],
      'a case was renamed: pick another that uses the same format or option',
    );
    assert.deepEqual(new Set(CLI_CASES.map((name) => name.slice(0, 2))), new Set(['ap', 'ud', 'sr', 'cb']));
  });
  for (const name of CLI_CASES) {
    const corpusCase = corpus.get(name);
    if (corpusCase) it(`corpus: ${name}`, () => checkCorpusCase(corpusCase, work, cli));
  }
});
