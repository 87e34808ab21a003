/**
 * Programs that run another command: `nice`, `timeout`, `env`, `xargs`,
 * `find -exec`, `sudo`, `busybox`, `watch`, shells with `-c`, `eval` … The
 * deny check unwraps them to see what really runs; when that cannot be
 * told from the text (an option Tandem does not know, a script only known
 * at run time) the place is reported as hidden, and the command is refused.
 * They never run without asking.
 */
import type { Word } from './ast';
import { optionIsRuntime, optionText, readOptions, type OptionSpec, type ReadOptions } from './options';
import { isAssignment } from './parse';
import { joinRaw, runtimeWord, shown } from './program';

export interface Inner {
  /** Commands it runs, as words. */
  commands: Array<{ words: Word[]; appended: boolean; how: string }>;
  /** Shell scripts it runs, as text. */
  scripts: Array<{ text: string; how: string }>;
  /** `NAME=value` it sets for the command (env). */
  assignments: Word[];
  /** Commands only known at run time: why, for the person. */
  hidden: string[];
  /** It runs its standard input as a shell script. */
  readsStdin: boolean;
}

interface WrapperSpec extends OptionSpec {
  /** Options whose value is a shell script. */
  script?: string;
  /** Options whose value is split into the command's words (env -S). */
  split?: string;
  /** Words before the command that are not options: timeout's duration, chroot's folder. */
  operands?: number;
  /** The command's words are joined and run by a shell (watch, sg, ssh). */
  joined?: boolean;
  /** An option that makes it run the words directly after all (watch -x). */
  direct?: string;
  /** The command gets more words only known at run time (xargs: its input). */
  appends?: boolean;
  /** Options naming a string replaced by run-time input in the command's words (xargs -I). */
  replace?: string;
  /** `NAME=value` words may come before the command (env). */
  assignments?: boolean;
}

