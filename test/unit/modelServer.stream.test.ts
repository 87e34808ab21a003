import assert from 'node:assert/strict';
import { ScriptedModelServer, tokenize } from '../support/modelServer';
import { parseSse, chunksOf, contentOf, messages, post, streamBody, readUntil, readToEnd, rawPieces, useTestServer } from './modelServerHelpers';

describe('scripted model server', () => {
  let server: ScriptedModelServer;
  useTestServer((started) => (server = started));

  describe('tokenize', () => {
    it('pieces always join back to the text', () => {
      const samples = ['', 'Hello, world!', 'a\r\n\r\nb  \n', '```ts\nconst x = 1; // ✓ héllo 👍🏽\n```', '\t  indented\n\n\nend  ', 'über-long-identifierNameHere()'];
      for (const sample of samples) assert.equal(tokenize(sample).join(''), sample, JSON.stringify(sample));
    });

    it('splits into words with their leading space, punctuation runs, and even pieces of long words', () => {
      assert.deepEqual(tokenize('Hello, world!'), ['Hello', ',', ' world', '!']);
      assert.deepEqual(tokenize('a\n\n```ts'), ['a', '\n\n', '```', 'ts']);
      assert.deepEqual(tokenize(' extension'), [' ext', 'ens', 'ion']);
    });
  });

  describe('streaming wire format', () => {
    it('role chunk, one chunk per token with finish_reason on the last, usage chunk, [DONE]', async () => {
      server.enqueue({ kind: 'stream', text: 'Hi there, friend.' });
      const response = await post(server, streamBody({ stream_options: { include_usage: true } }));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/event-stream');
      const events = parseSse(await response.text());
      assert.equal(events.data.at(-1), '[DONE]');
      const chunks = chunksOf(events);
      const [role, ...rest] = chunks;
      const usage = rest.pop();
      assert.deepEqual(role?.choices, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }]);
      assert.deepEqual(rest.map((c) => c.choices[0]?.delta?.content), ['Hi', ' there', ',', ' friend', '.']);
      assert.deepEqual(rest.map((c) => c.choices[0]?.finish_reason), [null, null, null, null, 'stop']);
      const promptChars = messages.reduce((sum, m) => sum + m.content.length, 0);
      assert.deepEqual(usage?.choices, []);
      assert.deepEqual(usage?.usage, { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: 5, total_tokens: Math.ceil(promptChars / 4) + 5 });
      for (const chunk of chunks) {
        assert.match(chunk.id, /^chatcmpl-/);
        assert.equal(chunk.id, role?.id);
        assert.equal(chunk.object, 'chat.completion.chunk');
        assert.equal(chunk.model, 'test-model');
      }
      const [request] = server.chatRequests();
      assert.equal(request?.reply, 'stream');
      assert.equal(request?.chunksSent, 5);
      assert.equal(request?.status, 200);
      assert.equal(request?.closedEarly, false);
    });

    it('usage only when asked for, unless the script forces it; explicit chunks, finish reason and model', async () => {
      server.enqueue(
        { kind: 'stream', chunks: ['one ', 'two'], finishReason: 'length', model: 'gpt-x' },
        { kind: 'stream', text: 'a', usage: false },
        { kind: 'stream', text: 'a', usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
      );
      const plain = chunksOf(parseSse(await (await post(server, streamBody())).text()));
      assert.equal(contentOf(plain), 'one two');
      assert.ok(plain.every((c) => c.choices.length === 1 && !('usage' in c) && c.model === 'gpt-x'));
      assert.equal(plain.at(-1)?.choices[0]?.finish_reason, 'length');
      const declined = chunksOf(parseSse(await (await post(server, streamBody({ stream_options: { include_usage: true } }))).text()));
      assert.ok(declined.every((c) => c.choices.length === 1));
      const forced = chunksOf(parseSse(await (await post(server, streamBody())).text()));
      assert.deepEqual(forced.at(-1)?.usage, { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    });

    it('/v1/completions streams text_completion chunks; routes work without the /v1 prefix', async () => {
      server.enqueue({ kind: 'stream', text: 'return a + b;' });
      const response = await post(server, { model: 'test-model', prompt: 'function add(a, b) {', stream: true }, { path: '/completions' });
      const chunks = chunksOf(parseSse(await response.text()));
      assert.ok(chunks.every((c) => c.object === 'text_completion' && c.id.startsWith('cmpl-')));
      assert.equal(contentOf(chunks), 'return a + b;');
      const bare = await fetch(`http://127.0.0.1:${server.port}/chat/completions`, { method: 'POST', body: JSON.stringify(streamBody()) });
      assert.equal(contentOf(chunksOf(parseSse(await bare.text()))), 'Hello from the scripted model.');
      assert.deepEqual(server.requests.map((r) => r.path), ['/v1/completions', '/chat/completions']);
      assert.equal(server.chatRequests().length, 1);
    });

    it('splitWrites cuts events across writes (also inside multi-byte characters); keepAlive adds comments', async () => {
      const text = 'Grüße ✓ — done';
      server.enqueue({ kind: 'stream', text, splitWrites: true, keepAlive: true });
      const pieces = await rawPieces(server, streamBody());
      assert.ok(pieces.some((piece) => !piece.toString('latin1').endsWith('\n\n')), 'no event was split');
      assert.ok(pieces.some((piece) => Buffer.from(piece.toString('utf8'), 'utf8').length !== piece.length), 'no UTF-8 character was split');
      const events = parseSse(Buffer.concat(pieces).toString('utf8'));
      assert.equal(contentOf(chunksOf(events)), text);
      assert.equal(events.comments.length, events.data.length - 1);
      assert.ok(events.comments.every((c) => c === ': keep-alive'));
    });

    it('paces chunks and delays the first byte', async () => {
      server.enqueue({ kind: 'stream', chunks: ['a', 'b', 'c', 'd', 'e', 'f'], tokensPerSecond: 250, firstByteDelayMs: 40 });
      const started = Date.now();
      const response = await post(server, streamBody());
      const headersAt = Date.now() - started;
      await response.text();
      const total = Date.now() - started;
      assert.ok(headersAt >= 38, `headers after ${headersAt} ms`);
      // Lower bounds from the request's start only: the server cannot send early, while this
      // side may see the headers late (a busy machine), which would shrink a headers-to-end gap.
      assert.ok(total >= 40 + 5 * 4 - 2, `first byte after 40 ms, then 6 chunks at 250/s: done after ${total} ms`);
      server.enqueue({ kind: 'stream', chunks: ['a', 'b', 'c'], chunkDelayMs: 15 });
      const fixedStart = Date.now();
      await (await post(server, streamBody())).text();
      assert.ok(Date.now() - fixedStart >= 2 * 15 - 2);
    });
  });

  describe('scripted faults', () => {
    it('a client abort mid-stream marks the request closedEarly, live, and stops sending', async () => {
      server.enqueue({ kind: 'stream', text: 'word '.repeat(50), tokensPerSecond: 200 });
      const controller = new AbortController();
      const response = await post(server, streamBody(), { signal: controller.signal });
      const request = await server.waitForRequest();
      await readUntil(response, (text) => text.includes('"content":"word"'));
      assert.equal(request.closedEarly, false);
      controller.abort();
      await server.waitForClose(request);
      assert.equal(request.closedEarly, true);
      assert.ok(request.chunksSent >= 1 && request.chunksSent < 50, `${request.chunksSent} chunks`);
    });

    it('dropAfterChunks destroys the socket without [DONE]; not counted as a client abort', async () => {
      server.enqueue({ kind: 'stream', chunks: ['a', 'b', 'c'], dropAfterChunks: 2 });
      const response = await post(server, streamBody());
      const received = await readToEnd(response);
      assert.ok(received.error, 'the body should fail, not end');
      const events = parseSse(received.text);
      assert.equal(contentOf(chunksOf(events)), 'ab');
      assert.ok(!events.data.includes('[DONE]'));
      const [request] = server.chatRequests();
      assert.ok(request);
      await server.waitForClose(request);
      assert.equal(request.closedEarly, false);
      assert.equal(request.chunksSent, 2);
    });

    it('malformedAfterChunks sends one broken event and carries on', async () => {
      server.enqueue({ kind: 'stream', chunks: ['one ', 'two ', 'three'], malformedAfterChunks: 2 });
      const events = parseSse(await (await post(server, streamBody())).text());
      const broken = events.data.indexOf('{not json');
      assert.equal(broken, 3, 'after the role chunk and two content chunks');
      assert.equal(contentOf(chunksOf(events)), 'one two three');
      assert.equal(events.data.at(-1), '[DONE]');
    });

    it('hangAfterChunks stops sending but keeps the connection open until the client gives up', async () => {
      server.enqueue({ kind: 'stream', chunks: ['a', 'b', 'c'], hangAfterChunks: 2 });
      const controller = new AbortController();
      const response = await post(server, streamBody(), { signal: controller.signal });
      const text = await readUntil(response, (t) => t.includes('"content":"b"'));
      const [request] = server.chatRequests();
      assert.ok(request);
      assert.equal(request.chunksSent, 2);
      assert.ok(!text.includes('[DONE]'));
      controller.abort();
      await server.waitForClose(request);
      assert.equal(request.closedEarly, true, 'the reply never finished, so the close was the client');
      assert.equal(request.chunksSent, 2);
    });

    it('hang: the request is recorded but never answered; drop: the socket is destroyed', async () => {
      server.enqueue({ kind: 'hang' }, { kind: 'drop' });
      const controller = new AbortController();
      const hanging = post(server, streamBody(), { signal: controller.signal });
      const hung = await server.waitForRequest();
      assert.equal(hung.reply, 'hang');
      assert.equal(hung.status, undefined);
      controller.abort();
      await assert.rejects(hanging, { name: 'AbortError' });
      await server.waitForClose(hung);
      assert.equal(hung.closedEarly, true);
      await assert.rejects(post(server, streamBody()), TypeError);
      const dropped = server.requests[1];
      assert.equal(dropped?.reply, 'drop');
      await server.waitForClose(dropped);
      assert.equal(dropped.closedEarly, false);
    });
  });
});
