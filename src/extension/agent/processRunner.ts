/**
 * Runs one agent command as a process: never typed into a shell. The
 * command text reaches `bash -c` as one argument (shellCommand), so a `\r`
 * or Ctrl-A in it is a character, not a key. Its own process group, stdin
 * /dev/null, a timeout, cancellation (the group gets SIGTERM, then
 * SIGKILL), the exit code, and the head and tail of the output. No
 * `vscode`: commandRunner.ts shows the output in the Tandem Agent
 * terminal, the tests run this directly.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { errorMessage } from '../../shared/guards';
import { LiveOutput, OutputCollector, cleanTerminalOutput } from './output';

/** The part of a cancellation token this needs (vscode's fits; tests pass their own). */
export interface CancelToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export interface ProcessSpec {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** Written to the child's descriptors 3, 4, … then closed (a seccomp filter). */
  inputs?: readonly Buffer[];
  /** cmd.exe takes its command line as is. */
  windowsVerbatimArguments?: boolean;
}

export interface RunOptions {
  timeoutSeconds: number;
  token?: CancelToken;
  /** Every chunk as it arrives (the terminal). */
  onData?: (chunk: string) => void;
  /** The cleaned output so far, at most every LIVE_OUTPUT_MS (the step's card). */
  onOutput?: (output: string) => void;
}

export interface ProcessOutcome {
  /** Undefined when stopped or when it could not start. */
  exitCode?: number;
  /** Head and tail kept, control sequences removed, with a note when stopped. */
  output: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Why it did not start. */
  error?: string;
}

/** After SIGTERM, how long the group has before SIGKILL. */
export const KILL_GRACE_MS = 2_000;
/** After the process exits, how long its output may still arrive (a background child can hold the pipe). */
const DRAIN_MS = 500;

const BASH_CANDIDATES = ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash', '/opt/homebrew/bin/bash'];

/** The command text as one argument of a non-interactive shell that reads no startup files. */
export function shellCommand(text: string, platform: NodeJS.Platform = process.platform): { file: string; args: string[]; windowsVerbatimArguments?: boolean } {
  if (platform === 'win32') {
    return { file: process.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', `"${text}"`], windowsVerbatimArguments: true };
  }
  const bash = BASH_CANDIDATES.find((candidate) => existsSync(candidate));
  return bash ? { file: bash, args: ['--noprofile', '--norc', '-c', text] } : { file: '/bin/sh', args: ['-c', text] };
}

export function runProcess(spec: ProcessSpec, options: RunOptions): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const collector = new OutputCollector();
    const live = new LiveOutput(collector, options.onOutput);
    const extra = (spec.inputs ?? []).map(() => 'pipe' as const);
    const windows = process.platform === 'win32';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(spec.file, [...spec.args], {
        cwd: spec.cwd,
        env: spec.env,
        // A process group of its own (POSIX), so everything it starts can be stopped together.
        detached: !windows,
        stdio: ['ignore', 'pipe', 'pipe', ...extra],
        windowsHide: true,
        ...(spec.windowsVerbatimArguments ? { windowsVerbatimArguments: true } : {}),
      });
    } catch (error) {
      live.dispose();
      resolve({ output: `Could not run the command: ${errorMessage(error)}`, timedOut: false, cancelled: false, error: String(error) });
      return;
    }
    (spec.inputs ?? []).forEach((input, index) => {
      const stream = child.stdio[3 + index] as Writable | null;
      stream?.on('error', () => undefined);
      stream?.end(input);
    });
    const append = (chunk: string): void => {
      collector.append(chunk);
      options.onData?.(chunk);
      live.changed();
    };
    child.stdout?.setEncoding('utf8').on('data', append);
    child.stderr?.setEncoding('utf8').on('data', append);

    let stopped: 'timeout' | 'cancel' | undefined;
    let finished = false;
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const signalGroup = (signal: NodeJS.Signals): void => {
      if (!child.pid) return;
      try {
        if (windows) spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
        else process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const stop = (reason: 'timeout' | 'cancel'): void => {
      if (stopped || finished) return;
      stopped = reason;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutSeconds * 1000);
    const cancel = options.token?.onCancellationRequested(() => stop('cancel'));
    if (options.token?.isCancellationRequested) stop('cancel');

    let drainTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (exitCode: number | undefined, error?: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      cancel?.dispose();
      live.dispose();
      // What it left behind (a background job holding the pipe) goes with it.
      if (!windows) signalGroup('SIGKILL');
      clearTimeout(killTimer);
      let output = cleanTerminalOutput(collector.text());
      if (error) output += `${output ? '\n' : ''}Could not run the command: ${error}`;
      if (stopped === 'timeout') output += `\n(Stopped after ${options.timeoutSeconds} s.)`;
      if (stopped === 'cancel') output += '\n(Stopped.)';
      resolve({
        ...(stopped || error ? {} : { exitCode }),
        output,
        timedOut: stopped === 'timeout',
        cancelled: stopped === 'cancel',
        ...(error ? { error } : {}),
      });
    };
    const codeOf = (code: number | null, signal: NodeJS.Signals | null): number | undefined => code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : undefined);
    child.on('error', (error) => finish(undefined, error.message));
    child.on('exit', (code, signal) => {
      drainTimer = setTimeout(() => finish(codeOf(code, signal)), DRAIN_MS);
    });
    child.on('close', (code, signal) => finish(codeOf(code, signal)));
  });
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return SIGNALS[signal];
}
