import assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { classifyError, toChatError, type ErrorContext } from '../../../src/server/providers/errors';
import { InactivityTimeoutError, MalformedChunkError, StreamCutError } from '../../../src/server/providers/streamErrors';

const KEY = 'sk-test-secret-key-0123456789';
const context: ErrorContext = {
  baseUrl: 'http://127.0.0.1:11434/v1',
  model: 'llama3',
  apiKey: KEY,
  retries: 0,
  hasContent: false,
  timeoutSeconds: 60,
};

function httpError(status: number, body?: object | string, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, typeof body === 'string' ? undefined : body, typeof body === 'string' ? body : undefined, new Headers(headers));
}

function netError(code: string): APIConnectionError {
  const cause = Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
  return new APIConnectionError({ cause: Object.assign(new TypeError('fetch failed'), { cause }) });
}

describe('error mapping', () => {
  it('401 and 403 → auth with the Set API Key action', () => {
    const error = toChatError(httpError(401, { error: { message: 'Incorrect API key provided' } }), context);
    assert.deepEqual(error, {
      kind: 'auth',
      status: 401,
      action: 'setApiKey',
      message: 'The model service rejected the API key (401). Set a valid key with “Tandem: Set API Key”.',
    });
    assert.equal(toChatError(httpError(403), context).kind, 'auth');
    assert.match(toChatError(httpError(401), { ...context, apiKey: '' }).message, /requires an API key \(401\)/);
  });

  it('404 → modelNotFound with the Choose Model action, naming the model', () => {
    const error = toChatError(httpError(404, { error: { message: 'model "llama3" not found' } }), context);
    assert.equal(error.kind, 'modelNotFound');
    assert.equal(error.action, 'pickModel');
    assert.equal(error.status, 404);
    assert.match(error.message, /“llama3” was not found at http:\/\/127\.0\.0\.1:11434\/v1/);
  });

  it('429 → rateLimited + retry, retryable; says when retries are exhausted', () => {
    const error = httpError(429, { error: { message: 'slow down' } }, { 'retry-after': '3' });
    const failure = classifyError(error);
    assert.equal(failure.kind, 'rateLimited');
    assert.equal(failure.retryable, true);
    assert.equal(failure.headers?.get('retry-after'), '3');
    assert.deepEqual(toChatError(error, context), {
      kind: 'rateLimited',
      status: 429,
      action: 'retry',
      message: 'Rate limited by the model service (429). Wait a moment and try again.',
    });
    assert.match(toChatError(error, { ...context, retries: 2 }).message, /still rate limited after 2 retries/);
    assert.match(toChatError(error, { ...context, retries: 1 }).message, /still rate limited after 1 retry\./);
  });

  it('5xx → server + retry, retryable, with the server message', () => {
    for (const status of [500, 502, 503]) {
      const failure = classifyError(httpError(status, { error: { message: 'overloaded.' } }));
      assert.equal(failure.kind, 'server');
      assert.equal(failure.retryable, true);
    }
    const error = toChatError(httpError(503, { error: { message: 'overloaded.' } }), { ...context, retries: 2 });
    assert.equal(error.action, 'retry');
    assert.equal(error.message, 'The model service had an internal error (503): overloaded; still failing after 2 retries.');
  });

  it('400 → badRequest with the server message (JSON, string error or plain text body)', () => {
    const json = toChatError(httpError(400, { error: { message: 'context length exceeded' } }), context);
    assert.equal(json.kind, 'badRequest');
    assert.equal(json.message, 'The model service rejected the request (400): context length exceeded.');
    assert.equal(classifyError(httpError(400, { error: { message: 'x' } })).retryable, false);
    assert.match(toChatError(httpError(400, { error: 'bad temperature' }), context).message, /: bad temperature\.$/);
    assert.match(toChatError(httpError(400, 'plain text problem'), context).message, /: plain text problem\.$/);
    assert.equal(toChatError(httpError(422, { error: { message: 'x' } }), context).kind, 'badRequest');
  });

  it('timeouts → timeout + retry', () => {
    for (const error of [new InactivityTimeoutError(60), new APIConnectionTimeoutError(), netError('UND_ERR_CONNECT_TIMEOUT')]) {
      const mapped = toChatError(error, context);
      assert.equal(mapped.kind, 'timeout');
      assert.equal(mapped.action, 'retry');
    }
    assert.equal(toChatError(new InactivityTimeoutError(60), context).message, 'No data from the model service for 60 s, so the request was abandoned.');
    assert.match(toChatError(new InactivityTimeoutError(60), { ...context, hasContent: true }).message, /what arrived is kept/);
  });

  it('refused connection → connection + openSettings, mentions the base URL, retryable', () => {
    const failure = classifyError(netError('ECONNREFUSED'));
    assert.equal(failure.retryable, true);
    const error = toChatError(netError('ECONNREFUSED'), context);
    assert.deepEqual(error, {
      kind: 'connection',
      action: 'openSettings',
      message: 'Could not connect to http://127.0.0.1:11434/v1 — is the server running?',
    });
    assert.match(toChatError(netError('ECONNREFUSED'), { ...context, retries: 2 }).message, /Still refused after 2 retries/);
  });

  it('finds the code inside an AggregateError (localhost resolving to ::1 and 127.0.0.1)', () => {
    const inner = [Object.assign(new Error('a'), { code: 'ECONNREFUSED' }), Object.assign(new Error('b'), { code: 'ECONNREFUSED' })];
    const error = new APIConnectionError({ cause: Object.assign(new TypeError('fetch failed'), { cause: new AggregateError(inner) }) });
    assert.equal(classifyError(error).kind, 'connection');
    assert.equal(classifyError(error).retryable, true);
  });

  it('unknown host → connection + openSettings, not retried; reset before answer → connection + retry', () => {
    const host = toChatError(netError('ENOTFOUND'), context);
    assert.equal(host.kind, 'connection');
    assert.equal(host.action, 'openSettings');
    assert.match(host.message, /Could not find the host of http:\/\/127\.0\.0\.1:11434\/v1/);
    assert.equal(classifyError(netError('ENOTFOUND')).retryable, false);
    const reset = toChatError(netError('ECONNRESET'), context);
    assert.equal(reset.kind, 'connection');
    assert.equal(reset.action, 'retry');
    assert.equal(classifyError(netError('ECONNRESET')).retryable, false);
    // A plain Node error (no SDK wrapper) is understood as well.
    assert.equal(classifyError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).kind, 'connection');
  });

  it('stream cut → streamCut + retry, with the partial-answer wording when text arrived', () => {
    const error = toChatError(new StreamCutError('terminated'), { ...context, hasContent: true });
    assert.deepEqual(error, {
      kind: 'streamCut',
      action: 'retry',
      message: 'The connection dropped after part of the answer; what arrived is kept.',
    });
    assert.match(toChatError(new StreamCutError('x'), context).message, /before answering/);
  });

  it('malformed chunk (ours or a raw SyntaxError) → malformed + retry', () => {
    for (const error of [new MalformedChunkError(), new SyntaxError('Unexpected token')]) {
      const mapped = toChatError(error, context);
      assert.equal(mapped.kind, 'malformed');
      assert.equal(mapped.action, 'retry');
    }
  });

  it('an error event inside the stream → server with its message', () => {
    const error = new APIError(undefined, { message: 'model crashed' }, undefined, undefined);
    assert.deepEqual(toChatError(error, context), { kind: 'server', action: 'retry', message: 'The model service reported an error: model crashed.' });
  });

  it('user aborts are classified as cancelled; anything else → unknown + showLog', () => {
    assert.equal(classifyError(new APIUserAbortError()).kind, 'cancelled');
    const unknown = toChatError(new Error('boom'), context);
    assert.equal(unknown.kind, 'unknown');
    assert.equal(unknown.action, 'showLog');
    assert.match(unknown.message, /boom/);
    assert.equal(toChatError('a string', context).kind, 'unknown');
  });

  it('never lets the API key (or a key-shaped string) into a message', () => {
    const leaky = [
      httpError(401, { error: { message: `Incorrect API key provided: ${KEY}` } }),
      httpError(400, { error: { message: `bad header Authorization: Bearer ${KEY}` } }),
      httpError(500, { error: { message: 'echo sk-someotherkey1234567890' } }),
      new Error(`failed with ${KEY}`),
    ];
    for (const error of leaky) {
      const { message } = toChatError(error, context);
      assert.ok(!message.includes(KEY), message);
      assert.ok(!message.includes('sk-someotherkey'), message);
    }
  });
});
