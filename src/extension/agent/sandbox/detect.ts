/**
 * Which sandbox works on this machine, found out once per sandbox binary
 * (per session): bubblewrap on Linux, Seatbelt on macOS, none elsewhere.
 * A binary that is there is not enough: bubblewrap fails where user
 * namespaces are off, so it is run once, with everything a command gets,
 * on an empty folder; a failure is `none` with its reason. No `vscode`.
 */
import { accessSync, constants, promises as fs, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SandboxInfo } from '../../../shared/agentProtocol';
import { runProcess } from '../processRunner';
import { commandEnvironment } from './env';
import { type AvailableSandbox, sandboxedLaunch } from './launch';
import { isSeccompArch } from './seccomp';

export type SandboxStatus = AvailableSandbox | { kind: 'none'; reason: string; detail?: string };

const PROBE_TIMEOUT_SECONDS = 15;
const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

/** The first executable called `name` on `pathVariable`. */
export function findExecutable(name: string, pathVariable: string): string | undefined {
  for (const dir of pathVariable.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** What the service and the chat header are told. */
export function sandboxInfo(status: SandboxStatus, allowNetwork: boolean): SandboxInfo {
  if (status.kind === 'none') return { kind: 'none', network: false, reason: status.reason };
  return { kind: status.kind, network: allowNetwork };
}

export interface DetectorOptions {
  platform?: NodeJS.Platform;
  arch?: string;
  /** Read at each detect(): a PATH without bwrap means no sandbox. */
  env?: () => NodeJS.ProcessEnv;
}

export class SandboxDetector {
  private readonly probes = new Map<string, Promise<SandboxStatus>>();
  private last: SandboxStatus | undefined;

  constructor(private readonly options: DetectorOptions = {}) {}

  /** The latest result, without waiting (undefined before the first detect()). */
  get current(): SandboxStatus | undefined {
    return this.last;
  }

  async detect(): Promise<SandboxStatus> {
    const status = await this.find();
    this.last = status;
    return status;
  }

  private find(): Promise<SandboxStatus> {
    const platform = this.options.platform ?? process.platform;
    if (platform === 'linux') {
      const bwrap = findExecutable('bwrap', (this.options.env?.() ?? process.env).PATH ?? '');
      if (!bwrap) return Promise.resolve({ kind: 'none', reason: 'bubblewrap not installed', detail: 'Install the bubblewrap package (bwrap) to run commands sandboxed.' });
      return this.once(bwrap, () => this.probeBubblewrap(bwrap));
    }
    if (platform === 'darwin') {
      return this.once(SANDBOX_EXEC, () => this.probeSeatbelt());
    }
    return Promise.resolve({ kind: 'none', reason: platform === 'win32' ? 'not available on Windows' : `not available on ${platform}` });
  }

  private once(key: string, probe: () => Promise<SandboxStatus>): Promise<SandboxStatus> {
    let found = this.probes.get(key);
    if (!found) {
      found = probe().catch((error: unknown) => ({ kind: 'none' as const, reason: 'sandbox check failed', detail: String(error) }));
      this.probes.set(key, found);
    }
    return found;
  }

  private async probeBubblewrap(bwrap: string): Promise<SandboxStatus> {
    const version = await runProcess({ file: bwrap, args: ['--version'], cwd: os.tmpdir(), env: commandEnvironment(process.env) }, { timeoutSeconds: PROBE_TIMEOUT_SECONDS });
    const [major = 0, minor = 0] = (/(\d+)\.(\d+)/.exec(version.output)?.slice(1) ?? []).map(Number);
    const arch = this.options.arch ?? process.arch;
    const candidate: AvailableSandbox = {
      kind: 'bubblewrap',
      bwrap,
      disableUserns: major > 0 || minor >= 8,
      ...(isSeccompArch(arch) ? { seccomp: arch } : {}),
    };
    const failure = await this.tryRun(candidate);
    return failure ? { kind: 'none', reason: 'bubblewrap does not work here', detail: failure } : candidate;
  }

  private async probeSeatbelt(): Promise<SandboxStatus> {
    try {
      await fs.access(SANDBOX_EXEC, constants.X_OK);
    } catch {
      return { kind: 'none', reason: 'sandbox-exec not found' };
    }
    const candidate: AvailableSandbox = { kind: 'seatbelt', sandboxExec: SANDBOX_EXEC };
    const failure = await this.tryRun(candidate);
    return failure ? { kind: 'none', reason: 'Seatbelt does not work here', detail: failure } : candidate;
  }

  /** Runs `exit 0` sandboxed in an empty folder; the failure, if any. */
  private async tryRun(sandbox: AvailableSandbox): Promise<string | undefined> {
    const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-sandbox-check-'));
    try {
      const launch = await sandboxedLaunch(sandbox, { command: 'exit 0', workspace, cwd: workspace, env: commandEnvironment(process.env), network: false });
      try {
        const outcome = await runProcess(launch.spec, { timeoutSeconds: PROBE_TIMEOUT_SECONDS });
        if (outcome.exitCode === 0) return undefined;
        return outcome.output.trim().split('\n')[0] || `exit code ${outcome.exitCode ?? 'none'}`;
      } finally {
        await launch.dispose();
      }
    } finally {
      await fs.rm(workspace, { recursive: true, force: true });
    }
  }
}
