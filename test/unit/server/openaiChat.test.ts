import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamChat } from '../../../src/server/providers/openaiChat';
import { InactivityTimeoutError } from '../../../src/server/providers/streamErrors';

/**
 * The inactivity timeout counts bytes, not chunks: SSE comments (keep-alives)
 * from a server that is still loading its model keep the request alive.
 */
describe('streaming provider: inactivity is measured in bytes', function () {
  this.timeout(5_000);
  let server: http.Server;
  let baseUrl: string;
  let pingCount = 0;

  before(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        let pings = 0;
        const timer = setInterval(() => {
          if (pings < pingCount) {
            pings += 1;
            response.write(': keep-alive\n\n');
            return;
          }
          clearInterval(timer);
          if (pingCount === 0) {
            return; // silent: never answers
          }
          const chunk = (body: object): boolean => response.write(`data: ${JSON.stringify(body)}\n\n`);
          chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'awake' }, finish_reason: null }] });
          chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
          response.end('data: [DONE]\n\n');
        }, 100);
        response.on('close', () => clearInterval(timer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const request = () => ({ baseUrl, apiKey: '', model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], timeoutSeconds: 0.3 });

  it('keep-alive comments for longer than the timeout do not abort the request', async () => {
    pingCount = 8; // 800 ms of pings, 100 ms apart, with a 300 ms timeout
    let text = '';
    const result = await streamChat(request(), new AbortController().signal, (piece) => (text += piece));
    assert.equal(text, 'awake');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.usage, undefined);
  });

  it('silence after the headers does abort it', async () => {
    pingCount = 0;
    await assert.rejects(streamChat(request(), new AbortController().signal, () => undefined), InactivityTimeoutError);
  });
});
