/** What the scripted model server tests share: SSE parsing, requests to the server and reading their bodies. */

import assert from 'node:assert/strict';
import http from 'node:http';
import { ScriptedModelServer } from '../support/modelServer';

/**
 * Registers the hooks of a describe that tests the scripted model server: one
 * server (two models, so a test can tell them apart) started before its tests
 * and handed to `use`, reset before each test, closed after them all.
 */
export function useTestServer(use: (server: ScriptedModelServer) => void): void {
  let server: ScriptedModelServer | undefined;
  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model', 'other-model'] });
    use(server);
  });
  after(() => server?.close());
  beforeEach(() => server?.reset());
}

export interface SseEvents {
  /** Parsed `data:` payloads, in order; '[DONE]' and unparseable payloads stay strings. */
  data: unknown[];
  comments: string[];
}

export interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: Array<{ index: number; delta?: { role?: string; content?: string }; text?: string; finish_reason: string | null; logprobs: null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

export function parseSse(text: string): SseEvents {
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

export function chunksOf(events: SseEvents): Chunk[] {
  return events.data.filter((d): d is Chunk => typeof d === 'object' && d !== null);
}

export function contentOf(chunks: Chunk[]): string {
  return chunks.map((c) => c.choices[0]?.delta?.content ?? c.choices[0]?.text ?? '').join('');
}

export const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say hello to me, please' },
];

export function post(server: ScriptedModelServer, body: unknown, init: { path?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(`${server.baseUrl}${init.path ?? '/chat/completions'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

export const streamBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ model: 'test-model', stream: true, messages, ...extra });

/** Reads a streamed body until `enough` says so, then returns what arrived (the body stays open). */
export async function readUntil(response: Response, enough: (text: string) => boolean): Promise<string> {
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
export async function readToEnd(response: Response): Promise<{ text: string; error?: unknown }> {
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
export function rawPieces(server: ScriptedModelServer, body: unknown): Promise<Buffer[]> {
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
