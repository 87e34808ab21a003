/**
 * Finds and starts the built-in model's engine (node-llama-cpp) at run time.
 * It is never bundled: an ES module with a native binary, it is imported
 * from where it is installed, by file URL (esbuild leaves an `import()` of a
 * computed specifier alone):
 *
 * - `TANDEM_EMBEDDED_ENGINE`: a `node_modules` folder holding node-llama-cpp;
 * - `<extension root>/node_modules` (a platform VSIX ships it there);
 * - `<extension root>/scripts/engine/node_modules` (a source checkout:
 *   scripts/install-engine.mjs installs it there).
 *
 * One `Llama` per process, shared: getLlama costs about half a second and
 * its log callback is process-wide. llama.cpp's log never reaches stdout
 * (that would corrupt `tandem lsp --stdio`): the level stays at warn, and
 * every line goes to the listeners here (the service log), which also keep
 * the last lines so a failed load can say why.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../../../shared/guards';
import { isEngineModule, type EngineModule, type Llama, type LogLevel } from './engineTypes';
import { EmbeddedModelError } from './errors';

const PACKAGE = 'node-llama-cpp';
/** Lines of llama.cpp's log kept for explaining a failure. */
const KEPT_LINES = 40;

export interface Engine {
  module: EngineModule;
  llama: Llama;
  /** Where it was found (for the log). */
  location: string;
}

export interface EngineOptions {
  env: NodeJS.ProcessEnv;
  /** Where to start looking for the extension root (default: this file's folder). */
  from?: string;
  threads: number;
  /** false: CPU only (tests, benchmarks). */
  gpu: 'auto' | false;
}

/** llama.cpp's log lines: the listeners and the recent lines. */
class EngineLog {
  readonly listeners = new Set<(level: LogLevel, message: string) => void>();
  private readonly recent: string[] = [];

  readonly write = (level: LogLevel, message: string): void => {
    const line = message.trim();
    if (!line) return;
    this.recent.push(line);
    if (this.recent.length > KEPT_LINES) this.recent.shift();
    for (const listener of this.listeners) listener(level, line);
  };

  /** A mark to read the lines written after it. */
  mark(): number {
    return this.recent.length;
  }

  since(mark: number): string[] {
    return this.recent.slice(Math.min(mark, this.recent.length));
  }
}

export const engineLog = new EngineLog();

let shared: Promise<Engine> | undefined;

/** The process's engine, started on first call; a failure is not remembered (the next call tries again). */
export function startEngine(options: EngineOptions): Promise<Engine> {
  shared ??= load(options).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

/** Releases the engine (service shutdown, end of a benchmark). */
export async function stopEngine(): Promise<void> {
  const engine = shared;
  shared = undefined;
  if (!engine) return;
  try {
    await (await engine).llama.dispose();
  } catch {
    // It never started: nothing to release.
  }
}

let imported: { entry: string; module: Promise<EngineModule> } | undefined;

/**
 * The engine's module, imported once (no native binary starts): enough to
 * read a model file's header, so the status can say a missing engine or a bad
 * file before any request. A failure is not remembered.
 */
export async function importEngine(env: NodeJS.ProcessEnv, from: string = __dirname): Promise<{ module: EngineModule; location: string }> {
  const entry = findEngine(env, from);
  if (!entry) {
    throw new EmbeddedModelError(
      'engineMissing',
      `The built-in model's engine is not installed for ${process.platform}-${process.arch}. Install Tandem's platform package for this system (or run \`npm install\` in a source checkout), or use a model server instead (tandem.baseUrl).`,
    );
  }
  if (imported?.entry !== entry) {
    const module = importModule(entry).catch((error: unknown) => {
      if (imported?.module === module) imported = undefined;
      throw error;
    });
    imported = { entry, module };
  }
  return { module: await imported.module, location: entry };
}

async function importModule(entry: string): Promise<EngineModule> {
  let module: unknown;
  try {
    module = await import(pathToFileURL(entry).href);
  } catch (error) {
    throw new EmbeddedModelError('engineMissing', `The built-in model's engine could not be loaded from ${entry}: ${errorMessage(error)}`, { cause: error });
  }
  if (!isEngineModule(module)) {
    throw new EmbeddedModelError('engineMissing', `The built-in model's engine at ${entry} is not a compatible node-llama-cpp.`);
  }
  return module;
}

async function load(options: EngineOptions): Promise<Engine> {
  const { module, location } = await importEngine(options.env, options.from);
  try {
    const llama = await module.getLlama({
      gpu: options.gpu,
      build: 'never',
      logLevel: 'warn',
      logger: engineLog.write,
      maxThreads: options.threads,
      progressLogs: false,
      skipDownload: true,
    });
    return { module, llama, location };
  } catch (error) {
    throw new EmbeddedModelError(
      'engineMissing',
      `The built-in model's engine has no working binary for ${process.platform}-${process.arch}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}

/** The engine's entry file, or undefined when none of the places has it. */
export function findEngine(env: NodeJS.ProcessEnv, from: string): string | undefined {
  const folders: string[] = [];
  const override = env.TANDEM_EMBEDDED_ENGINE?.trim();
  if (override) folders.push(path.resolve(override));
  const root = extensionRoot(from);
  if (root) folders.push(path.join(root, 'node_modules'), path.join(root, 'scripts', 'engine', 'node_modules'));
  for (const folder of folders) {
    const entry = entryOf(path.join(folder, PACKAGE));
    if (entry) return entry;
  }
  return undefined;
}

/** The nearest folder above `from` whose package.json is Tandem's. */
export function extensionRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (let depth = 0; depth < 8; depth++) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
        if (typeof parsed === 'object' && parsed !== null && Reflect.get(parsed, 'name') === 'tandem') return dir;
      } catch {
        // Not a manifest we can read: keep looking.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function entryOf(packageDir: string): string | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    const main = typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'main') : undefined;
    const entry = path.join(packageDir, typeof main === 'string' ? main : 'dist/index.js');
    return existsSync(entry) ? entry : undefined;
  } catch {
    return undefined;
  }
}