const SPECS: Readonly<Record<string, WrapperSpec>> = {
  nice: { valued: '-n --adjustment', numeric: true },
  ionice: { valued: '-c --class -n --classdata -p --pid -P --pgid -u --uid', flags: '-t --ignore' },
  timeout: { flags: '--preserve-status --foreground -v --verbose', valued: '-s --signal -k --kill-after', operands: 1 },
  stdbuf: { valued: '-i --input -o --output -e --error' },
  env: {
    flags: '-i --ignore-environment -0 --null -v --debug --list-signal-handling --block-signal --default-signal --ignore-signal',
    valued: '-u --unset -C --chdir',
    split: '-S --split-string',
    dashOption: true,
    assignments: true,
  },
  command: { flags: '-p -v -V' },
  builtin: {},
  exec: { flags: '-c -l', valued: '-a' },
  nohup: {},
  time: { flags: '-p --portability -v --verbose -a --append -q --quiet', valued: '-f --format -o --output' },
  setsid: { flags: '-c --ctty -f --fork -w --wait' },
  chroot: { flags: '--skip-chdir', valued: '--userspec --groups', operands: 1 },
  unshare: {
    flags:
      '-m -u -i -n -p -U -C -T -f -r -c --mount --uts --ipc --net --pid --user --cgroup --time --fork --map-root-user --map-current-user --kill-child --mount-proc --keep-caps --map-auto',
    valued: '-R --root -w --wd -S --setuid -G --setgid --propagation --setgroups --map-user --map-group --map-users --map-groups --monotonic --boottime',
  },
  sudo: {
    flags:
      '-A -b -E -H -i -K -k -n -P -S -s -V -v --askpass --background --preserve-env --set-home --login --remove-timestamp --reset-timestamp --non-interactive --preserve-groups --stdin --shell --validate',
    valued: '-C --close-from -D --chdir -g --group -h --host -p --prompt -R --chroot -r --role -t --type -T --command-timeout -U --other-user -u --user',
  },
  doas: { flags: '-n -s -L', valued: '-u -C' },
  pkexec: { flags: '--disable-internal-agent --keep-cwd', valued: '--user' },
  watch: {
    flags: '-b --beep -c --color -C --no-color -d --differences -e --errexit -g --chgexit -r --no-rerun -t --no-title -w --no-wrap -x --exec -p --precise',
    valued: '-n --interval -q --equexit',
    joined: true,
    direct: '-x --exec',
  },
  xargs: {
    flags: '-0 --null -p --interactive -r --no-run-if-empty -t --verbose -x --exit -o --open-tty',
    valued: '-a --arg-file -d --delimiter -E -I -L --max-lines -n --max-args -P --max-procs -s --max-chars --process-slot-var',
    attached: '-e -i -l --eof --replace',
    appends: true,
    replace: '-I -i --replace',
  },
  script: { flags: '-a --append -e --return -f --flush -q --quiet -E --echo', valued: '-O --log-out -I --log-in -B --log-io -T --log-timing -m --logging-format', attached: '-t --timing', script: '-c --command' },
  flock: {
    flags: '-s --shared -x -e --exclusive -u --unlock -n --nb --nonblock -o --close -F --no-fork --verbose',
    valued: '-w --wait --timeout -E --conflict-exit-code',
    script: '-c --command',
    operands: 1,
  },
  taskset: { flags: '-a --all-tasks -p --pid -c --cpu-list', operands: 1 },
  chrt: { flags: '-a --all-tasks -b --batch -d --deadline -f --fifo -i --idle -o --other -r --rr -R --reset-on-fork -v --verbose -p --pid', valued: '-T --sched-runtime -P --sched-period -D --sched-deadline', operands: 1 },
  nsenter: { flags: '-a --all -F --no-fork -Z --follow-context --preserve-credentials -m -u -i -n -p -U -C -T -r -w', valued: '-t --target -S --setuid -G --setgid' },
  strace: { flags: '-f -ff -c -C -t -tt -ttt -T -v -x -xx -y -yy -q -qq -Z -z -w -k -r -n -i -d -D -F', valued: '-e -o -p -s -u -E -a -b -I -O -P -S -X' },
  ltrace: { flags: '-c -C -f -h -i -r -S -t -tt -ttt -T -V', valued: '-e -o -p -s -u -a -A -D -F -l -n -x -w' },
  valgrind: { flags: '-q -v -s', anyLongWithEquals: true },
  prlimit: { valued: '-p --pid -o --output', anyLongWithEquals: true, attached: '-c -d -e -f -i -l -m -n -q -r -s -t -u -v -x -y' },
  cgexec: { flags: '--sticky', valued: '-g' },
  numactl: { flags: '-l --localalloc -a --all', valued: '-i --interleave -p --preferred -m --membind -N --cpunodebind -C --physcpubind --preferred-many' },
  firejail: { anyLongWithEquals: true, flags: '--quiet --noprofile --private --net=none' },
  proxychains: { flags: '-q', valued: '-f' },
  proxychains4: { flags: '-q', valued: '-f' },
  torsocks: { flags: '-q --quiet -i --isolate -d --debug', valued: '-u --user -p --pass -a --address -P --port' },
  'systemd-run': {
    flags: '--user --system --scope -t --pty -P --pipe -q --quiet -G --collect -d --same-dir -S --shell --wait --no-block -r --remain-after-exit',
    valued: '-p --property -E --setenv -u --unit -M --machine --uid --gid --nice --working-directory -H --host --slice --description',
    anyLongWithEquals: true,
  },
  'xvfb-run': { flags: '-a --auto-servernum', valued: '-e --error-file -f --auth-file -n --server-num -p --xauth-protocol -s --server-args -w --wait' },
  'dbus-run-session': { valued: '--config-file --dbus-daemon' },
  faketime: { flags: '-f', valued: '-m -p', operands: 1 },
  catchsegv: {},
  caffeinate: { flags: '-d -i -m -s -u', valued: '-t -w' },
  sg: { operands: 1, joined: true },
  ssh: {
    flags: '-4 -6 -A -a -C -f -G -g -K -k -M -N -n -q -s -T -t -V -v -X -x -Y -y',
    valued: '-B -b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w',
    operands: 1,
    joined: true,
  },
  npx: {
    flags: '-y --yes --no --no-install -q --quiet --ignore-existing --prefer-offline --prefer-online --offline',
    valued: '-p --package --cache --registry --userconfig --prefix --workspace -w',
    script: '-c --call',
    anyLongWithEquals: true,
  },
  parallel: {
    flags: '-k --keep-order -v --verbose -q --quote --dry-run --dryrun -u --ungroup --line-buffer --tag -0 --null --progress --bar --eta -X -m --xargs --group --halt-on-error',
    valued: '-j --jobs -P --max-procs -S --sshlogin -n --max-args -N -L --max-lines -I -d --delimiter -a --arg-file --halt --joblog --results --timeout --delay --tmpdir --workdir --env',
  },
};

