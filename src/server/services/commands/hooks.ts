/**
 * Options and environment variables that make an ordinary program run
 * another one: `git -c core.pager=…`, `GIT_EXTERNAL_DIFF=…`, `PAGER=…`,
 * `npm --script-shell=…`, `go test -exec …`, `cargo --config …runner=…`,
 * `tar --to-command=…`, `ssh -o ProxyCommand=…`. The deny check reads what
 * they run like any other command; a value only known at run time is a
 * hidden command.
 */
import type { Word } from './ast';
import { parseScript } from './parse';
import { shown, textWord } from './program';
import { unwrapPackageRunner, type Inner } from './wrappers';

/** Environment variables whose value is a command some program runs. */
const SCRIPT_VARIABLES: ReadonlySet<string> = new Set([
  'PAGER',
  'GIT_PAGER',
  'MANPAGER',
  'SYSTEMD_PAGER',
  'BAT_PAGER',
  'DELTA_PAGER',
  'LESSOPEN',
  'LESSCLOSE',
  'EDITOR',
  'VISUAL',
  'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR',
  'SUDO_EDITOR',
  'FCEDIT',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_EXTERNAL_DIFF',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'SUDO_ASKPASS',
  'GIT_PROXY_COMMAND',
  'BROWSER',
  'PROMPT_COMMAND',
  'NPM_CONFIG_SCRIPT_SHELL',
  'RUSTC_WRAPPER',
  'RUSTC_WORKSPACE_WRAPPER',
  'CARGO_BUILD_RUSTC_WRAPPER',
  'CARGO_BUILD_RUSTC',
  'SHELL',
  'MAKESHELL',
  'CC',
  'CXX',
  'LD',
  'AR',
  'MAKE',
]);

function empty(): Inner {
  return { commands: [], scripts: [], assignments: [], hidden: [], readsStdin: false };
}

/** What `NAME=value` (an assignment before a command, after `env`, or a make variable) makes run. */
export function assignmentHooks(word: Word): Inner {
  const inner = empty();
  const eq = word.raw.indexOf('=');
  const name = word.raw.slice(0, eq).replace(/\+$/, '').replace(/\[.*$/, '');
  const upper = name.toUpperCase();
  const isScript = SCRIPT_VARIABLES.has(upper) || /^GIT_CONFIG_VALUE_[0-9]+$/.test(upper) || /^CARGO_TARGET_[A-Z0-9_]+_(RUNNER|LINKER)$/.test(upper);
  if (!isScript && upper !== 'GIT_CONFIG_PARAMETERS') return inner;
  const valueAt = word.value.indexOf('=') + 1;
  if (word.dynamic !== 'none') {
    inner.hidden.push(`\`${name}\` is set to a command only known when it runs (\`${shown(word.raw, 40)}\`)`);
    return inner;
  }
  const value = word.value.slice(valueAt);
  if (upper === 'GIT_CONFIG_PARAMETERS') {
    for (const pipeline of parseScript(value, 1).script.pipelines) {
      for (const command of pipeline.commands) {
        if (command.kind === 'simple') for (const pair of [...command.assignments, ...command.words]) gitConfig(inner, pair.value, 'GIT_CONFIG_PARAMETERS');
      }
    }
    return inner;
  }
  inner.scripts.push({ text: stripRunMarks(value), how: `${name}=` });
  return inner;
}

/** What the options of a program that is not a wrapper make run. */
export function programHooks(key: string, words: readonly Word[], appended: boolean): Inner {
  const inner = empty();
  const scripts = (names: readonly string[], from = 1, strip?: (value: string) => string | undefined): void => {
    for (const found of optionValues(words, names, from)) {
      if (typeof found.value !== 'string' && found.value.dynamic !== 'none') {
        inner.hidden.push(`\`${found.name}\` of \`${key}\` runs \`${shown(found.value.raw, 30)}\`, only known when the command runs`);
        continue;
      }
      const text = typeof found.value === 'string' ? found.value : found.value.value;
      const script = strip ? strip(text) : text;
      if (script !== undefined) inner.scripts.push({ text: script, how: `${key} ${found.name}` });
    }
  };
  switch (key) {
    case 'git':
      return git(inner, words);
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun': {
      scripts(['--script-shell', '-c', '--call']);
      const sub = words.findIndex((word, index) => index > 0 && !word.value.startsWith('-'));
      const runner = sub > 0 ? (words[sub] as Word).value : '';
      if (['exec', 'x', 'dlx'].includes(runner)) {
        const run = unwrapPackageRunner(key, words, sub + 1, appended);
        return { ...run, scripts: [...inner.scripts, ...run.scripts], hidden: [...inner.hidden, ...run.hidden] };
      }
      return inner;
    }
    case 'go':
      scripts(['-exec', '--exec', '-toolexec', '--toolexec', '-vettool', '--vettool']);
      return inner;
    case 'cargo':
      scripts(['--config'], 1, cargoConfig);
      return inner;
    case 'make':
    case 'gmake':
      scripts(['--eval', '-E']);
      for (const word of words.slice(1)) {
        if (/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(word.value)) {
          const hooked = assignmentHooks(word);
          inner.scripts.push(...hooked.scripts);
          inner.hidden.push(...hooked.hidden);
        }
      }
      return inner;
    case 'tar':
    case 'gtar':
    case 'bsdtar':
      scripts(['--to-command', '-I', '--use-compress-program', '-F', '--info-script', '--new-volume-script']);
      scripts(['--checkpoint-action'], 1, (value) => (value.startsWith('exec=') ? value.slice(5) : undefined));
      return inner;
    case 'rsync':
      scripts(['-e', '--rsh', '--rsync-path']);
      return inner;
    case 'zip':
      scripts(['-TT', '--unzip-command']);
      return inner;
    case 'ssh':
    case 'scp':
    case 'sftp':
      scripts(['-o'], 1, sshOption);
      return inner;
    case 'man':
      scripts(['-P', '--pager', '-H', '--html']);
      return inner;
    case 'vi':
    case 'vim':
    case 'nvim':
    case 'view':
    case 'ex':
      scripts(['-c', '--cmd'], 1, vimCommand);
      for (const word of words.slice(1)) {
        if (word.value.startsWith('+') && word.dynamic === 'none') {
          const script = vimCommand(word.value.slice(1));
          if (script !== undefined) inner.scripts.push({ text: script, how: key });
        }
      }
      return inner;
  }
  return inner;
}

