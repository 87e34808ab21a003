import { spawn } from 'node:child_process';
import { LiveOutput, OutputCollector, cleanTerminalOutput } from './output';

/** The part of a cancellation token this needs (vscode's fits; tests pass their own). */
export interface CancelToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export interface ProcessOutcome {
  exitCode?: number;
  output: string;
  timedOut: boolean;
  cancelled: boolean;
  fallback: true;
}

/** Runs `command` in a shell without a terminal; same bounds and output handling. */
export function runWithChildProcess(
  command: string,
  cwd: string,
  timeoutSeconds: number,
  token?: CancelToken,
  onOutput?: (output: string) => void,
): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const collector = new OutputCollector();
    const live = new LiveOutput(collector, onOutput);
    const child = spawn(command, { cwd, shell: true, detached: process.platform !== 'win32', env: process.env });
    const append = (chunk: string): void => {
      collector.append(chunk);
      live.changed();
    };
    child.stdout?.setEncoding('utf8').on('data', append);
    child.stderr?.setEncoding('utf8').on('data', append);
    let stopped: 'timeout' | 'cancel' | undefined;
    const kill = (reason: 'timeout' | 'cancel'): void => {
      stopped ??= reason;
      try {
        // The shell and what it started: the whole process group.
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill('timeout'), timeoutSeconds * 1000);
    const cancel = token?.onCancellationRequested(() => kill('cancel'));
    const finish = (exitCode: number | undefined, error?: string): void => {
      clearTimeout(timer);
      cancel?.dispose();
      live.dispose();
      let output = cleanTerminalOutput(collector.text());
      if (error) output += `\n${error}`;
      if (stopped === 'timeout') output += `\n(Stopped after ${timeoutSeconds} s.)`;
      if (stopped === 'cancel') output += '\n(Stopped.)';
      resolve({ ...(stopped ? {} : { exitCode }), output, timedOut: stopped === 'timeout', cancelled: stopped === 'cancel', fallback: true });
    };
    child.on('error', (error) => finish(undefined, `Could not run the command: ${error.message}`));
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : undefined)));
  });
}