/** Shells: their `-c` operand, a script file, or their standard input is what they run. */
const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'rbash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'yash', 'posh', 'fish', 'csh', 'tcsh', 'pwsh', 'powershell', 'at', 'batch']);
/** Paths that name the standard input. */
const STDIN_PATHS: ReadonlySet<string> = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);
const SPECIAL: ReadonlySet<string> = new Set(['eval', 'source', '.', 'trap', 'alias', 'find', 'su', 'runuser', 'busybox', 'toybox', 'nix-shell', 'bunx']);

/** Whether the program runs other commands (it then never runs without asking). */
export function isWrapper(key: string): boolean {
  return key in SPECS || SHELLS.has(key) || SPECIAL.has(key);
}

export function isShell(key: string): boolean {
  return SHELLS.has(key);
}

function empty(): Inner {
  return { commands: [], scripts: [], assignments: [], hidden: [], readsStdin: false };
}

/**
 * What the wrapper `key` (its program key) runs, given its words; undefined
 * when it is not a wrapper. `appended`: the wrapper itself gets words only
 * known at run time (it is run by xargs).
 */
export function unwrap(key: string, words: readonly Word[], appended: boolean): Inner | undefined {
  if (SHELLS.has(key)) return shell(key, words, appended);
  switch (key) {
    case 'eval':
      return evalLike(words);
    case 'source':
    case '.':
      return source(key, words);
    case 'trap':
      return trap(words);
    case 'alias':
      return alias(words);
    case 'find':
      return find(words);
    case 'su':
    case 'runuser':
    case 'nix-shell':
      return scriptOptionsAnywhere(key, words, key === 'nix-shell' ? ['--run', '--command'] : ['-c', '--command', '--session-command']);
    case 'busybox':
    case 'toybox': {
      const inner = empty();
      if (words.length > 1 && !(words[1] as Word).value.startsWith('-')) inner.commands.push({ words: words.slice(1), appended, how: key });
      return inner;
    }
    case 'bunx':
      return generic('bunx', SPECS.npx as WrapperSpec, words, appended);
    case 'parallel':
      return parallel(words);
  }
  const spec = SPECS[key];
  return spec ? generic(key, spec, words, appended) : undefined;
}

/** `npm exec …`, `pnpm dlx …`: the words from `from` are run like npx's. */
export function unwrapPackageRunner(key: string, words: readonly Word[], from: number, appended: boolean): Inner {
  return generic(key, SPECS.npx as WrapperSpec, [words[0] as Word, ...words.slice(from)], appended);
}

function generic(name: string, spec: WrapperSpec, words: readonly Word[], appended: boolean): Inner {
  const inner = empty();
  // Script and split options take a value like any other.
  const read = readOptions(words, 1, { ...spec, valued: [spec.valued, spec.script, spec.split].filter(Boolean).join(' ') });
  if (!read.ok) {
    inner.hidden.push(unreadable(name, read));
    return inner;
  }
  const has = (list: string | undefined, option: string): boolean => (list ?? '').split(' ').includes(option);
  let joined = spec.joined === true;
  let replace: string | undefined;
  for (const option of read.options) {
    if (has(spec.script, option.name) || has(spec.split, option.name)) {
      if (optionIsRuntime(option.value)) inner.hidden.push(`\`${name} ${option.name}\` runs a script only known when the command runs`);
      else inner.scripts.push({ text: optionText(option.value) ?? '', how: `${name} ${option.name}` });
    }
    if (has(spec.direct, option.name)) joined = false;
    if (has(spec.replace, option.name)) replace = optionText(option.value) || '{}';
  }
  let i = read.rest;
  if (spec.assignments) {
    while (i < words.length && isAssignment(words[i] as Word)) inner.assignments.push(words[i++] as Word);
  }
  for (let k = 0; k < (spec.operands ?? 0); k++) {
    const operand = words[i];
    if (!operand) return inner;
    if (operand.splits) {
      inner.hidden.push(`\`${shown(operand.raw, 30)}\` is only known when the command runs, so what \`${name}\` runs is not known`);
      return inner;
    }
    i += 1;
  }
  const rest = words.slice(i);
  if (rest.length === 0) return inner;
  if (joined) {
    const runtime = rest.find((word) => word.dynamic !== 'none');
    if (runtime) inner.hidden.push(`\`${name}\` runs \`${joinRaw(rest, 40)}\` through a shell after expanding \`${shown(runtime.raw, 30)}\`, which is only known when it runs`);
    else inner.scripts.push({ text: rest.map((word) => word.value).join(' '), how: name });
    return inner;
  }
  const command = replace ? rest.map((word) => (word.value.includes(replace as string) ? runtimeWord(word, 'any') : word)) : [...rest];
  inner.commands.push({ words: command, appended: appended || (spec.appends === true && !replace), how: name });
  return inner;
}

