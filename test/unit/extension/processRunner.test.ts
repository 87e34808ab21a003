import assert from 'node:assert/strict';
import os from 'node:os';
import { runWithChildProcess, type CancelToken } from '../../../src/extension/agent/processRunner';

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

describe('agent commands without a terminal (child_process fallback)', function () {
  this.timeout(20_000);
  const cwd = os.tmpdir();

  it('captures stdout and stderr and the exit code', async () => {
    const result = await runWithChildProcess("echo out; echo err 1>&2; exit 3", cwd, 10);
    assert.equal(result.exitCode, 3);
    assert.match(result.output, /out/);
    assert.match(result.output, /err/);
    assert.equal(result.timedOut, false);
    assert.equal(result.fallback, true);
  });

  it('stops a command at its timeout, with what it printed', async () => {
    const started = Date.now();
    const result = await runWithChildProcess('echo started; sleep 30', cwd, 1);
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, undefined);
    assert.match(result.output, /started[\s\S]*Stopped after 1 s/);
    assert.ok(Date.now() - started < 8_000);
  });

  it('stops on cancellation', async () => {
    const { token, cancel } = cancellable();
    setTimeout(cancel, 300);
    const result = await runWithChildProcess('sleep 30', cwd, 60, token);
    assert.equal(result.cancelled, true);
    assert.match(result.output, /Stopped\./);
  });

  it('keeps the head and the tail of long output, in the fallback too', async () => {
    const result = await runWithChildProcess("i=0; while [ $i -lt 3000 ]; do echo \"line $i of the output\"; i=$((i+1)); done", cwd, 20);
    assert.equal(result.exitCode, 0);
    assert.match(result.output, /^line 0 of/);
    assert.match(result.output, /line 2999 of the output\n$/);
    assert.match(result.output, /characters of output omitted/);
    assert.ok(result.output.length < 13_000);
  });
});
