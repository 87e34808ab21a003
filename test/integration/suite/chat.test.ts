import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import { ScriptedModelServer } from '../../support/modelServer';
import { configure, lastAnswer, tandemApi, waitFor } from './helpers';

const KEY = 'sk-test-integration-0123456789';

describe('Tandem chat in a real VS Code extension host', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  let api: TandemApi;

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model', 'other-model'], apiKey: KEY });
    api = await tandemApi();
    await vscode.commands.executeCommand('tandem.setApiKey', KEY);
    await configure(api, server.baseUrl, 'test-model');
  });

  beforeEach(async () => {
    server.reset();
    await api.chat.newChat();
  });

  after(async () => {
    await server?.close();
  });

  it('activates quickly and starts the model service as a separate process', async () => {
    assert.ok(api.activationMs < 1_000, `activate() took ${api.activationMs} ms`);
    const info = await api.serviceInfo();
    assert.equal(info.name, 'tandem');
    assert.notEqual(info.pid, process.pid, 'the service must not run inside the extension host');
    assert.equal(info.status.state, 'ready');
    assert.equal(info.status.hasApiKey, true);
    assert.ok(vscode.extensions.getExtension('tandem-dev.tandem')?.isActive);
  });

  it('answers a question through the service and the scripted model, with the key from SecretStorage', async () => {
    server.enqueue({ kind: 'stream', text: 'Here is a function:\n\n```ts\nexport const add = (a: number, b: number) => a + b;\n```\n', splitWrites: true, keepAlive: true });
    await api.chat.send('Write an add function');
    const answer = lastAnswer(api);
    assert.equal(answer.error, undefined, answer.error?.message);
    assert.match(answer.text, /export const add = \(a: number, b: number\) => a \+ b;/);
    assert.equal(answer.streaming, undefined);

    const [request] = server.chatRequests();
    assert.ok(request, 'the model got no request');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    const body = request.body as { model: string; stream: boolean; messages: Array<{ role: string; content: string }> };
    assert.equal(body.model, 'test-model');
    assert.equal(body.stream, true);
    const question = body.messages.at(-1);
    assert.equal(question?.role, 'user');
    assert.match(question?.content ?? '', /Write an add function/);
  });

  it('never writes the API key into settings', async () => {
    const config = vscode.workspace.getConfiguration('tandem');
    assert.equal(config.get('apiKey'), undefined);
    const settingsFile = process.env.TANDEM_USER_SETTINGS;
    if (settingsFile) {
      const text = await readFile(settingsFile, 'utf8');
      assert.ok(!text.includes(KEY), 'the key leaked into settings.json');
      assert.ok(text.includes(server.baseUrl), 'expected to read the real user settings file');
    }
  });

  it('uses a new key from "Tandem: Set API Key" on the next request', async () => {
    const other = 'sk-other-key-9876';
    server.setDefaultReply({ kind: 'stream', text: 'ok' });
    try {
      await vscode.commands.executeCommand('tandem.setApiKey', other);
      // The server rejects keys other than KEY: the 401 proves the new key was sent.
      await api.chat.send('hello');
      const answer = lastAnswer(api);
      assert.equal(answer.error?.kind, 'auth');
      assert.equal(answer.error?.action, 'setApiKey');
      assert.equal(server.chatRequests()[0]?.headers.authorization, `Bearer ${other}`);
    } finally {
      await vscode.commands.executeCommand('tandem.setApiKey', KEY);
    }
  });

  it('stops mid-stream: the HTTP request is aborted and the partial answer is kept', async () => {
    server.enqueue({ kind: 'stream', text: 'word '.repeat(2_000), tokensPerSecond: 100 });
    const sending = api.chat.send('Tell me a long story');
    const request = await server.waitForRequest((r) => r.path.endsWith('/chat/completions'));
    await waitFor(() => lastAnswer(api).text.length > 20, 'some streamed text');
    api.chat.stop();
    await sending;
    await server.waitForClose(request);
    assert.equal(request.closedEarly, true, 'the model request was not aborted');
    const answer = lastAnswer(api);
    assert.equal(answer.stopped, true);
    assert.ok(answer.text.startsWith('word word'), 'the partial answer was lost');
    assert.ok(request.chunksSent < 2_000, 'the whole answer was streamed despite Stop');
  });

  it('reports an unknown model with the models the endpoint offers, and keeps nothing half-done', async () => {
    server.enqueue({ kind: 'error', status: 404, body: { error: { message: 'The model `nope` does not exist', type: 'invalid_request_error', code: 'model_not_found' } } });
    await api.chat.send('hi');
    const answer = lastAnswer(api);
    assert.equal(answer.error?.kind, 'modelNotFound');
    assert.equal(answer.error?.action, 'pickModel');
    assert.deepEqual([...(answer.error?.availableModels ?? [])].sort(), ['other-model', 'test-model']);
    assert.equal(api.chat.state().busy, false);
  });

  it('keeps the partial answer when the connection drops mid-stream', async () => {
    server.enqueue({ kind: 'stream', chunks: ['The first ', 'half of ', 'the answer', ' never ends'], dropAfterChunks: 3 });
    await api.chat.send('hi');
    const answer = lastAnswer(api);
    assert.equal(answer.text, 'The first half of the answer');
    assert.equal(answer.error?.kind, 'streamCut');
  });

  it('restarts the service after it crashes and keeps answering', async () => {
    const before = await api.serviceInfo();
    const restarted = new Promise<void>((resolve) => {
      const states: string[] = [];
      const listener = api.onDidChangeServiceState((state) => {
        states.push(state);
        if (state === 'ready' && states.includes('restarting')) {
          listener.dispose();
          resolve();
        }
      });
    });
    process.kill(before.pid, 'SIGKILL');
    await restarted;
    const after = await api.serviceInfo();
    assert.notEqual(after.pid, before.pid);
    server.enqueue({ kind: 'stream', text: 'still here' });
    await api.chat.send('are you there?');
    assert.equal(lastAnswer(api).text, 'still here');
  });
});
