import assert from 'node:assert/strict';
import type { ChatMessage, ContextItem } from '../../../src/shared/protocol';
import { assemblePrompt } from '../../../src/server/prompt/assemble';
import { stopEngine } from '../../../src/server/providers/embedded/engine';
import { EmbeddedModelError } from '../../../src/server/providers/embedded/errors';
import { EmbeddedRuntime } from '../../../src/server/providers/embedded/runtime';
import { toChatError } from '../../../src/server/providers/errors';
import { ModelFolder, REPO_ROOT, requireEngine } from '../../support/embeddedEngine';
import { CHATML_TEMPLATE } from '../../support/tinyGguf';

/** A small deterministic generator (the cases are the same on every run). */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** Code-like text of about `chars` characters, in lines. */
function text(next: () => number, chars: number): string {
  const words = ['const', 'value', '=', 'await', 'fetch(url);', 'return', 'x', '+', 'y;', '// note', 'if', '(ready)', '{', '}'];
  let out = '';
  while (out.length < chars) out += (next() < 0.15 ? '\n' : ' ') + words[Math.floor(next() * words.length)];
  return out.slice(0, chars);
}

interface Case {
  name: string;
  messages: ChatMessage[];
  context: ContextItem[];
}

/** Oversize prompts of every shape: many @-mentions, one long selection, long histories, and all at once. */
function oversizeCases(): Case[] {
  const cases: Case[] = [];
  for (let seed = 1; seed <= 12; seed++) {
    const next = random(seed);
    const shape = ['mentions', 'selection', 'history', 'all'][seed % 4] as 'mentions' | 'selection' | 'history' | 'all';
    const context: ContextItem[] = [];
    const messages: ChatMessage[] = [];
    if (shape === 'mentions' || shape === 'all') {
      const count = 5 + Math.floor(next() * 40);
      for (let i = 0; i < count; i++) context.push({ kind: 'file', path: `src/file${i}.ts`, languageId: 'typescript', text: text(next, 50 + Math.floor(next() * 3000)) });
    }
    if (shape === 'selection' || shape === 'all') {
      context.push({ kind: 'selection', path: 'src/big.ts', languageId: 'typescript', startLine: 1, endLine: 4000, text: text(next, 5_000 + Math.floor(next() * 60_000)) });
    }
    if (shape === 'history' || shape === 'all') {
      const turns = 5 + Math.floor(next() * 60);
      for (let i = 0; i < turns; i++) {
        messages.push({ role: 'user', content: text(next, 20 + Math.floor(next() * 800)) }, { role: 'assistant', content: text(next, 20 + Math.floor(next() * 2000)) });
      }
    }
    messages.push({ role: 'user', content: `Question ${seed}: ${text(next, 10 + Math.floor(next() * 200))}` });
    cases.push({ name: `${shape} #${seed}`, messages, context });
  }
  return cases;
}

