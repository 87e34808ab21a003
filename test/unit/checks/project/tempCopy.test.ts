import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChangeSet } from '../../../../src/shared/edits';
import { sweepStaleCopies } from '../../../../src/server/services/checks/project/stale';
import { createTempCopy, disposeAllCopies, liveCopies, type CopyOutcome, type TempCopy } from '../../../../src/server/services/checks/project/tempCopy';
import { git, gitRepo, leftoverCopies, removeTempFolders, snapshot, tempFolder, writeFiles } from './workspaces';

function changes(...list: ChangeSet['changes']): ChangeSet {
  return { format: 'codeBlock', changes: list };
}

function made(outcome: CopyOutcome): TempCopy {
  if (!outcome.ok) assert.fail(`no copy: ${outcome.reason}`);
  return outcome.copy;
}

/** The person's repository as it must stay: files, and git's own state (worktrees, index, HEAD). */
function repoState(root: string): unknown {
  const files = snapshot(root);
  for (const key of Object.keys(files)) if (key === '.git' || key.startsWith(`.git${path.sep}`)) delete files[key];
  const gitDir = path.join(root, '.git');
  const worktrees = existsSync(path.join(gitDir, 'worktrees')) ? snapshot(path.join(gitDir, 'worktrees')) : {};
  return { files, worktrees, list: git(root, 'worktree', 'list', '--porcelain'), index: readFileSync(path.join(gitDir, 'index')).toString('base64'), head: readFileSync(path.join(gitDir, 'HEAD'), 'utf8') };
}

