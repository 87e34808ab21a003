/**
 * The command sandbox, run for real (bubblewrap on Linux) with harmless
 * markers: what a command that runs without asking can and cannot do,
 * asserted on disk and on what a local server received. Also the runner
 * itself: command text reaches `bash -c` as one argument, never typed.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type ProcessOutcome, runProcess } from '../../src/extension/agent/processRunner';
import { SandboxDetector, type SandboxStatus } from '../../src/extension/agent/sandbox/detect';
import { commandEnvironment } from '../../src/extension/agent/sandbox/env';
import { type AvailableSandbox, plainLaunch, sandboxedLaunch } from '../../src/extension/agent/sandbox/launch';
import { SandboxPlanError, planSandbox } from '../../src/extension/agent/sandbox/plan';
import { ScanLimitError } from '../../src/extension/agent/sandbox/scan';
import { type Fixture, countingServer, makeFixture, runHostile, sandboxFigures } from './figures/sandbox';

interface RunOptions {
  network?: boolean;
  cwd?: string;
  timeoutSeconds?: number;
  env?: NodeJS.ProcessEnv;
  sandboxed?: boolean;
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

describe('command sandbox (bubblewrap, for real)', function () {
  this.timeout(60_000);
  let sandbox: AvailableSandbox;
  let fixture: Fixture;

  before(async function () {
    if (process.platform !== 'linux') this.skip();
    const status = await new SandboxDetector().detect();
    assert.notEqual(status.kind, 'none', `bubblewrap must work here (scripts/install-test-deps.sh installs it): ${JSON.stringify(status)}`);
    sandbox = status as AvailableSandbox;
  });
  beforeEach(async () => {
    fixture = await makeFixture();
  });
  afterEach(async () => {
    await fixture?.dispose();
  });

  async function run(command: string, options: RunOptions = {}): Promise<ProcessOutcome> {
    const env = commandEnvironment({ ...process.env, HOME: fixture.home, ...options.env });
    const cwd = options.cwd ?? fixture.workspace;
    const launch =
      options.sandboxed === false
        ? plainLaunch(command, cwd, env)
        : await sandboxedLaunch(sandbox, { command, workspace: fixture.workspace, cwd, env, network: options.network ?? false, home: fixture.home });
    try {
      return await runProcess(launch.spec, { timeoutSeconds: options.timeoutSeconds ?? 20 });
    } finally {
      await launch.dispose();
    }
  }

  it('the hostile set: nothing written outside, no secret read, no network (and unsandboxed, every one gets through)', async () => {
    const figures = await sandboxFigures();
    assert.deepEqual(figures, { commands: figures.commands, writesOutside: 0, secretReads: 0, networkEscapes: 0 });
    assert.ok(figures.commands >= 25);
    const control = await runHostile({ sandboxed: false });
    const held = control.filter((result) => !result.escaped).map((result) => result.command.command);
    assert.deepEqual(held, [], 'each hostile command does what it tries when nothing stops it');
  });

  it('protected paths it creates inside writable folders are removed again, and said so', async () => {
    const env = commandEnvironment({ ...process.env, HOME: fixture.home });
    const command = 'mkdir -p src/.git src/lib && echo "[core]" > src/.git/config && echo rules > src/lib/AGENTS.md && mkdir -p src/.vscode && echo "{}" > src/.vscode/settings.json && echo plain > src/plain.txt';
    const launch = await sandboxedLaunch(sandbox, { command, workspace: fixture.workspace, cwd: fixture.workspace, env, network: false, home: fixture.home });
    try {
      const result = await runProcess(launch.spec, { timeoutSeconds: 20 });
      assert.equal(result.exitCode, 0, result.output);
      assert.ok(await exists(path.join(fixture.workspace, 'src/.git/config')), 'the mounts alone let it through (what this check is for)');
      const removed = await launch.afterRun?.();
      assert.deepEqual(removed?.sort(), ['src/.git', 'src/.vscode', 'src/lib/AGENTS.md']);
    } finally {
      await launch.dispose();
    }
    for (const gone of ['src/.git', 'src/.vscode', 'src/lib/AGENTS.md']) assert.equal(await exists(path.join(fixture.workspace, gone)), false, gone);
    assert.equal(await fs.readFile(path.join(fixture.workspace, 'src/plain.txt'), 'utf8'), 'plain\n');
    assert.equal(await fs.readFile(path.join(fixture.workspace, 'src/AGENTS.md'), 'utf8'), 'Be nice.\n', 'what existed before stays');
  });

  it('cannot write outside the workspace, in its home folder, or to the real /tmp', async () => {
    const marker = path.join(fixture.outside, 'touched');
    const tmpMarker = path.join(os.tmpdir(), `tandem-sandbox-marker-${process.pid}-${Date.now()}`);
    const result = await run(`touch ${marker}; touch ~/.profile; touch ${tmpMarker} && echo tmp-ok`);
    assert.notEqual(result.exitCode, undefined);
    assert.equal(await exists(marker), false);
    assert.equal(await exists(path.join(fixture.home, '.profile')), false);
    assert.match(result.output, /tmp-ok/, 'its own /tmp is writable');
    assert.equal(await exists(tmpMarker), false, 'but private');
    // The same command unsandboxed does write: the assertions above can fail.
    await run(`touch ${marker}`, { sandboxed: false });
    assert.equal(await exists(marker), true);
  });

  it('cannot change .git (config, hooks) or create .vscode/settings.json and other protected paths, existing or not', async () => {
    const gitConfig = path.join(fixture.workspace, '.git', 'config');
    const before = await fs.readFile(gitConfig, 'utf8');
    await fs.mkdir(path.join(fixture.workspace, '.idea'));
    await fs.writeFile(path.join(fixture.workspace, 'src', '.gitignore'), 'dist\n');
    const result = await run(
      [
        'git config core.fsmonitor "touch /tmp/x"',
        'echo "[alias] x = !sh" >> .git/config',
        'printf "#!/bin/sh\\n" > .git/hooks/post-checkout',
        'mkdir -p .vscode; echo "{}" > .vscode/settings.json',
        'mkdir -p .VSCODE; echo "{}" > .VSCODE/settings.json',
        'echo x > AGENTS.md',
        'echo x > .gitlab-ci.yml',
        'echo x > project.code-workspace',
        'echo x > .idea/workspace.xml',
        'echo x >> src/.gitignore',
        'echo x >> src/AGENTS.md',
        'echo x >> .github/workflows/ci.yml',
        'mkdir -p .github/workflows/new && echo x > .github/workflows/new.yml',
        'git init -q nested 2>&1',
        'true',
      ].join('; '),
    );
    assert.equal(result.exitCode, 0, result.output);
    assert.equal(await fs.readFile(gitConfig, 'utf8'), before);
    for (const relative of ['.git/hooks/post-checkout', '.vscode', '.VSCODE', 'AGENTS.md', '.gitlab-ci.yml', 'project.code-workspace', '.idea/workspace.xml', '.github/workflows/new.yml', 'nested']) {
      assert.equal(await exists(path.join(fixture.workspace, relative)), false, relative);
    }
    assert.equal(await fs.readFile(path.join(fixture.workspace, 'src', '.gitignore'), 'utf8'), 'dist\n');
    assert.equal(await fs.readFile(path.join(fixture.workspace, 'src', 'AGENTS.md'), 'utf8'), 'Be nice.\n');
    assert.equal(await fs.readFile(path.join(fixture.workspace, '.github', 'workflows', 'ci.yml'), 'utf8'), 'on: push\n');
  });

  it('keeps a linked worktree’s git directory read-only when it lies inside the workspace', async () => {
    const gitDir = path.join(fixture.workspace, 'src', 'gitdir');
    await fs.mkdir(path.join(gitDir, 'hooks'), { recursive: true });
    await fs.writeFile(path.join(gitDir, 'config'), '[core]\n');
    await fs.mkdir(path.join(fixture.workspace, 'src', 'checkout'));
    await fs.writeFile(path.join(fixture.workspace, 'src', 'checkout', '.git'), 'gitdir: ../gitdir\n');
    await run('echo x >> src/gitdir/config; touch src/gitdir/hooks/pre-commit; echo x > src/checkout/.git');
    assert.equal(await fs.readFile(path.join(gitDir, 'config'), 'utf8'), '[core]\n');
    assert.equal(await exists(path.join(gitDir, 'hooks', 'pre-commit')), false);
    assert.equal(await fs.readFile(path.join(fixture.workspace, 'src', 'checkout', '.git'), 'utf8'), 'gitdir: ../gitdir\n');
  });

  it('cannot read secrets in the workspace, behind links, or credential stores in the home folder', async () => {
    const result = await run('cat .env .ENV.local config/credentials.json deploy/id_rsa src/notes.txt; ls -A secrets; cat ~/.npmrc ~/.aws/credentials ~/.ssh/id_ed25519 ~/.config/gh/hosts.yml ~/.git-credentials; grep -ra SECRET_MARKER . ~ 2>/dev/null; echo end');
    assert.match(result.output, /end$/m);
    assert.doesNotMatch(result.output, new RegExp(fixture.secret));
    // They are there: the same command unsandboxed prints them.
    const control = await run('cat .env ~/.npmrc', { sandboxed: false });
    assert.match(control.output, new RegExp(fixture.secret));
  });

  it('cannot see other processes, so not the editor’s environment in /proc/<pid>/environ', async () => {
    const result = await run(`ls /proc | grep -c '^[0-9]' ; test -e /proc/${process.pid}/environ && cat /proc/${process.pid}/cmdline; echo`);
    const count = Number(result.output.split('\n')[0]);
    assert.ok(count > 0 && count < 8, `only the sandbox's own processes: ${result.output}`);
    assert.doesNotMatch(result.output, /mocha/);
  });

  it('cannot reach the network, nor a Unix socket outside; with the network allowed, it can', async () => {
    const server = await countingServer();
    let unixConnections = 0;
    const socketPath = path.join(fixture.outside, 'daemon.sock');
    const unix = createServer((socket) => {
      unixConnections++;
      socket.end();
    });
    await new Promise<void>((resolve) => unix.listen(socketPath, resolve));
    try {
      const connect = `node -e "require('net').connect(${server.port},'127.0.0.1').on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',(e)=>{console.log(e.code);process.exit(1)})"`;
      const unixConnect = `node -e "require('net').connect('${socketPath}').on('connect',()=>{console.log('UNIX');process.exit(0)}).on('error',(e)=>{console.log(e.code);process.exit(1)})"`;
      const closed = await run(`${connect}; ${unixConnect}; exit 0`);
      assert.doesNotMatch(closed.output, /CONNECTED|UNIX/);
      assert.match(closed.output, /EPERM|EACCES/, 'the Unix socket is refused by the filter');
      assert.equal(server.connections(), 0);
      assert.equal(unixConnections, 0);
      const open = await run(`${connect}; ${unixConnect}; exit 0`, { network: true });
      assert.match(open.output, /CONNECTED/);
      assert.doesNotMatch(open.output, /UNIX/, 'Unix sockets stay closed with the network allowed');
      assert.equal(server.connections(), 1);
      const control = await run(unixConnect, { sandboxed: false });
      assert.match(control.output, /UNIX/);
    } finally {
      await server.close();
      await new Promise<void>((resolve) => unix.close(() => resolve()));
    }
  });

  it('can do its work: write inside the workspace’s folders, change its files, run node, npm test and git', async () => {
    const bump = `node -e "const fs = require('fs'); const p = JSON.parse(fs.readFileSync('package.json')); p.version = '2.0.0'; fs.writeFileSync('package.json', JSON.stringify(p))"`;
    const result = await run(`echo made > src/new.txt && mkdir -p src/deep/er && echo x > src/deep/er/f && ${bump} && node -e "console.log(1 + 1)" && npm test --silent && git status --short | head -3 && git log --oneline | wc -l`);
    assert.equal(result.exitCode, 0, result.output);
    assert.match(result.output, /^2$/m);
    assert.match(result.output, /tests passed/);
    assert.equal(await fs.readFile(path.join(fixture.workspace, 'src', 'new.txt'), 'utf8'), 'made\n');
    assert.equal(await fs.readFile(path.join(fixture.workspace, 'src', 'deep', 'er', 'f'), 'utf8'), 'x\n');
    assert.match(await fs.readFile(path.join(fixture.workspace, 'package.json'), 'utf8'), /"version":"2.0.0"/);
  });

  it('cannot add or remove entries at the workspace’s top (the only way to keep protected names from being created)', async () => {
    const result = await run('touch new-top.txt; mkdir dist; rm -rf src; echo done');
    assert.match(result.output, /Read-only file system/);
    assert.equal(await exists(path.join(fixture.workspace, 'new-top.txt')), false);
    assert.equal(await exists(path.join(fixture.workspace, 'dist')), false);
    assert.equal(await exists(path.join(fixture.workspace, 'src', 'index.js')), false, 'inside an existing folder, deleting works');
    assert.equal(await exists(path.join(fixture.workspace, 'src')), true);
  });

  it('the environment reaching the command has no secrets, and no pager or prompt', async () => {
    const result = await run('env', { env: { OPENAI_API_KEY: fixture.secret, GITHUB_TOKEN: fixture.secret, DATABASE_URL: `postgres://u:${fixture.secret}@db/x`, PAGER: 'less' } });
    assert.doesNotMatch(result.output, new RegExp(fixture.secret));
    assert.match(result.output, /^PAGER=cat$/m);
    assert.match(result.output, /^GIT_PAGER=cat$/m);
    assert.match(result.output, /^GIT_TERMINAL_PROMPT=0$/m);
  });

  it('control characters in the command text are never keystrokes, sandboxed or not', async () => {
    const marker = path.join(fixture.workspace, 'src', 'second-command-ran');
    for (const sandboxed of [true, false]) {
      for (const key of ['\u0001', '\r', '\u0003', '\u0015', '\u000b', '\u001b[H']) {
        // Typed into a shell, the key would move the cursor or press Enter, and `touch` would run.
        const result = await run(`echo test${key}touch ${marker}; #`, { sandboxed });
        assert.equal(result.exitCode, 0, result.output);
        assert.equal(await exists(marker), false, `${JSON.stringify(key)} ran a second command (sandboxed: ${sandboxed})`);
      }
      const shown = await run("printf '%s' 'a\u0001b\rc\u0003' | od -An -c", { sandboxed });
      assert.match(shown.output.replace(/\s+/g, ' '), /a 001 b \\r c 003/, shown.output);
    }
  });

  it('a timeout stops the command and everything it started in the sandbox', async () => {
    const tag = `61.${process.pid}`;
    const result = await run(`sleep ${tag} & sleep ${tag}; echo never`, { timeoutSeconds: 1 });
    assert.equal(result.timedOut, true);
    assert.doesNotMatch(result.output, /never/);
    // The bracket keeps pgrep from finding the shell that runs it.
    const left = await run(`pgrep -f "slee[p] ${tag}" || echo none`, { sandboxed: false });
    assert.match(left.output, /none/);
  });
});

describe('command sandbox: detection and refusals', function () {
  this.timeout(30_000);

  it('no bwrap on PATH: none, "bubblewrap not installed"; a bwrap that fails: none, with its message', async function () {
    if (process.platform !== 'linux') this.skip();
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-path-'));
    try {
      const missing = await new SandboxDetector({ env: () => ({ PATH: empty }) }).detect();
      assert.deepEqual(missing, { kind: 'none', reason: 'bubblewrap not installed', detail: 'Install the bubblewrap package (bwrap) to run commands sandboxed.' });
      await fs.writeFile(path.join(empty, 'bwrap'), '#!/bin/sh\n[ "$1" = --version ] && echo "bubblewrap 0.8.0" && exit 0\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n', { mode: 0o755 });
      const broken: SandboxStatus = await new SandboxDetector({ env: () => ({ PATH: empty }) }).detect();
      assert.equal(broken.kind, 'none');
      assert.equal(broken.kind === 'none' && broken.reason, 'bubblewrap does not work here');
      assert.match(broken.kind === 'none' ? (broken.detail ?? '') : '', /No permissions to create new namespace/);
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
    }
  });

  it('other platforms: none, with the reason', async () => {
    assert.deepEqual(await new SandboxDetector({ platform: 'win32' }).detect(), { kind: 'none', reason: 'not available on Windows' });
  });

  it('refuses to sandbox a workspace that holds the home folder, or one too large to search for secrets', async () => {
    const base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-plan-')));
    try {
      await fs.mkdir(path.join(base, 'home'));
      await assert.rejects(planSandbox({ workspace: base, home: path.join(base, 'home'), network: false }), SandboxPlanError);
      await assert.rejects(planSandbox({ workspace: '/', home: path.join(base, 'home'), network: false }), SandboxPlanError);
      for (let index = 0; index < 30; index++) await fs.writeFile(path.join(base, `f${index}`), '');
      await assert.rejects(planSandbox({ workspace: base, home: '/nonexistent-home', network: false, limits: { maxEntries: 20, maxDepth: 8 } }), ScanLimitError);
    } finally {
      await fs.rm(base, { recursive: true, force: true });
    }
  });
});
