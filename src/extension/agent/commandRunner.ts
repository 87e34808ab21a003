import * as vscode from 'vscode';
import { LiveOutput, OutputCollector, cleanTerminalOutput } from './output';
import { runWithChildProcess } from './processRunner';

export interface CommandOutcome {
  exitCode?: number;
  /** Head and tail kept, control sequences removed. */
  output: string;
  timedOut: boolean;
  /** Stopped because the task was (the person pressed Stop). */
  cancelled: boolean;
  /** Ran with child_process because the terminal had no shell integration. */
  fallback: boolean;
}

/** How long a new terminal may take to report shell integration before we run without it. */
const SHELL_INTEGRATION_WAIT_MS = 5_000;
/** After Ctrl+C, how long before the terminal is disposed. */
const INTERRUPT_GRACE_MS = 2_000;
const TERMINAL_NAME = 'Tandem Agent';

/**
 * Runs the agent's commands where the person can watch them: in a VS Code
 * terminal, through shell integration (which reports the output and the
 * exit code). When the shell offers no integration (an unsupported shell,
 * integration turned off), the command runs with child_process in the
 * workspace and the output says so.
 */
export class CommandRunner implements vscode.Disposable {
  /** Terminals we created, with whether a command runs in them. */
  private readonly terminals = new Map<vscode.Terminal, { busy: boolean; cwd: string }>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables = [vscode.window.onDidCloseTerminal((terminal) => this.terminals.delete(terminal))];
  }

  /** `onOutput`: the output so far, at most every LIVE_OUTPUT_MS while the command runs. */
  async run(command: string, cwd: string, timeoutSeconds: number, token?: vscode.CancellationToken, onOutput?: (output: string) => void): Promise<CommandOutcome> {
    const terminal = this.idleTerminal(cwd);
    this.terminals.get(terminal)!.busy = true;
    try {
      terminal.show(true);
      const integration = await waitForShellIntegration(terminal, SHELL_INTEGRATION_WAIT_MS, token);
      if (token?.isCancellationRequested) {
        return { output: '', timedOut: false, cancelled: true, fallback: false };
      }
      if (!integration) {
        this.log.warn(`Terminal has no shell integration; running "${command}" without it`);
        const outcome = await runWithChildProcess(command, cwd, timeoutSeconds, token, onOutput);
        return { ...outcome, output: `(Ran outside the terminal: VS Code shell integration was not available.)\n${outcome.output}` };
      }
      return await this.runIntegrated(terminal, integration, command, timeoutSeconds, token, onOutput);
    } finally {
      const state = this.terminals.get(terminal);
      if (state) state.busy = false;
    }
  }

  private idleTerminal(cwd: string): vscode.Terminal {
    for (const [terminal, state] of this.terminals) {
      // A previous command may have changed directory: only reuse a terminal that is still where we want it.
      const now = terminal.shellIntegration?.cwd?.fsPath ?? state.cwd;
      if (!state.busy && state.cwd === cwd && now === cwd && terminal.exitStatus === undefined) return terminal;
    }
    const terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, cwd, isTransient: true });
    this.terminals.set(terminal, { busy: false, cwd });
    return terminal;
  }

  private async runIntegrated(
    terminal: vscode.Terminal,
    integration: vscode.TerminalShellIntegration,
    command: string,
    timeoutSeconds: number,
    token?: vscode.CancellationToken,
    onOutput?: (output: string) => void,
  ): Promise<CommandOutcome> {
    const collector = new OutputCollector();
    const live = new LiveOutput(collector, onOutput);
    let exitCode: number | undefined;
    let ended!: () => void;
    const endedPromise = new Promise<void>((resolve) => (ended = resolve));
    const execution = integration.executeCommand(command);
    const endListener = vscode.window.onDidEndTerminalShellExecution((event) => {
      if (event.execution === execution) {
        exitCode = event.exitCode;
        ended();
      }
    });
    const closeListener = vscode.window.onDidCloseTerminal((closed) => closed === terminal && ended());
    // Read at once: output written before the reader attaches is lost.
    const reading = (async () => {
      for await (const chunk of execution.read()) {
        collector.append(chunk);
        live.changed();
      }
    })().catch((error: unknown) => this.log.warn(`Reading terminal output failed: ${String(error)}`));

    let timedOut = false;
    let cancelled = false;
    const stopped = new Promise<'timeout' | 'cancel'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000);
      const cancel = token?.onCancellationRequested(() => resolve('cancel'));
      void endedPromise.then(() => {
        clearTimeout(timer);
        cancel?.dispose();
      });
    });
    const first = await Promise.race([endedPromise.then(() => 'ended' as const), stopped]);
    if (first !== 'ended') {
      timedOut = first === 'timeout';
      cancelled = first === 'cancel';
      terminal.sendText('\u0003', false);
      const interrupted = await Promise.race([endedPromise.then(() => true), delay(INTERRUPT_GRACE_MS).then(() => false)]);
      if (!interrupted) {
        terminal.dispose();
        this.terminals.delete(terminal);
        ended();
      }
    }
    // The stream ends with the execution; do not wait forever for it.
    await Promise.race([reading, delay(1_000)]);
    endListener.dispose();
    closeListener.dispose();
    live.dispose();
    let output = cleanTerminalOutput(collector.text());
    if (timedOut) output += `\n(Stopped after ${timeoutSeconds} s.)`;
    if (cancelled) output += '\n(Stopped.)';
    return { ...(timedOut || cancelled ? {} : { exitCode }), output, timedOut, cancelled, fallback: false };
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
    for (const terminal of this.terminals.keys()) terminal.dispose();
    this.terminals.clear();
  }
}

function waitForShellIntegration(terminal: vscode.Terminal, timeoutMs: number, token?: vscode.CancellationToken): Promise<vscode.TerminalShellIntegration | undefined> {
  if (terminal.shellIntegration) return Promise.resolve(terminal.shellIntegration);
  return new Promise((resolve) => {
    const done = (value: vscode.TerminalShellIntegration | undefined): void => {
      clearTimeout(timer);
      listener.dispose();
      cancel?.dispose();
      resolve(value);
    };
    const timer = setTimeout(() => done(terminal.shellIntegration), timeoutMs);
    const listener = vscode.window.onDidChangeTerminalShellIntegration((event) => event.terminal === terminal && done(event.shellIntegration));
    const cancel = token?.onCancellationRequested(() => done(undefined));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
