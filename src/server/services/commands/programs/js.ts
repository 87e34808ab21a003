/**
 * JavaScript tools: npm/pnpm/yarn run the project's own scripts (`test`,
 * `run <script>` for a script package.json has), npx runs only known tools
 * installed in the project, node runs test files or a script in the
 * workspace. Never options that change what runs or where (`--script-shell`,
 * `--prefix`, `--userconfig`, `--node-options`, `-c`/`--call`, `exec`/`x`,
 * `--package`, `-e`, `-p`, `-r`, `--import`, `--loader`, `--inspect` …).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../../../../shared/boundary/boundary';
import { checkPath, checkPaths, has, kinds, readArgs, type OptionTable, type ProgramContext, type ProgramTable, type Verdict } from './table';

const OTHER_FOLDER = 'runs in another folder';
const SHELL = 'runs a shell command';

const NPM: OptionTable = {
  options: {
    ...kinds('flag', '-s --silent -q --quiet --if-present --ignore-scripts --workspaces --include-workspace-root --no-color --foreground-scripts'),
    ...kinds('text', '-w --workspace --loglevel'),
    ...kinds('optional', '--color'),
  },
  refused: {
    '--script-shell': 'runs the scripts with another program',
    '--prefix': OTHER_FOLDER,
    '-C': OTHER_FOLDER,
    '--userconfig': 'reads settings from another file',
    '--globalconfig': 'reads settings from another file',
    '--node-options': 'passes options to node (such as --require)',
    '-c': SHELL,
    '--call': SHELL,
  },
};

const PNPM: OptionTable = {
  options: {
    ...kinds('flag', '-s --silent --if-present -r --recursive --parallel --stream --workspace-root -w --no-bail --sequential --aggregate-output --no-color'),
    ...kinds('text', '-F --filter --reporter'),
    ...kinds('optional', '--color'),
  },
  refused: { '-C': OTHER_FOLDER, '--dir': OTHER_FOLDER, '--shell-mode': SHELL, '--script-shell': 'runs the scripts with another program', '-c': SHELL },
};

const YARN: OptionTable = { options: kinds('flag', '-s --silent'), refused: { '--cwd': OTHER_FOLDER, '--require': 'loads a module before the program' } };

/** npm/pnpm/yarn: `test`, or `run <script>` for a script in package.json; the rest goes to the script. */
function packageManager(table: OptionTable, names: { test: string[]; run: string[] }, checkScriptsExist: boolean): ProgramTable {
  return {
    check(args, ctx) {
      const parsed = readArgs(args, table, ctx.program, ctx);
      if (typeof parsed === 'string') return parsed;
      const [sub, ...rest] = parsed.operands;
      if (sub === undefined) return `\`${ctx.program}\` without a command`;
      let tail = rest;
      if (names.run.includes(sub)) {
        const script = rest[0];
        if (script === undefined) return undefined;
        if (!/^[A-Za-z0-9:._@/-]+$/.test(script)) return `\`${script}\` is not a script name`;
        const everywhere = has(parsed, '-r', '--recursive', '-F', '--filter', '-w', '--workspace', '--workspaces');
        if ((checkScriptsExist || ctx.program === 'yarn') && !everywhere && !hasScript(ctx, script)) return `package.json has no script \`${script}\``;
        tail = rest.slice(1);
      } else if (names.test.includes(sub)) {
        if (ctx.program === 'yarn' && !hasScript(ctx, 'test')) return 'package.json has no script `test`';
      } else {
        return `\`${ctx.program} ${sub}\` is not a command Tandem runs without asking (only the project's scripts: \`${ctx.program} test\`, \`${ctx.program} run <script>\`)`;
      }
      return scriptArguments([...tail, ...(parsed.afterDashes ?? [])], ctx);
    },
  };
}

/**
 * Words handed to a script or a test runner: options pass (they are the
 * script's own), every other word and every `--name=value` that looks like
 * a path is checked as a path.
 */
export function scriptArguments(words: readonly string[], ctx: ProgramContext): Verdict {
  for (const word of words) {
    if (word.startsWith('-')) {
      const eq = word.indexOf('=');
      const value = eq < 0 ? '' : word.slice(eq + 1);
      if (/[/\\~]/.test(value) || value.startsWith('.')) {
        const problem = checkPath(value, ctx);
        if (problem) return problem;
      }
      continue;
    }
    const problem = checkPath(word, ctx);
    if (problem) return problem;
  }
  return undefined;
}

