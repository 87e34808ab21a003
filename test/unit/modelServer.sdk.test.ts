import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { ScriptedModelServer } from '../support/modelServer';
import { useTestServer } from './modelServerHelpers';

describe('scripted model server', () => {
  let server: ScriptedModelServer;
  useTestServer((started) => (server = started));

  describe('through the openai SDK', () => {
    const client = (): OpenAI => new OpenAI({ baseURL: server.baseUrl, apiKey: 'k', maxRetries: 0 });

    it('streams text and usage', async () => {
      server.enqueue({ kind: 'stream', text: 'Here is `code`:\n\n```ts\nconst x = 1;\n```\n' });
      const stream = await client().chat.completions.create({ model: 'test-model', messages: [{ role: 'user', content: 'hello' }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        usage = chunk.usage ?? usage;
      }
      assert.equal(text, 'Here is `code`:\n\n```ts\nconst x = 1;\n```\n');
      assert.equal(usage?.prompt_tokens, 2);
      assert.equal(usage?.completion_tokens, server.chatRequests()[0]?.chunksSent);
      assert.equal(usage?.total_tokens, (usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
    });

    it('streams tool calls with arguments split over several chunks', async () => {
      const args = JSON.stringify({ path: 'src/extension.ts', line: 12 });
      server.enqueue({ kind: 'stream', text: 'Reading.', toolCalls: [{ id: 'call_1', name: 'read_file', arguments: args }, { name: 'list', arguments: '{}' }] });
      const stream = await client().chat.completions.create({ model: 'test-model', messages: [{ role: 'user', content: 'x' }], stream: true });
      const calls: Array<{ id?: string; name?: string; args: string; pieces: number }> = [];
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        finish = chunk.choices[0]?.finish_reason ?? finish;
        for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
          const call = (calls[delta.index] ??= { args: '', pieces: 0 });
          call.id ??= delta.id;
          call.name ??= delta.function?.name;
          call.args += delta.function?.arguments ?? '';
          call.pieces++;
        }
      }
      assert.equal(finish, 'tool_calls');
      assert.equal(calls[0]?.id, 'call_1');
      assert.equal(calls[0]?.name, 'read_file');
      assert.equal(calls[0]?.args, args);
      assert.ok((calls[0]?.pieces ?? 0) > 3, 'arguments arrive in several chunks');
      assert.match(calls[1]?.id ?? '', /^call_/);
      assert.equal(calls[1]?.args, '{}');
    });

    it('reads non-streamed tool calls, text completions and the model list', async () => {
      server.enqueue({ kind: 'json', toolCalls: [{ name: 'run', arguments: '{"cmd":"ls"}' }] }, { kind: 'json', text: ' + b;' });
      const completion = await client().chat.completions.create({ model: 'test-model', messages: [{ role: 'user', content: 'x' }] });
      assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
      assert.equal(completion.choices[0]?.message.content, null);
      const call = completion.choices[0]?.message.tool_calls?.[0];
      assert.equal(call?.type === 'function' ? call.function.arguments : undefined, '{"cmd":"ls"}');
      const text = await client().completions.create({ model: 'test-model', prompt: 'a' });
      assert.equal(text.object, 'text_completion');
      assert.equal(text.choices[0]?.text, ' + b;');
      const models = await client().models.list();
      assert.deepEqual(models.data.map((m) => m.id), ['test-model', 'other-model']);
    });

    it('sees 429 with retry-after, 401, and a dropped stream as errors', async () => {
      server.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '1' } }, { kind: 'stream', chunks: ['partial ', 'answer ', 'lost'], dropAfterChunks: 2 });
      const request = { model: 'test-model', messages: [{ role: 'user' as const, content: 'x' }], stream: true as const };
      await assert.rejects(client().chat.completions.create(request), (error: unknown) => {
        assert.ok(error instanceof OpenAI.RateLimitError);
        assert.equal(error.status, 429);
        assert.equal(error.headers?.get('retry-after'), '1');
        return true;
      });
      let text = '';
      await assert.rejects(async () => {
        for await (const chunk of await client().chat.completions.create(request)) text += chunk.choices[0]?.delta.content ?? '';
      });
      assert.equal(text, 'partial answer ');
      const guarded = await ScriptedModelServer.start({ apiKey: 'sk-right' });
      try {
        const wrong = new OpenAI({ baseURL: guarded.baseUrl, apiKey: 'sk-wrong', maxRetries: 0 });
        await assert.rejects(wrong.chat.completions.create(request), OpenAI.AuthenticationError);
      } finally {
        await guarded.close();
      }
    });
  });
});