/** A refusal that says both sizes and what to do, as the chat shows it. */
function isContextFull(error: unknown): boolean {
  if (!(error instanceof EmbeddedModelError) || error.failure !== 'contextFull') return false;
  assert.match(error.message, /^The question and its context \(\d+ tokens\) do not fit the built-in model's context \(\d+ tokens\).* Remove some context/);
  return true;
}

describe("the built-in model's prompts fit its context", function () {
  this.timeout(120_000);
  const models = new ModelFolder();
  const runtimes: EmbeddedRuntime[] = [];
  const start = (modelPath: string, maxAnswerTokens?: number): EmbeddedRuntime => {
    const runtime = new EmbeddedRuntime({ env: {}, engineFrom: REPO_ROOT, threads: 1, gpu: false, seed: 5, ...(maxAnswerTokens ? { maxAnswerTokens } : {}) });
    runtime.configure({ modelPath, idleUnloadMinutes: 0 });
    runtimes.push(runtime);
    return runtime;
  };

  before(function () {
    requireEngine(this);
  });
  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.dispose();
  });
  after(async () => {
    await stopEngine();
    models.dispose();
  });

  for (const contextLength of [768, 1024]) {
    it(`answers oversize chats (mentions, selections, histories) assembled to its budget on a ${contextLength}-token model, never with llama.cpp's overflow`, async () => {
      const runtime = start(models.write(`tiny-${contextLength}.gguf`, { contextLength }), 8);
      const checked = await runtime.check();
      assert.ok(checked?.ok, 'the file passes its check');
      assert.ok(checked.promptTokens < checked.contextTokens && checked.contextTokens <= contextLength);
      let trimmed = 0;
      let answered = 0;
      for (const { name, messages, context } of oversizeCases()) {
        const budget = await runtime.promptBudget();
        assert.equal(budget.tokens, checked.promptTokens, 'the status announces the budget prompts are assembled to');
        const prompt = assemblePrompt(messages, context, budget.tokens, budget.count, budget.messageOverhead);
        if (prompt.droppedMessages > 0 || prompt.truncatedContext) trimmed++;
        const result = await runtime.chat(prompt.messages, new AbortController().signal, () => undefined).catch((error: unknown) => {
          // Only a prompt the assembly could not bring within the budget (the system prompt and the question alone outgrow it) may be refused, and then plainly.
          assert.ok(isContextFull(error), `${name}: ${String(error)}`);
          assert.ok(prompt.estimatedTokens > budget.tokens, `${name}: refused though assembled within the budget (${prompt.estimatedTokens} of ${budget.tokens})`);
          return undefined;
        });
        if (result) {
          answered++;
          assert.ok(result.usage.totalTokens <= checked.contextTokens, `${name}: ${result.usage.totalTokens} tokens in a ${checked.contextTokens}-token context`);
        }
      }
      // Every case has a question that fits with the system prompt (~330 tokens on this byte-level vocabulary): all are answered.
      assert.equal(answered, 12);
      assert.ok(trimmed >= 10, `the cases are oversize (${trimmed} trimmed)`);
    });
  }

  it('refuses a question too long for the context with both sizes, shown as it is (not an unexpected error)', async () => {
    const runtime = start(models.write('tiny-short.gguf', { contextLength: 512 }));
    for (const chars of [600, 2_000, 40_000]) {
      const error = await runtime.chat([{ role: 'user', content: 'y'.repeat(chars) }], new AbortController().signal, () => undefined).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.ok(isContextFull(error), `${chars} characters: ${String(error)}`);
      const shown = toChatError(error, { baseUrl: 'tandem://embedded', model: 'tiny-short', apiKey: '', retries: 0, hasContent: false, timeoutSeconds: 60 });
      assert.match(shown.message, /do not fit the built-in model's context \(512 tokens\)/);
      assert.notEqual(shown.kind, 'unknown');
    }
    // The model still answers what fits.
    const ok = await runtime.chat([{ role: 'user', content: 'short' }], new AbortController().signal, () => undefined);
    assert.ok(ok.usage.totalTokens <= 512);
  });

  it('limits an answer to the room the prompt leaves (no context shift mid-answer)', async () => {
    const runtime = start(models.write('tiny-room.gguf', { contextLength: 512 }), 4096);
    for (const chars of [50, 200, 380]) {
      const result = await runtime.chat([{ role: 'user', content: 'z'.repeat(chars) }], new AbortController().signal, () => undefined);
      assert.ok(result.usage.totalTokens <= 512, `${chars}: ${result.usage.totalTokens} tokens`);
    }
  });

  it('keeps inline suggestions and chat-template completions inside the context, whatever their size', async () => {
    const runtime = start(models.write('tiny-fim.gguf', { contextLength: 512 }));
    const next = random(99);
    for (const chars of [100, 1_000, 8_000, 50_000]) {
      const prefix = text(next, chars);
      const suffix = text(next, Math.floor(chars / 2));
      for (const body of [
        { kind: 'completions' as const, prompt: prefix, suffix, maxTokens: 32 },
        { kind: 'completions' as const, prompt: prefix, maxTokens: 32 },
      ]) {
        const result = await runtime.complete(body, new AbortController().signal, 60_000);
        assert.ok(result.usage.totalTokens <= 512, `${chars} characters: ${result.usage.totalTokens} tokens`);
      }
      const chat = await runtime.complete({ kind: 'chat', messages: [{ role: 'user', content: prefix }], maxTokens: 32 }, new AbortController().signal, 60_000).catch((error: unknown) => {
        assert.ok(isContextFull(error), String(error));
        return undefined;
      });
      if (chat) assert.ok(chat.usage.totalTokens <= 512);
    }
  });

  it('fits an agent turn with its tools, or refuses it plainly', async () => {
    const toolsTemplate =
      "{% if tools %}{{ '<|im_start|>system\\nTools: ' }}{% for tool in tools %}{{ tool['function']['name'] }} {% endfor %}{{ '<|im_end|>\\n' }}{% endif %}" + CHATML_TEMPLATE;
    const runtime = start(models.write('tiny-tools.gguf', { chatTemplate: toolsTemplate, contextLength: 2048 }), 16);
    const tools = [{ function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];
    for (const chars of [100, 600, 5_000]) {
      const turn = await runtime.turn([{ role: 'system', content: 'You are an agent.' }, { role: 'user', content: 'q'.repeat(chars) }], tools, new AbortController().signal, () => undefined).catch((error: unknown) => {
        assert.ok(isContextFull(error), `${chars}: ${String(error)}`);
        return undefined;
      });
      if (turn) assert.ok(turn.usage.totalTokens <= 2048);
      else assert.ok(chars > 600, `${chars} characters fit a 2,048-token context`);
    }
  });
});
