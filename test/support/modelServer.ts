/**
 * A scripted OpenAI-compatible model server for tests: it speaks the real OpenAI wire format on
 * 127.0.0.1 and records every request, so tests can assert on exactly what would have left the
 * machine. Node builtins only, so it also runs bundled inside the VS Code extension host.
 */
import { EventEmitter } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { defaultErrorBody, errorBody, isRecord, modelList, modelObject, newRequestId, type Endpoint, type ToolCallScript, type Usage } from './openaiWire';
import { invalidRequest, modelNotFound, sendJson, serve } from './replies';
import { ConnectionGone, type Exchange } from './sse';

export type { ToolCallScript, Usage } from './openaiWire';
export { lastUserText, tokenize } from './openaiWire';

export type Reply =
  | {
      kind: 'stream';
      /** The answer; split into token-like pieces (words, punctuation, ~4 chars), one per SSE chunk. */
      text?: string;
      /** Explicit content pieces, one per chunk (wins over text). */
      chunks?: string[];
      tokensPerSecond?: number;
      /** Fixed delay between chunks (wins over tokensPerSecond). */
      chunkDelayMs?: number;
      /** Delay before the response headers are sent. */
      firstByteDelayMs?: number;
      /** Write each SSE event in 3 separate writes, cut mid-JSON and between its two final newlines. */
      splitWrites?: boolean;
      /** Interleave `: keep-alive` SSE comments between events. */
      keepAlive?: boolean;
      /** Final usage chunk: true/false forces it on/off, an object gives its exact numbers; default: when the request asked for include_usage. */
      usage?: boolean | Usage;
      /** After N chunks, destroy the socket (no [DONE]). */
      dropAfterChunks?: number;
      /** After N chunks send `data: {not json`, then carry on to a normal end. */
      malformedAfterChunks?: number;
      /** After N chunks stop sending but keep the socket open. */
      hangAfterChunks?: number;
      finishReason?: 'stop' | 'length' | 'content_filter' | 'tool_calls';
      /** Streamed after the content as tool_calls deltas, arguments split over several chunks; finish_reason 'tool_calls'. */
      toolCalls?: ToolCallScript[];
      /** The model field of the chunks (default: the requested model). */
      model?: string;
      /** Held (no headers sent) until this settles, or the client goes away; e.g. a test's virtual model latency. */
      holdUntil?: Promise<unknown>;
    }
  | {
      kind: 'json';
      text?: string;
      toolCalls?: ToolCallScript[];
      finishReason?: string;
      usage?: Usage;
      model?: string;
      /** Held (no headers sent) until this settles, or the client goes away. */
      holdUntil?: Promise<unknown>;
    }
  | { kind: 'error'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'drop' };

export interface RecordedRequest {
  method: string;
  /** As sent, without the query string, e.g. '/v1/chat/completions'. */
  path: string;
  /** Lower-cased names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Parsed JSON, the raw string if it is not JSON, undefined if empty. */
  body: unknown;
  receivedAt: number;
  /** The kind of reply that served it; 'error' also for auth, routing and validation failures; undefined for model listings. */
  reply?: Reply['kind'];
  /** HTTP status sent, once the headers are out. */
  status?: number;
  /** The client closed the connection before the reply finished (updated live). */
  closedEarly: boolean;
  /** Delta chunks (content and tool-call pieces) written so far. */
  chunksSent: number;
}

export interface ModelServerOptions {
  port?: number;
  models?: string[];
  apiKey?: string;
  defaultReply?: Reply | ((req: RecordedRequest) => Reply);
  unknownModels?: 'allow' | 'reject';
  /** Serves POST /v1/embeddings with this vector per input (e.g. hashedEmbedding); without it that route is a 404 as on servers that lack it. */
  embeddings?: (input: string) => number[];
}

const DEFAULT_REPLY: Reply = { kind: 'stream', text: 'Hello from the scripted model.' };
const DEFAULT_WAIT_MS = 5000;

/** A scripted (or validation) reply, or a plain listing for the models routes. */
type Answer = { endpoint: Endpoint; reply: Reply } | { listing: object };

type Route = { kind: 'models' } | { kind: 'model'; id: string } | { kind: Endpoint } | { kind: 'embeddings' } | { kind: 'unknown' };