function unreadable(name: string, read: Extract<ReadOptions, { ok: false }>): string {
  const word = `\`${shown(read.word.raw, 30)}\``;
  switch (read.why) {
    case 'runtime':
      return `${word} is only known when the command runs, so what \`${name}\` runs is not known`;
    case 'missing':
      return `${word} of \`${name}\` has no value`;
    case 'unknown':
      return `${word} is an option of \`${name}\` Tandem does not know, so it cannot tell what \`${name}\` runs`;
  }
}

function shell(name: string, words: readonly Word[], appended: boolean): Inner {
  const inner = empty();
  let commandMode = false;
  let stdinMode = false;
  let i = 1;
  for (; i < words.length; i++) {
    const word = words[i] as Word;
    const v = word.value;
    if (word.dynamic === 'any') {
      inner.hidden.push(`\`${shown(word.raw, 30)}\` is only known when the command runs, so what \`${name}\` runs is not known`);
      return inner;
    }
    if (v === '--' || v === '-') {
      i += 1;
      break;
    }
    if (word.dynamic !== 'none' || v.length < 2 || (v[0] !== '-' && v[0] !== '+')) break;
    if (v.startsWith('--')) {
      if (v === '--rcfile' || v === '--init-file') i += 1;
      if (v === '--command' || v.startsWith('--command=')) {
        commandMode = true;
        if (v.includes('=')) {
          inner.scripts.push({ text: v.slice(v.indexOf('=') + 1), how: `${name} --command` });
          return inner;
        }
      }
      continue;
    }
    const letters = v.slice(1);
    if (letters.includes('c')) commandMode = true;
    if (letters.includes('s')) stdinMode = true;
    if (/[oO]$/.test(letters)) i += 1;
  }
  const operand = words[i];
  if (commandMode) {
    if (!operand) {
      if (appended) inner.hidden.push(`\`${name} -c\` runs a script that comes from its input`);
    } else if (operand.dynamic !== 'none') {
      inner.hidden.push(`\`${name} -c ${shown(operand.raw, 30)}\` runs a script only known when the command runs`);
    } else {
      inner.scripts.push({ text: operand.value, how: `${name} -c` });
    }
    return inner;
  }
  if (operand && !stdinMode) {
    if (operand.dynamic !== 'none') inner.hidden.push(`\`${name}\` runs the script \`${shown(operand.raw, 30)}\`, only known when the command runs`);
    else if (STDIN_PATHS.has(operand.value)) inner.readsStdin = true;
    return inner;
  }
  if (appended) {
    inner.hidden.push(`\`${name}\` runs a script named by its input`);
    return inner;
  }
  inner.readsStdin = true;
  return inner;
}

function evalLike(words: readonly Word[]): Inner {
  const inner = empty();
  const rest = words.slice(1);
  const runtime = rest.find((word) => word.dynamic !== 'none');
  if (runtime) inner.hidden.push(`\`eval\` runs \`${shown(runtime.raw, 30)}\`, only known when the command runs`);
  else if (rest.length > 0) inner.scripts.push({ text: rest.map((word) => word.value).join(' '), how: 'eval' });
  return inner;
}

function source(name: string, words: readonly Word[]): Inner {
  const inner = empty();
  const file = words[1]?.value === '--' ? words[2] : words[1];
  if (!file) return inner;
  if (file.dynamic !== 'none') inner.hidden.push(`\`${name}\` runs commands from \`${shown(file.raw, 30)}\`, only known when the command runs`);
  else if (STDIN_PATHS.has(file.value)) inner.readsStdin = true;
  return inner;
}

