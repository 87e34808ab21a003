import assert from 'node:assert/strict';
import { stopEngine } from '../../../src/server/providers/embedded/engine';
import { EmbeddedModelError } from '../../../src/server/providers/embedded/errors';
import { EngineHost } from '../../../src/server/providers/embedded/engineHost';
import { EmbeddedRuntime, type EmbeddedRuntimeOptions, type IdleTimers, type LoadedInfo } from '../../../src/server/providers/embedded/runtime';
import { CancelledError } from '../../../src/server/providers/streamErrors';
import { ModelFolder, REPO_ROOT, requireEngine } from '../../support/embeddedEngine';
import { CHATML_TEMPLATE } from '../../support/tinyGguf';

/** Timers the test fires by hand. */
class ManualTimers implements IdleTimers {
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  private next = 0;
  setTimeout(callback: () => void, ms: number): unknown {
    this.pending.set(++this.next, { callback, ms });
    return this.next;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const timer of due) timer.callback();
  }
}

const USER = [{ role: 'user' as const, content: 'Write a function that adds two numbers.' }];

/** The same behaviour in the service's process (the runtime) and through the engine's own process (what the service runs). */
const WAYS: Array<[string, (options: EmbeddedRuntimeOptions) => EmbeddedRuntime | EngineHost]> = [
  ['in this process', (options) => new EmbeddedRuntime(options)],
  ['through its engine process', (options) => new EngineHost(options)],
];

