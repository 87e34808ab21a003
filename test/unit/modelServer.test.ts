import assert from 'node:assert/strict';
import { demoReply } from '../support/demoReply';
import { ScriptedModelServer, type RecordedRequest } from '../support/modelServer';
import { parseSse, chunksOf, contentOf, messages, post, streamBody, useTestServer } from './modelServerHelpers';

describe('scripted model server', () => {
  let server: ScriptedModelServer;
  useTestServer((started) => (server = started));

  describe('non-streamed replies, errors and routing', () => {
    it('answers a non-stream request with chat.completion, also for a stream script', async () => {
      server.enqueue({ kind: 'stream', text: 'As JSON.' });
      const response = await post(server, { model: 'test-model', messages });
      assert.equal(response.headers.get('content-type'), 'application/json');
      const body = (await response.json()) as { object: string; choices: Array<{ message: { role: string; content: string }; finish_reason: string }>; usage: { completion_tokens: number } };
      assert.equal(body.object, 'chat.completion');
      assert.deepEqual(body.choices[0]?.message, { role: 'assistant', content: 'As JSON.', refusal: null });
      assert.equal(body.choices[0]?.finish_reason, 'stop');
      assert.equal(body.usage.completion_tokens, 3);
    });

    it('error replies use OpenAI’s error shape and the scripted status, headers and body', async () => {
      server.enqueue({ kind: 'error', status: 503, headers: { 'Retry-After': '2' } }, { kind: 'error', status: 502, body: '<html>Bad gateway</html>' });
      const overloaded = await post(server, streamBody());
      assert.equal(overloaded.status, 503);
      assert.equal(overloaded.headers.get('retry-after'), '2');
      const body = (await overloaded.json()) as { error: { message: string; type: string; code: unknown; param: unknown } };
      assert.equal(body.error.type, 'server_error');
      assert.equal(typeof body.error.message, 'string');
      const gateway = await post(server, streamBody());
      assert.equal(gateway.status, 502);
      assert.equal(await gateway.text(), '<html>Bad gateway</html>');
    });

    it('404 JSON for unknown routes, 400 for a body that is not JSON (recorded raw); neither consumes the queue', async () => {
      server.enqueue({ kind: 'stream', text: 'kept' });
      const unknown = await post(server, {}, { path: '/embeddings' });
      assert.equal(unknown.status, 404);
      assert.deepEqual(((await unknown.json()) as { error: { message: string } }).error.message, 'Invalid URL (POST /v1/embeddings)');
      const invalid = await post(server, '{"model": ');
      assert.equal(invalid.status, 400);
      assert.equal(server.requests[1]?.body, '{"model": ');
      assert.equal(server.requests[1]?.reply, 'error');
      assert.equal(server.queuedReplies(), 1);
    });

    it('serves scripted replies FIFO, then the default (which sees the request); records headers lower-cased', async () => {
      server.enqueue({ kind: 'stream', text: 'first' }, { kind: 'stream', text: 'second' });
      server.setDefaultReply((req) => ({ kind: 'json', text: `echo: ${JSON.stringify((req.body as { messages: unknown[] }).messages.length)}` }));
      try {
        const texts: string[] = [];
        for (let i = 0; i < 3; i++) {
          const response = await post(server, { model: 'test-model', messages }, { headers: { 'X-Trace-Id': `t${i}` } });
          texts.push(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content ?? '');
        }
        assert.deepEqual(texts, ['first', 'second', 'echo: 2']);
        assert.deepEqual(server.requests.map((r) => r.headers['x-trace-id']), ['t0', 't1', 't2']);
      } finally {
        server.setDefaultReply(undefined);
      }
    });

    it('lists models on /v1/models and /models, looks one up, and follows setModels', async () => {
      const list = (await (await fetch(`${server.baseUrl}/models`)).json()) as { object: string; data: Array<{ id: string; object: string; owned_by: string; created: number }> };
      assert.equal(list.object, 'list');
      assert.deepEqual(list.data.map((m) => m.id), ['test-model', 'other-model']);
      assert.ok(list.data.every((m) => m.object === 'model' && typeof m.created === 'number' && typeof m.owned_by === 'string'));
      server.setModels(['only']);
      try {
        const bare = (await (await fetch(`http://127.0.0.1:${server.port}/models`)).json()) as { data: Array<{ id: string }> };
        assert.deepEqual(bare.data.map((m) => m.id), ['only']);
        assert.equal((await fetch(`${server.baseUrl}/models/only`)).status, 200);
        assert.equal((await fetch(`${server.baseUrl}/models/test-model`)).status, 404);
      } finally {
        server.setModels(['test-model', 'other-model']);
      }
      assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), ['GET /v1/models', 'GET /models', 'GET /v1/models/only', 'GET /v1/models/test-model']);
    });
  });

  describe('waiting', () => {
    it('waitForRequest resolves for a request that arrives later and for one already recorded', async () => {
      const later = server.waitForRequest((r) => (r.body as { model?: string } | undefined)?.model === 'other-model');
      await (await post(server, streamBody())).text();
      await (await post(server, streamBody({ model: 'other-model' }))).text();
      const match = await later;
      assert.equal(match, server.requests[1]);
      assert.equal(await server.waitForRequest((r) => r === server.requests[0]), server.requests[0]);
    });

    it('waitForRequest and waitForClose reject after their timeout, naming what arrived', async () => {
      await (await post(server, streamBody())).text();
      await assert.rejects(server.waitForRequest((r) => r.path === '/never', 20), /no matching request within 20 ms; received: POST \/v1\/chat\/completions/);
      const stranger: RecordedRequest = { method: 'POST', path: '/x', headers: {}, body: undefined, receivedAt: 0, closedEarly: false, chunksSent: 0 };
      await assert.rejects(server.waitForClose(stranger), /not recorded by this server/);
    });
  });

  describe('access control', () => {
    it('with an apiKey: 401 in OpenAI’s shape for a missing or wrong key, without echoing it, and the queue is kept', async () => {
      const guarded = await ScriptedModelServer.start({ apiKey: 'sk-right' });
      try {
        guarded.enqueue({ kind: 'stream', text: 'welcome' });
        const missing = await post(guarded, streamBody());
        assert.equal(missing.status, 401);
        const wrong = await post(guarded, streamBody(), { headers: { authorization: 'Bearer sk-wrong-1234' } });
        assert.equal(wrong.status, 401);
        const body = (await wrong.json()) as { error: { code: string; type: string; message: string } };
        assert.equal(body.error.code, 'invalid_api_key');
        assert.ok(!body.error.message.includes('sk-wrong'));
        assert.equal((await fetch(`${guarded.baseUrl}/models`)).status, 401);
        const right = await post(guarded, streamBody(), { headers: { authorization: 'Bearer sk-right' } });
        assert.equal(contentOf(chunksOf(parseSse(await right.text()))), 'welcome');
      } finally {
        await guarded.close();
      }
    });

    it("unknownModels 'reject': 404 model_not_found for a model it does not serve", async () => {
      const strict = await ScriptedModelServer.start({ models: ['a'], unknownModels: 'reject' });
      try {
        const response = await post(strict, streamBody({ model: 'b' }));
        assert.equal(response.status, 404);
        assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'model_not_found');
        assert.equal((await post(strict, streamBody({ model: 'a' }))).status, 200);
      } finally {
        await strict.close();
      }
    });

    it('close() ends hanging connections and pending waits', async () => {
      const doomed = await ScriptedModelServer.start();
      doomed.enqueue({ kind: 'hang' });
      const hanging = assert.rejects(post(doomed, streamBody()), TypeError);
      const request = await doomed.waitForRequest();
      const waiting = assert.rejects(doomed.waitForRequest((r) => r.path === '/never'), /closed/);
      await doomed.close();
      await hanging;
      await waiting;
      await doomed.waitForClose(request);
      assert.equal(request.closedEarly, false, 'the server closed it, not the client');
    });
  });

  it('the --demo reply streams markdown quoting only the last user message, with a TypeScript block, at 60 tokens/s', () => {
    const conversation = [...messages, { role: 'assistant', content: 'Hi.' }, { role: 'user', content: 'How do I\n*sort*?' }];
    const request: RecordedRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: { model: 'm', messages: conversation }, receivedAt: 0, closedEarly: false, chunksSent: 0 };
    const reply = demoReply(request);
    assert.ok(reply.kind === 'stream');
    assert.equal(reply.tokensPerSecond, 60);
    const text = reply.text ?? '';
    assert.match(text, /> How do I\n> \*sort\*\?/);
    assert.match(text, /```ts\n[^]*\n```\n/);
    assert.ok(!text.includes('Say hello'), 'only the last user message is echoed');
  });
});
