/**
 * Stream parsing is linear whatever the model service sends: the body reaches
 * the `openai` package one whole event per chunk (sseGuard.ts), which splits
 * it exactly where the package itself would, so ordinary streams give the
 * same deltas, tool calls and usage; an event over the cap fails the request
 * as a malformed reply and keeps what arrived. Linearity is shown by counting
 * what the package is handed, not by timing it.
 */
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { _iterSSEMessages } from 'openai/core/streaming';
import { callModel, describeCompletionFailure } from '../../src/server/completions/backend';
import { streamTurn } from '../../src/server/agent/modelTurn';
import { classifyError, describeFailure } from '../../src/server/providers/errors';
import { streamChat } from '../../src/server/providers/openaiChat';
import { eventFramer, framedFetch, MAX_EVENT_BYTES, OversizedEventError, type FetchFunction } from '../../src/server/providers/sseGuard';
import { MalformedChunkError } from '../../src/server/providers/streamErrors';
import { ScriptedModelServer, tokenize, type Reply } from '../support/modelServer';
import { pick, seededRandom } from '../support/random';
import { contentEvent, longEventReply, pieces, startRawServer, unterminatedReply, type RawServer } from './hostileStreams';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Where the openai package ends events: the first \n\n, \r\r or \r\n\r\n, by position. Written out plainly as the reference. */
function referenceEvents(body: Uint8Array): Uint8Array[] {
  const events: Uint8Array[] = [];
  let rest = body;
  for (;;) {
    let end = -1;
    for (let i = 0; i < rest.length - 1 && end < 0; i++) {
      const [a, b, c, d] = [rest[i], rest[i + 1], rest[i + 2], rest[i + 3]];
      if ((a === 10 && b === 10) || (a === 13 && b === 13)) end = i + 2;
      else if (a === 13 && b === 10 && c === 13 && d === 10 && i + 3 < rest.length) end = i + 4;
    }
    if (end < 0) break;
    events.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  if (rest.length > 0) events.push(rest);
  return events;
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

/** Random chunk sizes (1 byte to a few hundred) over a body. */
function randomPieces(body: Uint8Array, random: () => number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.length) return controller.close();
      const size = 1 + Math.floor(random() ** 3 * 300);
      controller.enqueue(body.slice(offset, offset + size));
      offset += size;
    },
  });
}

/** Generated SSE bodies: data, comment, event and id lines; LF, CRLF and CR endings, mixed; multi-byte text; sometimes an unterminated tail. */
function generatedBody(random: () => number): Uint8Array {
  const texts = ['hello', ' wörld', ' 😀', '\\n', ' a "quote"', '', ' {braces}', ' ∑x'];
  let body = '';
  const events = 1 + Math.floor(random() * 12);
  for (let e = 0; e < events; e++) {
    const eol = pick(random, ['\n', '\r\n', '\r']);
    if (random() < 0.15) body += `: keep-alive${eol}`;
    if (random() < 0.1) body += `event: message${eol}`;
    if (random() < 0.1) body += `id: ${e}${eol}`;
    const json = JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: pick(random, texts) }, finish_reason: null }] });
    if (random() < 0.15) {
      const cut = Math.floor(json.length / 2);
      body += `data: ${json.slice(0, cut)}${eol}data:${json.slice(cut)}${eol}`;
    } else {
      body += `data: ${json}${eol}`;
    }
    body += random() < 0.2 ? pick(random, ['\n', '\r\n', '\r']) : eol;
  }
  if (random() < 0.2) body += 'data: [DONE]\n\n';
  if (random() < 0.1) body += `data: {"tail":${Math.floor(random() * 100)}}`;
  return encoder.encode(body);
}

/** Every SSE message the openai package reads from a body, and the error it ends with, if any. */
async function sdkMessages(stream: ReadableStream<Uint8Array>): Promise<{ messages: Array<{ event: string | null; data: string; raw: string[] }>; error?: string }> {
  const messages: Array<{ event: string | null; data: string; raw: string[] }> = [];
  try {
    for await (const message of _iterSSEMessages(new Response(stream), new AbortController())) messages.push({ event: message.event, data: message.data, raw: message.raw });
    return { messages };
  } catch (error) {
    return { messages, error: error instanceof Error ? error.name : String(error) };
  }
}

/** An SDK client whose requests are answered with `body` in chunks of `pieceBytes`, through the guard; counts what the package is handed. */
function sdkOver(body: Uint8Array, pieceBytes: number, limit = MAX_EVENT_BYTES): { client: OpenAI; handed: { chunks: number; bytes: number } } {
  const handed = { chunks: 0, bytes: 0 };
  const source: FetchFunction = async () => new Response(pieces(body, pieceBytes), { status: 200, headers: { 'content-type': 'text/event-stream' } });
  const guarded = framedFetch(source, limit);
  const counting: FetchFunction = async (input, init) => {
    const response = await guarded(input, init);
    const count = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        handed.chunks += 1;
        handed.bytes += chunk.length;
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body?.pipeThrough(count) ?? null, { status: response.status, headers: response.headers });
  };
  return { client: new OpenAI({ apiKey: 'x', baseURL: 'http://model.invalid/v1', maxRetries: 0, fetch: counting }), handed };
}

