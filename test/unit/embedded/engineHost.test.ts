/**
 * The built-in model's engine in a process of its own (engineHost.ts, with
 * the real engine on tiny generated models): the process ends on unload and
 * on dispose, and with the service however it ends; a crash (killed mid-answer,
 * an abort inside llama.cpp on a malformed file) fails the request in flight
 * plainly, the status says it, and the next request starts a new process;
 * prompts are assembled with the model's own counts from that process.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ChatMessage, ContextItem } from '../../../src/shared/protocol';
import { assemblePrompt } from '../../../src/server/prompt/assemble';
import { EngineHost, type EngineHostOptions } from '../../../src/server/providers/embedded/engineHost';
import { EmbeddedModelError } from '../../../src/server/providers/embedded/errors';
import { CancelledError } from '../../../src/server/providers/streamErrors';
import { alive, ModelFolder, REPO_ROOT, requireEngine } from '../../support/embeddedEngine';

const USER = [{ role: 'user' as const, content: 'Write a function that adds two numbers.' }];

function exited(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe("the built-in model's engine in a process of its own", function () {
  this.timeout(120_000);
  const models = new ModelFolder();
  const hosts: EngineHost[] = [];
  let modelPath = '';
  let processes: ChildProcess[] = [];
  let lines: string[] = [];
  let statusChanges = 0;
  const start = (extra: Partial<EngineHostOptions> = {}): EngineHost => {
    const host = new EngineHost({
      env: {},
      engineFrom: REPO_ROOT,
      threads: 1,
      gpu: false,
      seed: 3,
      maxAnswerTokens: 24,
      log: (level, message) => lines.push(`${level}: ${message}`),
      onProcess: (child) => processes.push(child),
      onStatusChange: () => statusChanges++,
      ...extra,
    });
    host.configure({ modelPath, idleUnloadMinutes: 0 });
    hosts.push(host);
    return host;
  };

  before(function () {
    requireEngine(this);
    modelPath = models.write('tiny-host.gguf');
  });
  beforeEach(() => {
    processes = [];
    lines = [];
    statusChanges = 0;
  });
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.dispose();
  });
  after(() => models.dispose());

  it('answers from a process of its own that unload and dispose end (its id gone); the next request starts another', async () => {
    const host = start();
    assert.equal(host.pid, undefined, 'no process before the first request');
    const pieces: string[] = [];
    const answer = await host.chat(USER, new AbortController().signal, (text) => pieces.push(text));
    assert.ok(answer.usage.completionTokens > 0 && pieces.length > 0);
    const first = host.pid;
    assert.ok(first !== undefined && first !== process.pid && alive(first));
    assert.equal(host.info?.name, 'tiny-host');
    await host.unload();
    assert.ok(!alive(first), 'unload ended the process');
    assert.equal(host.pid, undefined);
    assert.equal(host.info, undefined);
    await host.complete({ kind: 'completions', prompt: 'const a = ', suffix: ';\n', maxTokens: 4 }, new AbortController().signal, 20_000);
    const second = host.pid;
    assert.ok(second !== undefined && second !== first && alive(second));
    await host.dispose();
    assert.ok(!alive(second), 'dispose ended the process');
    await assert.rejects(host.chat(USER, new AbortController().signal, () => undefined), CancelledError);
    assert.equal(processes.length, 2);
  });

  it('killed mid-answer: the answer fails with the reason, the status says it, and the next request answers from a new process', async () => {
    const host = start({ maxAnswerTokens: 2_000 });
    await host.chat(USER, new AbortController().signal, () => undefined);
    const victim = host.pid;
    let pieces = 0;
    const error = await host
      .chat(USER, new AbortController().signal, () => {
        pieces += 1;
        if (pieces === 2 && victim) process.kill(victim, 'SIGKILL');
      })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof EmbeddedModelError && error.failure === 'engineStopped', String(error));
    assert.match(error.message, /^The built-in model's engine stopped running tiny-host \(signal SIGKILL\).*\. The next request starts it again\.$/);
    const check = await host.check();
    assert.deepEqual(check, { ok: false, name: 'tiny-host', problem: error.message });
    assert.equal(statusChanges, 1, 'the status was announced again');
    const next = await host.chat(USER, new AbortController().signal, () => undefined);
    assert.ok(next.usage.completionTokens > 0);
    assert.ok(host.pid !== undefined && host.pid !== victim);
    assert.equal((await host.check())?.ok, true, 'a new process that loads clears the failure');
    assert.equal(statusChanges, 2);
  });

  it('an engine process that dies while loading (a native abort): the load fails with the reason, the status says it, and the next request loads in a new one', async () => {
    // What llama.cpp's assertions do to the process that loads a hostile file (the files the tests can write are refused before llama.cpp sees them).
    let aborted: ChildProcess | undefined;
    const host = start({
      onProcess: (child) => {
        processes.push(child);
        if (!aborted) {
          aborted = child;
          child.kill('SIGABRT');
        }
      },
    });
    const error = await host.chat(USER, new AbortController().signal, () => undefined).catch((caught: unknown) => caught);
    assert.ok(error instanceof EmbeddedModelError && error.failure === 'engineStopped', String(error));
    assert.match(error.message, /^The built-in model's engine stopped running tiny-host \(signal SIGABRT\)/);
    await exited(aborted);
    assert.equal(host.pid, undefined, 'no engine process is left');
    assert.deepEqual(await host.check(), { ok: false, name: 'tiny-host', problem: error.message });
    const next = await host.chat(USER, new AbortController().signal, () => undefined);
    assert.ok(next.usage.completionTokens > 0);
    assert.equal(processes.length, 2);
    assert.equal((await host.check())?.ok, true);
  });

  it('cancellation reaches the process at once: the answer ends as cancelled, the process stays and answers the next', async () => {
    const host = start({ maxAnswerTokens: 2_000 });
    await host.chat(USER, new AbortController().signal, () => undefined);
    const pid = host.pid;
    for (const stopAfter of [1, 4]) {
      const controller = new AbortController();
      let pieces = 0;
      await assert.rejects(
        host.chat(USER, controller.signal, () => {
          pieces += 1;
          if (pieces === stopAfter) controller.abort();
        }),
        CancelledError,
      );
      assert.equal(pieces, stopAfter, 'nothing after the stop reached the caller');
    }
    assert.equal(host.pid, pid);
    assert.ok((await host.chat(USER, new AbortController().signal, () => undefined)).usage.completionTokens > 0);
  });

  it('assembles oversize prompts with the model’s own counts (from its process), and they fit', async () => {
    const host = start({ maxAnswerTokens: 8 });
    host.configure({ modelPath: models.write('tiny-768.gguf', { contextLength: 768 }), idleUnloadMinutes: 0 });
    const budget = await host.promptBudget();
    const sample = 'const value = await fetch(url); // é ✓';
    const bound = budget.count(sample);
    const exact = await budget.exactly((count) => count(sample));
    assert.ok(exact > 0 && exact <= bound, `exact ${exact}, bound ${bound}`);
    assert.equal(budget.count(sample), exact, 'a text counted once is counted exactly from then on');
    for (let size = 1; size <= 4; size++) {
      const context: ContextItem[] = Array.from({ length: size * 5 }, (_, i) => ({ kind: 'file', path: `src/f${i}.ts`, languageId: 'typescript', text: `export const v${i} = ${i};\n`.repeat(40 * size) }));
      const messages: ChatMessage[] = [
        ...Array.from({ length: size * 4 }, (_, i) => [
          { role: 'user' as const, content: `question ${i} `.repeat(20) },
          { role: 'assistant' as const, content: `answer ${i} `.repeat(30) },
        ]).flat(),
        { role: 'user', content: 'Sum them.' },
      ];
      const prompt = await budget.exactly((count) => assemblePrompt(messages, context, budget.tokens, count, budget.messageOverhead));
      assert.ok(prompt.estimatedTokens <= budget.tokens, `${prompt.estimatedTokens} of ${budget.tokens}`);
      const answer = await host.chat(prompt.messages, new AbortController().signal, () => undefined);
      assert.ok(answer.usage.totalTokens <= 768, JSON.stringify(answer.usage));
    }
  });

  it('finds the engine from its process as the service would: TANDEM_EMBEDDED_ENGINE passes to it, and a missing engine is said plainly', async () => {
    // Looked up from a folder with no Tandem above it: only the variable can lead to the engine.
    const nowhere = models.dir;
    const found = start({ env: { TANDEM_EMBEDDED_ENGINE: path.join(REPO_ROOT, 'scripts', 'engine', 'node_modules') }, engineFrom: nowhere });
    assert.ok((await found.chat(USER, new AbortController().signal, () => undefined)).usage.completionTokens > 0);
    const missing = start({ env: {}, engineFrom: nowhere });
    await assert.rejects(missing.chat(USER, new AbortController().signal, () => undefined), (error: unknown) => error instanceof EmbeddedModelError && error.failure === 'engineMissing' && /is not installed for/.test(error.message));
    assert.equal(missing.pid, undefined, 'no process is left');
  });

  it('ends with the service however it ends (killed, no handler of its runs): no engine process is left behind', async () => {
    const service = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/support/engineHostService.ts'), modelPath], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    service.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: service.stdout }).once('line', resolve);
      service.once('exit', () => reject(new Error(`the service ended first: ${stderr}`)));
    });
    const engine = (JSON.parse(line) as { engine?: number }).engine;
    assert.ok(engine !== undefined && alive(engine));
    service.kill('SIGKILL');
    await exited(service);
    // No event tells when a process that is not ours ends: its id is polled, for ten seconds at most.
    const deadline = Date.now() + 10_000;
    while (alive(engine) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(!alive(engine), 'the engine process outlived the service');
  });
});
