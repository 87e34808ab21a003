/** Generated workspaces for the project-check tests: git repositories and plain folders, with a snapshot of every byte. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

export function tempFolder(prefix = 'tandem-ws-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempFolders(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
}

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1' };

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, env: GIT_ENV, encoding: 'utf8' });
}

/** A repository with `files` committed. */
export function gitRepo(files: Record<string, string>): string {
  const root = tempFolder('tandem-repo-');
  git(root, 'init', '-q', '-b', 'main');
  writeFiles(root, files);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  return root;
}

/** Every entry under `root` (links as their target text, files as a hash), to prove nothing changed. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const absolute = path.join(dir, name);
      const relative = path.relative(root, absolute);
      const stat = lstatSync(absolute);
      if (stat.isSymbolicLink()) out[relative] = `link:${readlinkSync(absolute)}`;
      else if (stat.isDirectory()) {
        out[relative] = 'dir';
        walk(absolute);
      } else out[relative] = createHash('sha256').update(readFileSync(absolute)).digest('hex');
    }
  };
  walk(root);
  return out;
}

/** The copies the service made and left behind in the temporary folder. */
export function leftoverCopies(tmpDir: string): string[] {
  return readdirSync(tmpDir).filter((name) => name.startsWith('tandem-checks-'));
}
