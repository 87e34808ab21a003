/**
 * The cost of a project check's temporary copy (services/checks/project/
 * tempCopy.ts): creating it with a one-file proposal applied, and removing
 * it, for the sample project (as a plain folder and as a git repository) and
 * for a generated 10,000-file git repository with an ignored node_modules
 * (linked, not copied). For `npm run bench:checks`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTempCopy } from '../../src/server/services/checks/project/tempCopy';
import type { ChangeSet } from '../../src/shared/edits';

export interface CopyFigures {
  label: string;
  files: number;
  kind: string;
  create: { p50: number; max: number };
  remove: { p50: number; max: number };
}

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com', GIT_CONFIG_NOSYSTEM: '1' };

function gitInit(root: string): void {
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: root, env: GIT_ENV, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'bench');
}

/** The sample project (test/fixtures/workspace) in a temporary folder; optionally a git repository. */
export function sampleWorkspace(repoRoot: string, asGit: boolean): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-sample-'));
  cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), root, { recursive: true });
  if (asGit) gitInit(root);
  return root;
}

/** A git repository of `count` source files (about 600 bytes each, 100 folders) and an ignored node_modules of 2,000 files. */
export function generatedRepository(count: number): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-repo-'));
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, 'src', `m${i % 100}`);
    if (i < 100) mkdirSync(dir, { recursive: true });
    const body = Array.from({ length: 12 }, (_, line) => `export const v${i}_${line} = ${i * 31 + line}; // generated line ${line}`).join('\n');
    writeFileSync(path.join(dir, `f${i}.ts`), `${body}\n`);
  }
  writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
  writeFileSync(path.join(root, 'package.json'), '{"name":"bench","scripts":{"lint":"eslint ."}}\n');
  gitInit(root);
  for (let i = 0; i < 2_000; i++) {
    const dir = path.join(root, 'node_modules', `p${i % 50}`);
    if (i < 50) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `i${i}.js`), 'module.exports = 1;\n');
  }
  return root;
}

/** Creates and removes the copy `runs` times; the proposal changes one file. */
export async function measureCopy(label: string, root: string, file: string, runs: number): Promise<CopyFigures> {
  const oldText = readFileSync(path.join(root, file), 'utf8');
  const changeSet: ChangeSet = { format: 'codeBlock', changes: [{ kind: 'update', path: file, oldText, newText: `${oldText}\nexport const proposed = 1;\n` }] };
  const create: number[] = [];
  const remove: number[] = [];
  let files = 0;
  let kind = '';
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const outcome = await createTempCopy(root, changeSet);
    create.push(performance.now() - started);
    if (!outcome.ok) throw new Error(`${label}: no copy (${outcome.reason})`);
    files = outcome.copy.files;
    kind = outcome.copy.kind;
    const removing = performance.now();
    await outcome.copy.dispose();
    remove.push(performance.now() - removing);
  }
  return { label, files, kind, create: summary(create), remove: summary(remove) };
}

function summary(values: number[]): { p50: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

export function removeWorkspace(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
