/**
 * Runs the scripted model server by hand, for demos without a real model:
 *
 *   npx tsx test/support/modelServerCli.ts [--port N] [--demo] [--models a,b] [--api-key KEY]
 *
 * Prints the base URL on the first line of stdout (for scripts); logs each request on stderr.
 */
import { demoReply } from './demoReply';
import { ScriptedModelServer, type ModelServerOptions, type RecordedRequest } from './modelServer';

const USAGE = 'usage: modelServerCli [--port N] [--demo] [--models a,b] [--api-key KEY]';

function parsePort(value: string | undefined): number {
  const port = Number(value);
  if (value === undefined || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port needs a number from 0 to 65535\n${USAGE}`);
  return port;
}

function parseArgs(argv: string[]): ModelServerOptions {
  const options: ModelServerOptions = {};
  // Accepts both `--flag value` and `--flag=value`.
  const args = argv.flatMap((arg) => (arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--demo') options.defaultReply = demoReply;
    else if (arg === '--port') options.port = parsePort(args[++i]);
    else if (arg === '--models') options.models = (args[++i] ?? '').split(',').filter((id) => id !== '');
    else if (arg === '--api-key') options.apiKey = args[++i];
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return options;
}

function summarize(req: RecordedRequest): string {
  const model = typeof req.body === 'object' && req.body !== null && 'model' in req.body ? ` model=${String(req.body.model)}` : '';
  const outcome = req.closedEarly ? 'closed early by the client' : `status ${req.status ?? '-'}`;
  return `${req.method} ${req.path}${model} → ${req.reply ?? 'listing'}, ${req.chunksSent} chunks, ${outcome}`;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const server = await ScriptedModelServer.start(options);
  server.onRequest((req) => {
    server.waitForClose(req, 24 * 60 * 60 * 1000).then(
      () => console.error(summarize(req)),
      () => undefined,
    );
  });
  console.log(server.baseUrl);
  console.error(`scripted model server: models ${(options.models ?? ['test-model']).join(', ')}${options.defaultReply ? ', demo answers' : ''}; Ctrl+C to stop`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
