/**
 * What the built-in model's engine process is given of the service's
 * environment: only what finding the engine, its GPU and its temporary
 * files needs. It loads files that may be hostile into native code, so it
 * never sees an API key or any other secret of the service's (an allow-list,
 * not a deny-list: a secret under a new name stays out too).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Names passed as they are. */
const NAMES = new Set([
  'PATH',
  'Path',
  'HOME',
  'USERPROFILE',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'SystemRoot',
  'SYSTEMROOT',
  'windir',
  'ComSpec',
  'APPDATA',
  'LOCALAPPDATA',
  'XDG_CACHE_HOME',
  'XDG_RUNTIME_DIR',
  'LD_LIBRARY_PATH',
  'DYLD_LIBRARY_PATH',
  'MALLOC_ARENA_MAX',
  // Inside desktop VS Code the service runs on Electron's binary as Node (the language client sets this);
  // the engine process is forked on the same binary, which without it would start as the Electron app.
  'ELECTRON_RUN_AS_NODE',
  // The engine's own settings (engine.ts, runtime.ts).
  'TANDEM_EMBEDDED_ENGINE',
  'TANDEM_EMBEDDED_THREADS',
  'TANDEM_EMBEDDED_GPU',
]);

/** Prefixes of the GPU runtimes' and llama.cpp's own settings (device choice, driver paths). */
const PREFIXES = ['GGML_', 'NODE_LLAMA_CPP_', 'CUDA_', 'HIP_', 'ROCR_', 'VK_', 'METAL_'];

/** Even under an allowed prefix, a name that says it holds a secret stays out. */
const SECRET = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;

export function hostEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || SECRET.test(name)) continue;
    if (NAMES.has(name) || PREFIXES.some((prefix) => name.startsWith(prefix))) out[name] = value;
  }
  return out;
}

/** The engine process's script and the Node options it needs, or undefined when it is not there. */
export interface HostScript {
  path: string;
  execArgv: string[];
  /** Its command-line arguments (a test's stand-in takes its behaviour there). */
  args?: string[];
}

/**
 * hostProcess.ts beside this file when running from the sources (tests,
 * benchmarks: through tsx), or dist/embeddedHost.js beside the bundle that
 * holds this code (dist/tandem-lsp.js).
 */
export function hostScript(): HostScript | undefined {
  if (typeof __filename !== 'string') return undefined;
  const fromSources = __filename.endsWith('.ts');
  const script = path.join(path.dirname(__filename), fromSources ? 'hostProcess.ts' : 'embeddedHost.js');
  if (!existsSync(script)) return undefined;
  return { path: script, execArgv: fromSources ? ['--import', 'tsx'] : [] };
}
