import type { Transport } from './transport';

/** LSP transport flags, as language clients pass them (vscode-languageclient appends its own). */
const LSP_BARE_FLAGS = new Set(['--stdio', '--node-ipc']);
const LSP_VALUE_FLAGS = new Set(['--socket', '--pipe', '--clientProcessId']);

export type TopLevel =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; command: string; args: string[] }
  | { kind: 'usageError'; message: string };

/**
 * Finds the subcommand in argv (without node and script). LSP transport flags
 * may appear anywhere, with or without the `lsp` word: alone they mean `lsp`.
 * `known` lists the subcommands; anything else is a usage error. Pure.
 */
export function parseTopLevel(argv: readonly string[], known: readonly string[]): TopLevel {
  let command: string | undefined;
  let help = false;
  let version = false;
  let sawLspFlag = false;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const flagName = arg.split('=', 1)[0] ?? arg;
    if (command === undefined && (arg === '--help' || arg === '-h')) {
      help = true;
    } else if (command === undefined && (arg === '--version' || arg === '-v' || arg === '-V')) {
      version = true;
    } else if (LSP_BARE_FLAGS.has(arg) || LSP_VALUE_FLAGS.has(flagName)) {
      sawLspFlag = true;
      args.push(arg);
      if (LSP_VALUE_FLAGS.has(arg) && i + 1 < argv.length) {
        args.push(argv[++i] ?? '');
      }
    } else if (command === undefined && !arg.startsWith('-')) {
      command = arg;
    } else {
      args.push(arg);
    }
  }
  if (help || command === 'help') {
    return { kind: 'help' };
  }
  if (version || command === 'version') {
    return { kind: 'version' };
  }
  if (command === undefined) {
    return sawLspFlag ? { kind: 'run', command: 'lsp', args } : { kind: 'usageError', message: 'No command given.' };
  }
  if (!known.includes(command)) {
    return { kind: 'usageError', message: `Unknown command “${command}”.` };
  }
  return { kind: 'run', command, args };
}

export type LspOptions = { ok: true; transport: Transport; warnings: string[] } | { ok: false; message: string };

/** The transport for `tandem lsp [args]`: stdio unless a flag says otherwise. Pure. */
export function parseLspArgs(args: readonly string[]): LspOptions {
  const transports: Transport[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const takeValue = (): string | undefined => (eq >= 0 ? arg.slice(eq + 1) : args[++i]);
    if (arg === '--stdio') {
      transports.push({ kind: 'stdio' });
    } else if (arg === '--node-ipc') {
      transports.push({ kind: 'ipc' });
    } else if (name === '--socket') {
      const port = Number(takeValue());
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        return { ok: false, message: '--socket needs a port number, e.g. --socket=5007.' };
      }
      transports.push({ kind: 'socket', port });
    } else if (name === '--pipe') {
      const pipe = takeValue();
      if (!pipe) {
        return { ok: false, message: '--pipe needs a pipe name.' };
      }
      transports.push({ kind: 'pipe', name: pipe });
    } else if (name === '--clientProcessId') {
      // Watched by vscode-languageserver itself: the service exits when that process does.
      takeValue();
    } else {
      warnings.push(`Ignoring unknown argument “${arg}”.`);
    }
  }
  const [transport = { kind: 'stdio' }, ...extra] = transports;
  if (extra.length > 0) {
    warnings.push(`Several transports given; using ${transport.kind}.`);
  }
  return { ok: true, transport, warnings };
}
