import { errorDetail, errorMessage } from '../shared/guards';
import { parseLspArgs, parseTopLevel } from './cli';
import { standardInput } from './util/stdin';
import { standardError, standardOutput } from './util/stdout';
import { VERSION } from './version';

/** Exit code, or 'running' for a command that keeps the process alive (the language server). */
type Outcome = number | 'running';

interface Subcommand {
  usage: string;
  summary: string;
  run(args: string[]): Outcome | Promise<Outcome>;
}

/**
 * The subcommands; a new one is one more entry here. Each loads its module lazily, and the build
 * makes that module a bundle of its own (SUBCOMMAND_BUNDLES in scripts/build.mjs, which fails on a
 * lazy import it does not list): the bin itself is only this file, so `tandem apply-patch`, run once
 * per edit by other tools, never loads the language server or the model SDKs. Import nothing heavy here.
 */
const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  lsp: {
    usage: 'tandem lsp [--stdio | --node-ipc | --socket=PORT | --pipe=NAME] [--clientProcessId=PID]',
    summary: 'Serve the Tandem model service over the Language Server Protocol (default: stdio).',
    run: runLsp,
  },
  'apply-patch': {
    usage: 'tandem apply-patch [--cwd DIR] [--dry-run] [--path FILE [--lines A-B]]',
    summary: 'Apply an edit read on stdin (patch, diff, SEARCH/REPLACE or code block) to the files under DIR, all or nothing.',
    run: async (args) =>
      (await import('./edits/applyPatchCommand')).runApplyPatch(args, {
        stdin: standardInput(),
        // Plain writes of fd 1 and 2: process.stdout and process.stderr each load Node's stream machinery.
        stdout: standardOutput(),
        stderr: standardError(),
      }),
  },
  audit: {
    usage: 'tandem audit verify [--dir DIR] | export [--since DATE] [--until DATE] [--format jsonl|csv|md] | show (--task ID | --file PATH)',
    summary: 'Check the audit trail’s hash chain, export its events, or show what one task did or what touched one file.',
    run: async (args) => (await import('./services/audit/command')).runAudit(args),
  },
  metrics: {
    usage: 'tandem metrics [--dir DIR] [--since DATE] [--until DATE] [--json]',
    summary: 'Velocity, quality, cost and speed figures from the audit trail, per day and in total.',
    run: async (args) => (await import('./services/metrics/command')).runMetrics(args),
  },
};

function usage(): string {
  const commands = Object.values(SUBCOMMANDS).map((command) => `  ${command.usage}\n      ${command.summary}`);
  return [
    `tandem ${VERSION} — the Tandem model service`,
    '',
    'Usage:',
    ...commands,
    '  tandem --version',
    '  tandem --help',
    '',
    'Environment: OPENAI_BASE_URL, OPENAI_API_KEY, TANDEM_MODEL, TANDEM_COMPLETION_MODEL,',
    'TANDEM_AUDIT (off to switch the audit trail off), TANDEM_AUDIT_DIR, TANDEM_AUDIT_CONTENTS',
    '(used for every setting the client does not provide).',
    '',
  ].join('\n');
}

async function runLsp(args: string[]): Promise<Outcome> {
  const options = parseLspArgs(args);
  if (!options.ok) {
    process.stderr.write(`tandem: ${options.message}\n\n${usage()}`);
    return 2;
  }
  for (const warning of options.warnings) {
    process.stderr.write(`tandem: ${warning}\n`);
  }
  if (options.transport.kind === 'stdio') {
    protectStdout();
  }
  const { startServer } = await import('./server');
  try {
    startServer(options.transport);
  } catch (error) {
    process.stderr.write(`tandem: ${errorMessage(error)}\n`);
    return 2;
  }
  return 'running';
}

/** On stdio, stdout carries LSP frames only: stray console output goes to stderr instead. */
function protectStdout(): void {
  const toStderr = (...values: unknown[]): void => console.error(...values);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.trace = toStderr;
}

async function main(argv: string[]): Promise<Outcome> {
  const parsed = parseTopLevel(argv, Object.keys(SUBCOMMANDS));
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(usage());
      return 0;
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case 'usageError':
      process.stderr.write(`tandem: ${parsed.message}\n\n${usage()}`);
      return 2;
    case 'run': {
      const command = SUBCOMMANDS[parsed.command];
      if (!command) {
        process.stderr.write(`tandem: Unknown command “${parsed.command}”.\n\n${usage()}`);
        return 2;
      }
      return command.run(parsed.args);
    }
  }
}

main(process.argv.slice(2)).then(
  (outcome) => {
    if (outcome !== 'running') {
      process.exitCode = outcome;
    }
  },
  (error: unknown) => {
    process.stderr.write(`tandem: ${errorDetail(error)}\n`);
    process.exitCode = 1;
  },
);
