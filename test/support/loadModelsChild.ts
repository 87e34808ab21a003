/**
 * Child process for the malformed-model tests: loads each model file named
 * on the command line through the built-in model's runtime, one after the
 * other, and prints one JSON line per file to stdout: `{"file", "ok"}` or
 * `{"file", "failure", "message"}`. Some malformations abort a process inside
 * llama.cpp; the parent sees which file was being loaded when it died.
 */
import { stopEngine } from '../../src/server/providers/embedded/engine';
import { EmbeddedModelError } from '../../src/server/providers/embedded/errors';
import { EmbeddedRuntime } from '../../src/server/providers/embedded/runtime';
import { REPO_ROOT } from './embeddedEngine';

async function main(): Promise<void> {
  const runtime = new EmbeddedRuntime({ env: {}, engineFrom: REPO_ROOT, threads: 1, gpu: false, maxAnswerTokens: 4 });
  for (const file of process.argv.slice(2)) {
    process.stderr.write(`loading ${file}\n`);
    runtime.configure({ modelPath: file, idleUnloadMinutes: 0 });
    try {
      await runtime.chat([{ role: 'user', content: 'hi' }], new AbortController().signal, () => undefined);
      process.stdout.write(`${JSON.stringify({ file, ok: true })}\n`);
    } catch (error) {
      const failure = error instanceof EmbeddedModelError ? error.failure : 'other';
      process.stdout.write(`${JSON.stringify({ file, failure, message: error instanceof Error ? error.message : String(error) })}\n`);
    }
  }
  await runtime.dispose();
  await stopEngine();
}

void main();