function routeOf(method: string, path: string): Route {
  // Clients differ on whether the base URL includes /v1, so both spellings are served.
  const route = path.replace(/^\/v1(?=\/)/, '');
  if (method === 'GET' && route === '/models') return { kind: 'models' };
  const model = method === 'GET' ? /^\/models\/(.+)$/.exec(route) : null;
  if (model?.[1]) return { kind: 'model', id: decodeURIComponent(model[1]) };
  if (method === 'POST' && route === '/chat/completions') return { kind: 'chat' };
  if (method === 'POST' && route === '/completions') return { kind: 'completions' };
  if (method === 'POST' && route === '/embeddings') return { kind: 'embeddings' };
  return { kind: 'unknown' };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export class ScriptedModelServer {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Reply[] = [];
  private readonly embeddingFailures: Reply[] = [];
  private readonly events = new EventEmitter();
  private readonly sockets = new Set<Socket>();
  private readonly live = new Set<Exchange>();
  private readonly closes = new WeakMap<RecordedRequest, Promise<void>>();
  private modelIds: string[];
  private defaultReply: NonNullable<ModelServerOptions['defaultReply']>;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
    private readonly options: ModelServerOptions,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}/v1`;
    this.modelIds = [...(options.models ?? ['test-model'])];
    this.defaultReply = options.defaultReply ?? DEFAULT_REPLY;
    this.events.setMaxListeners(0);
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  static async start(options: ModelServerOptions = {}): Promise<ScriptedModelServer> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new ScriptedModelServer(server, (server.address() as AddressInfo).port, options);
  }

  enqueue(...replies: Reply[]): void {
    this.queue.push(...replies);
  }

  /** Scripted replies not yet consumed. */
  queuedReplies(): number {
    return this.queue.length;
  }

  setDefaultReply(reply: ModelServerOptions['defaultReply']): void {
    this.defaultReply = reply ?? DEFAULT_REPLY;
  }

  setModels(models: string[]): void {
    this.modelIds = [...models];
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => routeOf(r.method, r.path).kind === 'chat');
  }

  /** Requests to /v1/completions (inline completions, fill-in-the-middle). */
  completionRequests(): RecordedRequest[] {
    return this.requests.filter((r) => routeOf(r.method, r.path).kind === 'completions');
  }

  /** Requests to /v1/embeddings. */
  embeddingRequests(): RecordedRequest[] {
    return this.requests.filter((r) => routeOf(r.method, r.path).kind === 'embeddings');
  }

  /** The next /v1/embeddings requests get these replies ('error', 'drop' or 'hang'), one each, before vectors are served again. */
  failEmbeddings(...replies: Reply[]): void {
    this.embeddingFailures.push(...replies);
  }

  /** Calls `listener` for every request once it is recorded and its reply chosen; returns an unsubscribe function. */
  onRequest(listener: (req: RecordedRequest) => void): () => void {
    this.events.on('request', listener);
    return () => this.events.off('request', listener);
  }

  waitForRequest(predicate: (r: RecordedRequest) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    const seen = this.requests.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const finish = (error: Error | undefined, match?: RecordedRequest): void => {
        clearTimeout(timer);
        this.events.off('request', onRequest);
        this.events.off('close', onClose);
        if (match) resolve(match);
        else reject(error);
      };
      const onRequest = (r: RecordedRequest): void => {
        try {
          if (predicate(r)) finish(undefined, r);
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const onClose = (): void => finish(new Error('waitForRequest: the model server was closed'));
      const timer = setTimeout(() => finish(new Error(`waitForRequest: no matching request within ${timeoutMs} ms; received: ${this.summary()}`)), timeoutMs);
      this.events.on('request', onRequest);
      this.events.once('close', onClose);
    });
  }

  waitForClose(req: RecordedRequest, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const closed = this.closes.get(req);
    if (!closed) return Promise.reject(new Error(`waitForClose: ${req.method} ${req.path} was not recorded by this server`));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`waitForClose: ${req.method} ${req.path} still open after ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([closed, timeout]).finally(() => clearTimeout(timer));
  }

  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.events.emit('close');
      for (const ex of this.live) ex.closedByServer = true;
      this.server.close(() => resolve());
      // Keep-alive and hanging connections would otherwise hold server.close() open forever.
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  private summary(): string {
    return this.requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'nothing';
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const controller = new AbortController();
    let ex: Exchange | undefined;
    // Listening from the first moment, so a client that gives up while its body is still being read is not missed.
    const closed = new Promise<void>((resolve) =>
      res.once('close', () => {
        controller.abort();
        if (ex) {
          ex.record.closedEarly = !ex.finished && !ex.closedByServer;
          this.live.delete(ex);
        }
        resolve();
      }),
    );
    readBody(req)
      .catch(() => {
        throw new ConnectionGone();
      })
      .then((raw) => {
        ex = this.record(req, res, raw, controller.signal);
        this.closes.set(ex.record, closed);
        return this.respond(ex);
      })
      .catch((error: unknown) => this.handlerFailed(error, res));
  }

  private record(req: IncomingMessage, res: ServerResponse, raw: string, signal: AbortSignal): Exchange {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      headers: flatHeaders(req),
      body: parseBody(raw),
      receivedAt: Date.now(),
      closedEarly: false,
      chunksSent: 0,
    };
    this.requests.push(record);
    const ex: Exchange = { res, record, requestId: newRequestId(), signal, finished: false, closedByServer: false };
    this.live.add(ex);
    return ex;
  }

  private async respond(ex: Exchange): Promise<void> {
    const answer = this.decide(ex.record);
    ex.record.reply = 'reply' in answer ? answer.reply.kind : undefined;
    this.events.emit('request', ex.record);
    if ('listing' in answer) return sendJson(ex, 200, answer.listing);
    return serve(ex, answer.endpoint, answer.reply);
  }

  private decide(record: RecordedRequest): Answer {
    const route = routeOf(record.method, record.path);
    const denied = this.authFailure(record);
    if (denied) return { endpoint: 'chat', reply: denied };
    switch (route.kind) {
      case 'models':
        return { listing: modelList(this.modelIds) };
      case 'model':
        return this.modelIds.includes(route.id) ? { listing: modelObject(route.id) } : { endpoint: 'chat', reply: modelNotFound(route.id) };
      case 'embeddings':
        return this.embeddingsAnswer(record);
      case 'unknown':
        return { endpoint: 'chat', reply: invalidRequest(404, `Invalid URL (${record.method} ${record.path})`) };
      default:
        return { endpoint: route.kind, reply: this.completionReply(record) };
    }
  }

  private embeddingsAnswer(record: RecordedRequest): Answer {
    const embed = this.options.embeddings;
    if (!embed) return { endpoint: 'chat', reply: invalidRequest(404, `Invalid URL (${record.method} ${record.path})`) };
    const failure = this.embeddingFailures.shift();
    if (failure) return { endpoint: 'chat', reply: failure };
    const body = record.body;
    const input: unknown = isRecord(body) ? body.input : undefined;
    const texts = typeof input === 'string' ? [input] : Array.isArray(input) && input.every((x) => typeof x === 'string') ? (input as string[]) : undefined;
    if (!isRecord(body) || typeof body.model !== 'string' || body.model === '' || !texts) return { endpoint: 'chat', reply: invalidRequest(400, 'you must provide a model and an input of strings') };
    const data = texts.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) }));
    return { listing: { object: 'list', data, model: body.model, usage: { prompt_tokens: 0, total_tokens: 0 } } };
  }

  private completionReply(record: RecordedRequest): Reply {
    const body = record.body;
    if (!isRecord(body)) {
      return invalidRequest(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)");
    }
    if (typeof body.model !== 'string' || body.model === '') return invalidRequest(400, 'you must provide a model parameter');
    if (this.options.unknownModels === 'reject' && !this.modelIds.includes(body.model)) return modelNotFound(body.model);
    const next = this.queue.shift() ?? this.defaultReply;
    return typeof next === 'function' ? next(record) : next;
  }

  private authFailure(record: RecordedRequest): Reply | undefined {
    const key = this.options.apiKey;
    if (key === undefined) return undefined;
    const header = record.headers.authorization;
    if (header === `Bearer ${key}`) return undefined;
    // The offered key is deliberately not echoed back, so it can never leak into a client's error message.
    const message = header
      ? 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.'
      : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
    return { kind: 'error', status: 401, body: errorBody({ message, type: 'invalid_request_error', code: header ? 'invalid_api_key' : null }) };
  }

  private handlerFailed(error: unknown, res: ServerResponse): void {
    // A client that went away mid-body or mid-stream is a normal event for this server, not a failure.
    if (error instanceof ConnectionGone || res.destroyed) return;
    console.error('[scripted model server]', error);
    if (res.headersSent) res.destroy();
    else res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(defaultErrorBody(500)));
  }
}
