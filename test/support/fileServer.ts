/**
 * A scripted HTTP file server on 127.0.0.1 for the model downloader's tests:
 * each request gets the behaviour the test planned for it (serve, honour or
 * ignore Range, cut the connection, hold it open, redirect, fail), and every
 * request is recorded. Also run on its own by the integration and end-to-end
 * tests (the built-in model's download from a local address).
 */
import { EventEmitter, once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour =
  | {
      kind: 'serve';
      /** Answer 200 with the whole body even to a Range request. */
      ignoreRange?: boolean;
      /** Send this Content-Range instead of the right one (206 only). */
      contentRange?: string;
      /** Send this Content-Length instead of the right one; null: none (chunked). */
      contentLength?: number | null;
      /** Destroy the connection after this many body bytes. */
      cutAfter?: number;
      /** Stop after this many body bytes and keep the connection open (emits 'held'). */
      holdAfter?: number;
      /** Serve these bytes instead of the file. */
      body?: Buffer;
      /** Pace the body at about this many bytes a second (a download a person can watch). */
      bytesPerSecond?: number;
    }
  | { kind: 'status'; status: number }
  | { kind: 'redirect'; location: string; status?: number };

export interface RecordedRequest {
  path: string;
  range: string | undefined;
}

const CHUNK = 4 * 1024;

export class FileServer extends EventEmitter {
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private plan: (request: RecordedRequest, index: number) => Behaviour = () => ({ kind: 'serve' });

  constructor(readonly body: Buffer) {
    super();
    this.server = http.createServer((request, response) => void this.answer(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  url(pathname = '/model.gguf'): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${pathname}`;
  }

  /** What the next requests get (by their index among all requests so far). */
  script(plan: (request: RecordedRequest, index: number) => Behaviour): void {
    this.plan = plan;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const recorded: RecordedRequest = { path: request.url ?? '', range: request.headers.range };
    this.requests.push(recorded);
    this.emit('request', recorded);
    const behaviour = this.plan(recorded, this.requests.length - 1);
    if (behaviour.kind === 'status') {
      response.writeHead(behaviour.status, { 'Content-Type': 'text/plain' }).end(`status ${behaviour.status}`);
      return;
    }
    if (behaviour.kind === 'redirect') {
      response.writeHead(behaviour.status ?? 302, { Location: behaviour.location }).end();
      return;
    }
    const body = behaviour.body ?? this.body;
    const match = /^bytes=(\d+)-$/.exec(recorded.range ?? '');
    const start = match && !behaviour.ignoreRange ? Number(match[1]) : 0;
    if (start > body.length) {
      response.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    const slice = body.subarray(start);
    const headers: http.OutgoingHttpHeaders = {};
    if (behaviour.contentLength !== null) headers['Content-Length'] = String(behaviour.contentLength ?? slice.length);
    if (match && !behaviour.ignoreRange) headers['Content-Range'] = behaviour.contentRange ?? `bytes ${start}-${body.length - 1}/${body.length}`;
    response.writeHead(match && !behaviour.ignoreRange ? 206 : 200, headers);
    const limit = Math.min(slice.length, behaviour.cutAfter ?? Infinity, behaviour.holdAfter ?? Infinity);
    for (let offset = 0; offset < limit; offset += CHUNK) {
      if (!response.write(slice.subarray(offset, Math.min(limit, offset + CHUNK)))) await once(response, 'drain');
      if (response.destroyed) return;
      const rate = behaviour.bytesPerSecond;
      if (rate) await new Promise((resolve) => setTimeout(resolve, (CHUNK / rate) * 1000));
    }
    if (behaviour.cutAfter !== undefined && behaviour.cutAfter < slice.length) {
      // Whatever the socket has flushed is what the client got: a cut connection.
      await new Promise<void>((resolve) => response.socket?.end(resolve) ?? resolve());
      response.socket?.destroy();
      return;
    }
    if (behaviour.holdAfter !== undefined && behaviour.holdAfter < slice.length) {
      this.emit('held', recorded);
      return;
    }
    response.end();
  }
}