for (const [way, make] of WAYS) {
  describe(`the built-in model (node-llama-cpp on a tiny generated GGUF), ${way}`, function () {
    this.timeout(60_000);
    const models = new ModelFolder();
    let modelPath = '';
    let noFimPath = '';
    const lines: string[] = [];
    let timers: ManualTimers;
    let runtime: EmbeddedRuntime | EngineHost;
    // A call, not a property: TypeScript would keep an earlier check's narrowing across the awaits.
    const loaded = (): LoadedInfo | undefined => runtime.info;

    before(function () {
      requireEngine(this);
      modelPath = models.write('tiny-chatml.gguf');
      noFimPath = models.write('tiny-nofim.gguf', { fim: false, seed: 2 });
    });
    beforeEach(() => {
      lines.length = 0;
      timers = new ManualTimers();
      runtime = make({ env: {}, engineFrom: REPO_ROOT, threads: 1, gpu: false, timers, maxAnswerTokens: 24, seed: 7, log: (level, message) => lines.push(`${level}: ${message}`) });
      runtime.configure({ modelPath, idleUnloadMinutes: 10 });
    });
    afterEach(async () => runtime.dispose());
    after(async () => {
      await stopEngine();
      models.dispose();
    });

    it('loads on first use and streams a chat answer in pieces, with token counts', async () => {
      assert.ok(loaded() === undefined, 'nothing is loaded before the first request');
      const pieces: string[] = [];
      const result = await runtime.chat(USER, new AbortController().signal, (text) => pieces.push(text));
      assert.ok(pieces.length > 1, `the answer arrived in ${pieces.length} piece(s)`);
      assert.equal(result.finishReason === 'length' || result.finishReason === 'stop', true);
      assert.ok(result.usage.completionTokens > 0 && result.usage.completionTokens <= 24);
      assert.ok(result.usage.promptTokens > 10, 'the prompt (ChatML around the message) is counted');
      assert.equal(loaded()?.name, 'tiny-chatml');
      assert.equal(loaded()?.chatTemplate, 'ChatML');
      assert.equal(loaded()?.fim, true);
      assert.equal(loaded()?.threads, 1);
      assert.ok(lines.some((line) => /Built-in model tiny-chatml loaded/.test(line)));
      assert.ok(!lines.some((line) => line.startsWith('error')), lines.join('\n'));
    });

    it('fills in the middle with the model’s FIM tokens, and continues the prefix of a model without them', async () => {
      const body = { kind: 'completions' as const, prompt: 'function add(a, b) {\n  return ', suffix: '\n}\n', stop: ['\n\n'], maxTokens: 8 };
      const fim = await runtime.complete(body, new AbortController().signal, 20_000);
      assert.equal(loaded()?.fim, true);
      assert.ok(fim.usage.completionTokens > 0 && fim.usage.completionTokens <= 8);
      runtime.configure({ modelPath: noFimPath, idleUnloadMinutes: 10 });
      const plain = await runtime.complete(body, new AbortController().signal, 20_000);
      assert.equal(loaded()?.fim, false);
      assert.ok(plain.usage.completionTokens > 0 && plain.usage.completionTokens <= 8);
    });

    it('stops at the next token when cancelled mid-answer, and answers the next request', async () => {
      // Long answers: through the engine process, tokens that come a millisecond apart arrive joined (hostProcess.ts, TextStream).
      await runtime.dispose();
      runtime = make({ env: {}, engineFrom: REPO_ROOT, threads: 1, gpu: false, timers, maxAnswerTokens: 2_000, seed: 7 });
      runtime.configure({ modelPath, idleUnloadMinutes: 10 });
      for (const stopAfter of [1, 3, 6]) {
        const controller = new AbortController();
        let pieces = 0;
        const cancelled = runtime.chat(USER, controller.signal, () => {
          pieces += 1;
          if (pieces === stopAfter) controller.abort();
        });
        await assert.rejects(cancelled, CancelledError);
        assert.ok(pieces <= stopAfter + 1, `${pieces} pieces arrived after a stop at ${stopAfter}`);
      }
      const before = new AbortController();
      before.abort();
      await assert.rejects(runtime.chat(USER, before.signal, () => undefined), CancelledError);
      const next = await runtime.chat(USER, new AbortController().signal, () => undefined);
      assert.ok(next.usage.completionTokens > 0);
    });

    it('unloads after the idle time and loads again on the next request', async () => {
      await runtime.chat(USER, new AbortController().signal, () => undefined);
      const armed = [...timers.pending.values()];
      assert.deepEqual(
        armed.map((timer) => timer.ms),
        [10 * 60_000],
        'one idle timer, of tandem.embedded.idleUnloadMinutes',
      );
      timers.fireAll();
      await waitFor(() => lines.some((line) => /unloaded/.test(line)));
      assert.ok(loaded() === undefined);
      await runtime.chat(USER, new AbortController().signal, () => undefined);
      assert.equal(loaded()?.name, 'tiny-chatml');
      assert.equal(lines.filter((line) => /loaded in/.test(line)).length, 2);
    });

    it('keeps the model loaded with idleUnloadMinutes 0, and a request in flight holds off the unload', async () => {
      runtime.configure({ modelPath, idleUnloadMinutes: 0 });
      await runtime.chat(USER, new AbortController().signal, () => undefined);
      assert.equal(timers.pending.size, 0);
      runtime.configure({ modelPath, idleUnloadMinutes: 1 });
      assert.equal(timers.pending.size, 1);
    });

    it('gives answers priority: a running suggestion stops for a chat, and a suggestion asked during a chat is dropped', async () => {
      await runtime.chat(USER, new AbortController().signal, () => undefined);
      const long = { kind: 'completions' as const, prompt: 'x = ', suffix: '', stop: [], maxTokens: 400 };
      const suggestion = runtime.complete(long, new AbortController().signal, 20_000);
      const chat = runtime.chat(USER, new AbortController().signal, () => undefined);
      await assert.rejects(suggestion, CancelledError);
      let during: Promise<unknown> | undefined;
      const answered = runtime.chat(USER, new AbortController().signal, () => {
        // Settled into a value at once: it is dropped before the chat ends.
        during ??= runtime.complete(long, new AbortController().signal, 20_000).then(
          () => 'answered',
          (error: unknown) => error,
        );
      });
      assert.ok((await chat).usage.completionTokens > 0);
      assert.ok((await answered).usage.completionTokens > 0);
      assert.ok(during, 'a suggestion was asked while the chat streamed');
      assert.ok((await during) instanceof CancelledError, 'the suggestion asked during the chat was dropped');
    });

    it('runs an agent turn with the tools as functions when the chat template handles tools', async () => {
      // ChatML that lists the tools in the system turn, as tool-calling templates (Qwen2.5's) do. One token per character
      // here: the functions' documentation needs a longer context than the other tests.
      const toolsTemplate =
        "{% if tools %}{{ '<|im_start|>system\\nTools: ' }}{% for tool in tools %}{{ tool['function']['name'] }} {% endfor %}{{ '<|im_end|>\\n' }}{% endif %}" + CHATML_TEMPLATE;
      runtime.configure({ modelPath: models.write('tiny-tools.gguf', { chatTemplate: toolsTemplate, seed: 3, contextLength: 8192 }), idleUnloadMinutes: 10 });
      const tools = [{ function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } }];
      const history = [
        { role: 'user' as const, content: 'Fix the bug in a.ts' },
        { role: 'assistant' as const, content: null, tool_calls: [{ id: 'c1', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] },
        { role: 'tool' as const, content: 'export const a = 1;', tool_call_id: 'c1' },
      ];
      const pieces: string[] = [];
      const turn = await runtime.turn(history, tools, new AbortController().signal, (text) => pieces.push(text));
      assert.equal(loaded()?.functionCalling, true);
      assert.ok(['stop', 'length', 'tool_calls'].includes(turn.finishReason));
      assert.equal(turn.text, pieces.join(''), 'the text streamed is the text returned');
      for (const call of turn.toolCalls) {
        assert.equal(call.name, 'read_file');
        assert.doesNotThrow(() => JSON.parse(call.arguments));
      }
      assert.ok(turn.usage.completionTokens > 0);
    });

    it('says plainly that a model without function calling cannot run Agent mode', async () => {
      const tools = [{ function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];
      await assert.rejects(runtime.turn([{ role: 'user', content: 'Fix the bug' }], tools, new AbortController().signal, () => undefined), (error: unknown) => {
        assert.ok(error instanceof EmbeddedModelError);
        assert.equal(error.failure, 'noFunctionCalling');
        assert.match(error.message, /^This model cannot run Agent mode/);
        return true;
      });
    });

    it('unloads the old model when the path changes, and says what is wrong with a missing or non-GGUF file', async () => {
      await runtime.chat(USER, new AbortController().signal, () => undefined);
      runtime.configure({ modelPath: `${models.dir}/missing.gguf`, idleUnloadMinutes: 10 });
      await waitFor(() => loaded() === undefined);
      await assert.rejects(runtime.chat(USER, new AbortController().signal, () => undefined), /missing\.gguf does not exist/);
      runtime.configure({ modelPath: __filename, idleUnloadMinutes: 10 });
      await assert.rejects(runtime.chat(USER, new AbortController().signal, () => undefined), /is not a GGUF model/);
      runtime.configure(undefined);
      await assert.rejects(runtime.chat(USER, new AbortController().signal, () => undefined), /No built-in model is set/);
    });
  });
}

/** Polls a condition the runtime reaches asynchronously (an unload finishing in llama.cpp's threads); 10 s at most. */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), 'the condition was not reached');
}