function trap(words: readonly Word[]): Inner {
  const inner = empty();
  let i = 1;
  while (i < words.length && /^-[lp-]$/.test((words[i] as Word).value)) i += 1;
  const action = words[i];
  if (!action || action.value === '-' || action.value === '') return inner;
  if (action.dynamic !== 'none') inner.hidden.push(`\`trap\` runs \`${shown(action.raw, 30)}\` later, only known when the command runs`);
  else inner.scripts.push({ text: action.value, how: 'trap' });
  return inner;
}

function alias(words: readonly Word[]): Inner {
  const inner = empty();
  for (const word of words.slice(1)) {
    const eq = word.value.indexOf('=');
    if (eq < 0) continue;
    if (word.dynamic !== 'none') inner.hidden.push(`\`alias\` defines \`${shown(word.raw, 30)}\`, only known when the command runs`);
    else inner.scripts.push({ text: word.value.slice(eq + 1), how: 'alias' });
  }
  return inner;
}

const FIND_ACTIONS: ReadonlySet<string> = new Set(['-exec', '-execdir', '-ok', '-okdir']);

function find(words: readonly Word[]): Inner {
  const inner = empty();
  const runtime = words.find((word) => word.dynamic === 'any');
  if (runtime) {
    inner.hidden.push(`\`${shown(runtime.raw, 30)}\` is only known when the command runs and could add a \`-exec\` to \`find\``);
    return inner;
  }
  for (let i = 1; i < words.length; i++) {
    const action = (words[i] as Word).value;
    if (!FIND_ACTIONS.has(action)) continue;
    const command: Word[] = [];
    let j = i + 1;
    for (; j < words.length; j++) {
      const word = words[j] as Word;
      if (word.value === ';' || (word.value === '+' && words[j - 1]?.value === '{}')) break;
      command.push(word.value.includes('{}') ? runtimeWord(word, 'nonflag') : word);
    }
    if (command.length > 0) inner.commands.push({ words: command, appended: false, how: `find ${action}` });
    i = j;
  }
  return inner;
}

function scriptOptionsAnywhere(name: string, words: readonly Word[], options: readonly string[]): Inner {
  const inner = empty();
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as Word;
    const v = word.value;
    let script: Word | string | undefined;
    const long = options.find((option) => option.startsWith('--') && v.startsWith(`${option}=`));
    if (long) script = v.slice(long.length + 1);
    else if (options.includes(v) || (options.includes('-c') && /^-[A-Za-z]*c$/.test(v))) script = words[i + 1];
    else if (word.dynamic === 'any') {
      inner.hidden.push(`\`${shown(word.raw, 30)}\` is only known when the command runs, so what \`${name}\` runs is not known`);
      continue;
    }
    if (script === undefined) continue;
    if (typeof script !== 'string' && script.dynamic !== 'none') inner.hidden.push(`\`${name}\` runs \`${shown(script.raw, 30)}\`, only known when the command runs`);
    else inner.scripts.push({ text: typeof script === 'string' ? script : script.value, how: name });
  }
  return inner;
}

function parallel(words: readonly Word[]): Inner {
  const inner = empty();
  const read = readOptions(words, 1, SPECS.parallel as WrapperSpec);
  if (!read.ok) {
    inner.hidden.push(unreadable('parallel', read));
    return inner;
  }
  const command: Word[] = [];
  for (const word of words.slice(read.rest)) {
    if (/^:{3,4}\+?$/.test(word.value)) break;
    command.push(hasPlaceholder(word.value) ? runtimeWord(word, 'any') : word);
  }
  if (command.length === 0) return inner;
  inner.commands.push({ words: command, appended: true, how: 'parallel' });
  if (command.some((word) => /\s/.test(word.value))) inner.scripts.push({ text: command.map((word) => word.value).join(' '), how: 'parallel' });
  return inner;
}

/** `{}`, `{1}`, `{.}`: parallel's placeholders. */
function hasPlaceholder(value: string): boolean {
  const open = value.indexOf('{');
  return open >= 0 && value.indexOf('}', open) > open;
}
