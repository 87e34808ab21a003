/**
 * Hostile model replies for the stream parser, shared by the security tests
 * and the stall figures: an HTTP server that writes raw bytes in pieces of a
 * chosen size (what the scripted model server cannot: it always writes whole
 * events), and the bodies it sends.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat.completion.chunk event carrying `content` (and a finish reason on the last). */
export function contentEvent(content: string, finish: string | null = null): string {
  const chunk = { id: 'chatcmpl-h', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: finish }] };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** A reply whose middle event carries `size` bytes of content: sent in small pieces, its line stays open for a long time. */
export function longEventReply(size: number): string {
  return contentEvent('before ') + contentEvent('x'.repeat(size)) + contentEvent(' after', 'stop') + 'data: [DONE]\n\n';
}

/** A reply that starts an event and never ends it: `size` bytes of one data line, then the connection closes. */
export function unterminatedReply(size: number): string {
  return `${contentEvent('kept ')}data: {"choices":[{"index":0,"delta":{"content":"${'y'.repeat(size)}`;
}

export interface RawServer {
  baseUrl: string;
  /** What the next request gets: the body, written in pieces of `pieceBytes`. */
  reply(body: string | Buffer, pieceBytes: number, contentType?: string): void;
  close(): Promise<void>;
}

/**
 * Writes each reply in pieces, waiting for each write to be handed to the
 * socket (with Nagle off) so the pieces are not merged before they leave.
 */
export async function startRawServer(): Promise<RawServer> {
  let next: { body: Buffer; pieceBytes: number; contentType: string } = { body: Buffer.from(''), pieceBytes: 1, contentType: 'text/event-stream' };
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { body, pieceBytes, contentType } = next;
      response.socket?.setNoDelay(true);
      response.writeHead(200, { 'content-type': contentType });
      let offset = 0;
      const writeMore = (): void => {
        // Up to 64 pieces per turn of the event loop: small pieces, without taking minutes per megabyte.
        for (let burst = 0; burst < 64 && offset < body.length; burst++) {
          const piece = body.subarray(offset, offset + pieceBytes);
          offset += piece.length;
          if (!response.write(piece)) {
            response.once('drain', writeMore);
            return;
          }
        }
        if (offset < body.length) setImmediate(writeMore);
        else response.end();
      };
      response.on('close', () => (offset = body.length));
      writeMore();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    reply(body, pieceBytes, contentType = 'text/event-stream') {
      next = { body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), pieceBytes, contentType };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A body as a stream of `pieceBytes`-sized chunks, made lazily (a multi-megabyte body in 1-byte chunks is millions of them). */
export function pieces(body: Uint8Array, pieceBytes: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.length) {
        controller.close();
        return;
      }
      controller.enqueue(body.slice(offset, offset + pieceBytes));
      offset += pieceBytes;
    },
  });
}