async function streamedText(client: OpenAI): Promise<string> {
  const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

const chatRequest = (baseUrl: string) => ({ baseUrl, apiKey: '', model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], timeoutSeconds: 30 });

describe('model streams: parsing stays linear', function () {
  this.timeout(120_000);

  describe('whole events, split where the openai package splits them', () => {
    it('600 generated bodies in random chunkings: one chunk per event, the same events as the reference split', async () => {
      const random = seededRandom(4242);
      for (let i = 0; i < 600; i++) {
        const body = generatedBody(random);
        const framed = await collect(randomPieces(body, random).pipeThrough(eventFramer()));
        assert.deepEqual(framed.map((event) => decoder.decode(event)), referenceEvents(body).map((event) => decoder.decode(event)), `body ${i}: ${JSON.stringify(decoder.decode(body))}`);
      }
    });

    it('the package reads the same messages from them as from the body in one piece', async () => {
      const random = seededRandom(77);
      for (let i = 0; i < 300; i++) {
        const body = generatedBody(random);
        const whole = await sdkMessages(pieces(body, body.length || 1));
        for (const size of [1, 3, 16, 1 + Math.floor(random() * 64)]) {
          const framed = await sdkMessages(pieces(body, size).pipeThrough(eventFramer()));
          assert.deepEqual(framed, whole, `body ${i} in ${size}-byte pieces: ${JSON.stringify(decoder.decode(body))}`);
        }
      }
    });
  });

  describe('long and unterminated events in small pieces', () => {
    // Unguarded, the package copies and rescans everything buffered on each piece: for a 3 MiB event in 16-byte
    // pieces that is about 196,608 × 1.5 MiB ≈ 3 × 10¹¹ bytes (measured: 1 MiB takes a minute, and it grows 16-fold
    // per 4-fold size). Guarded, it is handed each byte once, in one chunk per event.
    for (const [size, piece] of [
      [3 * 1024 * 1024, 16],
      [512 * 1024, 1],
    ] as const) {
      it(`a ${size / 1024} KiB event in ${piece}-byte pieces: the package is handed each byte once, in one chunk per event`, async () => {
        const body = encoder.encode(longEventReply(size));
        const { client, handed } = sdkOver(body, piece);
        const text = await streamedText(client);
        assert.equal(text, `before ${'x'.repeat(size)} after`);
        assert.equal(handed.bytes, body.length);
        assert.equal(handed.chunks, 4);
      });
    }

    it('an event over the cap fails as malformed, after the events before it were delivered', async () => {
      const body = encoder.encode(unterminatedReply(MAX_EVENT_BYTES + 1024));
      const { client, handed } = sdkOver(body, 4096);
      const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const chunk of stream) seen.push(chunk.choices[0]?.delta?.content ?? '');
        })(),
        (error: unknown) => error instanceof OversizedEventError && error instanceof SyntaxError,
      );
      assert.deepEqual(seen, ['kept ']);
      assert.ok(handed.bytes < 1024, 'the oversized event never reached the package');
    });

    it('a smaller cap applies to every event', async () => {
      const under = await collect(pieces(encoder.encode(contentEvent('x'.repeat(800))), 7).pipeThrough(eventFramer(1024)));
      assert.equal(under.length, 1);
      await assert.rejects(collect(pieces(encoder.encode(contentEvent('x'.repeat(1100))), 7).pipeThrough(eventFramer(1024))), OversizedEventError);
      await assert.rejects(collect(pieces(encoder.encode(contentEvent('x'.repeat(1100))), 4096).pipeThrough(eventFramer(1024))), OversizedEventError);
    });
  });

  describe('through the service, over HTTP', () => {
    let raw: RawServer;
    let scripted: ScriptedModelServer;
    before(async () => {
      raw = await startRawServer();
      scripted = await ScriptedModelServer.start();
    });
    after(async () => {
      await raw.close();
      await scripted.close();
    });

    it('a 3 MiB line sent in 16-byte writes streams through chat intact', async () => {
      raw.reply(longEventReply(3 * 1024 * 1024), 16);
      let text = '';
      const result = await streamChat(chatRequest(raw.baseUrl), new AbortController().signal, (piece) => (text += piece));
      assert.equal(result.finishReason, 'stop');
      assert.equal(text, `before ${'x'.repeat(3 * 1024 * 1024)} after`);
    });

    it('an unterminated line over the cap: a malformed reply, what arrived kept, the person told so', async () => {
      raw.reply(unterminatedReply(MAX_EVENT_BYTES + 64 * 1024), 64 * 1024);
      let text = '';
      const error = await streamChat(chatRequest(raw.baseUrl), new AbortController().signal, (piece) => (text += piece)).then(
        () => assert.fail('the stream was accepted'),
        (failure: unknown) => failure,
      );
      assert.ok(error instanceof MalformedChunkError, String(error));
      assert.equal(text, 'kept ');
      assert.equal(classifyError(error).kind, 'malformed');
      const worded = describeFailure(classifyError(error), { baseUrl: raw.baseUrl, model: 'm', apiKey: '', retries: 0, hasContent: true, timeoutSeconds: 30 });
      assert.match(worded.message, /malformed.*what arrived is kept/);
    });

    it('the same for an agent turn', async () => {
      raw.reply(unterminatedReply(MAX_EVENT_BYTES + 64 * 1024), 64 * 1024);
      let text = '';
      await assert.rejects(
        streamTurn({ ...chatRequest(raw.baseUrl), messages: [{ role: 'user', content: 'hi' }], tools: [] }, new AbortController().signal, (piece) => (text += piece)),
        MalformedChunkError,
      );
      assert.equal(text, 'kept ');
    });

    it('a non-streamed answer over the cap is refused as invalid, not read into memory whole', async () => {
      const huge = JSON.stringify({ id: 'cmpl', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: 'z'.repeat(MAX_EVENT_BYTES), finish_reason: 'stop' }] });
      raw.reply(huge, 64 * 1024, 'application/json');
      const request = { baseUrl: raw.baseUrl, apiKey: '', model: 'm', timeoutMs: 30_000, body: { kind: 'completions' as const, prompt: 'x', stop: [], maxTokens: 16 } };
      const error = await callModel(request, new AbortController().signal).then(
        () => assert.fail('the answer was accepted'),
        (failure: unknown) => failure,
      );
      assert.equal(classifyError(error).kind, 'malformed');
      assert.match(describeCompletionFailure(error, { baseUrl: raw.baseUrl, model: 'm', template: 'suffix', apiKey: '', timeoutMs: 30_000 }), /incomplete or invalid answer/);
    });

    // Ordinary streams, as the scripted model server writes them: every delta, tool call and usage figure as scripted.
    const replies: Array<{ name: string; reply: Extract<Reply, { kind: 'stream' }> }> = [
      { name: 'plain text', reply: { kind: 'stream', text: 'Hello from the scripted model, with ünïcode 😀 and "quotes".' } },
      { name: 'writes split mid-JSON and between the final newlines', reply: { kind: 'stream', text: 'Split ✂ writes keep every piece — even “quotes”.', splitWrites: true } },
      { name: 'keep-alive comments between events', reply: { kind: 'stream', chunks: ['a', 'b', '', 'c\n\nd'], keepAlive: true } },
      { name: 'exact usage and a length finish', reply: { kind: 'stream', text: 'cut short', usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 }, finishReason: 'length' } },
    ];
    for (const { name, reply } of replies) {
      it(`chat, ${name}: the same pieces as scripted`, async () => {
        scripted.enqueue(reply);
        const seen: string[] = [];
        const result = await streamChat(chatRequest(scripted.baseUrl), new AbortController().signal, (piece) => seen.push(piece));
        const expected = (reply.chunks ?? tokenize(reply.text ?? '')).filter((piece) => piece !== '');
        assert.deepEqual(seen, expected);
        assert.equal(result.finishReason, reply.finishReason ?? 'stop');
        if (typeof reply.usage === 'object') assert.deepEqual(result.usage, { promptTokens: 7, completionTokens: 3, totalTokens: 10 });
      });
    }

    it('agent turn: text, two tool calls with arguments split over many events, and usage, as scripted', async () => {
      const calls = [
        { id: 'call_1', name: 'read_file', arguments: JSON.stringify({ path: 'src/ünï.ts', start_line: 1 }) },
        { id: 'call_2', name: 'search_text', arguments: JSON.stringify({ pattern: '(a+)+$', glob: '**/*.ts' }) },
      ];
      scripted.enqueue({ kind: 'stream', text: 'Looking — twice.', toolCalls: calls, splitWrites: true, usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 } });
      let text = '';
      const turn = await streamTurn({ ...chatRequest(scripted.baseUrl), messages: [{ role: 'user', content: 'hi' }], tools: [] }, new AbortController().signal, (piece) => (text += piece));
      assert.equal(text, 'Looking — twice.');
      assert.deepEqual(turn.toolCalls, calls);
      assert.equal(turn.finishReason, 'tool_calls');
      assert.deepEqual(turn.usage, { promptTokens: 11, completionTokens: 5, totalTokens: 16 });
    });
  });
});
