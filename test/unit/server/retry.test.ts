import assert from 'node:assert/strict';
import { APIError } from 'openai';
import { DEFAULT_COMPLETION_SETTINGS } from '../../../src/shared/defaults';
import { formatDelay, retryDelayMs, retryMessage } from '../../../src/server/services/retry';
import { runChat, type ChatRunnerDeps } from '../../../src/server/chat/chatRunner';
import { ServiceLog } from '../../../src/server/log';
import type { StreamChat } from '../../../src/server/providers/openaiChat';
import type { ChatNoticeParams, ChatParams, TandemSettings } from '../../../src/shared/protocol';

const headers = (values: Record<string, string>): Headers => new Headers(values);

describe('retry delays', () => {
  it('backs off exponentially from 500 ms, capped at 8 s', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt, undefined)),
      [500, 1000, 2000, 4000, 8000, 8000, 8000],
    );
  });

  it('honours retry-after-ms, then retry-after in seconds or as an HTTP date, capped at 30 s', () => {
    assert.equal(retryDelayMs(1, headers({ 'retry-after-ms': '1500' })), 1500);
    assert.equal(retryDelayMs(1, headers({ 'retry-after-ms': '250', 'retry-after': '9' })), 250);
    assert.equal(retryDelayMs(3, headers({ 'retry-after': '2' })), 2000);
    assert.equal(retryDelayMs(1, headers({ 'retry-after': '0.5' })), 500);
    assert.equal(retryDelayMs(1, headers({ 'retry-after': '120' })), 30_000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(retryDelayMs(1, headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:04 GMT' }), now), 4000);
    assert.equal(retryDelayMs(1, headers({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now), 0, 'a past date means now');
    assert.equal(retryDelayMs(2, headers({ 'retry-after': 'soon' })), 1000, 'garbage falls back to backoff');
  });

  it('words the notice', () => {
    assert.equal(formatDelay(500), '0.5 s');
    assert.equal(formatDelay(2000), '2 s');
    assert.equal(
      retryMessage({ kind: 'rateLimited', status: 429, retryable: true }, 'http://x/v1', 2000, 1, 2),
      'Rate limited by the model service (429); retrying in 2 s (attempt 1 of 2).',
    );
    assert.equal(
      retryMessage({ kind: 'server', status: 503, retryable: true }, 'http://x/v1', 500, 2, 3),
      'The model service failed (503); retrying in 0.5 s (attempt 2 of 3).',
    );
    assert.equal(
      retryMessage({ kind: 'connection', net: 'refused', retryable: true }, 'http://x/v1', 1000, 1, 2),
      'Could not connect to http://x/v1; retrying in 1 s (attempt 1 of 2).',
    );
  });
});

describe('chat retry policy (scripted provider, injected sleep)', () => {
  const settings: TandemSettings = {
    baseUrl: 'http://127.0.0.1:9/v1',
    model: 'm',
    completionModel: 'm',
    apiKey: '',
    logContents: false,
    requestTimeout: 60,
    maxRetries: 2,
    completions: DEFAULT_COMPLETION_SETTINGS,
  };
  const params: ChatParams = { streamId: 's1', messages: [{ role: 'user', content: 'hi' }], context: [] };
  const rateLimited = (): APIError => APIError.generate(429, { error: { message: 'slow' } }, undefined, headers({ 'retry-after': '3' }));
  const serverError = (): APIError => APIError.generate(503, { error: { message: 'busy' } }, undefined, headers({}));

  function harness(script: Array<(onText: (text: string) => void) => void>): {
    deps: ChatRunnerDeps;
    notices: ChatNoticeParams[];
    waits: number[];
    calls: () => number;
  } {
    let call = 0;
    const notices: ChatNoticeParams[] = [];
    const waits: number[] = [];
    const stream: StreamChat = async (_request, _signal, onText) => {
      const step = script[call++];
      assert.ok(step, 'more provider calls than scripted');
      step(onText);
      return { finishReason: 'stop', status: 200 };
    };
    const deps: ChatRunnerDeps = {
      sendDelta: () => undefined,
      sendNotice: (notice) => notices.push(notice),
      log: new ServiceLog({ info: () => undefined, warn: () => undefined, error: () => undefined }),
      sleep: async (ms) => {
        waits.push(ms);
        return true;
      },
      stream,
    };
    return { deps, notices, waits, calls: () => call };
  }

  it('429 with retry-after, then success: waits as told and announces each wait', async () => {
    const { deps, notices, waits } = harness([
      () => {
        throw rateLimited();
      },
      (onText) => onText('done'),
    ]);
    const result = await runChat(params, settings, new AbortController().signal, deps);
    assert.equal(result.text, 'done');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.error, undefined);
    assert.deepEqual(waits, [3000]);
    assert.deepEqual(notices, [
      { streamId: 's1', kind: 'retrying', attempt: 1, delayMs: 3000, message: 'Rate limited by the model service (429); retrying in 3 s (attempt 1 of 2).' },
    ]);
  });

  it('gives up after maxRetries and says so', async () => {
    const { deps, notices, waits, calls } = harness([0, 1, 2].map(() => () => {
      throw serverError();
    }));
    const result = await runChat(params, settings, new AbortController().signal, deps);
    assert.equal(calls(), 3);
    assert.deepEqual(waits, [500, 1000]);
    assert.deepEqual(notices.map((notice) => notice.attempt), [1, 2]);
    assert.equal(result.finishReason, 'error');
    assert.equal(result.error?.kind, 'server');
    assert.match(result.error?.message ?? '', /still failing after 2 retries/);
  });

  it('never retries once content has streamed', async () => {
    const { deps, calls } = harness([
      (onText) => {
        onText('partial ');
        throw serverError();
      },
    ]);
    const result = await runChat(params, settings, new AbortController().signal, deps);
    assert.equal(calls(), 1);
    assert.equal(result.text, 'partial ');
    assert.equal(result.finishReason, 'error');
  });

  it('does not retry with maxRetries 0, nor errors that are not retryable', async () => {
    const first = harness([() => {
      throw rateLimited();
    }]);
    const noRetries = await runChat(params, { ...settings, maxRetries: 0 }, new AbortController().signal, first.deps);
    assert.equal(noRetries.error?.kind, 'rateLimited');
    assert.equal(first.waits.length, 0);
    const second = harness([() => {
      throw APIError.generate(400, { error: { message: 'no' } }, undefined, headers({}));
    }]);
    const bad = await runChat(params, settings, new AbortController().signal, second.deps);
    assert.equal(bad.error?.kind, 'badRequest');
    assert.equal(second.calls(), 1);
  });

  it('a cancel during the wait ends the request as cancelled, without another attempt', async () => {
    const controller = new AbortController();
    const { deps, calls } = harness([() => {
      throw rateLimited();
    }]);
    deps.sleep = async () => {
      controller.abort();
      return false;
    };
    const result = await runChat(params, settings, controller.signal, deps);
    assert.equal(calls(), 1);
    assert.equal(result.finishReason, 'cancelled');
    assert.equal(result.error, undefined);
  });

  it('the real sleep is cancellable', async () => {
    const { sleep } = await import('../../../src/server/util/abort');
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(10_000, controller.signal);
    setImmediate(() => controller.abort());
    assert.equal(await waiting, false);
    assert.ok(Date.now() - started < 1000);
    assert.equal(await sleep(1), true);
  });
});
