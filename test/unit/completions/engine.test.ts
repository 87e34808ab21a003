import assert from 'node:assert/strict';
import { CompletionEngine } from '../../../src/server/completions/engine';
import { ServiceLog } from '../../../src/server/log';
import type { CompletionStatusParams, TandemSettings } from '../../../src/shared/protocol';
import { ScriptedModelServer, type RecordedRequest } from '../../support/modelServer';
import { turns, VirtualClock } from './virtualClock';

const URI = 'file:///work/app/src/total.ts';

function completionSettings(baseUrl: string, overrides: Partial<TandemSettings> = {}): TandemSettings {
  return {
    baseUrl,
    model: 'chat-model',
    completionModel: 'qwen2.5-coder:1.5b',
    apiKey: '',
    logContents: false,
    requestTimeout: 60,
    maxRetries: 0,
    completions: { baseUrl: '', template: 'auto', debounceMs: 75, maxLines: 12 },
    ...overrides,
  };
}

function bodyOf(request: RecordedRequest): Record<string, unknown> {
  return request.body as Record<string, unknown>;
}

describe('completion engine (real HTTP, virtual clock)', function () {
  this.timeout(10_000);
  let server: ScriptedModelServer;
  let clock: VirtualClock;
  let engine: CompletionEngine;
  let statuses: CompletionStatusParams[];
  let logs: string[];
  let settings: TandemSettings;

  /** A request at the `|` in `marked`. */
  const provide = (marked: string, signal: AbortSignal = new AbortController().signal, triggerKind: 1 | 2 = 2, overrides?: TandemSettings) => {
    const offset = marked.indexOf('|');
    const text = marked.replace('|', '');
    return engine.provide({ uri: URI, languageId: 'typescript', text, offset, triggerKind }, overrides ?? settings, signal);
  };

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['qwen2.5-coder:1.5b', 'gpt-4.1-mini', 'plain-model'], unknownModels: 'reject' });
  });

  after(() => server.close());

  beforeEach(() => {
    server.reset();
    server.setDefaultReply({ kind: 'json', text: 'items.length;' });
    clock = new VirtualClock();
    statuses = [];
    logs = [];
    const sink = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
    engine = new CompletionEngine({ log: new ServiceLog(sink), clock, sendStatus: (status) => statuses.push(status) });
    settings = completionSettings(server.baseUrl);
  });

  afterEach(() => engine.dispose());

  it('debounces, calls the model with a FIM prompt and answers with the post-processed suggestion', async () => {
    const pending = provide('function f(items: string[]) {\n  const total = |\n}\n');
    await turns();
    assert.equal(server.requests.length, 0, 'nothing before the debounce');
    await clock.advanceBy(75);
    const answer = await pending;
    assert.equal(answer?.insertText, 'items.length;');
    assert.equal(answer?.source, 'model');
    const [request] = server.completionRequests();
    assert.ok(request);
    const body = bodyOf(request);
    assert.equal(body.model, 'qwen2.5-coder:1.5b');
    assert.equal(body.prompt, '<|fim_prefix|>// Path: src/total.ts\nfunction f(items: string[]) {\n  const total = <|fim_suffix|>\n}\n<|fim_middle|>');
    assert.equal(body.stream, false);
    assert.deepEqual(statuses, [{ state: 'loading' }, { state: 'idle' }]);
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0] ?? '', /^textDocument\/inlineCompletion model=qwen2\.5-coder:1\.5b host=127\.0\.0\.1:\d+ status=200 total=\d+ms template=qwen/);
    assert.doesNotMatch(logs[0] ?? '', /items/, 'no contents in the log');
  });

  it('never completes in a secrets file (.env, keys): nothing is sent', async () => {
    const answer = await engine.provide({ uri: 'file:///work/app/.env.local', languageId: 'dotenv', text: 'API_KEY=sk-live-123\nDB_PASSWORD=', offset: 32, triggerKind: 1 }, settings, new AbortController().signal);
    assert.equal(answer, undefined);
    assert.equal(server.requests.length, 0);
  });

  it('answers typing along the suggestion from the cache, without a model call', async () => {
    const first = provide('const total = |\n');
    await clock.advanceBy(75);
    assert.equal((await first)?.insertText, 'items.length;');
    const along = await provide('const total = ite|\n');
    assert.deepEqual([along?.insertText, along?.source], ['ms.length;', 'cache']);
    const back = await provide('const total = it|\n');
    assert.equal(back?.insertText, 'ems.length;');
    assert.equal(server.requests.length, 1);
    const stats = engine.snapshot();
    assert.deepEqual([stats.requests, stats.cacheHits, stats.modelCalls], [3, 2, 1]);
    assert.equal(stats.overheadMs.count, 3);
  });

  it('a cancelled request aborts its HTTP request once the grace period is over (closedEarly)', async () => {
    server.setDefaultReply({ kind: 'hang' });
    const cancel = new AbortController();
    const pending = provide('const total = |\n', cancel.signal);
    await clock.advanceBy(75);
    const request = await server.waitForRequest();
    cancel.abort();
    assert.equal(await pending, undefined);
    await turns();
    assert.equal(request.closedEarly, false, 'kept alive for a request that could reuse it');
    await clock.advanceBy(75);
    await server.waitForClose(request);
    assert.equal(request.closedEarly, true);
    const stats = engine.snapshot();
    assert.deepEqual([stats.modelCalls, stats.modelCallsCancelled, stats.debounced], [1, 1, 0]);
    assert.deepEqual(statuses, [{ state: 'loading' }, { state: 'idle' }]);
  });

  it('a request that cannot reuse the orphaned call aborts it at once', async () => {
    server.setDefaultReply({ kind: 'hang' });
    const cancel = new AbortController();
    const pending = provide('const total = |\n', cancel.signal);
    await clock.advanceBy(75);
    const request = await server.waitForRequest();
    cancel.abort();
    await pending;
    const next = provide('const tota|\n');
    await server.waitForClose(request);
    assert.equal(request.closedEarly, true);
    assert.equal(engine.snapshot().modelCallsCancelled, 1);
    await clock.advanceBy(75);
    await server.waitForRequest((r) => r !== request);
    engine.dispose();
    assert.equal(await next, undefined);
  });

  it('a request that continues the text of a call in flight joins it and gets the rest', async () => {
    let release: () => void = () => undefined;
    server.enqueue({ kind: 'json', text: 'items.length;', holdUntil: new Promise<void>((resolve) => (release = resolve)) });
    const cancel = new AbortController();
    const first = provide('const total = |\n', cancel.signal);
    await clock.advanceBy(75);
    await server.waitForRequest();
    cancel.abort();
    await first;
    const second = provide('const total = it|\n');
    await turns();
    release();
    const answer = await second;
    assert.deepEqual([answer?.insertText, answer?.source], ['ems.length;', 'inFlight']);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]?.closedEarly, false);
    const stats = engine.snapshot();
    assert.deepEqual([stats.reusedInFlight, stats.modelCallsCancelled], [1, 0]);
  });

  it('a joined call whose suggestion does not fit falls back to a call of its own', async () => {
    let release: () => void = () => undefined;
    server.enqueue({ kind: 'json', text: 'items.length;', holdUntil: new Promise<void>((resolve) => (release = resolve)) });
    server.enqueue({ kind: 'json', text: 'ount;' });
    const cancel = new AbortController();
    const first = provide('const total = |\n', cancel.signal);
    await clock.advanceBy(75);
    await server.waitForRequest();
    cancel.abort();
    await first;
    const second = provide('const total = c|\n');
    await turns();
    release();
    await clock.advanceBy(75);
    assert.equal((await second)?.insertText, 'ount;');
    assert.equal(server.requests.length, 2);
  });

  it('a newer request in the same document supersedes one still in its debounce', async () => {
    const first = provide('const total = |\n');
    const second = provide('const total = i|\n');
    assert.equal(await first, undefined);
    await clock.advanceBy(75);
    assert.equal((await second)?.insertText, 'items.length;');
    assert.equal(server.requests.length, 1);
    assert.equal(engine.snapshot().debounced, 1);
  });

  it('an explicit invocation does not wait for the debounce', async () => {
    const answer = await provide('const total = |\n', undefined, 1);
    assert.equal(answer?.insertText, 'items.length;');
  });

  it('reports a missing model with the setting to change, and recovers', async () => {
    const missing = completionSettings(server.baseUrl, { completionModel: 'nope' });
    const pending = provide('const total = |\n', undefined, 1, missing);
    assert.equal(await pending, undefined);
    const host = new URL(server.baseUrl).host;
    assert.deepEqual(statuses, [{ state: 'loading' }, { state: 'error', message: `Completion model “nope” not found at ${host} (404). Set tandem.completionModel.` }]);
    await provide('const total = |\n', undefined, 1);
    assert.deepEqual(statuses.at(-1), { state: 'idle' });
  });

  it('reports an endpoint without /v1/completions and a missing configuration', async () => {
    server.enqueue({ kind: 'error', status: 404, body: { error: { message: 'Invalid URL (POST /v1/completions)', type: 'invalid_request_error' } } });
    await provide('x = |', undefined, 1, completionSettings(server.baseUrl, { completionModel: 'plain-model' }));
    assert.deepEqual(statuses.at(-1), { state: 'error', message: "The completion endpoint does not support /v1/completions (404); set tandem.completions.template to 'chat'." });
    await provide('x = |', undefined, 1, completionSettings(''));
    assert.deepEqual(statuses.at(-1), { state: 'error', message: 'Inline completions have no endpoint: set tandem.baseUrl (or tandem.completions.baseUrl).' });
  });

  it('uses the suffix parameter for unknown models and the chat endpoint for chat models', async () => {
    await provide('const a = |;\n', undefined, 1, completionSettings(server.baseUrl, { completionModel: 'plain-model' }));
    const suffixBody = bodyOf(server.requests[0] as RecordedRequest);
    assert.equal(suffixBody.suffix, ';\n');
    assert.equal(suffixBody.prompt, '// Path: src/total.ts\nconst a = ');
    server.enqueue({ kind: 'json', text: '```ts\nitems.length;\n```' });
    const answer = await provide('function f(items: string[]) {\n  const total = |\n}\n', undefined, 1, completionSettings(server.baseUrl, { completionModel: 'gpt-4.1-mini' }));
    assert.equal(answer?.insertText, 'items.length;');
    assert.equal(server.chatRequests().length, 1);
  });

  it('keeps CRLF line breaks and the file indentation', async () => {
    server.enqueue({ kind: 'json', text: 'if (x) {\n\t\treturn 1;\n\t}' });
    const answer = await provide('function f(x) {\r\n  const y = x;\r\n  |\r\n}\r\n', undefined, 1);
    assert.equal(answer?.insertText, 'if (x) {\r\n    return 1;\r\n  }');
  });

  it('replaces the rest of the line when the suggestion ends with it', async () => {
    server.enqueue({ kind: 'json', text: 'total + 1;' });
    const answer = await provide('const next = |;\n', undefined, 1);
    assert.deepEqual([answer?.insertText, answer?.replace], ['total + 1;', 1]);
  });
});
