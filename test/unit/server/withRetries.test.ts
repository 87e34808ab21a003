/**
 * One retry policy for every model request: a chat and an agent turn, given
 * the same generated failures (scripted provider, injected sleep and clock),
 * make the same attempts, announce the same waits and end the same way, and
 * that is the policy a person is promised: 429, 5xx and refused connections
 * retried at most maxRetries times, never once text has streamed, after the
 * server's retry-after (capped at 30 s) or a backoff from 500 ms (capped at
 * 8 s), and Stop during a wait ends the request as cancelled.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APIError } from 'openai';
import { runAgent } from '../../../src/server/agent/agentLoop';
import type { TurnResult } from '../../../src/server/agent/modelTurn';
import { DEFAULT_AGENT_SETTINGS } from '../../../src/server/agent/validate';
import { runChat } from '../../../src/server/chat/chatRunner';
import { ServiceLog } from '../../../src/server/log';
import type { ChatStreamResult } from '../../../src/server/providers/openaiChat';
import type { Clock } from '../../../src/server/services/clock';
import { DEFAULT_COMPLETION_SETTINGS } from '../../../src/shared/defaults';
import type { ChatNoticeParams, TandemSettings } from '../../../src/shared/protocol';
import { pick, seededRandom } from '../../support/random';

const BASE_URL = 'http://127.0.0.1:9/v1';
const NOW = Date.parse('2025-01-01T00:00:00Z');
const SCRIPTS = 300;

type Attempt =
  | { kind: 'ok' }
  | { kind: 'rateLimited'; header: 'none' | 'seconds' | 'ms' | 'date' | 'pastDate' | 'garbage'; value: number }
  | { kind: 'server'; status: number }
  | { kind: 'refused' }
  | { kind: 'badRequest' }
  /** Text streams, then the connection fails: never retried. */
  | { kind: 'partial' };

interface Script {
  seed: number;
  maxRetries: number;
  attempts: Attempt[];
  /** Stop during this wait (1-based), if any. */
  stopAtWait?: number;
}

interface Observed {
  calls: number;
  waits: number[];
  notices: Array<Omit<ChatNoticeParams, 'streamId'>>;
  ending: string;
}

