import assert from 'node:assert/strict';
import http from 'node:http';
import OpenAI from 'openai';
import { demoReply } from '../support/demoReply';
import { ScriptedModelServer, tokenize, type RecordedRequest } from '../support/modelServer';

interface SseEvents {
  /** Parsed `data:` payloads, in order; '[DONE]' and unparseable payloads stay strings. */
  data: unknown[];
  comments: string[];
}

interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: Array<{ index: number; delta?: { role?: string; content?: string }; text?: string; finish_reason: string | null; logprobs: null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

function parseSse(text: string): SseEvents {
  const events: SseEvents = { data: [], comments: [] };
  for (const block of text.split('\n\n').filter((b) => b !== '')) {
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) events.comments.push(line);
      else if (line.startsWith('data: ')) events.data.push(parseData(line.slice('data: '.length)));
      else assert.fail(`unexpected SSE line ${JSON.stringify(line)}`);
    }
  }
  return events;
}

function parseData(payload: string): unknown {
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return payload;
  }
}

function chunksOf(events: SseEvents): Chunk[] {
  return events.data.filter((d): d is Chunk => typeof d === 'object' && d !== null);
}

function contentOf(chunks: Chunk[]): string {
  return chunks.map((c) => c.choices[0]?.delta?.content ?? c.choices[0]?.text ?? '').join('');
}

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say hello to me, please' },
];

function post(server: ScriptedModelServer, body: unknown, init: { path?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(`${server.baseUrl}${init.path ?? '/chat/completions'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

const streamBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ model: 'test-model', stream: true, messages, ...extra });

/** Reads a streamed body until `enough` says so, then returns what arrived (the body stays open). */
async function readUntil(response: Response, enough: (text: string) => boolean): Promise<string> {
  assert.ok(response.body);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!enough(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

/** Everything the body delivered, and the error that cut it short, if any. */
async function readToEnd(response: Response): Promise<{ text: string; error?: unknown }> {
  assert.ok(response.body);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (let result = await reader.read(); !result.done; result = await reader.read()) text += decoder.decode(result.value, { stream: true });
  } catch (error) {
    return { text, error };
  }
  return { text };
}

/** Raw body pieces as the HTTP client received them, to see how events were framed on the wire. */
function rawPieces(server: ScriptedModelServer, body: unknown): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      const pieces: Buffer[] = [];
      response.on('data', (piece: Buffer) => pieces.push(piece));
      response.on('end', () => resolve(pieces));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('scripted model server', () => {
  let server: ScriptedModelServer;

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model', 'other-model'] });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

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
      assert.ok(total - headersAt >= 5 * 4 - 2, `6 chunks at 250/s took ${total - headersAt} ms`);
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
