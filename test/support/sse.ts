/**
 * Writes a scripted `stream` reply as OpenAI server-sent events, including the failure modes
 * (dropped connection, malformed event, stall) that clients must survive.
 */
import type { ServerResponse } from 'node:http';
import type { RecordedRequest, Reply } from './modelServer';
import {
  deltaChunk,
  estimatePromptTokens,
  isRecord,
  newId,
  newToolCallId,
  requestedModel,
  tokenize,
  unixSeconds,
  usageChunk,
  usageOf,
  type ChatDelta,
  type ChunkHeader,
  type Endpoint,
  type ToolCallScript,
  type Usage,
} from './openaiWire';

export type StreamReply = Extract<Reply, { kind: 'stream' }>;

/** One request/response pair while its reply is being written. */
export interface Exchange {
  res: ServerResponse;
  record: RecordedRequest;
  requestId: string;
  /** Aborted as soon as the connection closes, so pending waits and writes stop at once. */
  signal: AbortSignal;
  /** Set once the last byte of the reply has been handed over; a close after that is not "early". */
  finished: boolean;
  /** Set when the server itself cuts the connection (drop, close()); that is not a client abort. */
  closedByServer: boolean;
}

/** The connection went away while a reply was being written; the writer just stops. */
export class ConnectionGone extends Error {
  constructor() {
    super('connection closed');
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ConnectionGone());
    if (ms <= 0) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ConnectionGone());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for `promise` (whatever its outcome); throws ConnectionGone as soon as the connection closes. */
export function hold(promise: Promise<unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ConnectionGone());
    const onAbort = (): void => reject(new ConnectionGone());
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    promise.then(done, done);
  });
}

/** Resolves once the bytes are handed to the socket, which also gives natural backpressure. */
function write(ex: Exchange, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ex.signal.aborted) return reject(new ConnectionGone());
    const onAbort = (): void => reject(new ConnectionGone());
    ex.signal.addEventListener('abort', onAbort, { once: true });
    ex.res.write(data, (error) => {
      ex.signal.removeEventListener('abort', onAbort);
      if (error) reject(new ConnectionGone());
      else resolve();
    });
  });
}

class EventWriter {
  private sentAny = false;

  constructor(
    private readonly ex: Exchange,
    private readonly reply: StreamReply,
  ) {}

  async data(payload: object | string): Promise<void> {
    if (this.reply.keepAlive && this.sentAny) await write(this.ex, ': keep-alive\n\n');
    this.sentAny = true;
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    await this.frame(`data: ${text}\n\n`);
  }

  /**
   * Split writes cut mid-JSON and between the two terminating newlines. The first cut goes inside
   * the first multi-byte character when there is one, because decoding each network read on its
   * own is a classic client bug.
   */
  private async frame(event: string): Promise<void> {
    if (!this.reply.splitWrites) return write(this.ex, event);
    const bytes = Buffer.from(event, 'utf8');
    const multiByteStart = bytes.findIndex((byte) => byte >= 0xc0);
    const middle = multiByteStart >= 0 ? multiByteStart + 1 : Math.floor(bytes.length / 2);
    const cuts = [0, middle, bytes.length - 1, bytes.length];
    for (let i = 0; i < cuts.length - 1; i++) {
      await write(this.ex, bytes.subarray(cuts[i], cuts[i + 1]));
      // A short pause so the pieces leave as separate TCP segments instead of being coalesced.
      if (i < cuts.length - 2) await sleep(1, this.ex.signal);
    }
  }
}

function toolCallDeltas(call: ToolCallScript, index: number): ChatDelta[] {
  const opening: ChatDelta = {
    tool_calls: [{ index, id: call.id ?? newToolCallId(), type: 'function', function: { name: call.name, arguments: '' } }],
  };
  const argumentPieces = tokenize(call.arguments).map((piece): ChatDelta => ({ tool_calls: [{ index, function: { arguments: piece } }] }));
  return [opening, ...argumentPieces];
}