describe('project checks: the temporary copy', function () {
  this.timeout(30_000);
  let tmpDir: string;

  beforeEach(() => {
    tmpDir = tempFolder('tandem-tmp-');
  });

  afterEach(async () => {
    await disposeAllCopies();
    assert.equal(liveCopies(), 0);
    assert.deepEqual(leftoverCopies(tmpDir), [], 'a temporary copy was left behind');
  });

  after(removeTempFolders);

  describe('in a git repository', () => {
    function repo(): { root: string; deps: string } {
      const root = gitRepo({
        '.gitignore': 'node_modules/\ndist/\n.env\n',
        'src/kept.ts': 'export const kept = 1;\n',
        'src/modified.ts': 'export const m = 1;\n',
        'src/deleted.ts': 'export const d = 1;\n',
        'src/renamed.ts': 'export const r = 1;\n',
        'src/removedByProposal.ts': 'export const x = 1;\n',
        'package.json': '{"name":"p"}\n',
      });
      // The person's working tree: a modification, a deletion, an untracked file, ignored output and secrets.
      writeFiles(root, { 'src/modified.ts': 'export const m = 2; // unsaved work\n', 'src/untracked.ts': 'export const u = 1;\n', 'dist/out.js': 'built\n', '.env': 'TOKEN=x\n' });
      unlinkSync(path.join(root, 'src/deleted.ts'));
      const deps = path.join(root, 'node_modules', 'lib');
      writeFiles(root, { 'node_modules/lib/index.js': 'module.exports = 1;\n' });
      return { root, deps };
    }

    it('holds HEAD with the working tree\'s changes and then the proposal; the person\'s repository is unchanged once it is removed', async () => {
      const { root } = repo();
      const before = repoState(root);
      const copy = made(
        await createTempCopy(
          root,
          changes(
            { kind: 'update', path: 'src/kept.ts', oldText: '', newText: 'export const kept: string = 1;\n' },
            { kind: 'add', path: 'src/new/added.ts', newText: 'export const a = 1;\n' },
            { kind: 'delete', path: 'src/removedByProposal.ts', oldText: '' },
            { kind: 'update', path: 'src/renamed.ts', oldText: '', newText: 'export const r = 2;\n', moveTo: 'src/moved/renamed.ts' },
          ),
          { tmpDir },
        ),
      );
      assert.equal(copy.kind, 'git');
      const read = (name: string): string | undefined => (existsSync(path.join(copy.folder, name)) ? readFileSync(path.join(copy.folder, name), 'utf8') : undefined);
      assert.equal(read('src/kept.ts'), 'export const kept: string = 1;\n', 'the proposal side');
      assert.equal(read('src/modified.ts'), 'export const m = 2; // unsaved work\n', 'the working tree, not HEAD');
      assert.equal(read('src/deleted.ts'), undefined, 'deleted in the working tree');
      assert.equal(read('src/untracked.ts'), 'export const u = 1;\n');
      assert.equal(read('src/new/added.ts'), 'export const a = 1;\n');
      assert.equal(read('src/removedByProposal.ts'), undefined);
      assert.equal(read('src/renamed.ts'), undefined);
      assert.equal(read('src/moved/renamed.ts'), 'export const r = 2;\n');
      assert.equal(read('dist/out.js'), undefined, 'ignored output is not copied');
      assert.equal(read('.env'), undefined, 'ignored secrets are not copied');
      assert.ok(lstatSync(path.join(copy.folder, 'node_modules')).isSymbolicLink(), 'dependencies are linked');
      assert.equal(readlinkSync(path.join(copy.folder, 'node_modules')), realpathSync(path.join(root, 'node_modules')));
      assert.equal(read('node_modules/lib/index.js'), 'module.exports = 1;\n');
      // A git worktree at HEAD: git in the copy sees the changes against HEAD.
      assert.equal(git(copy.folder, 'rev-parse', 'HEAD'), git(root, 'rev-parse', 'HEAD'));
      assert.match(git(copy.folder, 'status', '--porcelain'), /src\/kept\.ts/);
      assert.equal(readFileSync(path.join(root, 'src/kept.ts'), 'utf8'), 'export const kept = 1;\n', 'the person\'s file');
      await copy.dispose();
      assert.equal(existsSync(copy.root), false);
      assert.deepEqual(repoState(root), before);
      assert.equal(readFileSync(path.join(root, 'node_modules/lib/index.js'), 'utf8'), 'module.exports = 1;\n', 'removing the copy never follows the dependency link');
    });

    it('puts the workspace folder at its place when it is a folder inside the repository, with the repository\'s tracked files and hoisted dependencies', async () => {
      const root = gitRepo({ '.gitignore': 'node_modules/\n', 'tsconfig.base.json': '{}', 'packages/app/src/a.ts': 'a\n', 'other/b.ts': 'b\n' });
      writeFiles(root, { 'node_modules/hoisted/index.js': 'h\n', 'untracked-above.txt': 'not walked\n', 'packages/app/src/untracked.ts': 'u\n', 'packages/app/node_modules/own/index.js': 'o\n' });
      const copy = made(await createTempCopy(path.join(root, 'packages', 'app'), changes({ kind: 'add', path: 'src/c.ts', newText: 'c\n' }), { tmpDir }));
      assert.equal(path.relative(copy.root, copy.folder), path.join('packages', 'app'));
      assert.equal(readFileSync(path.join(copy.folder, 'src/a.ts'), 'utf8'), 'a\n');
      assert.equal(readFileSync(path.join(copy.folder, 'src/c.ts'), 'utf8'), 'c\n');
      assert.equal(readFileSync(path.join(copy.folder, 'src/untracked.ts'), 'utf8'), 'u\n');
      assert.equal(readFileSync(path.join(copy.root, 'tsconfig.base.json'), 'utf8'), '{}');
      assert.equal(readFileSync(path.join(copy.root, 'other/b.ts'), 'utf8'), 'b\n');
      assert.equal(existsSync(path.join(copy.root, 'untracked-above.txt')), false, 'untracked files above the folder are not walked');
      assert.ok(lstatSync(path.join(copy.root, 'node_modules')).isSymbolicLink(), 'the hoisted node_modules is linked');
      assert.ok(lstatSync(path.join(copy.folder, 'node_modules')).isSymbolicLink(), 'the folder\'s own node_modules is linked');
      assert.equal(existsSync(path.join(root, 'packages/app/src/c.ts')), false);
      await copy.dispose();
    });

    it('runs none of the repository\'s hooks or configured programs', async () => {
      const root = gitRepo({ 'a.ts': 'a\n' });
      const marker = path.join(tempFolder('tandem-marker-'), 'ran');
      const script = `#!/bin/sh\ntouch '${marker}'\n`;
      for (const hook of ['post-checkout', 'post-index-change', 'reference-transaction']) {
        writeFileSync(path.join(root, '.git', 'hooks', hook), script);
        chmodSync(path.join(root, '.git', 'hooks', hook), 0o755);
      }
      const own = path.join(root, 'hooks');
      mkdirSync(own);
      writeFileSync(path.join(own, 'post-checkout'), script);
      chmodSync(path.join(own, 'post-checkout'), 0o755);
      writeFileSync(path.join(root, 'fsmonitor.sh'), script);
      chmodSync(path.join(root, 'fsmonitor.sh'), 0o755);
      git(root, 'config', 'core.hooksPath', own);
      git(root, 'config', 'core.fsmonitor', path.join(root, 'fsmonitor.sh'));
      git(root, 'config', 'filter.evil.smudge', `sh -c "touch '${marker}'; cat"`);
      writeFileSync(path.join(root, '.gitattributes'), '*.ts filter=evil\n');
      git(root, '-c', 'core.hooksPath=/dev/null', 'add', '.gitattributes');
      git(root, '-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'filter.evil.clean=cat', 'commit', '-q', '-m', 'attributes');
      rmSync(marker, { force: true });
      const copy = made(await createTempCopy(root, changes(), { tmpDir }));
      await copy.dispose();
      assert.equal(existsSync(marker), false, 'a hook, fsmonitor or filter of the repository ran');
    });

    it('is skipped with a reason over the cap, and leaves nothing behind', async () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 30; i++) files[`f${i}.txt`] = 'x\n';
      const root = gitRepo(files);
      const outcome = await createTempCopy(root, changes(), { tmpDir, gitLimits: { maxFiles: 10, maxBytes: 1e9 } });
      assert.equal(outcome.ok, false);
      assert.match(outcome.ok ? '' : outcome.reason, /too large for a temporary copy/);
      const bytes = await createTempCopy(root, changes(), { tmpDir, gitLimits: { maxFiles: 1000, maxBytes: 20 } });
      assert.equal(bytes.ok, false);
      assert.equal(git(root, 'worktree', 'list').trim().split('\n').length, 1);
    });

    it('uses a plain copy in a repository without a commit', async () => {
      const root = tempFolder('tandem-empty-repo-');
      git(root, 'init', '-q');
      writeFiles(root, { 'a.ts': 'a\n' });
      const copy = made(await createTempCopy(root, changes(), { tmpDir }));
      assert.equal(copy.kind, 'folder');
      assert.equal(readFileSync(path.join(copy.folder, 'a.ts'), 'utf8'), 'a\n');
    });
  });

  describe('in a plain folder', () => {
    it('copies the folder, links dependencies, applies the proposal and leaves the folder as it was', async () => {
      const root = tempFolder('tandem-plain-');
      writeFiles(root, { 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', '.venv/lib/x.py': 'x\n', 'node_modules/m/i.js': 'm\n', '.git/HEAD': 'not a repo\n' });
      const before = snapshot(root);
      const copy = made(
        await createTempCopy(root, changes({ kind: 'update', path: 'src/a.ts', oldText: 'a\n', newText: 'A\n' }, { kind: 'delete', path: 'src/b.ts', oldText: 'b\n' }, { kind: 'add', path: 'c.ts', newText: 'c\n' }), { tmpDir }),
      );
      assert.equal(copy.kind, 'folder');
      assert.equal(readFileSync(path.join(copy.folder, 'src/a.ts'), 'utf8'), 'A\n');
      assert.equal(existsSync(path.join(copy.folder, 'src/b.ts')), false);
      assert.equal(readFileSync(path.join(copy.folder, 'c.ts'), 'utf8'), 'c\n');
      assert.ok(lstatSync(path.join(copy.folder, '.venv')).isSymbolicLink());
      assert.ok(lstatSync(path.join(copy.folder, 'node_modules')).isSymbolicLink());
      assert.equal(existsSync(path.join(copy.folder, '.git')), false);
      await copy.dispose();
      assert.deepEqual(snapshot(root), before);
    });

    for (const [what, limits] of [
      ['files', { maxFiles: 5, maxBytes: 1e9 }],
      ['bytes', { maxFiles: 1000, maxBytes: 100 }],
    ] as const) {
      it(`is skipped with a reason over the cap (${what})`, async () => {
        const root = tempFolder('tandem-plain-');
        const files: Record<string, string> = {};
        for (let i = 0; i < 12; i++) files[`d${i % 3}/f${i}.txt`] = 'x'.repeat(20);
        writeFiles(root, files);
        const outcome = await createTempCopy(root, changes(), { tmpDir, folderLimits: limits });
        assert.equal(outcome.ok, false);
        assert.match(outcome.ok ? '' : outcome.reason, /not a git repository\) is too large/);
      });
    }
  });

  describe('links and hostile paths', () => {
    for (const kind of ['git', 'folder'] as const) {
      function workspace(): { root: string; outside: string } {
        const outside = tempFolder('tandem-outside-');
        writeFiles(outside, { 'target.ts': 'outside\n' });
        const files = { 'src/real/a.ts': 'a\n', 'package.json': '{}' };
        const root = kind === 'git' ? gitRepo(files) : tempFolder('tandem-plain-');
        if (kind === 'folder') writeFiles(root, files);
        symlinkSync(path.join(root, 'src', 'real'), path.join(root, 'src', 'inside'));
        symlinkSync('../src/real/a.ts', path.join(root, 'src', 'alias.ts'));
        symlinkSync(outside, path.join(root, 'escape'));
        symlinkSync(path.join(outside, 'target.ts'), path.join(root, 'escape.ts'));
        symlinkSync(path.join(outside, 'gone.ts'), path.join(root, 'dangling.ts'));
        if (kind === 'git') {
          git(root, 'add', '-A');
          git(root, 'commit', '-q', '-m', 'links');
        }
        writeFiles(root, { 'node_modules/dep/index.js': 'dep\n' });
        if (kind === 'git') writeFiles(root, { '.gitignore': 'node_modules/\n' });
        return { root, outside };
      }

      it(`${kind}: recreates links inside the workspace inside the copy, and never copies one that leads out`, async () => {
        const { root, outside } = workspace();
        const copy = made(await createTempCopy(root, changes({ kind: 'update', path: 'src/inside/a.ts', oldText: 'a\n', newText: 'through the link\n' }), { tmpDir }));
        const link = readlinkSync(path.join(copy.folder, 'src', 'inside'));
        assert.equal(path.isAbsolute(link), false);
        assert.equal(readFileSync(path.join(copy.folder, 'src/real/a.ts'), 'utf8'), 'through the link\n', 'a write through an inner link lands in the copy');
        assert.equal(readFileSync(path.join(copy.folder, 'src/alias.ts'), 'utf8'), 'through the link\n');
        for (const name of ['escape', 'escape.ts', 'dangling.ts']) assert.equal(existsSync(path.join(copy.folder, name)) || isLink(path.join(copy.folder, name)), false, name);
        assert.match(copy.notes.join(' '), /3 symbolic links leading outside the workspace were not copied/);
        assert.equal(readFileSync(path.join(root, 'src/real/a.ts'), 'utf8'), 'a\n');
        assert.equal(readFileSync(path.join(outside, 'target.ts'), 'utf8'), 'outside\n');
      });

      it(`${kind}: a proposal never writes outside the copy (through links out, dependency links, .., .git)`, async () => {
        const { root, outside } = workspace();
        const before = { outside: snapshot(outside), deps: snapshot(path.join(root, 'node_modules')), root: readFileSync(path.join(root, 'src/real/a.ts'), 'utf8') };
        const hostile: Array<[ChangeSet['changes'][number], RegExp | 'stays inside']> = [
          [{ kind: 'add', path: 'node_modules/dep/index.js', newText: 'owned\n' }, /outside the temporary copy/],
          [{ kind: 'update', path: 'node_modules/dep/index.js', oldText: 'dep\n', newText: 'owned\n' }, /outside the temporary copy/],
          [{ kind: 'delete', path: 'node_modules/dep/index.js', oldText: 'dep\n' }, /outside the temporary copy/],
          [{ kind: 'add', path: '../escaped.ts', newText: 'x' }, /outside the workspace/],
          [{ kind: 'add', path: 'src/../../escaped.ts', newText: 'x' }, /outside the workspace/],
          [{ kind: 'add', path: path.join(outside, 'abs.ts'), newText: 'x' }, /outside the workspace/],
          [{ kind: 'add', path: '.git/hooks/pre-commit', newText: 'x' }, /git's own files/],
          [{ kind: 'update', path: '.GIT', oldText: '', newText: 'gitdir: /' }, /git's own files/],
          [{ kind: 'update', path: 'src/real/a.ts', oldText: 'a\n', newText: 'x', moveTo: 'node_modules/dep/moved.js' }, /outside the temporary copy/],
          // The link out was not copied: these land in a plain folder of the copy.
          [{ kind: 'add', path: 'escape/target.ts', newText: 'owned\n' }, 'stays inside'],
          [{ kind: 'add', path: 'escape.ts', newText: 'owned\n' }, 'stays inside'],
          [{ kind: 'add', path: 'dangling.ts', newText: 'owned\n' }, 'stays inside'],
        ];
        for (const [change, expected] of hostile) {
          const outcome = await createTempCopy(root, changes(change), { tmpDir });
          if (expected === 'stays inside') {
            const copy = made(outcome);
            assert.equal(readFileSync(path.join(copy.folder, change.path), 'utf8'), 'owned\n');
            await copy.dispose();
          } else {
            assert.equal(outcome.ok, false, `${change.kind} ${change.path} was written`);
            assert.match(outcome.ok ? '' : outcome.reason, expected);
          }
        }
        assert.deepEqual({ outside: snapshot(outside), deps: snapshot(path.join(root, 'node_modules')), root: readFileSync(path.join(root, 'src/real/a.ts'), 'utf8') }, before);
        assert.equal(existsSync(path.join(path.dirname(root), 'escaped.ts')), false);
      });
    }
  });

  it('stops and removes the copy when cancelled while it is being made', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`d${i % 20}/f${i}.ts`] = `export const v${i} = ${i};\n`;
    const root = gitRepo(files);
    for (const delay of [0, 5, 20, 60]) {
      const controller = new AbortController();
      const making = createTempCopy(root, changes(), { tmpDir, signal: controller.signal });
      setTimeout(() => controller.abort(), delay);
      const outcome = await making.catch(() => undefined);
      if (outcome?.ok) await outcome.copy.dispose();
      assert.equal(liveCopies(), 0, `after a cancel at ${delay} ms`);
      assert.deepEqual(leftoverCopies(tmpDir), []);
    }
    assert.equal(git(root, 'worktree', 'list').trim().split('\n').length, 1);
  });

  it('disposeAllCopies removes every copy still there (service shutdown)', async () => {
    const root = gitRepo({ 'a.ts': 'a\n' });
    const copies = [made(await createTempCopy(root, changes(), { tmpDir })), made(await createTempCopy(root, changes(), { tmpDir }))];
    assert.equal(liveCopies(), 2);
    await disposeAllCopies();
    for (const copy of copies) assert.equal(existsSync(copy.root), false);
    assert.equal(git(root, 'worktree', 'list').trim().split('\n').length, 1);
    rmSync(path.join(root, 'a.ts'));
  });
});

function isLink(absolute: string): boolean {
  try {
    return lstatSync(absolute).isSymbolicLink();
  } catch {
    return false;
  }
}

describe('project checks: copies a crashed service left behind', () => {
  after(removeTempFolders);

  it('are removed when their service no longer runs; copies of running services are kept', async () => {
    const tmp = tempFolder('tandem-sweep-');
    const names = ['tandem-checks-111-a', 'tandem-checks-222-b', `tandem-checks-${process.pid}-c`, 'tandem-checks-x-d', 'other-333-e'];
    for (const name of names) writeFiles(path.join(tmp, name), { 'worktree/src/a.ts': 'a' });
    const removed = await sweepStaleCopies(tmp, (pid) => pid === 222);
    assert.equal(removed, 1);
    assert.deepEqual(leftoverCopies(tmp).sort(), ['tandem-checks-222-b', `tandem-checks-${process.pid}-c`, 'tandem-checks-x-d'].sort());
    assert.ok(existsSync(path.join(tmp, 'other-333-e')));
  });
});
