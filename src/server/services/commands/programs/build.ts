/**
 * Build tools: `go test|build|vet`, `cargo test|build|check|clippy`, `make`
 * with targets. They run the project's own code (tests, build scripts,
 * Makefile recipes), which is why commands that run unasked run in the
 * sandbox; what they must never do is take a program, a configuration or a
 * folder from the command line (`-exec`, `-toolexec`, `-modfile`,
 * `--config`, `-Z`, `-f`, `-C`, `--eval`, `VAR=value` …).
 */
import { checkPath, kinds, readArgs, type OptionTable, type ProgramTable, type Verdict } from './table';

const RUNS_PROGRAM = 'runs another program';
const COMPILER_FLAGS = 'passes flags to the compiler or linker (they can run programs)';

const GO_REFUSED: Readonly<Record<string, string>> = {
  '-exec': `${RUNS_PROGRAM} with the test binary`,
  '-toolexec': `${RUNS_PROGRAM} for every compiler step`,
  '-vettool': RUNS_PROGRAM,
  '-modfile': 'reads another go.mod',
  '-overlay': 'replaces source files',
  '-pkgdir': 'writes packages elsewhere',
  '-C': 'runs in another folder',
  '-gcflags': COMPILER_FLAGS,
  '-ldflags': COMPILER_FLAGS,
  '-asmflags': COMPILER_FLAGS,
  '-gccgoflags': COMPILER_FLAGS,
  '-buildmode': COMPILER_FLAGS,
  '-compiler': COMPILER_FLAGS,
  '-linkshared': COMPILER_FLAGS,
  '-args': 'passes the rest to the test binary',
};

const GO_BUILD = {
  ...kinds('flag', '-v -race -trimpath -x -n -a -work -cover -msan -asan'),
  ...kinds('text', '-tags -mod -p -buildvcs -coverpkg -covermode'),
  ...kinds('output', '-o'),
};

const GO: Readonly<Record<string, OptionTable>> = {
  test: {
    options: {
      ...GO_BUILD,
      ...kinds('flag', '-short -benchmem -failfast -json'),
      ...kinds('text', '-run -count -timeout -bench -benchtime -parallel -cpu -list -shuffle -skip -fuzz -fuzztime -vet'),
      ...kinds('output', '-coverprofile'),
    },
    refused: GO_REFUSED,
    style: 'go',
  },
  build: { options: GO_BUILD, refused: GO_REFUSED, style: 'go' },
  vet: { options: kinds('flag', '-v -x -n -json'), refused: GO_REFUSED, style: 'go' },
};

const GO_TABLE: ProgramTable = {
  check(args, ctx) {
    const [sub, ...rest] = args;
    const table = sub === undefined ? undefined : GO[sub];
    if (!table) return `\`go ${sub ?? ''}\` is not a command Tandem runs without asking (go test, go build, go vet)`;
    const parsed = readArgs(rest, table, `go ${sub}`, ctx);
    if (typeof parsed === 'string') return parsed;
    if (parsed.afterDashes) return `\`--\` passes the rest to the test binary`;
    // Packages: `./...`, `./pkg/...`, `.`, files, import paths (read as paths inside the workspace).
    for (const pkg of parsed.operands) {
      const folder = pkg.endsWith('...') ? pkg.slice(0, -3) || '.' : pkg;
      const problem = checkPath(folder, ctx);
      if (problem) return problem;
    }
    return undefined;
  },
};

const CARGO_COMMON = {
  ...kinds('flag', '-r --release -q --quiet -v --verbose --all-features --no-default-features --workspace --all --lib --bins --tests --examples --benches --all-targets'),
  ...kinds('flag', '--locked --offline --frozen --keep-going --timings --ignore-rust-version --future-incompat-report'),
  ...kinds('text', '-F --features -p --package --exclude --bin --test --example --bench -j --jobs --message-format --target --color --profile'),
  ...kinds('path', '--manifest-path'),
  ...kinds('output', '--target-dir'),
};

const CARGO_REFUSED: Readonly<Record<string, string>> = {
  '--config': 'changes cargo configuration for the command (it can set programs cargo runs)',
  '-Z': 'turns on unstable cargo features',
  '-C': 'runs in another folder',
  '--unit-graph': 'is not needed',
};

