import path from 'node:path';
import * as vscode from 'vscode';
import type { SandboxInfo } from '../../shared/agentProtocol';
import { errorMessage } from '../../shared/guards';
import { AgentTerminal } from './agentTerminal';
import { runProcess } from './processRunner';
import { commandEnvironment } from './sandbox/env';
import { type Launch, plainLaunch, sandboxedLaunch } from './sandbox/launch';
import { SandboxDetector, type SandboxStatus, sandboxInfo } from './sandbox/detect';
import { allowSandboxNetwork } from './settings';
import { visibleCommand } from './terminalText';

export interface CommandRequest {
  command: string;
  /** Absolute, inside `root`. */
  cwd: string;
  /** The workspace folder. */
  root: string;
  timeoutSeconds: number;
  /** Run in the OS sandbox (the command runs without the person's approval). */
  sandboxed: boolean;
  token?: vscode.CancellationToken;
  /** The output so far, at most every LIVE_OUTPUT_MS while the command runs. */
  onOutput?: (output: string) => void;
}

export type CommandOutcome =
  | {
      ran: true;
      /** How it ran: in which sandbox, or none. */
      sandbox: SandboxInfo['kind'];
      exitCode?: number;
      /** Head and tail kept, control sequences removed. */
      output: string;
      timedOut: boolean;
      /** Stopped: Stop in the chat, or Ctrl+C in the terminal. */
      cancelled: boolean;
    }
  /** A sandboxed run was asked for and the sandbox is not there or could not be set up: nothing ran. `reason`: why, in a few words. */
  | { ran: false; reason: string };

export interface CommandRunnerOptions {
  /**
   * The extension's global storage (`<user data>/User/globalStorage/<id>`):
   * the editor's user-data folder around it (settings, secret storage,
   * backups of unsaved files) is masked in the sandbox.
   */
  globalStorage?: string;
  detector?: SandboxDetector;
}

/** The editor's user-data folder, from the extension's global storage. */
export function editorUserData(globalStorage: string): string | undefined {
  const storage = path.dirname(globalStorage);
  const user = path.dirname(storage);
  return path.basename(storage) === 'globalStorage' && path.basename(user) === 'User' ? path.dirname(user) : undefined;
}

/**
 * Runs the agent's commands as processes (never typed into a shell) and
 * shows them in the Tandem Agent terminal. Commands that run without the
 * person's approval run in the OS sandbox (sandbox/): bubblewrap on Linux,
 * Seatbelt on macOS; where there is none they do not run (the caller asks
 * the person instead).
 */