/** Every delta after the role chunk, in order; each is one "token" of the completion. */
export function plannedDeltas(reply: StreamReply, endpoint: Endpoint): ChatDelta[] {
  const content = reply.chunks ?? tokenize(reply.text ?? '');
  const deltas: ChatDelta[] = content.map((piece) => ({ content: piece }));
  if (endpoint === 'chat') (reply.toolCalls ?? []).forEach((call, index) => deltas.push(...toolCallDeltas(call, index)));
  return deltas;
}

function requestedUsage(body: unknown): boolean {
  return isRecord(body) && isRecord(body.stream_options) && body.stream_options.include_usage === true;
}

/** The usage to report at the end, or undefined when no usage chunk is sent. */
function usagePlan(reply: StreamReply, body: unknown): ((chunks: number) => Usage) | undefined {
  const setting = reply.usage ?? requestedUsage(body);
  if (setting === false) return undefined;
  if (setting === true) return (chunks) => usageOf(estimatePromptTokens(body), chunks);
  return () => setting;
}

/** Due times are computed from the start, so timer lateness does not accumulate over a long answer. */
function pacer(reply: StreamReply, signal: AbortSignal): (index: number) => Promise<void> {
  const interval = reply.chunkDelayMs ?? (reply.tokensPerSecond ? 1000 / reply.tokensPerSecond : 0);
  const start = Date.now();
  return (index) => (interval > 0 && index > 0 ? sleep(start + index * interval - Date.now(), signal) : Promise.resolve());
}

type Fault = 'drop' | 'hang' | 'malformed';

/** Which scripted fault (if any) happens before delta `index`; thresholds past the end fire just before the end. */
function faultAt(reply: StreamReply, index: number, total: number): Fault | undefined {
  const at = (threshold: number | undefined): boolean => threshold !== undefined && Math.min(threshold, total) === index;
  if (at(reply.dropAfterChunks)) return 'drop';
  if (at(reply.hangAfterChunks)) return 'hang';
  if (at(reply.malformedAfterChunks)) return 'malformed';
  return undefined;
}

export function sseHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': requestId };
}

/**
 * Streams the reply. Returns normally when the reply ended, dropped or hangs by script;
 * throws ConnectionGone when the client went away first.
 */
export async function sendStream(ex: Exchange, reply: StreamReply, endpoint: Endpoint): Promise<void> {
  await sleep(reply.firstByteDelayMs ?? 0, ex.signal);
  ex.record.status = 200;
  ex.res.writeHead(200, sseHeaders(ex.requestId));
  ex.res.flushHeaders();

  const body = ex.record.body;
  const usage = usagePlan(reply, body);
  const header: ChunkHeader = {
    endpoint,
    id: newId(endpoint),
    created: unixSeconds(),
    model: reply.model ?? requestedModel(body),
    withUsage: usage !== undefined,
  };
  const deltas = plannedDeltas(reply, endpoint);
  const finishReason = reply.finishReason ?? (reply.toolCalls?.length && endpoint === 'chat' ? 'tool_calls' : 'stop');
  const writer = new EventWriter(ex, reply);
  if (endpoint === 'chat') await writer.data(deltaChunk(header, { role: 'assistant', content: '' }, null));

  const pace = pacer(reply, ex.signal);
  for (let index = 0; index <= deltas.length; index++) {
    const fault = faultAt(reply, index, deltas.length);
    if (fault === 'drop') return dropConnection(ex);
    if (fault === 'hang') return;
    if (fault === 'malformed') await writer.data('{not json');
    const delta = deltas[index];
    if (delta === undefined) break;
    await pace(index);
    await writer.data(deltaChunk(header, delta, index === deltas.length - 1 ? finishReason : null));
    ex.record.chunksSent++;
  }
  if (deltas.length === 0) await writer.data(deltaChunk(header, {}, finishReason));
  if (usage) await writer.data(usageChunk(header, usage(ex.record.chunksSent)));
  await writer.data('[DONE]');
  ex.finished = true;
  ex.res.end();
}

export function dropConnection(ex: Exchange): void {
  ex.closedByServer = true;
  ex.res.socket?.destroy();
  ex.res.destroy();
}
