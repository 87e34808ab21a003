/**
 * Python: `python -m pytest …` and `pytest …` with known-safe options, or a
 * script in the workspace. Never `-c` (code on the command line), `-m`
 * with another module, `-i`, or pytest's plugin, debugger and ini overrides.
 */
import { scriptArguments } from './js';
import { checkPath, kinds, readArgs, type OptionTable, type ProgramTable } from './table';

const PYTHON: OptionTable = {
  options: { ...kinds('flag', '-B -u -q -b -E -s -I -O -P -V --version'), ...kinds('text', '-W -X') },
  refused: { '-c': 'runs code given on the command line', '-i': 'starts an interactive shell', '-m': 'runs a module other than pytest' },
  stopAtOperand: true,
};

const PYTEST: OptionTable = {
  options: {
    ...kinds('flag', '-q --quiet -v --verbose -x --exitfirst -s -l --showlocals --lf --last-failed --ff --failed-first --nf --new-first --sw --stepwise --cache-clear'),
    ...kinds('flag', '--co --collect-only --no-header --no-summary --strict-markers --strict-config --disable-warnings --runxfail --doctest-modules --setup-show -ra -rA'),
    ...kinds('text', '-k -m --maxfail --capture --tb -r --durations --durations-min -W --color --code-highlight -n --numprocesses --import-mode --log-level --log-cli-level -p'),
    ...kinds('path', '--rootdir -c --config-file --confcutdir --ignore --deselect'),
    ...kinds('output', '--basetemp --junitxml --junit-xml'),
  },
  refused: {
    '-o': 'overrides ini settings',
    '--override-ini': 'overrides ini settings',
    '--pyargs': 'imports packages by name from anywhere',
    '--pdb': 'starts an interactive debugger',
    '--trace': 'starts an interactive debugger',
    '--pdbcls': 'starts an interactive debugger',
  },
};

const PYTEST_TABLE: ProgramTable = {
  check(args, ctx) {
    const parsed = readArgs(args, PYTEST, 'pytest', ctx);
    if (typeof parsed === 'string') return parsed;
    const plugin = parsed.options.find((option) => option.name === '-p' && !(option.value ?? '').startsWith('no:'));
    if (plugin) return `\`-p ${plugin.value ?? ''}\` of \`pytest\` loads a plugin`;
    for (const operand of [...parsed.operands, ...(parsed.afterDashes ?? [])]) {
      // `tests/test_a.py::test_one[param]`: the file is what is checked.
      const file = operand.split('::')[0] ?? operand;
      const problem = checkPath(file, ctx);
      if (problem) return problem;
    }
    return undefined;
  },
};

const PYTHON_TABLE: ProgramTable = {
  check(args, ctx) {
    // Python's own options end at `-m module` or at the script; the words after are theirs.
    const own: string[] = [];
    let module: string | undefined;
    let i = 0;
    scan: for (; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg === '--') {
        i += 1;
        break;
      }
      if (!arg.startsWith('-') || arg === '-') break;
      if (!arg.startsWith('--')) {
        for (let j = 1; j < arg.length; j++) {
          const letter = arg[j];
          if (letter === 'm') {
            if (j > 1) own.push(arg.slice(0, j));
            module = arg.slice(j + 1) || (args[++i] ?? '');
            i += 1;
            break scan;
          }
          if (letter === 'W' || letter === 'X') {
            own.push(arg);
            if (j === arg.length - 1) own.push(args[++i] ?? '');
            continue scan;
          }
        }
      }
      own.push(arg);
    }
    const parsed = readArgs(own, PYTHON, ctx.program, ctx);
    if (typeof parsed === 'string') return parsed;
    if (module !== undefined) {
      if (module !== 'pytest') return `\`${ctx.program} -m ${module}\` runs a module other than pytest`;
      return PYTEST_TABLE.check(args.slice(i), { ...ctx, program: 'pytest' });
    }
    const [script, ...rest] = args.slice(i);
    if (script === undefined && parsed.options.some((option) => option.name === '-V' || option.name === '--version')) return undefined;
    if (script === undefined || script === '-') return `\`${ctx.program}\` without a script file reads a program from its input`;
    return checkPath(script, ctx) ?? scriptArguments(rest, ctx);
  },
};

export const PYTHON_PROGRAMS: Readonly<Record<string, ProgramTable>> = {
  python: PYTHON_TABLE,
  python3: PYTHON_TABLE,
  pytest: PYTEST_TABLE,
  'py.test': PYTEST_TABLE,
};
