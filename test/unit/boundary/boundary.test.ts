import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveReal, WorkspaceBoundary } from '../../../src/shared/boundary/boundary';
import { isProtectedPath, isSecretPath } from '../../../src/shared/boundary/rules';

/** A workspace with an outside folder next to it; symlinks are made per test. */
function makeTree(): { base: string; root: string; outside: string } {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tandem-boundary-')));
  const root = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(root, 'src/a.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(root, '.env'), 'TOKEN=secret\n');
  writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
  writeFileSync(path.join(outside, 'notes.txt'), 'outside\n');
  return { base, root, outside };
}

describe('workspace boundary: real paths', () => {
  let tree: ReturnType<typeof makeTree>;
  beforeEach(() => (tree = makeTree()));
  afterEach(() => rmSync(tree.base, { recursive: true, force: true }));

  const decide = (requested: string, access: 'read' | 'write' = 'read') => new WorkspaceBoundary(tree.root).decide(requested, access);

  it('allows plain files inside, with their real path', () => {
    const decision = decide('src/a.ts');
    assert.deepEqual(decision, { action: 'allow', relative: 'src/a.ts', absolute: path.join(tree.root, 'src/a.ts') });
    assert.equal(decide('./src/../src/a.ts').action, 'allow');
    assert.equal(decide(path.join(tree.root, 'src/new-file.ts'), 'write').action, 'allow', 'a file that does not exist yet');
  });

  it('refuses lexical escapes: .., absolute paths, siblings with a common prefix', () => {
    for (const p of ['../outside/notes.txt', '/etc/passwd', 'src/../../outside', `${tree.root}-other/x`, path.join(tree.outside, 'notes.txt')]) {
      assert.equal(decide(p).action, 'refuse', p);
    }
  });

  it('refuses every kind of symlink that leads out: to a folder, a file, a dangling target, a chain, /proc', () => {
    symlinkSync('../outside', path.join(tree.root, 'linkdir'));
    symlinkSync(path.join(tree.outside, 'notes.txt'), path.join(tree.root, 'abs-link.txt'));
    symlinkSync('../outside/not-yet.txt', path.join(tree.root, 'dangling.txt'));
    symlinkSync('hop2', path.join(tree.root, 'hop1'));
    symlinkSync('../outside', path.join(tree.root, 'hop2'));
    symlinkSync('/proc/self/environ', path.join(tree.root, 'AGENTS.md'));
    mkdirSync(path.join(tree.root, 'deep/er'), { recursive: true });
    symlinkSync('../../../outside', path.join(tree.root, 'deep/er/up'));
    const cases: Array<[string, 'read' | 'write']> = [
      ['linkdir/notes.txt', 'read'],
      ['linkdir/new.txt', 'write'],
      ['linkdir', 'read'],
      ['abs-link.txt', 'read'],
      ['dangling.txt', 'write'],
      ['hop1/notes.txt', 'read'],
      ['AGENTS.md', 'read'],
      ['deep/er/up/notes.txt', 'write'],
    ];
    for (const [p, access] of cases) {
      const decision = decide(p, access);
      assert.equal(decision.action, 'refuse', `${p} (${access})`);
      assert.match(decision.action === 'refuse' ? decision.reason : '', /outside the workspace through a symbolic link/, p);
    }
  });

  it('refuses links to secrets inside the workspace, and secrets behind innocent names', () => {
    symlinkSync('.env', path.join(tree.root, 'safe.txt'));
    mkdirSync(path.join(tree.root, 'config'));
    symlinkSync('../.env', path.join(tree.root, 'config/settings.txt'));
    for (const p of ['safe.txt', 'config/settings.txt']) {
      const decision = decide(p);
      assert.equal(decision.action, 'refuse', p);
      assert.match(decision.action === 'refuse' ? decision.reason : '', /a link to \.env.*secrets file/);
    }
  });

  it('allows links that stay inside (and decides on the target)', () => {
    symlinkSync('src', path.join(tree.root, 'source'));
    const decision = decide('source/a.ts');
    assert.equal(decision.action, 'allow');
    assert.equal(decision.action === 'allow' ? decision.absolute : '', path.join(tree.root, 'src/a.ts'));
  });

  it('asks before writing through a link to a protected path', () => {
    mkdirSync(path.join(tree.root, '.vscode'));
    symlinkSync('.vscode/settings.json', path.join(tree.root, 'innocent.json'));
    assert.equal(decide('innocent.json', 'write').action, 'ask');
    assert.equal(decide('innocent.json', 'read').action, 'allow');
  });

  it('refuses link loops and paths with control characters', () => {
    symlinkSync('loop-b', path.join(tree.root, 'loop-a'));
    symlinkSync('loop-a', path.join(tree.root, 'loop-b'));
    assert.match(JSON.stringify(decide('loop-a')), /too many symbolic links/);
    assert.equal(decide('src/a\u0000.ts').action, 'refuse');
    assert.equal(decide('src/a\n.ts').action, 'refuse');
  });

  it('refuses what .gitignore excludes, with ignoreFiles, and never what it does not', () => {
    assert.equal(decide('dist/a.js').action, 'refuse');
    assert.equal(new WorkspaceBoundary(tree.root, { ignoreFiles: false }).decide('dist/a.js', 'read').action, 'allow');
    assert.equal(new WorkspaceBoundary(tree.root, { ignoreFiles: false }).decide('.env', 'read').action, 'refuse', 'secrets whatever the option');
  });

  it('.tandemignore can let a git-ignored file in again, never a secret', () => {
    writeFileSync(path.join(tree.root, '.gitignore'), '*.local.json\n.env\n');
    writeFileSync(path.join(tree.root, '.tandemignore'), '!app.local.json\n!.env\n');
    assert.equal(decide('app.local.json').action, 'allow');
    assert.equal(decide('other.local.json').action, 'refuse');
    assert.equal(decide('.env').action, 'refuse');
  });

  it('a .gitignore that is a link out of the workspace, or to a device, is not read', () => {
    rmSync(path.join(tree.root, '.gitignore'));
    writeFileSync(path.join(tree.outside, 'ignore-all'), '*\n');
    symlinkSync(path.join(tree.outside, 'ignore-all'), path.join(tree.root, '.gitignore'));
    assert.equal(decide('src/a.ts').action, 'allow');
    rmSync(path.join(tree.root, '.gitignore'));
    symlinkSync('/dev/zero', path.join(tree.root, '.gitignore'));
    assert.equal(decide('src/a.ts').action, 'allow');
  });

  it('refuses devices and pipes reached through links', () => {
    symlinkSync('/dev/zero', path.join(tree.root, 'zero'));
    assert.equal(decide('zero').action, 'refuse');
  });

  it('readText reads the real file, refuses through the same rules', () => {
    symlinkSync('src/a.ts', path.join(tree.root, 'alias.ts'));
    const boundary = new WorkspaceBoundary(tree.root);
    assert.deepEqual(boundary.readText('alias.ts', 1000), { text: 'export const a = 1;\n' });
    assert.ok('refused' in (boundary.readText('.env', 1000) ?? {}));
    assert.equal(boundary.readText('missing.ts', 1000), undefined);
    assert.equal(boundary.readText('src/a.ts', 5), undefined, 'larger than the limit');
  });

  it('compares without case where the file system ignores case', () => {
    const boundary = new WorkspaceBoundary(tree.root, { caseInsensitive: true });
    const upper = path.join(tree.root.toUpperCase(), 'src/a.ts');
    // On this (case-sensitive) disk the upper-case path does not exist, but the comparison is what is tested.
    assert.notEqual(boundary.decide(upper, 'read').action, 'refuse');
    assert.equal(new WorkspaceBoundary(tree.root, { caseInsensitive: false }).decide(upper, 'read').action, 'refuse');
  });

  it('resolveReal follows a link in the middle of a path and keeps missing parts', () => {
    symlinkSync('../outside', path.join(tree.root, 'mid'));
    const resolved = resolveReal(path.join(tree.root, 'mid/a/b.txt'));
    assert.deepEqual(resolved, { ok: true, path: path.join(tree.outside, 'a/b.txt'), isDir: false, special: false });
  });
});

describe('secret and protected rules', () => {
  const variants = (p: string): string[] => [p, p.toUpperCase(), p.replace(/^(.)/, (c) => c.toUpperCase()), `nested/dir/${p}`, `./${p}`];

  it('secrets, in any case and any folder', () => {
    const secrets = [
      '.env',
      '.env.local',
      '.env.production',
      '.envrc',
      'prod.env',
      'id_rsa',
      'id_ed25519.pub',
      'server.pem',
      'tls.key',
      'cert.p12',
      'store.pfx',
      'release.jks',
      '.npmrc',
      '.netrc',
      '.pypirc',
      '.pgpass',
      '.git-credentials',
      'credentials',
      'credentials.json',
      'credentials.yml.enc',
      'secrets.yaml',
      'secret.json',
      'service-account-prod.json',
      'terraform.tfstate',
      'terraform.tfstate.backup',
      '.env/anything.txt',
      '.aws/credentials',
      '.aws/config',
      '.ssh/config',
      'secrets/db.txt',
      '.docker/config.json',
      '.kube/config',
    ];
    for (const secret of secrets) for (const p of variants(secret)) assert.ok(isSecretPath(p), p);
  });

  it('not secrets: source files and templates', () => {
    for (const p of ['src/env.ts', 'keys.ts', 'environment.md', 'src/credentials.ts', 'auth/secrets.ts', '.env.example', '.ENV.SAMPLE', 'config/.env.template', 'docs/keyboard.md', 'src/key.tsx', 'README.md', 'secret-santa.md']) {
      assert.ok(!isSecretPath(p), p);
    }
  });

  it('protected paths, in any case', () => {
    const protectedPaths = [
      '.vscode/settings.json',
      '.vscode/tasks.json',
      '.vscode/mcp.json',
      '.vscode',
      'packages/app/.vscode/settings.json',
      'project.code-workspace',
      'sub/dir/team.code-workspace',
      '.git/config',
      '.git/hooks/pre-commit',
      'vendor/lib/.git/config',
      '.git',
      '.gitignore',
      'pkg/.gitignore',
      '.gitattributes',
      '.gitmodules',
      '.github/workflows/ci.yml',
      '.github/actions/x/action.yml',
      '.github/copilot-instructions.md',
      '.github/CODEOWNERS',
      '.gitlab-ci.yml',
      '.circleci/config.yml',
      'azure-pipelines.yml',
      'Jenkinsfile',
      '.devcontainer/devcontainer.json',
      '.devcontainer.json',
      '.husky/pre-commit',
      '.pre-commit-config.yaml',
      'AGENTS.md',
      'packages/a/AGENTS.md',
      'CLAUDE.md',
      '.claude/settings.json',
      '.cursorrules',
      '.cursor/rules/x.mdc',
      '.clinerules',
      '.roo/rules.md',
      '.windsurfrules',
      '.continue/config.json',
      '.tandemignore',
      '.idea/workspace.xml',
    ];
    for (const p of protectedPaths) {
      assert.ok(isProtectedPath(p), p);
      assert.ok(isProtectedPath(p.toUpperCase()), p.toUpperCase());
    }
    for (const p of ['src/agents.ts', 'docs/github.md', 'src/vscode/a.ts', 'gitignore.md', 'package.json', 'src/.github.ts']) {
      assert.ok(!isProtectedPath(p), p);
    }
  });
});