const CARGO: Readonly<Record<string, OptionTable>> = {
  test: { options: { ...CARGO_COMMON, ...kinds('flag', '--no-run --no-fail-fast --doc') }, refused: CARGO_REFUSED },
  build: { options: CARGO_COMMON, refused: CARGO_REFUSED },
  check: { options: CARGO_COMMON, refused: CARGO_REFUSED },
  clippy: { options: { ...CARGO_COMMON, ...kinds('flag', '--no-deps') }, refused: { ...CARGO_REFUSED, '--fix': 'changes files' } },
};

/** What may follow `--` for the test harness or clippy. */
const CARGO_AFTER: Readonly<Record<string, OptionTable>> = {
  test: {
    options: {
      ...kinds('flag', '--nocapture --no-capture --ignored --include-ignored --exact -q --quiet --show-output --list --test --bench'),
      ...kinds('text', '--test-threads --skip --color --format'),
    },
  },
  clippy: { options: kinds('text', '-D -W -A -F --deny --warn --allow --forbid') },
};

const CARGO_TABLE: ProgramTable = {
  check(args, ctx) {
    const [sub, ...rest] = args;
    if (sub?.startsWith('+')) return `\`${sub}\` selects another toolchain`;
    const table = sub === undefined ? undefined : CARGO[sub];
    if (!table || sub === undefined) return `\`cargo ${sub ?? ''}\` is not a command Tandem runs without asking (cargo test, build, check, clippy)`;
    const what = `cargo ${sub}`;
    const parsed = readArgs(rest, table, what, ctx);
    if (typeof parsed === 'string') return parsed;
    // cargo test's operand filters test names; the others take none.
    if (sub !== 'test' && parsed.operands.length > 0) return `\`${what} ${parsed.operands[0]}\`: unexpected word`;
    if (parsed.afterDashes) return afterDashes(sub, parsed.afterDashes, ctx);
    return undefined;
  },
};

function afterDashes(sub: string, words: readonly string[], ctx: Parameters<ProgramTable['check']>[1]): Verdict {
  const table = CARGO_AFTER[sub];
  if (!table) return `\`cargo ${sub} --\` passes words Tandem does not check`;
  const parsed = readArgs(words, table, `cargo ${sub} --`, ctx);
  return typeof parsed === 'string' ? parsed : undefined;
}

const MAKE: OptionTable = {
  options: {
    ...kinds('flag', '-k --keep-going -s --silent --quiet -B --always-make -n --dry-run --just-print --recon -q --question --no-print-directory -w --print-directory'),
    ...kinds('flag', '-r --no-builtin-rules -R --no-builtin-variables -S --no-keep-going --stop'),
    ...kinds('optional', '-j --jobs -O --output-sync -l --load-average'),
  },
  refused: {
    '-f': 'reads another makefile',
    '--file': 'reads another makefile',
    '--makefile': 'reads another makefile',
    '-C': 'runs in another folder',
    '--directory': 'runs in another folder',
    '--eval': 'evaluates text as makefile rules',
    '-E': 'evaluates text as makefile rules',
    '-I': 'reads makefiles from another folder',
    '--include-dir': 'reads makefiles from another folder',
    '-e': 'lets environment variables override the makefile',
    '--environment-overrides': 'lets environment variables override the makefile',
  },
};

const MAKE_TABLE: ProgramTable = {
  check(args, ctx) {
    const parsed = readArgs(args, MAKE, 'make', ctx);
    if (typeof parsed === 'string') return parsed;
    for (const target of [...parsed.operands, ...(parsed.afterDashes ?? [])]) {
      if (target.includes('=')) return `\`${target}\` sets a make variable (it can change the shell make runs recipes with)`;
      const problem = checkPath(target, ctx, 'write');
      if (problem) return problem;
    }
    return undefined;
  },
};

export const BUILD_PROGRAMS: Readonly<Record<string, ProgramTable>> = {
  go: GO_TABLE,
  cargo: CARGO_TABLE,
  make: MAKE_TABLE,
};
