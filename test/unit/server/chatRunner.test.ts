import assert from 'node:assert/strict';
import { DEFAULT_COMPLETION_SETTINGS } from '../../../src/shared/defaults';
import { runChat, type ChatRunnerDeps } from '../../../src/server/chat/chatRunner';
import { ServiceLog } from '../../../src/server/log';
import type { ChatDeltaParams, ChatNoticeParams, ChatParams, ChatResult, TandemSettings } from '../../../src/shared/protocol';
import { ScriptedModelServer } from '../../support/modelServer';
import { closedPort } from '../../support/ports';

const KEY = 'sk-scripted-secret-0123456789';

interface Run {
  result: ChatResult;
  deltas: ChatDeltaParams[];
  notices: ChatNoticeParams[];
  waits: number[];
  logs: string[];
}

function bodyOf(request: { body: unknown }): Record<string, unknown> {
  const body = typeof request.body === 'string' ? (JSON.parse(request.body) as unknown) : request.body;
  assert.ok(typeof body === 'object' && body !== null);
  return body as Record<string, unknown>;
}

describe('chat runner against the scripted model server', function () {
  this.timeout(15_000);
  let server: ScriptedModelServer;

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model', 'other-model'], apiKey: KEY });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  const settings = (overrides: Partial<TandemSettings> = {}): TandemSettings => ({
    baseUrl: server.baseUrl,
    model: 'test-model',
    completionModel: 'test-model',
    apiKey: KEY,
    logContents: false,
    requestTimeout: 10,
    maxRetries: 2,
    completions: DEFAULT_COMPLETION_SETTINGS,
    ...overrides,
  });
  const params = (question = 'Say hello'): ChatParams => ({ streamId: 'stream-1', messages: [{ role: 'user', content: question }], context: [] });

  async function run(options: { settings?: Partial<TandemSettings>; signal?: AbortSignal; onDelta?: (delta: ChatDeltaParams) => void } = {}): Promise<Run> {
    const deltas: ChatDeltaParams[] = [];
    const notices: ChatNoticeParams[] = [];
    const waits: number[] = [];
    const logs: string[] = [];
    const deps: ChatRunnerDeps = {
      sendDelta: (delta) => {
        deltas.push(delta);
        options.onDelta?.(delta);
      },
      sendNotice: (notice) => notices.push(notice),
      log: new ServiceLog({ info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) }),
      // Retry waits are recorded, not slept.
      sleep: async (ms) => {
        waits.push(ms);
        return true;
      },
    };
    const result = await runChat(params(), settings(options.settings), options.signal ?? new AbortController().signal, deps);
    return { result, deltas, notices, waits, logs };
  }

  it('streams a full answer: coalesced deltas add up to the text, usage is returned, one log line without contents', async () => {
    const text = 'Hello! Here is a streamed answer in many small pieces.';
    server.enqueue({ kind: 'stream', text, tokensPerSecond: 400, usage: { prompt_tokens: 11, completion_tokens: 13, total_tokens: 24 } });
    const { result, deltas, logs } = await run();
    assert.equal(result.text, text);
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.model, 'test-model');
    assert.deepEqual(result.usage, { promptTokens: 11, completionTokens: 13, totalTokens: 24 });
    assert.equal(result.error, undefined);
    assert.equal(deltas.map((delta) => delta.text).join(''), text);
    assert.ok(deltas.every((delta) => delta.streamId === 'stream-1'));
    const [request] = server.chatRequests();
    assert.ok(request);
    const body = bodyOf(request);
    assert.equal(body.model, 'test-model');
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    const line = logs.find((entry) => entry.startsWith('tandem/chat model='));
    assert.ok(line, logs.join('\n'));
    assert.match(line, /status=200 ttft=\d+ms total=\d+ms tokens=11\+13=24/);
    assert.ok(!logs.join('\n').includes('Say hello'), 'no contents without logContents');
    assert.ok(!logs.join('\n').includes(KEY), 'never the key');
  });

  it('cancellation mid-stream closes the HTTP connection and returns the partial text as cancelled', async () => {
    const text = 'word '.repeat(400);
    server.enqueue({ kind: 'stream', text, tokensPerSecond: 200 });
    const controller = new AbortController();
    const pending = run({ signal: controller.signal, onDelta: () => controller.abort() });
    const request = await server.waitForRequest((r) => r.path.endsWith('/chat/completions'));
    const { result } = await pending;
    await server.waitForClose(request);
    assert.equal(request.closedEarly, true);
    assert.equal(result.finishReason, 'cancelled');
    assert.equal(result.error, undefined);
    assert.ok(result.text.length > 0, 'keeps what arrived');
    assert.ok(text.startsWith(result.text) && result.text.length < text.length);
  });

  it('401 → auth error with the Set API Key action, and the key is not in the message', async () => {
    const { result } = await run({ settings: { apiKey: 'sk-wrong-key-abcdefghijkl' } });
    assert.equal(result.finishReason, 'error');
    assert.equal(result.error?.kind, 'auth');
    assert.equal(result.error?.status, 401);
    assert.equal(result.error?.action, 'setApiKey');
    assert.ok(!result.error?.message.includes('sk-wrong-key'));
  });

  it('404 → modelNotFound with the models the endpoint offers', async () => {
    server.enqueue({ kind: 'error', status: 404, body: { error: { message: 'The model `nope` does not exist', code: 'model_not_found' } } });
    const { result } = await run({ settings: { model: 'nope' } });
    assert.equal(result.error?.kind, 'modelNotFound');
    assert.equal(result.error?.action, 'pickModel');
    assert.deepEqual(result.error?.availableModels, ['test-model', 'other-model']);
    assert.match(result.error?.message ?? '', /“nope”/);
  });

  it('429 with retry-after, then success: announced waits honour the header', async () => {
    server.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '1' } }, { kind: 'stream', text: 'finally' });
    const { result, notices, waits } = await run();
    assert.equal(result.text, 'finally');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(waits, [1000]);
    assert.deepEqual(notices, [
      { streamId: 'stream-1', kind: 'retrying', attempt: 1, delayMs: 1000, message: 'Rate limited by the model service (429); retrying in 1 s (attempt 1 of 2).' },
    ]);
    assert.equal(server.chatRequests().length, 2);
  });

  it('429 every time → rateLimited after maxRetries, saying so', async () => {
    server.enqueue(...[1, 2, 3].map(() => ({ kind: 'error' as const, status: 429 })));
    const { result, notices, waits } = await run();
    assert.equal(server.chatRequests().length, 3);
    assert.deepEqual(waits, [500, 1000], 'exponential backoff without retry-after');
    assert.equal(notices.length, 2);
    assert.equal(result.error?.kind, 'rateLimited');
    assert.equal(result.error?.action, 'retry');
    assert.match(result.error?.message ?? '', /still rate limited after 2 retries/);
  });

  it('500 → server error with retry action (no retries configured)', async () => {
    server.enqueue({ kind: 'error', status: 500, body: { error: { message: 'the model crashed' } } });
    const { result, notices } = await run({ settings: { maxRetries: 0 } });
    assert.equal(notices.length, 0);
    assert.equal(result.error?.kind, 'server');
    assert.equal(result.error?.status, 500);
    assert.match(result.error?.message ?? '', /internal error \(500\): the model crashed/);
  });

  it('connection refused → retried, then a connection error naming the base URL', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    const { result, notices } = await run({ settings: { baseUrl, maxRetries: 1 } });
    assert.equal(notices.length, 1);
    assert.match(notices[0]?.message ?? '', /^Could not connect to http:\/\/127\.0\.0\.1:\d+\/v1; retrying in 0\.5 s \(attempt 1 of 1\)\.$/);
    assert.equal(result.error?.kind, 'connection');
    assert.equal(result.error?.action, 'openSettings');
    assert.ok(result.error?.message.startsWith(`Could not connect to ${baseUrl} — is the server running?`), result.error?.message);
  });

  it('dropped mid-stream → streamCut, the partial text is kept and not retried', async () => {
    server.enqueue({ kind: 'stream', chunks: ['The first ', 'half of ', 'the answer', ' never ends'], dropAfterChunks: 2 });
    const { result, deltas } = await run();
    assert.equal(server.chatRequests().length, 1);
    assert.equal(result.text, 'The first half of ');
    assert.equal(deltas.map((delta) => delta.text).join(''), result.text);
    assert.equal(result.finishReason, 'error');
    assert.deepEqual(result.error, {
      kind: 'streamCut',
      action: 'retry',
      message: 'The connection dropped after part of the answer; what arrived is kept.',
    });
  });

  it('a malformed chunk → malformed, with the text before it', async () => {
    server.enqueue({ kind: 'stream', chunks: ['one ', 'two ', 'three'], malformedAfterChunks: 2 });
    const { result } = await run();
    assert.equal(result.text, 'one two ');
    assert.equal(result.error?.kind, 'malformed');
    assert.equal(result.error?.action, 'retry');
  });

  it('inactivity timeout: a server that never answers is abandoned after requestTimeout', async () => {
    server.enqueue({ kind: 'hang' });
    const started = Date.now();
    const { result } = await run({ settings: { requestTimeout: 0.3 } });
    assert.equal(result.error?.kind, 'timeout');
    assert.equal(result.error?.action, 'retry');
    assert.ok(Date.now() - started < 5000);
  });

  it('inactivity timeout mid-stream keeps the text and closes the connection', async () => {
    server.enqueue({ kind: 'stream', chunks: ['a', 'b', 'c'], hangAfterChunks: 2 });
    const { result } = await run({ settings: { requestTimeout: 0.3 } });
    assert.equal(result.text, 'ab');
    assert.equal(result.error?.kind, 'timeout');
    const [request] = server.chatRequests();
    assert.ok(request);
    await server.waitForClose(request);
    assert.equal(request.closedEarly, true);
  });

  it('a 400 about stream_options is retried once without it', async () => {
    server.enqueue(
      { kind: 'error', status: 400, body: { error: { message: "Unrecognized request argument supplied: stream_options" } } },
      { kind: 'stream', text: 'works without usage' },
    );
    const { result, notices } = await run();
    assert.equal(result.text, 'works without usage');
    assert.equal(notices.length, 0);
    const requests = server.chatRequests();
    assert.equal(requests.length, 2);
    assert.ok(requests[0] && 'stream_options' in bodyOf(requests[0]));
    assert.ok(requests[1] && !('stream_options' in bodyOf(requests[1])));
  });

  it('without an endpoint or a model → notConfigured, no request sent', async () => {
    const noEndpoint = await run({ settings: { baseUrl: '', apiKey: '' } });
    assert.equal(noEndpoint.result.error?.kind, 'notConfigured');
    assert.equal(noEndpoint.result.error?.action, 'setApiKey');
    assert.equal(noEndpoint.result.error?.offer?.action, 'useBuiltInModel');
    assert.match(noEndpoint.result.error?.offer?.label ?? '', /^Use a built-in model \((1\.0 GB|469 MB) download\)$/);
    const noModel = await run({ settings: { model: '' } });
    assert.equal(noModel.result.error?.kind, 'notConfigured');
    assert.equal(noModel.result.error?.action, 'pickModel');
    assert.equal(server.chatRequests().length, 0);
  });
});