function hasScript(ctx: ProgramContext, name: string): boolean {
  const decision = ctx.ws.decide('package.json', 'read');
  if (decision.action === 'refuse') return false;
  const text = readRegularFile(decision.absolute, 1024 * 1024);
  if (text === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    const scripts = typeof parsed === 'object' && parsed !== null ? (parsed as { scripts?: unknown }).scripts : undefined;
    return typeof scripts === 'object' && scripts !== null && Object.prototype.hasOwnProperty.call(scripts, name) && typeof (scripts as Record<string, unknown>)[name] === 'string';
  } catch {
    return false;
  }
}

const CODE_ON_COMMAND_LINE = 'runs code given on the command line';
const LOADS_MODULE = 'loads a module before the program';
const DEBUGGER = 'opens a debugger port';

const NODE: OptionTable = {
  options: {
    ...kinds('flag', '--test --test-only --experimental-test-coverage --enable-source-maps --no-warnings --trace-warnings --trace-uncaught --experimental-strip-types'),
    ...kinds('flag', '--experimental-transform-types --no-experimental-strip-types --pending-deprecation --throw-deprecation --no-deprecation -v --version'),
    ...kinds('text', '--test-name-pattern --test-skip-pattern --test-concurrency --test-timeout --unhandled-rejections --stack-trace-limit'),
    // A reporter is a built-in name or a module: as a path it must stay in the workspace.
    ...kinds('path', '--test-reporter'),
    ...kinds('output', '--test-reporter-destination'),
  },
  refused: {
    '-e': CODE_ON_COMMAND_LINE,
    '--eval': CODE_ON_COMMAND_LINE,
    '-p': CODE_ON_COMMAND_LINE,
    '--print': CODE_ON_COMMAND_LINE,
    '-r': LOADS_MODULE,
    '--require': LOADS_MODULE,
    '--import': LOADS_MODULE,
    '--loader': LOADS_MODULE,
    '--experimental-loader': LOADS_MODULE,
    '-i': 'starts an interactive shell',
    '--interactive': 'starts an interactive shell',
    '--inspect': DEBUGGER,
    '--inspect-brk': DEBUGGER,
    '--inspect-wait': DEBUGGER,
    '--inspect-port': DEBUGGER,
    '--env-file': 'reads environment files (they hold secrets)',
    '--env-file-if-exists': 'reads environment files (they hold secrets)',
    '--watch': 'keeps running until it is stopped',
  },
  stopAtOperand: true,
};

const NODE_TABLE: ProgramTable = {
  check(args, ctx) {
    const parsed = readArgs(args, NODE, 'node', ctx);
    if (typeof parsed === 'string') return parsed;
    const operands = [...parsed.operands, ...(parsed.afterDashes ?? [])];
    if (has(parsed, '--test')) return checkPaths(operands, ctx);
    if (has(parsed, '-v', '--version')) return operands.length === 0 ? undefined : '`node --version` takes no operands';
    const [script, ...rest] = operands;
    if (script === undefined || script === '-') return '`node` without a script file reads a program from its input';
    return checkPath(script, ctx) ?? scriptArguments(rest, ctx);
  },
};

/** A tool whose operands are files (tsc, eslint, prettier, test runners). */
function tool(table: OptionTable, subcommands: readonly string[] = []): ProgramTable {
  return {
    check(args, ctx) {
      const parsed = readArgs(args, table, ctx.program, ctx);
      if (typeof parsed === 'string') return parsed;
      const operands = [...parsed.operands, ...(parsed.afterDashes ?? [])];
      const files = subcommands.includes(operands[0] ?? '') ? operands.slice(1) : operands;
      return checkPaths(files, ctx);
    },
  };
}

const PLUGIN = 'loads plugins or code named on the command line';