function git(inner: Inner, words: readonly Word[]): Inner {
  let i = 1;
  for (; i < words.length; i++) {
    const word = words[i] as Word;
    const v = word.value;
    if (v === '-c' || v === '--config-env') {
      const value = words[i + 1];
      if (value) gitConfigWord(inner, value, v === '--config-env');
      i += 1;
    } else if (v.startsWith('--config-env=')) {
      gitConfigWord(inner, { ...word, value: v.slice(13), prefix: word.prefix.slice(13) }, true);
    } else if (v.startsWith('-c') && !v.startsWith('--')) {
      gitConfigWord(inner, { ...word, value: v.slice(2), prefix: word.prefix.slice(2) }, false);
    } else if (['-C', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--super-prefix', '--attr-source'].includes(v)) {
      i += 1;
    } else if (!v.startsWith('-')) break;
  }
  const sub = words[i]?.value;
  const rest = words.slice(i + 1);
  const scripts = (names: readonly string[]): void => {
    for (const found of optionValues(rest, names, 0)) {
      if (typeof found.value !== 'string' && found.value.dynamic !== 'none') inner.hidden.push(`\`git ${sub} ${found.name}\` runs a command only known when it runs`);
      else inner.scripts.push({ text: typeof found.value === 'string' ? found.value : found.value.value, how: `git ${sub} ${found.name}` });
    }
  };
  switch (sub) {
    case 'submodule': {
      const foreach = rest.findIndex((word) => word.value === 'foreach');
      if (foreach < 0) break;
      const script = rest.slice(foreach + 1).filter((word) => !['--recursive', '-q', '--quiet'].includes(word.value));
      const runtime = script.find((word) => word.dynamic !== 'none');
      if (runtime) inner.hidden.push('`git submodule foreach` runs a command only known when it runs');
      else if (script.length > 0) inner.scripts.push({ text: script.map((word) => word.value).join(' '), how: 'git submodule foreach' });
      break;
    }
    case 'bisect':
      if (rest[0]?.value === 'run' && rest.length > 1) inner.commands.push({ words: rest.slice(1), appended: false, how: 'git bisect run' });
      break;
    case 'rebase':
      scripts(['-x', '--exec']);
      break;
    case 'filter-branch':
      scripts(['--env-filter', '--tree-filter', '--index-filter', '--parent-filter', '--msg-filter', '--commit-filter', '--tag-name-filter']);
      break;
    case 'difftool':
    case 'mergetool':
      scripts(['-x', '--extcmd']);
      break;
    case 'clone':
      scripts(['-u', '--upload-pack']);
      break;
    case 'fetch':
    case 'pull':
    case 'ls-remote':
      scripts(['--upload-pack']);
      break;
    case 'push':
      scripts(['--receive-pack', '--exec']);
      break;
    case 'archive':
      scripts(['--exec']);
      break;
  }
  return inner;
}

function gitConfigWord(inner: Inner, word: Word, fromEnvironment: boolean): void {
  const eq = word.prefix.indexOf('=');
  if (word.dynamic !== 'none' && eq < 0) {
    inner.hidden.push(`\`git -c ${shown(word.raw, 30)}\` sets configuration only known when the command runs`);
    return;
  }
  const key = word.value.slice(0, word.value.indexOf('='));
  if (!isGitExecKey(key)) return;
  if (fromEnvironment || word.dynamic !== 'none') {
    inner.hidden.push(`\`${key}\` is set to a command only known when it runs`);
    return;
  }
  gitConfig(inner, word.value, 'git -c');
}

function gitConfig(inner: Inner, pair: string, how: string): void {
  const eq = pair.indexOf('=');
  if (eq < 0) return;
  const key = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  if (!isGitExecKey(key)) return;
  if (key.toLowerCase().startsWith('alias.') && !value.trimStart().startsWith('!')) {
    const words = value.split(/[ \t]+/).filter(Boolean).map(textWord);
    inner.commands.push({ words: [textWord('git'), ...words], appended: false, how: `${how} ${key}` });
    return;
  }
  inner.scripts.push({ text: stripRunMarks(value), how: `${how} ${key}` });
}

/** Git configuration keys whose value is a program or a command git runs. */
export function isGitExecKey(key: string): boolean {
  const parts = key.toLowerCase().split('.');
  const section = parts[0] ?? '';
  const name = parts.at(-1) ?? '';
  const sub = parts.length > 2;
  switch (section) {
    case 'alias':
    case 'pager':
    case 'include':
    case 'includeif':
      return true;
    case 'core':
      return ['pager', 'editor', 'sshcommand', 'fsmonitor', 'askpass', 'hookspath', 'gitproxy'].includes(name);
    case 'diff':
      return name === 'external' || (sub && (name === 'command' || name === 'textconv'));
    case 'merge':
      return sub && name === 'driver';
    case 'filter':
      return sub && ['clean', 'smudge', 'process'].includes(name);
    case 'sequence':
    case 'gpg':
    case 'credential':
      return ['editor', 'program', 'helper'].includes(name);
    case 'uploadpack':
      return name === 'packobjectshook';
    case 'web':
      return name === 'browser';
    case 'browser':
    case 'man':
    case 'difftool':
    case 'mergetool':
      return name === 'cmd' || name === 'path';
    case 'interactive':
      return name === 'difffilter';
    case 'sendemail':
      return ['smtpserver', 'tocmd', 'cccmd', 'headercmd'].includes(name);
    case 'remote':
      return ['uploadpack', 'receivepack', 'vcs'].includes(name);
    default:
      return false;
  }
}

/** `cargo --config 'target.x.runner = "cmd"'`: the command of keys that name a program. */
function cargoConfig(value: string): string | undefined {
  const eq = value.indexOf('=');
  if (eq < 0) return undefined;
  const key = value.slice(0, eq).trim().toLowerCase();
  const isProgram = ['runner', 'rustc-wrapper', 'rustc-workspace-wrapper', 'rustc', 'linker', 'credential-provider'].some((name) => key.endsWith(name)) || key.startsWith('alias.');
  if (!isProgram) return undefined;
  return value
    .slice(eq + 1)
    .replace(/["'[\],]/g, ' ')
    .trim();
}

function sshOption(value: string): string | undefined {
  const lower = value.toLowerCase();
  const key = ['proxycommand', 'localcommand', 'knownhostscommand', 'remotecommand'].find((name) => lower.startsWith(name));
  if (!key) return undefined;
  let i = key.length;
  while (i < value.length && (value[i] === '=' || value[i] === ' ' || value[i] === '\t')) i += 1;
  return value.slice(i);
}

function vimCommand(value: string): string | undefined {
  let i = 0;
  while (value[i] === ':' || value[i] === ' ') i += 1;
  if (value.startsWith('!', i)) return value.slice(i + 1);
  if (value.startsWith('silent!', i)) return undefined;
  if (value.startsWith('silent !', i) || value.startsWith('sil !', i)) return value.slice(value.indexOf('!', i) + 1);
  return undefined;
}

/** `!cmd` (git aliases), `|cmd` (LESSOPEN): the command. */
function stripRunMarks(value: string): string {
  let i = 0;
  while (value[i] === '!' || value[i] === '|' || value[i] === ' ') i += 1;
  return value.slice(i);
}

/** Values of options named `names` anywhere after `from`: `--name=v`, `--name v`, `-n v`, `-nv`. */
function optionValues(words: readonly Word[], names: readonly string[], from: number): Array<{ name: string; value: Word | string }> {
  const found: Array<{ name: string; value: Word | string }> = [];
  for (let i = from; i < words.length; i++) {
    const v = (words[i] as Word).value;
    for (const name of names) {
      if (v === name) {
        const next = words[i + 1];
        if (next) found.push({ name, value: next });
      } else if (v.startsWith(`${name}=`) && name.length > 2) {
        found.push({ name, value: v.slice(name.length + 1) });
      } else if (name.length === 2 && v.startsWith(name) && !v.startsWith('--') && v.length > 2) {
        found.push({ name, value: v.slice(2) });
      }
    }
  }
  return found;
}
