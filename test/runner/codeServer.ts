/**
 * Starts code-server (VS Code 1.100.3 as a server with a real Node extension
 * host) for the integration suite, the E2E tests, benchmarks and `npm start`.
 * code-server because it installs from npm (scripts/install-test-deps.sh),
 * where @vscode/test-electron needs to download VS Code from Microsoft.
 * The workbench URL's `payload` loads Tandem as a development extension and,
 * optionally, a test module whose run() the extension host calls.
 *
 * Each run gets a fresh user-data-dir and extensions-dir, so runs never see
 * each other's state. The server runs in its own process group, led by a tiny
 * watchdog: stop(), our exit/signal handlers, or the death of this process
 * (even by SIGKILL, noticed as the watchdog's stdin closing) take the whole
 * group down, including the extension host and file watcher.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const CODE_SERVER_VERSION = '4.100.3';

export interface CodeServerOptions {
  /** Folder opened by default (also the `folder` of workbenchUrl()). */
  workspace: string;
  /** Extension loaded as a development extension in the remote extension host. */
  extensionDevelopmentPath: string;
  /** Merged over sensible defaults into `<userDataDir>/User/settings.json`. */
  userSettings?: Record<string, unknown>;
  /** Extra environment for code-server; the extension host inherits it. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to a free port chosen by the OS. */
  port?: number;
  /** Receives every line code-server prints. Default: discarded. */
  log?: (line: string) => void;
  /** Bound for the server to answer. Default 60 s. */
  startTimeoutMs?: number;
  /**
   * Workspace trust as a person meets it: on, without the startup prompt, so
   * a folder opens in Restricted Mode. Default: off (every folder trusted),
   * as in VS Code's own test runs.
   */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  port: number;
  baseUrl: string;
  userDataDir: string;
  /** The user settings file (also given to code-server as TANDEM_USER_SETTINGS). */
  settingsFile: string;
  /**
   * Workbench URL with the development extension (and optionally a test module) in `payload`.
   * `workspaceFile`: open that `*.code-workspace` file instead of a folder.
   */
  workbenchUrl(extra?: { extensionTestsPath?: string; folder?: string; workspaceFile?: string }): string;
  stop(): Promise<void>;
}

export const DEFAULT_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  // code-server (VS Code for the web) saves after 1 s by default, desktop VS Code never: under load that
  // put unsaved test edits on disk between an accept and the test reading the file.
  'files.autoSave': 'off',
};

/** Merged over the defaults with `workspaceTrust`: Restricted Mode until the person trusts the folder, and nothing asks. */
const WORKSPACE_TRUST_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
};

/** Where scripts/install-test-deps.sh puts code-server (keep the two in step). */
export function codeServerEntry(): string {
  const cacheRoot = process.env.TANDEM_TEST_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'tandem-test');
  return path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

