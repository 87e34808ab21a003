/**
 * A stand-in service for the orphan test: loads the model named on the
 * command line through its engine process, prints that process's id as a
 * JSON line to stdout, and then waits to be killed (the test kills it with
 * SIGKILL: no handler of its runs, and its engine process must end anyway).
 */
import { EngineHost } from '../../src/server/providers/embedded/engineHost';
import { REPO_ROOT } from './embeddedEngine';

async function main(): Promise<void> {
  const host = new EngineHost({ env: process.env, engineFrom: REPO_ROOT, threads: 1, gpu: false, maxAnswerTokens: 4 });
  host.configure({ modelPath: process.argv[2] ?? '', idleUnloadMinutes: 0 });
  await host.chat([{ role: 'user', content: 'hi' }], new AbortController().signal, () => undefined);
  process.stdout.write(`${JSON.stringify({ engine: host.pid })}\n`);
  // Kept alive until killed.
  setInterval(() => undefined, 60_000);
}

void main();