export const TOOLS: Readonly<Record<string, ProgramTable>> = {
  tsc: tool({
    options: {
      ...kinds('flag', '--noEmit -b --build --incremental --strict --skipLibCheck --listFiles --listEmittedFiles --showConfig --pretty --extendedDiagnostics -v --version'),
      ...kinds('flag', '--noUnusedLocals --noUnusedParameters --noImplicitAny --noImplicitReturns --strictNullChecks --declaration --sourceMap --allowJs --checkJs --verbose --force --clean --dry'),
      ...kinds('text', '--target --module --moduleResolution --jsx --lib --types'),
      ...kinds('path', '-p --project --rootDir'),
      ...kinds('output', '--outDir --tsBuildInfoFile'),
    },
    refused: { '-w': 'keeps running until it is stopped', '--watch': 'keeps running until it is stopped', '--plugins': PLUGIN, '--generateTrace': 'writes trace files' },
  }),
  eslint: tool({
    options: {
      ...kinds('flag', '--fix --fix-dry-run --quiet --cache --no-eslintrc --no-config-lookup --report-unused-disable-directives --no-inline-config --no-error-on-unmatched-pattern --color --no-color --debug'),
      ...kinds('text', '--max-warnings --ext --cache-strategy --fix-type'),
      ...kinds('path', '-c --config --ignore-path'),
      ...kinds('output', '--cache-location'),
    },
    refused: { '--rulesdir': PLUGIN, '--plugin': PLUGIN, '--resolve-plugins-relative-to': PLUGIN, '-f': PLUGIN, '--format': PLUGIN, '-o': 'writes the report to a file', '--output-file': 'writes the report to a file' },
  }),
  prettier: tool({
    options: { ...kinds('flag', '-c --check -w --write -l --list-different --no-config --no-editorconfig -u --ignore-unknown --no-color --cache'), ...kinds('path', '--config --ignore-path'), ...kinds('output', '--cache-location') },
    refused: { '--plugin': PLUGIN, '--plugin-search-dir': PLUGIN },
  }),
  vitest: tool(
    {
      options: {
        ...kinds('flag', '--run --coverage --silent --bail --passWithNoTests --no-color --globals --allowOnly'),
        ...kinds('text', '-t --testNamePattern --project --shard --pool --retry'),
        ...kinds('path', '--reporter'),
        ...kinds('path', '--config -c --root -r --dir'),
      },
      refused: { '-w': 'keeps running until it is stopped', '--watch': 'keeps running until it is stopped', '--ui': 'opens a server', '--api': 'opens a server', '--inspect': DEBUGGER, '--inspect-brk': DEBUGGER },
    },
    ['run', 'related'],
  ),
  jest: tool({
    options: {
      ...kinds('flag', '--ci -i --runInBand --coverage --silent --verbose --bail -b --passWithNoTests --no-cache --clearCache --listTests --onlyChanged -o --detectOpenHandles --forceExit'),
      ...kinds('text', '-t --testNamePattern --testPathPattern --maxWorkers -w --shard --testTimeout'),
      ...kinds('path', '--reporters'),
    },
    refused: { '--watch': 'keeps running until it is stopped', '--watchAll': 'keeps running until it is stopped', '-c': PLUGIN, '--config': PLUGIN, '--setupFiles': PLUGIN },
  }),
  mocha: tool({
    options: {
      ...kinds('flag', '--bail -b --exit --recursive --parallel -p --forbid-only --forbid-pending --full-trace --check-leaks --no-colors --colors --inline-diffs --sort --dry-run'),
      ...kinds('text', '-g --grep -f --fgrep -t --timeout --slow -s --retries -j --jobs --ui -u --extension'),
      ...kinds('path', '-R --reporter'),
      ...kinds('path', '--spec --config'),
    },
    refused: { '-r': LOADS_MODULE, '--require': LOADS_MODULE, '--import': LOADS_MODULE, '-w': 'keeps running until it is stopped', '--watch': 'keeps running until it is stopped', '--inspect': DEBUGGER },
  }),
};

const NPX: OptionTable = {
  options: kinds('flag', '--no-install --no --offline --prefer-offline -q --quiet'),
  refused: { '-p': 'installs and runs a package', '--package': 'installs and runs a package', '-c': SHELL, '--call': SHELL, '-y': 'installs packages without asking', '--yes': 'installs packages without asking', '--ignore-existing': 'installs packages without asking' },
  stopAtOperand: true,
};

const NPX_TABLE: ProgramTable = {
  check(args, ctx) {
    const parsed = readArgs(args, NPX, 'npx', ctx);
    if (typeof parsed === 'string') return parsed;
    const [name, ...rest] = [...parsed.operands, ...(parsed.afterDashes ?? [])];
    if (name === undefined) return '`npx` without a tool';
    const table = Object.prototype.hasOwnProperty.call(TOOLS, name) ? TOOLS[name] : undefined;
    if (!table) return `\`npx ${name}\` is not a tool Tandem knows (${Object.keys(TOOLS).join(', ')})`;
    if (!existsSync(path.join(ctx.ws.root, 'node_modules', '.bin', name))) return `\`npx ${name}\` would download ${name}: it is not installed in the project (node_modules/.bin)`;
    return table.check(rest, { ...ctx, program: name });
  },
};

export const JS_PROGRAMS: Readonly<Record<string, ProgramTable>> = {
  npm: packageManager(NPM, { test: ['test', 't', 'tst'], run: ['run', 'run-script', 'rum', 'urn'] }, true),
  pnpm: packageManager(PNPM, { test: ['test', 't'], run: ['run'] }, true),
  yarn: packageManager(YARN, { test: ['test'], run: ['run'] }, true),
  npx: NPX_TABLE,
  node: NODE_TABLE,
  ...TOOLS,
};