// Runs as the process-group leader: starts code-server in the same group and
// kills the group when our stdin closes, i.e. when the test process is gone.
const WATCHDOG = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, process.argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
const killGroup = () => { try { process.kill(0, 'SIGKILL'); } catch {} };
process.stdin.on('end', killGroup);
process.stdin.on('error', killGroup);
process.stdin.resume();
child.on('exit', (code, signal) => { process.exitCode = code ?? (signal ? 1 : 0); killGroup(); });
`;

/** Running servers and their temp folders, for the exit and signal handlers. */
const live = new Map<ChildProcess, string>();
let handlersInstalled = false;

function killGroupNow(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Exit and signal handlers, once per process, so no code-server outlives us. */
function installExitHandlers(): void {
  if (handlersInstalled) {
    return;
  }
  handlersInstalled = true;
  const killAll = (): void => {
    for (const [child, root] of live) {
      killGroupNow(child, 'SIGKILL');
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    }
    live.clear();
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      // A listener replaces Node's default "die on signal", so exit ourselves;
      // nobody else reliably does (Playwright's SIGTERM handler closes its
      // browsers and stays). Deferred a turn so other listeners run first;
      // 'exit' handlers (Playwright's included) still run.
      setImmediate(() => process.exit(128 + (os.constants.signals[signal] ?? 1)));
    });
  }
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const entry = codeServerEntry();
  if (!existsSync(entry)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed at ${entry}; run: bash scripts/install-test-deps.sh`);
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'tandem-code-server-'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  const configFile = path.join(root, 'config.yaml');
  await mkdir(path.dirname(settingsFile), { recursive: true });
  await mkdir(extensionsDir, { recursive: true });
  const trust = opts.workspaceTrust ? WORKSPACE_TRUST_SETTINGS : {};
  await writeFile(settingsFile, JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...trust, ...opts.userSettings }, null, 2));
  // Our own config file: otherwise code-server writes ~/.config/code-server/config.yaml.
  await writeFile(configFile, 'auth: none\ncert: false\n');

  const args = [
    entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${opts.port ?? 0}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    opts.workspace,
  ];
  const child = spawn(process.execPath, ['-e', WATCHDOG, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...inheritedEnv(), TANDEM_USER_SETTINGS: settingsFile, ...opts.env },
  });
  installExitHandlers();
  live.set(child, root);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      killGroupNow(child, 'SIGTERM');
      // VS Code's server may take a moment to flush; then no mercy.
      const timer = setTimeout(() => killGroupNow(child, 'SIGKILL'), 3_000);
      if (child.exitCode === null && child.signalCode === null) {
        await exited;
      }
      clearTimeout(timer);
      killGroupNow(child, 'SIGKILL'); // stragglers that ignored SIGTERM
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    })();
    return stopping;
  };

  try {
    const port = await waitForListening(child, opts.log ?? (() => undefined), opts.startTimeoutMs ?? 60_000);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/healthz`, opts.startTimeoutMs ?? 60_000);
    const remote = (absolute: string): string => `vscode-remote://127.0.0.1:${port}${path.resolve(absolute)}`;
    return {
      port,
      baseUrl,
      userDataDir,
      settingsFile,
      workbenchUrl(extra = {}) {
        const payload: Array<[string, string]> = [
          ['extensionDevelopmentPath', remote(opts.extensionDevelopmentPath)],
          ['skipWelcome', 'true'],
        ];
        if (extra.extensionTestsPath) {
          payload.push(['extensionTestsPath', remote(extra.extensionTestsPath)]);
        }
        // Slashes left readable in `folder`, as VS Code itself writes it.
        const opened = extra.workspaceFile
          ? `workspace=${encodeURIComponent(path.resolve(extra.workspaceFile)).replace(/%2F/g, '/')}`
          : `folder=${encodeURIComponent(path.resolve(extra.folder ?? opts.workspace)).replace(/%2F/g, '/')}`;
        return `${baseUrl}/?${opened}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Our environment minus what would make code-server act as a client of another VS Code. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // PORT overrides --bind-addr; VSCODE_* (e.g. VSCODE_IPC_HOOK_CLI in a VS Code
    // terminal) would forward our "open folder" to that other instance.
    if (key === 'PORT' || key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') {
      continue;
    }
    env[key] = value;
  }
  return env;
}

/** Resolves with the port from code-server's "HTTP server listening on" line. */
function waitForListening(child: ChildProcess, log: (line: string) => void, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const recent: string[] = [];
    const timer = setTimeout(() => fail(`code-server did not start listening within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null): void => fail(`code-server exited (code ${code}) before listening`);
    function fail(message: string): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      reject(new Error(`${message}. Last output:\n${recent.join('\n')}`));
    }
    child.once('exit', onExit);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) {
        continue;
      }
      createInterface({ input: stream }).on('line', (line) => {
        log(line);
        recent.push(line);
        if (recent.length > 30) {
          recent.shift();
        }
        const match = /HTTP server listening on https?:\/\/[^:]+:(\d+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(Number(match[1]));
        }
      });
    }
  });
}

/** Polls until the URL answers 200 (the log line comes just before the socket accepts). */
async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) {
        return;
      }
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${lastError}`);
}
