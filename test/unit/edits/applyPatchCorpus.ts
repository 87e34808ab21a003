/**
 * One edit corpus case through `tandem apply-patch`: the patch on stdin,
 * `--cwd` a copy of before/ (`--dry-run` on a second copy), checking exit
 * codes, stderr, the dry-run JSON and the files left on disk. How the command
 * runs is the caller's: in-process (test/unit/edits/applyPatchCorpus.test.ts,
 * every case) or the built CLI (test/standalone/applyPatch.test.ts, a few).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { readTree, treeDifference, type CorpusCase, type Tree } from './corpus';

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tandem apply-patch <args>` with `stdin`. */
export type ApplyPatch = (args: string[], stdin: string) => Promise<CommandRun>;

/** The command line a corpus case needs: its default path and selection as options. */
export function argsFor(cwd: string, corpusCase: CorpusCase, extra: readonly string[] = []): string[] {
  const args = ['--cwd', cwd, ...extra];
  if (corpusCase.defaultPath !== undefined) args.push('--path', corpusCase.defaultPath);
  if (corpusCase.selection !== undefined) args.push('--lines', `${corpusCase.selection.startLine + 1}-${corpusCase.selection.endLine}`);
  return args;
}

function copyBefore(corpusCase: CorpusCase, into: string): void {
  mkdirSync(into, { recursive: true });
  const before = path.join(corpusCase.dir, 'before');
  if (existsSync(before)) cpSync(before, into, { recursive: true });
}

function parseDryRun(stdout: string): Map<string, string | null> {
  const parsed = JSON.parse(stdout) as { files?: unknown; format?: unknown };
  assert.ok(typeof parsed.files === 'object' && parsed.files !== null, 'dry-run JSON has files');
  assert.equal(typeof parsed.format, 'string');
  const files = new Map<string, string | null>();
  for (const [file, text] of Object.entries(parsed.files)) {
    assert.ok(text === null || typeof text === 'string', `${file}: string or null`);
    files.set(file, text);
  }
  return files;
}

function withDryRun(before: Tree, files: Map<string, string | null>): Tree {
  const next: Tree = new Map(before);
  for (const [file, text] of files) {
    if (text === null) next.delete(file);
    else next.set(file, text);
  }
  return next;
}

/** Applies `corpusCase` under `work/<name>/` with and without --dry-run; fails the test on any difference from what the case expects. */
export async function checkCorpusCase(corpusCase: CorpusCase, work: string, applyPatch: ApplyPatch): Promise<void> {
  const dir = path.join(work, corpusCase.name);
  copyBefore(corpusCase, path.join(dir, 'dry'));
  copyBefore(corpusCase, path.join(dir, 'real'));

  const dry = await applyPatch(argsFor(path.join(dir, 'dry'), corpusCase, ['--dry-run']), corpusCase.patch);
  const real = await applyPatch(argsFor(path.join(dir, 'real'), corpusCase), corpusCase.patch);
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
  assert.equal(treeDifference(withDryRun(corpusCase.before, parseDryRun(dry.stdout)), expected), undefined, 'dry-run JSON');
  assert.equal(treeDifference(readTree(path.join(dir, 'real')), expected), undefined, 'files on disk');
  // No temp or backup files are left behind.
  assert.ok(![...readTree(path.join(dir, 'real')).keys()].some((file) => file.includes('.tandem-')));
}
