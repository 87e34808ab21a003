import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import * as os from 'node:os';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { registerHandlers } from '../../../src/server/server';
import { builtInOfferLabel, modelForMemory } from '../../../src/shared/embeddedCatalogue';
import { ServiceInfoRequest, ServiceStatusNotification, type ServiceStatusParams } from '../../../src/shared/protocol';

const SECRET = 'sk-from-secret-storage-0123456789';

/** Collects notifications of one kind and lets a test await the next one. */
class Inbox<T> {
  private readonly items: T[] = [];
  private waiter: ((item: T) => void) | undefined;
  push(item: T): void {
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = undefined;
      resolve(item);
    } else {
      this.items.push(item);
    }
  }
  next(): Promise<T> {
    const item = this.items.shift();
    return item !== undefined ? Promise.resolve(item) : new Promise((resolve) => (this.waiter = resolve));
  }
}

describe('service handlers (in-process LSP, pull-model client)', () => {
  let server: Connection;
  let client: ProtocolConnection;
  let answer: unknown;
  const configurationRequests: unknown[] = [];
  const statuses = new Inbox<ServiceStatusParams>();
  const logs: string[] = [];

  before(async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    registerHandlers(server, { TANDEM_MODEL: 'env-model', OPENAI_API_KEY: '' });
    server.listen();
    client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onRequest(ConfigurationRequest.type, (params) => {
      configurationRequests.push(params);
      return [answer];
    });
    client.onNotification(ServiceStatusNotification.type, (status) => statuses.push(status));
    client.onNotification(LogMessageNotification.type, ({ message }) => {
      logs.push(message);
    });
    client.listen();
  });

  after(() => {
    client.dispose();
    server.dispose();
  });

  it('pulls the tandem section after initialized, fills gaps from the environment and sends the status', async () => {
    answer = { baseUrl: 'http://127.0.0.1:11434/v1', model: '', apiKey: SECRET };
    await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await client.sendNotification(InitializedNotification.type, {});
    const status = await statuses.next();
    assert.deepEqual(configurationRequests, [{ items: [{ section: 'tandem' }] }]);
    assert.deepEqual(status, {
      state: 'ready',
      model: 'env-model',
      baseUrl: 'http://127.0.0.1:11434/v1',
      provider: 'Ollama',
      source: 'mixed',
      hasApiKey: true,
    });
  });

  it('pulls again on didChangeConfiguration and announces the new status; serviceInfo agrees', async () => {
    answer = { baseUrl: 'https://openrouter.ai/api/v1', model: 'picked-model', apiKey: SECRET };
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const status = await statuses.next();
    assert.equal(configurationRequests.length, 2);
    assert.equal(status.provider, 'OpenRouter');
    assert.equal(status.model, 'picked-model');
    assert.equal(status.source, 'settings');
    const info = await client.sendRequest(ServiceInfoRequest.type, {});
    assert.equal(info.name, 'tandem');
    assert.equal(info.pid, process.pid);
    assert.deepEqual(info.status, status);
  });

  it('answers a chat without a model service configured with a notConfigured result, not an exception', async () => {
    answer = { model: 'm' };
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.equal((await statuses.next()).state, 'notConfigured');
    const result = await client.sendRequest('tandem/chat', { streamId: 'x', messages: [{ role: 'user', content: 'hi' }], context: [] });
    assert.deepEqual(result, {
      text: '',
      finishReason: 'error',
      model: 'm',
      error: {
        kind: 'notConfigured',
        action: 'setApiKey',
        message: 'No model service is configured. Set a base URL (tandem.baseUrl or OPENAI_BASE_URL) or an API key, or use “Tandem: Find Local Model Servers”.',
        // The built-in model this machine would get, with its download size.
        offer: { action: 'useBuiltInModel', label: builtInOfferLabel(modelForMemory(os.totalmem())) },
      },
    });
  });

  it('never logs the key it was given', () => {
    assert.ok(logs.length > 0);
    assert.ok(logs.every((line) => !line.includes(SECRET)), logs.join('\n'));
  });
});
