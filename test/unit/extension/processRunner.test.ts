import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CancelToken, type ProcessOutcome, runProcess, shellCommand } from '../../../src/extension/agent/processRunner';
import { commandEnvironment } from '../../../src/extension/agent/sandbox/env';

/** A token the test cancels. */
function cancellable(): { token: CancelToken; cancel(): void } {
  const listeners: Array<() => void> = [];
  let cancelled = false;
  return {
    token: {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested(listener) {
        listeners.push(listener);
        return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
      },
    },
    cancel() {
      cancelled = true;
      [...listeners].forEach((listener) => listener());
    },
  };
}

function run(command: string, options: { cwd?: string; timeoutSeconds?: number; token?: CancelToken; onData?: (chunk: string) => void } = {}): Promise<ProcessOutcome> {
  const shell = shellCommand(command);
  return runProcess(
    { ...shell, cwd: options.cwd ?? os.tmpdir(), env: commandEnvironment(process.env) },
    { timeoutSeconds: options.timeoutSeconds ?? 10, ...(options.token ? { token: options.token } : {}), ...(options.onData ? { onData: options.onData } : {}) },
  );
}

/** Whether a process with this id still runs (a zombie waiting for its reaper does not). */
async function alive(pid: number): Promise<boolean> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat !== undefined) return !/^\d+ \(.*\) Z/.test(stat);
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('agent commands as processes (bash -c, never typed into a shell)', function () {
  this.timeout(20_000);

  it('captures stdout and stderr and the exit code, and streams chunks as they come', async () => {
    const chunks: string[] = [];
    const result = await run('echo out; echo err 1>&2; exit 3', { onData: (chunk) => chunks.push(chunk) });
    assert.equal(result.exitCode, 3);
    assert.match(result.output, /out/);
    assert.match(result.output, /err/);
    assert.equal(result.timedOut, false);
    assert.match(chunks.join(''), /out[\s\S]*err|err[\s\S]*out/);
  });

  it('runs in the given folder with stdin closed (a command waiting for input ends at once)', async () => {
    const cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-runner-'));
    try {
      const result = await run('pwd; read line; echo "read=$? line=[$line]"', { cwd });
      assert.equal(result.exitCode, 0);
      assert.equal(result.output.split('\n')[0], await fs.realpath(cwd));
      assert.match(result.output, /read=1 line=\[\]/);
    } finally {
      await fs.rm(cwd, { recursive: true, force: true });
    }
  });

  it('passes the text as one argument: control characters are characters, not keys', async () => {
    // Every C0 control but NUL (which no argv can hold), each between two words: printf shows them as they are.
    for (let code = 1; code < 32; code++) {
      const char = String.fromCharCode(code);
      const result = await run(`printf '%s' 'a${char}b' | od -An -c`);
      assert.equal(result.exitCode, 0, `code ${code}: ${result.output}`);
      assert.doesNotMatch(result.output, /command not found/, `code ${code}`);
    }
    // Ctrl-A then a second command: with the text typed into a shell, Ctrl-A would move the cursor home and
    // Enter would run `rm …`; here bash sees one word `test\x01touch` and the rest is a comment.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-runner-'));
    try {
      const marker = path.join(dir, 'marker');
      const result = await run(`echo test\x01touch ${marker}; #`);
      assert.equal(result.exitCode, 0);
      await assert.rejects(fs.stat(marker));
      const withCr = await run(`echo one\rtouch ${marker}`);
      assert.equal(withCr.exitCode, 0);
      await assert.rejects(fs.stat(marker), 'a carriage return does not press Enter');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('stops a command at its timeout, with what it printed, and kills what it started', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-runner-'));
    try {
      const pidFile = path.join(dir, 'pid');
      const started = Date.now();
      const result = await run(`sleep 60 & echo $! > ${pidFile}; echo started; wait`, { timeoutSeconds: 1 });
      assert.equal(result.timedOut, true);
      assert.equal(result.exitCode, undefined);
      assert.match(result.output, /started[\s\S]*Stopped after 1 s/);
      assert.ok(Date.now() - started < 8_000);
      const child = Number((await fs.readFile(pidFile, 'utf8')).trim());
      assert.equal(await alive(child), false, 'the background child went with the group');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('a command that ignores SIGTERM is killed after the grace period', async () => {
    const result = await run("trap '' TERM; echo ready; sleep 60", { timeoutSeconds: 1 });
    assert.equal(result.timedOut, true);
    assert.match(result.output, /ready/);
  });

  it('stops on cancellation', async () => {
    const { token, cancel } = cancellable();
    setTimeout(cancel, 300);
    const result = await run('sleep 30', { timeoutSeconds: 60, token });
    assert.equal(result.cancelled, true);
    assert.match(result.output, /Stopped\./);
  });

  it('a background job that keeps the output open does not keep the command running', async () => {
    const started = Date.now();
    const result = await run('(sleep 30; echo late) & echo early', { timeoutSeconds: 20 });
    assert.equal(result.exitCode, 0);
    assert.match(result.output, /early/);
    assert.doesNotMatch(result.output, /late/);
    assert.ok(Date.now() - started < 10_000);
  });

  it('keeps the head and the tail of long output', async () => {
    const result = await run('i=0; while [ $i -lt 3000 ]; do echo "line $i of the output"; i=$((i+1)); done', { timeoutSeconds: 20 });
    assert.equal(result.exitCode, 0);
    assert.match(result.output, /^line 0 of/);
    assert.match(result.output, /line 2999 of the output\n$/);
    assert.match(result.output, /characters of output omitted/);
    assert.ok(result.output.length < 13_000);
  });

  it('reports a program that cannot start', async () => {
    const result = await runProcess({ file: '/nonexistent/program', args: [], cwd: os.tmpdir(), env: {} }, { timeoutSeconds: 5 });
    assert.equal(result.exitCode, undefined);
    assert.ok(result.error);
    assert.match(result.output, /Could not run the command/);
  });
});
