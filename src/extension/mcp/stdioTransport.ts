/**
 * The stdio transport of a local MCP server, started from a ready process
 * spec (plain or wrapped in the OS sandbox: the sandbox's seccomp filter is
 * an extra input pipe, which the SDK's own stdio transport cannot pass).
 * Stricter than the SDK's: a line that is not a JSON-RPC message, or one
 * larger than MAX_LINE_BYTES, ends the connection with a clear error, so a
 * pending call fails at once instead of waiting for its timeout. The last
 * lines of stderr are kept for the MCP Servers view. No `vscode`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface ServerProcessSpec {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** Written to pipes 3, 4… (the sandbox's seccomp filter). */
  inputs?: readonly Buffer[];
}

/** One message (a result with a large file, say) may not exceed this. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;
/** Lines of stderr kept. */
const STDERR_LINES = 40;

export class StdioProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private buffer = '';
  private readonly stderrLines: string[] = [];
  private stderrPartial = '';
  private closed = false;
  /** Why the connection ended (exit code, malformed output), for the view and the step error. */
  private endReason: string | undefined;

  constructor(private readonly spec: ServerProcessSpec) {}

  /** The last lines the server wrote to stderr. */
  get stderr(): string[] {
    return this.stderrPartial ? [...this.stderrLines, this.stderrPartial] : [...this.stderrLines];
  }

  get reason(): string | undefined {
    return this.endReason;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const extra = (this.spec.inputs ?? []).map(() => 'pipe' as const);
      let child: ChildProcess;
      try {
        child = spawn(this.spec.file, [...this.spec.args], {
          cwd: this.spec.cwd,
          env: { ...this.spec.env },
          stdio: ['pipe', 'pipe', 'pipe', ...extra],
          // Its own process group, so whatever the server starts is stopped with it.
          detached: process.platform !== 'win32',
          windowsHide: true,
          shell: false,
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      this.child = child;
      (this.spec.inputs ?? []).forEach((input, index) => {
        const stream = child.stdio[3 + index] as Writable | null;
        stream?.on('error', () => undefined);
        stream?.end(input);
      });
      child.once('error', (error) => {
        this.end(`could not start: ${error.message}`);
        reject(error);
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => this.end(signal ? `exited (signal ${signal})` : `exited with code ${code ?? '?'}`));
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => this.read(chunk));
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => this.readStderr(chunk));
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (this.closed || !stdin || stdin.destroyed) throw new Error(`the server is not running${this.endReason ? ` (${this.endReason})` : ''}`);
    await new Promise<void>((resolve, reject) => {
      stdin.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    this.kill();
    this.end(this.endReason ?? 'stopped');
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const newline = this.buffer.indexOf('\n');
      if (newline < 0) break;
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      if (line.trim() === '') continue;
      if (!this.parse(line)) return;
    }
    if (this.buffer.length > MAX_LINE_BYTES) this.fail(`wrote a message larger than ${MAX_LINE_BYTES / 1024 / 1024} MB`);
  }

  /** False once the connection ended over this line. */
  private parse(line: string): boolean {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.fail(`wrote something that is not JSON on stdout: ${JSON.stringify(line.slice(0, 120))}`);
      return false;
    }
    const message = JSONRPCMessageSchema.safeParse(value);
    if (!message.success) {
      this.fail(`wrote a message that is not JSON-RPC: ${JSON.stringify(line.slice(0, 120))}`);
      return false;
    }
    this.onmessage?.(message.data);
    return true;
  }

  private readStderr(chunk: string): void {
    const lines = (this.stderrPartial + chunk).split('\n');
    this.stderrPartial = (lines.pop() ?? '').slice(-2_000);
    for (const line of lines) {
      if (line.trim() === '') continue;
      this.stderrLines.push(line.slice(0, 2_000));
      if (this.stderrLines.length > STDERR_LINES) this.stderrLines.shift();
    }
  }

  private fail(reason: string): void {
    this.endReason = reason;
    this.onerror?.(new Error(reason));
    this.kill();
    this.end(reason);
  }

  private kill(): void {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill();
      else process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }

  private end(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.endReason ??= reason;
    this.onclose?.();
  }
}