describe('withRetries: chat and agent turns retry alike (generated failure scripts)', function () {
  this.timeout(60_000);
  let root: string;
  before(() => (root = mkdtempSync(path.join(os.tmpdir(), 'tandem-retries-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it(`${SCRIPTS} scripts: the same attempts, notices, waits and ending as the policy says`, async () => {
    for (let seed = 1; seed <= SCRIPTS; seed++) {
      const script = generate(seed);
      const expected = policy(script);
      const chat = await throughChat(script);
      const agent = await throughAgent(script, root);
      assert.deepEqual(chat, expected, `chat, seed ${seed}: ${JSON.stringify(script)}`);
      assert.deepEqual(agent, expected, `agent, seed ${seed}: ${JSON.stringify(script)}`);
    }
  });

  it('covers every ending and every kind of wait', () => {
    const endings = new Set<string>();
    const headers = new Set<string>();
    for (let seed = 1; seed <= SCRIPTS; seed++) {
      const script = generate(seed);
      endings.add(policy(script).ending);
      for (const attempt of script.attempts) if (attempt.kind === 'rateLimited') headers.add(attempt.header);
    }
    assert.deepEqual([...endings].sort(), ['cancelled', 'done', 'error:badRequest', 'error:connection', 'error:rateLimited', 'error:server']);
    assert.equal(headers.size, 6);
  });
});

function generate(seed: number): Script {
  const random = seededRandom(seed);
  const attempts: Attempt[] = [];
  const length = 1 + Math.floor(random() * 5);
  for (let i = 0; i < length; i++) {
    const kind = pick(random, ['ok', 'rateLimited', 'rateLimited', 'server', 'server', 'refused', 'badRequest', 'partial'] as const);
    if (kind === 'rateLimited') {
      attempts.push({ kind, header: pick(random, ['none', 'seconds', 'ms', 'date', 'pastDate', 'garbage'] as const), value: 1 + Math.floor(random() * 60) });
    } else if (kind === 'server') {
      attempts.push({ kind, status: pick(random, [500, 502, 503, 504]) });
    } else {
      attempts.push({ kind });
    }
    if (kind === 'ok') break;
  }
  const maxRetries = Math.floor(random() * 4);
  const stopAtWait = random() < 0.25 ? 1 + Math.floor(random() * 3) : undefined;
  return { seed, maxRetries, attempts, ...(stopAtWait !== undefined ? { stopAtWait } : {}) };
}

/** The promised policy, written out independently of the code under test. */
function policy(script: Script): Observed {
  const observed: Observed = { calls: 0, waits: [], notices: [], ending: '' };
  for (let index = 0; ; index++) {
    const attempt = script.attempts[index] ?? { kind: 'ok' };
    observed.calls += 1;
    if (attempt.kind === 'ok') return { ...observed, ending: 'done' };
    if (attempt.kind === 'partial') return { ...observed, ending: 'error:server' };
    if (attempt.kind === 'badRequest') return { ...observed, ending: 'error:badRequest' };
    const kind = attempt.kind === 'refused' ? 'connection' : attempt.kind;
    const retry = observed.waits.length + 1;
    if (retry > script.maxRetries) return { ...observed, ending: `error:${kind}` };
    const delayMs = attempt.kind === 'rateLimited' ? (serverDelay(attempt) ?? backoff(retry)) : backoff(retry);
    const what = attempt.kind === 'rateLimited' ? 'Rate limited by the model service (429)' : attempt.kind === 'server' ? `The model service failed (${attempt.status})` : `Could not connect to ${BASE_URL}`;
    observed.waits.push(delayMs);
    observed.notices.push({ kind: 'retrying', attempt: retry, delayMs, message: `${what}; retrying in ${Math.round(delayMs / 100) / 10} s (attempt ${retry} of ${script.maxRetries}).` });
    if (script.stopAtWait === retry) return { ...observed, ending: 'cancelled' };
  }
}

function backoff(retry: number): number {
  return Math.min(8000, 500 * 2 ** (retry - 1));
}

function serverDelay(attempt: Extract<Attempt, { kind: 'rateLimited' }>): number | undefined {
  switch (attempt.header) {
    case 'seconds':
      return Math.min(30_000, attempt.value * 1000);
    case 'ms':
      return Math.min(30_000, attempt.value * 100);
    case 'date':
      return Math.min(30_000, attempt.value * 1000);
    case 'pastDate':
      return 0;
    default:
      return undefined;
  }
}

function headersOf(attempt: Extract<Attempt, { kind: 'rateLimited' }>): Headers {
  switch (attempt.header) {
    case 'seconds':
      return new Headers({ 'retry-after': String(attempt.value) });
    case 'ms':
      return new Headers({ 'retry-after-ms': String(attempt.value * 100) });
    case 'date':
      return new Headers({ 'retry-after': new Date(NOW + attempt.value * 1000).toUTCString() });
    case 'pastDate':
      return new Headers({ 'retry-after': new Date(NOW - attempt.value * 1000).toUTCString() });
    case 'garbage':
      return new Headers({ 'retry-after': 'soon' });
    case 'none':
      return new Headers();
  }
}

/** Plays attempt number `index` of the script: returns for 'ok', else throws what that failure looks like. */
function play(script: Script, index: number, onText: (text: string) => void): void {
  const attempt = script.attempts[index] ?? { kind: 'ok' };
  switch (attempt.kind) {
    case 'ok':
      onText('done');
      return;
    case 'rateLimited':
      throw APIError.generate(429, { error: { message: 'slow down' } }, undefined, headersOf(attempt));
    case 'server':
      throw APIError.generate(attempt.status, { error: { message: 'busy' } }, undefined, new Headers());
    case 'refused':
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    case 'badRequest':
      throw APIError.generate(400, { error: { message: 'no' } }, undefined, new Headers());
    case 'partial':
      onText('partial ');
      throw APIError.generate(503, { error: { message: 'gone' } }, undefined, new Headers());
  }
}

/** What both requests get: the script's clock, a sleep that records each wait and Stop at the scripted one. */
function harness(script: Script): {
  observed: Observed;
  controller: AbortController;
  clock: Clock;
  sleep: (ms: number, signal: AbortSignal) => Promise<boolean>;
  sendNotice: (notice: ChatNoticeParams) => void;
  log: ServiceLog;
  settings: TandemSettings;
} {
  const observed: Observed = { calls: 0, waits: [], notices: [], ending: '' };
  const controller = new AbortController();
  return {
    observed,
    controller,
    clock: { now: () => NOW, setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
    sleep: async (ms) => {
      observed.waits.push(ms);
      if (script.stopAtWait === observed.waits.length) {
        controller.abort();
        return false;
      }
      return true;
    },
    sendNotice: ({ streamId: _streamId, ...notice }) => observed.notices.push(notice),
    log: new ServiceLog({ info: () => undefined, warn: () => undefined, error: () => undefined }),
    settings: { baseUrl: BASE_URL, model: 'm', completionModel: 'm', apiKey: '', logContents: false, requestTimeout: 60, maxRetries: script.maxRetries, completions: DEFAULT_COMPLETION_SETTINGS },
  };
}

async function throughChat(script: Script): Promise<Observed> {
  const { observed, controller, clock, sleep, sendNotice, log, settings } = harness(script);
  const result = await runChat({ streamId: 'c', messages: [{ role: 'user', content: 'hi' }], context: [] }, settings, controller.signal, {
    sendDelta: () => undefined,
    sendNotice,
    log,
    clock,
    sleep,
    stream: async (_request, _signal, onText): Promise<ChatStreamResult> => {
      play(script, observed.calls++, onText);
      return { finishReason: 'stop', status: 200 };
    },
  });
  return { ...observed, ending: result.error ? `error:${result.error.kind}` : result.finishReason === 'cancelled' ? 'cancelled' : 'done' };
}

async function throughAgent(script: Script, root: string): Promise<Observed> {
  const { observed, controller, clock, sleep, sendNotice, log, settings } = harness(script);
  const result = await runAgent({ streamId: 'a', messages: [{ role: 'user', content: 'hi' }], root, settings: { ...DEFAULT_AGENT_SETTINGS } }, settings, controller.signal, {
    sendDelta: () => undefined,
    sendNotice,
    sendStep: () => undefined,
    sendProgress: () => undefined,
    callClient: () => Promise.reject(new Error('no client tools in this test')),
    log,
    clock,
    sleep,
    stream: async (_request, _signal, onText): Promise<TurnResult> => {
      play(script, observed.calls++, onText);
      return { text: 'done', toolCalls: [], finishReason: 'stop', status: 200 };
    },
  });
  return { ...observed, ending: result.error ? `error:${result.error.kind}` : result.finishReason === 'cancelled' ? 'cancelled' : 'done' };
}