export class CommandRunner implements vscode.Disposable {
  private readonly terminals: AgentTerminal[] = [];
  private readonly detector: SandboxDetector;
  private readonly sandboxChanged = new vscode.EventEmitter<SandboxInfo>();
  /** The sandbox found (or not), for the chat header. */
  readonly onDidChangeSandbox = this.sandboxChanged.event;
  private lastInfo: SandboxInfo | undefined;
  private lastStatus: SandboxStatus | undefined;
  private checking: Promise<unknown> | undefined;
  private readonly extraMasks: string[];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    options: CommandRunnerOptions = {},
  ) {
    this.detector = options.detector ?? new SandboxDetector();
    const userData = options.globalStorage ? editorUserData(options.globalStorage) : undefined;
    this.extraMasks = userData ? [userData] : [];
  }

  /** The sandbox commands run in without asking (found out once; the network setting read now). */
  async sandbox(): Promise<SandboxInfo> {
    return this.info(await this.detect());
  }

  /** What was found so far, without waiting (undefined until the first check ends); starts the check once. */
  get currentSandbox(): SandboxInfo | undefined {
    if (!this.checking) this.checking = this.detect().catch(() => undefined);
    return this.lastStatus && sandboxInfo(this.lastStatus, allowSandboxNetwork());
  }

  async run(request: CommandRequest): Promise<CommandOutcome> {
    const env = commandEnvironment(process.env);
    let launch: Launch;
    let kind: SandboxInfo['kind'] = 'none';
    let note = 'Not sandboxed: approved to run as it is.';
    if (request.sandboxed) {
      const status = await this.detect();
      if (status.kind === 'none') return { ran: false, reason: status.reason };
      const network = allowSandboxNetwork();
      try {
        launch = await sandboxedLaunch(status, {
          command: request.command,
          workspace: request.root,
          cwd: request.cwd,
          env,
          network,
          extraMasks: this.extraMasks,
        });
      } catch (error) {
        const reason = errorMessage(error);
        this.log.warn(`Could not sandbox "${request.command}": ${reason}`);
        return { ran: false, reason };
      }
      kind = status.kind;
      note = `Sandboxed (${status.kind === 'bubblewrap' ? 'bubblewrap' : 'Seatbelt'}, ${network ? 'network allowed' : 'no network'}).`;
    } else {
      launch = plainLaunch(request.command, request.cwd, env);
    }
    const terminal = this.idleTerminal();
    terminal.terminal.show(true);
    const stop = new vscode.CancellationTokenSource();
    const link = request.token?.onCancellationRequested(() => stop.cancel());
    if (request.token?.isCancellationRequested) stop.cancel();
    const where = path.relative(request.root, request.cwd);
    terminal.begin(visibleCommand(request.command), `${where ? `In ${where}. ` : ''}${note}`, () => stop.cancel());
    try {
      const outcome = await runProcess(launch.spec, {
        timeoutSeconds: request.timeoutSeconds,
        token: stop.token,
        onData: (chunk) => terminal.output(chunk),
        ...(request.onOutput ? { onOutput: request.onOutput } : {}),
      });
      terminal.end(
        outcome.timedOut ? `stopped after ${request.timeoutSeconds} s` : outcome.cancelled ? 'stopped' : outcome.error ? `could not start: ${outcome.error}` : `exit ${outcome.exitCode ?? '?'}`,
      );
      if (kind !== 'none' && sandboxFailedToStart(outcome.exitCode, outcome.output)) {
        this.log.warn(`The sandbox failed to start "${request.command}": ${outcome.output.split('\n')[0]}`);
        return { ran: false, reason: outcome.output.split('\n')[0] ?? 'bwrap failed' };
      }
      const removed = (await launch.afterRun?.()) ?? [];
      if (removed.length > 0) {
        const note = `[Tandem removed ${removed.join(', ')}: a command that runs without asking may not create protected paths (git repositories, editor settings, agent rules).]`;
        terminal.output(`\r\n${note}\r\n`);
        this.log.warn(`Removed what a sandboxed command created: ${removed.join(', ')}`);
        outcome.output = `${outcome.output}\n${note}`;
      }
      return {
        ran: true,
        sandbox: kind,
        ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
        output: outcome.output,
        timedOut: outcome.timedOut,
        cancelled: outcome.cancelled,
      };
    } finally {
      link?.dispose();
      stop.dispose();
      await launch.dispose();
    }
  }

  private async detect(): Promise<SandboxStatus> {
    const status = await this.detector.detect();
    this.lastStatus = status;
    this.info(status);
    return status;
  }

  private info(status: SandboxStatus): SandboxInfo {
    const info = sandboxInfo(status, allowSandboxNetwork());
    if (JSON.stringify(info) !== JSON.stringify(this.lastInfo)) {
      if (status.kind === 'none') this.log.info(`No command sandbox: ${status.reason}${status.detail ? ` (${status.detail})` : ''}`);
      else this.log.info(`Commands that run without asking run in ${status.kind}${info.network ? ' with network' : ', without network'}`);
      this.lastInfo = info;
      this.sandboxChanged.fire(info);
    }
    return info;
  }

  private idleTerminal(): AgentTerminal {
    for (let index = this.terminals.length - 1; index >= 0; index--) {
      const candidate = this.terminals[index]!;
      if (candidate.closed) {
        candidate.dispose();
        this.terminals.splice(index, 1);
      }
    }
    const idle = this.terminals.find((candidate) => !candidate.busy);
    if (idle) return idle;
    const terminal = new AgentTerminal();
    this.terminals.push(terminal);
    return terminal;
  }

  dispose(): void {
    for (const terminal of this.terminals) terminal.dispose();
    this.terminals.length = 0;
    this.sandboxChanged.dispose();
  }
}

/** bubblewrap reports its own setup failures as `bwrap: …` with exit code 1, before the command runs. */
function sandboxFailedToStart(exitCode: number | undefined, output: string): boolean {
  return exitCode === 1 && /^bwrap: /.test(output) && output.trim().split('\n').length === 1;
}
