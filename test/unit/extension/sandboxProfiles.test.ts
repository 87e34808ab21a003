import assert from 'node:assert/strict';
import { PROTECTED_PATTERNS, SECRET_FILE_PATTERNS, SECRET_FOLDERS, isProtectedPath, isSecretPath } from '../../../src/shared/boundary/rules';
import { bubblewrapArgs } from '../../../src/extension/agent/sandbox/bubblewrap';
import { NameHint, lastSegments } from '../../../src/extension/agent/sandbox/nameHint';
import type { SandboxPlan } from '../../../src/extension/agent/sandbox/plan';
import { protectedExpressions, seatbeltProfile } from '../../../src/extension/agent/sandbox/seatbelt';
import { type SeccompArch, unixSocketFilter, unixSocketProgram } from '../../../src/extension/agent/sandbox/seccomp';

/** A deterministic pseudo-random source. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const FILLERS = ['', 'a', 'x.y', 'Secret', '.', '-1', 'ENV', 'rsa', 'json', 'tfstate', 'ü'];

/** A name the one-name glob matches, with random fillers for its wildcards and random case. */
function instantiate(glob: string, next: () => number): string {
  let out = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === '*') out += FILLERS[Math.floor(next() * FILLERS.length)];
    else if (char === '?') out += 'q';
    else if (char === '{') {
      const end = glob.indexOf('}', index);
      const choices = glob.slice(index + 1, end).split(',');
      out += choices[Math.floor(next() * choices.length)];
      index = end;
    } else out += char;
  }
  return [...out].map((c) => (next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
}

const plan: SandboxPlan = {
  root: '/work/project',
  cwd: '/work/project/pkg',
  writable: ['/work/project/src', '/work/project/package.json'],
  readOnly: ['/work/project/src/.git', '/work/project/src/AGENTS.md'],
  maskFiles: ['/work/project/src/.env', '/home/me/.npmrc'],
  maskDirs: ['/home/me/.ssh', '/home/me/.ssh/inner', '/work/project/src/secrets'],
  network: false,
  protectedBefore: ['/work/project/src/.git', '/work/project/src/AGENTS.md'],
};

/** A classic BPF interpreter for the instructions the filter uses. */
function runFilter(arch: SeccompArch, data: { arch: number; nr: number; arg0?: number }): number {
  const program = unixSocketProgram(arch);
  const words = new Map([[0, data.nr >>> 0], [4, data.arch >>> 0], [16, (data.arg0 ?? 0) >>> 0]]);
  let accumulator = 0;
  for (let pc = 0; pc < program.length; ) {
    const { code, jt, jf, k } = program[pc]!;
    if (code === 0x20) {
      accumulator = words.get(k) ?? 0;
      pc++;
    } else if (code === 0x15 || code === 0x35) {
      const taken = code === 0x15 ? accumulator === k >>> 0 : accumulator >= k >>> 0;
      pc += 1 + (taken ? jt : jf);
    } else if (code === 0x06) {
      return k >>> 0;
    } else {
      throw new Error(`unexpected instruction ${code}`);
    }
  }
  throw new Error('fell off the end of the filter');
}

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;

describe('sandbox profiles', () => {
  describe('name hints (the fast first look before the shared rules)', () => {
    const secretHint = new NameHint([...SECRET_FILE_PATTERNS, ...SECRET_FOLDERS]);
    const protectedHint = new NameHint(lastSegments(PROTECTED_PATTERNS, 'names'));
    const folderHint = new NameHint(lastSegments(PROTECTED_PATTERNS, 'folders'));

    it('never passes over a name the rules call secret or protected (generated from every pattern)', () => {
      const next = random(7);
      let secrets = 0;
      let protectedNames = 0;
      for (let round = 0; round < 40; round++) {
        for (const glob of [...SECRET_FILE_PATTERNS, ...SECRET_FOLDERS]) {
          const name = instantiate(glob, next);
          if (isSecretPath(name)) {
            secrets++;
            assert.equal(secretHint.mayMatch(name), true, `${glob} → ${name}`);
          }
        }
        for (const glob of PROTECTED_PATTERNS) {
          const name = instantiate(glob.split('/').filter((part) => part !== '**').at(-1) ?? '', next);
          if (isProtectedPath(`sub/${name}`) || isProtectedPath(name)) {
            protectedNames++;
            assert.equal(protectedHint.mayMatch(name), true, `${glob} → ${name}`);
          }
          if (isProtectedPath(`${name}/\u0000`)) assert.equal(folderHint.mayMatch(name), true, `${glob} → ${name}/`);
        }
      }
      assert.ok(secrets > 1000 && protectedNames > 500, `${secrets} secret and ${protectedNames} protected names checked`);
    });

    it('passes over ordinary names, and agrees with the rules on random ones', () => {
      for (const name of ['index.ts', 'package.json', 'README.md', 'src', 'node_modules', 'main.go', 'Cargo.toml', 'test_app.py']) {
        assert.equal(secretHint.mayMatch(name) || protectedHint.mayMatch(name) || folderHint.mayMatch(name), false, name);
      }
      const next = random(11);
      const alphabet = 'aeiknprstvy._-ENV';
      for (let round = 0; round < 5000; round++) {
        const name = Array.from({ length: 1 + Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
        if (isSecretPath(name)) assert.equal(secretHint.mayMatch(name), true, name);
        if (isProtectedPath(`sub/${name}`)) assert.equal(protectedHint.mayMatch(name), true, name);
      }
    });
  });

  describe('seccomp filter', () => {
    const cases: Array<{ arch: SeccompArch; audit: number; socket: number; socketpair: number; openat: number }> = [
      { arch: 'x64', audit: 0xc000003e, socket: 41, socketpair: 53, openat: 257 },
      { arch: 'arm64', audit: 0xc00000b7, socket: 198, socketpair: 199, openat: 56 },
    ];
    for (const { arch, audit, socket, socketpair, openat } of cases) {
      it(`${arch}: refuses Unix sockets and io_uring, allows other sockets, socketpair and the rest`, () => {
        assert.equal(runFilter(arch, { arch: audit, nr: socket, arg0: 1 }), EPERM, 'socket(AF_UNIX)');
        assert.equal(runFilter(arch, { arch: audit, nr: socket, arg0: 2 }), ALLOW, 'socket(AF_INET)');
        assert.equal(runFilter(arch, { arch: audit, nr: socket, arg0: 10 }), ALLOW, 'socket(AF_INET6)');
        assert.equal(runFilter(arch, { arch: audit, nr: socketpair, arg0: 1 }), ALLOW, 'socketpair(AF_UNIX)');
        assert.equal(runFilter(arch, { arch: audit, nr: 425 }), EPERM, 'io_uring_setup');
        for (const nr of [0, 1, 59, openat, 221, 435]) assert.equal(runFilter(arch, { arch: audit, nr, arg0: 1 }), ALLOW, `syscall ${nr}`);
        // Another ABI: refused whole.
        assert.equal(runFilter(arch, { arch: 0x40000003, nr: 102, arg0: 1 }), EPERM, 'i386 socketcall');
        assert.equal(runFilter(arch, { arch: 0x40000028, nr: 281, arg0: 1 }), EPERM, 'arm socket');
        assert.equal(unixSocketFilter(arch).length, unixSocketProgram(arch).length * 8);
      });
    }
    it('x64: the x32 ABI cannot reach socket under another number', () => {
      assert.equal(runFilter('x64', { arch: 0xc000003e, nr: 0x40000000 | 41, arg0: 1 }), EPERM);
      assert.equal(runFilter('x64', { arch: 0xc000003e, nr: 0x40000000 | 2 }), EPERM);
    });
  });

  describe('bubblewrap arguments', () => {
    function args(overrides: Partial<SandboxPlan> = {}, disableUserns = true): string[] {
      return bubblewrapArgs({ ...plan, ...overrides }, ['/bin/bash', '--noprofile', '--norc', '-c', 'npm test'], { disableUserns, seccompFd: 3 });
    }
    /** Index of the option `name` followed by `values`. */
    function at(list: string[], name: string, ...values: string[]): number {
      const index = list.findIndex((item, i) => item === name && values.every((value, j) => list[i + 1 + j] === value));
      assert.ok(index >= 0, `${name} ${values.join(' ')} in ${list.join(' ')}`);
      return index;
    }

    it('isolates: no capabilities, no user namespaces of its own, new session, own PID namespace, dies with the editor', () => {
      const list = args();
      for (const flag of ['--unshare-user', '--unshare-pid', '--unshare-net', '--disable-userns', '--die-with-parent', '--new-session']) at(list, flag);
      at(list, '--cap-drop', 'ALL');
      at(list, '--seccomp', '3');
      assert.ok(!args({}, false).includes('--disable-userns'));
      assert.ok(!args({ network: true }).includes('--unshare-net'), 'network allowed: the namespace is shared');
    });

    it('mounts in an order where each later mount narrows the earlier ones', () => {
      const list = args();
      const root = at(list, '--ro-bind', '/', '/');
      const proc = at(list, '--proc', '/proc');
      const tmp = at(list, '--tmpfs', '/tmp');
      const workspace = at(list, '--ro-bind', plan.root, plan.root);
      const writable = plan.writable.map((entry) => at(list, '--bind', entry, entry));
      const readOnly = plan.readOnly.map((entry) => at(list, '--ro-bind', entry, entry));
      const masks = [...plan.maskDirs.map((dir) => at(list, '--tmpfs', dir)), ...plan.maskFiles.map((file) => at(list, '--ro-bind', '/dev/null', file))];
      const remounts = plan.maskDirs.map((dir) => at(list, '--remount-ro', dir));
      assert.ok(root < proc && proc < tmp && tmp < workspace);
      assert.ok(Math.max(...writable) < Math.min(...readOnly), 'protected paths after the writable entries that hold them');
      assert.ok(Math.max(...readOnly) < Math.min(...masks), 'masks last');
      assert.ok(Math.max(...masks) < Math.min(...remounts), 'read-only once everything is mounted');
      assert.ok(at(list, '--tmpfs', '/home/me/.ssh') < at(list, '--tmpfs', '/home/me/.ssh/inner'), 'outer folders first');
      const separator = list.indexOf('--');
      assert.deepEqual(list.slice(separator + 1), ['/bin/bash', '--noprofile', '--norc', '-c', 'npm test']);
      assert.equal(list[separator - 2], '--chdir');
      assert.equal(list[separator - 1], plan.cwd);
    });

    it('passes hostile paths and command text as single arguments', () => {
      const text = 'npm test\u0001rm -rf ~; #\r\n$(touch x)';
      const odd = '/work/project/src/a b\n--bind / /';
      const list = bubblewrapArgs({ ...plan, writable: [odd] }, ['/bin/bash', '-c', text], { disableUserns: true });
      assert.equal(list.at(-1), text);
      assert.equal(list.filter((item) => item === odd).length, 2);
      assert.equal(list.filter((item) => item === '--bind').length, 1);
    });
  });

  describe('Seatbelt profile', () => {
    const profile = seatbeltProfile(plan, { tmpDir: '/private/var/folders/xy/T/tandem-command-1' });

    function block(operation: string, action: 'allow' | 'deny', text = profile): string[] {
      const blocks: string[] = [];
      const lines = text.split('\n');
      for (let index = 0; index < lines.length; index++) {
        if (lines[index] !== `(${action} ${operation}`) continue;
        for (let end = index + 1; lines[end] !== ')'; end++) blocks.push(lines[end]!.trim());
      }
      return blocks;
    }
    function regexes(filters: string[]): RegExp[] {
      return filters.map((filter) => {
        const match = /^\(regex #"(.*)"\)$/.exec(filter);
        assert.ok(match, filter);
        return new RegExp(match[1]!.replaceAll('\\"', '"'));
      });
    }

    it('denies by default, allows reading, and writing only in the workspace and its temporary folder', () => {
      const lines = profile.split('\n');
      assert.equal(lines[0], '(version 1)');
      assert.equal(lines[1], '(deny default)');
      assert.ok(lines.includes('(allow file-read*)'));
      const writable = regexes(block('file-write*', 'allow'));
      const canWrite = (path: string): boolean => writable.some((expression) => expression.test(path));
      assert.ok(canWrite('/work/project/src/a.ts'));
      assert.ok(canWrite('/work/project/new-top-level-file'));
      assert.ok(canWrite('/private/var/folders/xy/T/tandem-command-1/x'));
      for (const outside of ['/work/other/a.ts', '/work/project-evil/a', '/Users/me/.zshrc', '/private/var/folders/xy/T/other', '/etc/hosts']) {
        assert.ok(!canWrite(outside), outside);
      }
      let depth = 0;
      for (const char of profile.replace(/#"(\\"|[^"])*"/g, '')) {
        depth += char === '(' ? 1 : char === ')' ? -1 : 0;
        assert.ok(depth >= 0);
      }
      assert.equal(depth, 0, 'balanced');
    });

    it('denies writing every protected path, existing or not, at any depth, in any case', () => {
      const denied = regexes(block('file-write*', 'deny'));
      const blocked = (path: string): boolean => denied.some((expression) => expression.test(path));
      for (const relative of [
        '.vscode/settings.json',
        '.VSCODE/tasks.json',
        '.vscode',
        '.git/config',
        '.git/hooks/pre-commit',
        'packages/app/.git/config',
        '.github/workflows/ci.yml',
        'AGENTS.md',
        'docs/deep/AGENTS.md',
        'agents.MD',
        '.gitlab-ci.yml',
        'x.code-workspace',
        'a/b/c.code-workspace',
        '.idea/workspace.xml',
        '.aider.conf.yml',
        '.gitignore',
        'src/.gitignore',
      ]) {
        assert.ok(blocked(`/work/project/${relative}`), relative);
      }
      for (const relative of ['src/index.ts', 'package.json', 'vscode/settings.json', 'docs/AGENTS.md.bak', 'my.git/config', 'README.md']) {
        assert.ok(!blocked(`/work/project/${relative}`), relative);
      }
      assert.ok(blocked('/work/project/src/.git/objects/x'), 'a read-only git directory from the plan');
      // The generated expressions themselves agree with the shared rules on the same paths.
      const expressions = regexes(protectedExpressions('/work/project'));
      for (const relative of ['.vscode/settings.json', 'deep/x/CLAUDE.md', 'src/main.ts', '.circleci/config.yml', 'lib/.cursorrules']) {
        assert.equal(expressions.some((expression) => expression.test(`/work/project/${relative}`)), isProtectedPath(relative), relative);
      }
    });

    it('denies reading secrets and credential stores', () => {
      const denied = regexes(block('file-read* file-write*', 'deny'));
      const hidden = (path: string): boolean => denied.some((expression) => expression.test(path));
      assert.ok(hidden('/work/project/src/.env'));
      assert.ok(hidden('/home/me/.npmrc'));
      assert.ok(hidden('/home/me/.ssh/id_ed25519'));
      assert.ok(hidden('/HOME/ME/.SSH/ID_RSA'), 'case ignored, as on macOS');
      assert.ok(!hidden('/work/project/src/index.ts'));
      assert.ok(!hidden('/home/me/.npmrc.d'));
    });

    it('no network unless allowed; with network, still no Unix sockets', () => {
      assert.doesNotMatch(profile, /\(allow network/);
      const open = seatbeltProfile({ ...plan, network: true }, { tmpDir: '/tmp/t' });
      assert.match(open, /\(allow network-outbound/);
      assert.match(open, /\(deny network-outbound \(remote unix-socket\)\)/);
    });

    it('paths with quotes or expression characters stay literal', () => {
      const odd = seatbeltProfile({ ...plan, root: '/work/a"b(c).d+e' }, { tmpDir: '/tmp/t' });
      const [workspace] = regexes(block('file-write*', 'allow', odd).filter((filter) => filter.includes('\\"')));
      assert.ok(workspace, odd);
      assert.ok(workspace.test('/work/a"b(c).d+e/file'));
      assert.ok(!workspace.test('/work/a"b(c)xd+e/file'));
      assert.ok(!workspace.test('/work/a"b(c).d+e-other/file'));
    });
  });
});
