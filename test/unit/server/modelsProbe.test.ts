import assert from 'node:assert/strict';
import net from 'node:net';
import { listModels } from '../../../src/server/providers/models';
import { parseModelIds, probeLocal } from '../../../src/server/providers/probe';
import { resolveSettings } from '../../../src/server/settings';
import { ScriptedModelServer } from '../../support/modelServer';
import { closedPort } from '../../support/ports';

const KEY = 'sk-models-secret-0123456789';

describe('models and local probing', function () {
  this.timeout(10_000);
  let server: ScriptedModelServer;

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['alpha', 'beta'], apiKey: KEY });
  });
  after(async () => {
    await server.close();
  });

  it('lists the endpoint models through GET /models', async () => {
    const result = await listModels(resolveSettings({ baseUrl: server.baseUrl, apiKey: KEY }, {}));
    assert.equal(result.error, undefined);
    assert.equal(result.baseUrl, server.baseUrl);
    assert.deepEqual(result.models.map((model) => model.id), ['alpha', 'beta']);
    assert.ok(server.requests.some((request) => request.method === 'GET' && request.path.endsWith('/models')));
  });

  it('maps a rejected key to an auth error', async () => {
    const result = await listModels(resolveSettings({ baseUrl: server.baseUrl, apiKey: 'sk-wrong-0000000000' }, {}));
    assert.deepEqual(result.models, []);
    assert.equal(result.error?.kind, 'auth');
    assert.equal(result.error?.action, 'setApiKey');
  });

  it('maps a refused connection and a missing configuration', async () => {
    const refused = await listModels(resolveSettings({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1` }, {}));
    assert.equal(refused.error?.kind, 'connection');
    const none = await listModels(resolveSettings({}, {}));
    assert.equal(none.error?.kind, 'notConfigured');
  });

  it('probes the given ports in parallel and returns those that answer, with their models', async () => {
    const port = Number(new URL(server.baseUrl).port);
    const deadPort = await closedPort();
    const open = await ScriptedModelServer.start({ models: ['local-1'] });
    try {
      const openPort = Number(new URL(open.baseUrl).port);
      const result = await probeLocal({
        targets: [
          { name: 'Dead', port: deadPort },
          { name: 'Open', port: openPort },
          { name: 'NeedsKey', port },
        ],
        timeoutMs: 800,
      });
      assert.deepEqual(result.servers, [{ name: 'Open', baseUrl: `http://127.0.0.1:${openPort}/v1`, models: ['local-1'] }]);
    } finally {
      await open.close();
    }
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    assert.ok(address && typeof address === 'object');
    try {
      const started = Date.now();
      const result = await probeLocal({ targets: [{ name: 'Silent', port: address.port }], timeoutMs: 200 });
      assert.deepEqual(result.servers, []);
      assert.ok(Date.now() - started < 2000);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('parses model lists defensively', () => {
    assert.deepEqual(parseModelIds({ data: [{ id: 'a' }, { id: 3 }, null, { id: '' }, { id: 'b' }] }), ['a', 'b']);
    assert.equal(parseModelIds({ models: [] }), undefined);
    assert.equal(parseModelIds('nope'), undefined);
  });
});
