/**
 * For tests of the built-in model: the engine (node-llama-cpp in
 * scripts/engine/node_modules, installed by `npm install`'s postinstall) and
 * tiny models written to a temporary folder. Without the engine these tests
 * are skipped with the reason, except on CI, where they fail: CI installs it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findEngine } from '../../src/server/providers/embedded/engine';
import { writeTinyGguf, type TinyGgufOptions } from './tinyGguf';

export const REPO_ROOT = path.join(__dirname, '..', '..');

/** Call in `before`: skips the suite (fails it on CI) when the engine is not installed. */
export function requireEngine(context: Mocha.Context): void {
  if (findEngine(process.env, REPO_ROOT)) return;
  const why = `node-llama-cpp is not installed in scripts/engine/node_modules (run \`node scripts/install-engine.mjs\`)`;
  if (process.env.CI) throw new Error(`The built-in model's tests need their engine: ${why}.`);
  console.warn(`  (skipped: ${why})`);
  context.skip();
}

/** A temporary folder for models; `dispose` removes it. */
export class ModelFolder {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'tandem-gguf-'));

  write(name: string, options: TinyGgufOptions = {}): string {
    return writeTinyGguf(path.join(this.dir, name), options);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Whether a process with this id is still there (an engine process the tests expect to have ended). */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
