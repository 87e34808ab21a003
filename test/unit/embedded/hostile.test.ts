/**
 * The service against an engine process that misbehaves (a stand-in:
 * test/support/fakeEngineHost.ts): every malformed or hostile message ends
 * that process and fails the request plainly, never reaches the caller and
 * never leaves a request waiting; a process that exits at load, or ignores a
 * stop, is replaced on the next request; and the process is given none of
 * the service's secrets.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EngineHost, type EngineHostOptions } from '../../../src/server/providers/embedded/engineHost';
import { EmbeddedModelError } from '../../../src/server/providers/embedded/errors';
import { hostEnv } from '../../../src/server/providers/embedded/hostEnv';
import { isFromHost } from '../../../src/server/providers/embedded/hostMessages';
import { CancelledError, InactivityTimeoutError } from '../../../src/server/providers/streamErrors';
import { alive } from '../../support/embeddedEngine';
import { decode, FAKE_INFO, fakeHost, type FakeHostBehaviour } from '../../support/fakeEngineHost';

const USAGE = { promptTokens: 3, completionTokens: 2, totalTokens: 5 };
const USER = [{ role: 'user' as const, content: 'hi' }];

/** When a process has ended (at once if it has). */
function exited(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Messages an engine process must not be believed: wrong shapes, wrong types, out-of-range numbers, values of other classes. */
function hostileAnswers(): Array<[string, unknown]> {
  const done = { kind: 'done', id: '$ID', result: { finishReason: 'stop', usage: USAGE } };
  const cases: Array<[string, unknown]> = [
    ['a string', 'done'],
    ['a number', 42],
    ['null', null],
    ['an array', [done]],
    ['a Map', { $map: [['kind', 'done']] }],
    ['no kind', { id: '$ID', result: done.result }],
    ['an unknown kind', { ...done, kind: 'evaluate' }],
    ['an id it was not given', { ...done, id: 9_999 }],
    ['an id as a string', { ...done, id: '1' }],
    ['a negative id', { ...done, id: -1 }],
    ['an id as a BigInt', { ...done, id: '$BIGINT:1' }],
    ['a finish reason outside the vocabulary', { ...done, result: { ...done.result, finishReason: 'pwned' } }],
    ['usage that does not add up', { ...done, result: { ...done.result, usage: { ...USAGE, totalTokens: 99 } } }],
    ['negative token counts', { ...done, result: { ...done.result, usage: { promptTokens: -3, completionTokens: 2, totalTokens: -1 } } }],
    ['fractional token counts', { ...done, result: { ...done.result, usage: { promptTokens: 1.5, completionTokens: 1.5, totalTokens: 3 } } }],
    ['tool calls that are not a list', { ...done, result: { ...done.result, toolCalls: { name: 'rm' } } }],
    ['a tool call without arguments', { ...done, result: { ...done.result, toolCalls: [{ id: 'a', name: 'rm' }] } }],
    ['text that is not a string', { kind: 'text', id: '$ID', text: { toString: 'x' } }],
    ['empty streamed text', { kind: 'text', id: '$ID', text: '' }],
    ['a streamed piece over the limit', { kind: 'text', id: '$ID', text: '$REPEAT:1000001:x' }],
    ['a failure of an unknown kind', { kind: 'failed', id: '$ID', failure: 'rootkit', message: 'x' }],
    ['a log line of an unknown level', { kind: 'log', level: 'shell', message: 'x' }],
    ['a budget where an answer was asked', { kind: 'budget', id: '$ID', tokens: 10, messageOverhead: 1 }],
    ['a second load answer', { kind: 'loaded', id: '$ID', info: FAKE_INFO }],
  ];
  // Every field of a valid answer dropped in turn.
  for (const key of Object.keys(done)) {
    const copy: Record<string, unknown> = { ...done };
    delete copy[key];
    cases.push([`an answer without ${key}`, copy]);
  }
  return cases;
}

describe("the built-in model's engine process is not trusted", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-fake-host-'));
  const hosts: EngineHost[] = [];
  let last: ChildProcess | undefined;
  const start = (behaviour: FakeHostBehaviour, extra: Partial<EngineHostOptions> = {}): { host: EngineHost; lines: string[]; statusChanges: () => number } => {
    const lines: string[] = [];
    let changes = 0;
    const host = new EngineHost({
      onProcess: (child) => (last = child),
      env: {},
      threads: 1,
      gpu: false,
      script: fakeHost(dir, behaviour),
      log: (level, message) => lines.push(`${level}: ${message}`),
      onStatusChange: () => changes++,
      ...extra,
    });
    host.configure({ modelPath: path.join(dir, 'model.gguf'), idleUnloadMinutes: 0 });
    hosts.push(host);
    return { host, lines, statusChanges: () => changes };
  };
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.dispose();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers through the stand-in when it behaves (the cases below differ only in what it sends)', async () => {
    const { host } = start({});
    const pieces: string[] = [];
    const result = await host.chat(USER, new AbortController().signal, (text) => pieces.push(text));
    assert.deepEqual({ ...result, pieces }, { finishReason: 'stop', usage: USAGE, status: 200, pieces: ['hello'] });
    assert.ok(alive(host.pid));
  });

  for (const [name, message] of hostileAnswers()) {
    it(`ends the process and fails the chat plainly on ${name}`, async () => {
      const { host, lines } = start({ onChat: [message] });
      const pieces: string[] = [];
      const loadedPid = await host.promptBudget().then(() => host.pid);
      const error = await host.chat(USER, new AbortController().signal, (text) => pieces.push(text)).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof EmbeddedModelError && error.failure === 'engineStopped', `${name}: ${String(error)}`);
      assert.match(error.message, /^The built-in model's engine stopped running model \(it .+\)\. The next request starts it again\.$/);
      assert.deepEqual(pieces, [], 'nothing of it reached the caller');
      await exited(last);
      assert.equal(last?.pid, loadedPid);
      assert.equal(last?.signalCode, 'SIGKILL', 'the process was killed');
      assert.ok(!alive(loadedPid));
      assert.ok(lines.some((line) => line.startsWith("error: The built-in model's engine process was ended")));
      const check = await host.check();
      assert.equal(check?.ok, false);
    });
  }

  it('fails a load answered with anything but a valid model description, and leaves no process', async () => {
    const infos: unknown[] = [
      { ...FAKE_INFO, contextSize: 0 },
      { ...FAKE_INFO, contextSize: 2 ** 40 },
      { ...FAKE_INFO, name: 'x'.repeat(5_000) },
      { ...FAKE_INFO, gpu: true },
      { ...FAKE_INFO, loadMs: Number.NaN },
      { ...FAKE_INFO, fim: 'yes' },
    ];
    for (const info of infos) {
      const { host } = start({ onLoad: [{ kind: 'loaded', id: '$ID', info }] });
      const error = await host.chat(USER, new AbortController().signal, () => undefined).catch((caught: unknown) => caught);
      assert.ok(error instanceof EmbeddedModelError && error.failure === 'engineStopped', String(error));
      await exited(last);
      assert.ok(!alive(last?.pid), JSON.stringify(info));
      assert.equal(host.pid, undefined);
    }
  });

  it('a process that exits at load: the error quotes its exit and last line, the status says it, and the next request starts a new one', async () => {
    const { host, statusChanges } = start({ exitOnLoad: 134 });
    const error = await host.chat(USER, new AbortController().signal, () => undefined).catch((caught: unknown) => caught);
    assert.ok(error instanceof EmbeddedModelError && error.failure === 'engineStopped', String(error));
    assert.match(error.message, /^The built-in model's engine stopped running model \(exit code 134\); its last log line: GGML_ASSERT\(fake\) failed: a fake assertion\. The next request starts it again\.$/);
    const check = await host.check();
    assert.deepEqual(check, { ok: false, name: 'model', problem: error.message });
    assert.ok(statusChanges() >= 1, 'the status is announced again');
    // Still failing: every request starts a new process, and fails the same way (never a hang).
    const again = await host.chat(USER, new AbortController().signal, () => undefined).catch((caught: unknown) => caught);
    assert.ok(again instanceof EmbeddedModelError && again.failure === 'engineStopped');
  });

  it('kills a process that does not stop when cancelled; the request ends as cancelled and the next one gets a new process', async () => {
    const { host, lines } = start({ endless: true, ignoreCancel: true }, { stopWaitMs: 200 });
    const controller = new AbortController();
    let firstPid: number | undefined;
    let stuck: ChildProcess | undefined;
    const running = host.chat(USER, controller.signal, () => {
      if (firstPid === undefined) {
        firstPid = host.pid;
        stuck = last;
        controller.abort();
      }
    });
    await assert.rejects(running, CancelledError);
    await exited(stuck);
    assert.ok(firstPid !== undefined && !alive(firstPid), 'the stuck process is gone');
    assert.ok(lines.some((line) => /did not stop within 200 ms/.test(line)), lines.join('\n'));
    const next = await host.complete({ kind: 'completions', prompt: 'a', maxTokens: 4 }, new AbortController().signal, 5_000);
    assert.equal(next.text, 'x');
    assert.notEqual(host.pid, firstPid);
  });

  it('times out a suggestion the process never answers (stuck, deaf to stops): it is killed and the suggestion ends as a timeout', async () => {
    const { host } = start({ stuckComplete: true, ignoreCancel: true }, { stopWaitMs: 100 });
    await host.promptBudget();
    const stuck = last;
    await assert.rejects(host.complete({ kind: 'completions', prompt: 'a', maxTokens: 4 }, new AbortController().signal, 150), InactivityTimeoutError);
    await exited(stuck);
    assert.equal(stuck?.signalCode, 'SIGKILL');
    assert.equal(host.pid, undefined);
  });

  it('a process that stops when cancelled stays: the next request uses it', async () => {
    const { host } = start({ endless: true });
    const controller = new AbortController();
    let pid: number | undefined;
    await assert.rejects(
      host.chat(USER, controller.signal, () => {
        pid ??= host.pid;
        controller.abort();
      }),
      CancelledError,
    );
    assert.ok(alive(pid));
    assert.equal(host.pid, pid);
  });

  it('gives the process none of the service’s secrets (only the allow-list passes)', async () => {
    const secrets: NodeJS.ProcessEnv = {
      OPENAI_API_KEY: 'sk-openai-secret',
      TANDEM_API_KEY: 'tandem-secret',
      TANDEM_AUDIT_DIR: '/secret/audit',
      TANDEM_OTLP_HEADERS: 'authorization=secret',
      ANTHROPIC_API_KEY: 'sk-ant-secret',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      GITHUB_TOKEN: 'ghp_secret',
      GGML_AUTH_TOKEN: 'ggml-secret',
      CUDA_API_KEY: 'cuda-secret',
      NODE_OPTIONS: '--require /tmp/evil.js',
      HTTPS_PROXY: 'http://user:secret@proxy',
      SOME_NEW_PASSWORD_NAME: 'hunter2-secret',
    };
    const lines: string[] = [];
    const { host } = start({ reportEnv: true }, { env: { ...secrets, PATH: process.env.PATH, TANDEM_EMBEDDED_THREADS: '1', GGML_VK_VISIBLE_DEVICES: '0' }, log: (_level, message) => lines.push(message) });
    await host.chat(USER, new AbortController().signal, () => undefined);
    const reported = lines.find((line) => line.startsWith('env '));
    assert.ok(reported, lines.join('\n'));
    const env = JSON.parse(reported.slice(4)) as Record<string, string>;
    for (const [name, value] of Object.entries(secrets)) {
      assert.equal(env[name], undefined, `${name} reached the engine process`);
      assert.ok(!reported.includes(value ?? '\u0000'), `the value of ${name} reached the engine process`);
    }
    assert.equal(env.TANDEM_EMBEDDED_THREADS, '1');
    assert.equal(env.GGML_VK_VISIBLE_DEVICES, '0');
  });

  it('hostEnv keeps only allowed names, whatever else is set (generated names)', () => {
    const env: NodeJS.ProcessEnv = {};
    const stems = ['KEY', 'TOKEN', 'SECRET', 'PASSWORD', 'AUTH', 'CREDENTIALS', 'URL', 'MODEL', 'HEADERS', 'DIR'];
    for (const prefix of ['', 'TANDEM_', 'OPENAI_', 'GGML_', 'CUDA_', 'NODE_LLAMA_CPP_', 'VK_', 'X_']) for (const stem of stems) env[`${prefix}${stem}`] = `value-of-${prefix}${stem}`;
    const kept = hostEnv({ ...env, PATH: '/bin', HOME: '/home/u' });
    for (const name of Object.keys(kept)) {
      assert.ok(!/KEY|TOKEN|SECRET|PASSWORD|AUTH|CREDENTIAL/.test(name), `${name} kept`);
      assert.ok(!name.startsWith('TANDEM_') || name.startsWith('TANDEM_EMBEDDED_'), `${name} kept`);
      assert.ok(!name.startsWith('OPENAI_') && !name.startsWith('X_'), `${name} kept`);
    }
    assert.equal(kept.PATH, '/bin');
    assert.equal(kept.GGML_MODEL, 'value-of-GGML_MODEL');
  });

  it('hostEnv keeps ELECTRON_RUN_AS_NODE: in desktop VS Code the engine process is forked on the Electron binary the service runs on', () => {
    assert.equal(hostEnv({ ELECTRON_RUN_AS_NODE: '1', PATH: '/bin' }).ELECTRON_RUN_AS_NODE, '1');
  });

  it('the process’s stdout is not connected to anything (what it writes there never reaches the service’s LSP stream)', async () => {
    const { host } = start({ writeStdout: true });
    await host.chat(USER, new AbortController().signal, () => undefined);
    assert.ok(last);
    assert.equal(last.stdout, null);
  });

  it('accepts exactly the well-formed messages (the validator, on generated valid ones)', () => {
    const valid: unknown[] = [
      { kind: 'log', level: 'warn', message: 'llama.cpp: x' },
      { kind: 'loaded', id: 1, info: FAKE_INFO },
      { kind: 'text', id: 2, text: 'x' },
      { kind: 'done', id: 3, result: { finishReason: 'tool_calls', usage: USAGE, text: '', toolCalls: [{ id: 'a', name: 'read_file', arguments: '{}' }] } },
      { kind: 'budget', id: 4, tokens: 100, messageOverhead: 3 },
      { kind: 'counts', id: 5, counts: [0, 1, 2] },
      { kind: 'failed', id: 6, failure: 'timeout', message: 'slow', timeoutSeconds: 5 },
    ];
    for (const message of valid) assert.ok(isFromHost(message), JSON.stringify(message));
    for (const [name, message] of hostileAnswers()) {
      // Those only wrong in context (an id not asked, a kind not expected) are the host's to refuse; the rest the validator's.
      if (/id it was not given|budget where|second load/.test(name)) continue;
      assert.ok(!isFromHost(decode(message, 1)), name);
    }
  });
});
