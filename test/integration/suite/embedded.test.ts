import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import { ModelFolder, requireEngine } from '../../support/embeddedEngine';
import { lastAnswer, tandemApi, waitFor } from './helpers';

/**
 * The built-in model in a real VS Code: `tandem.embedded.modelPath` names a
 * tiny generated GGUF; the service (a separate process) loads it through
 * node-llama-cpp from the extension's scripts/engine, a chat question is
 * answered, and the status bar names the model as built-in.
 */
describe('the built-in model (tandem.embedded.modelPath) in a real VS Code', function () {
  this.timeout(120_000);
  const models = new ModelFolder();
  let api: TandemApi;

  before(async function () {
    requireEngine(this);
    api = await tandemApi();
    const modelPath = models.write('tiny-coder.gguf');
    await vscode.workspace.getConfiguration('tandem').update('embedded.modelPath', modelPath, vscode.ConfigurationTarget.Global);
    await waitFor(async () => (await api.serviceInfo()).status.embedded?.modelPath === modelPath, 'the service to use the built-in model');
  });

  after(async () => {
    // Later suites configure an endpoint: a model path left set would take their requests.
    await vscode.workspace.getConfiguration('tandem').update('embedded.modelPath', undefined, vscode.ConfigurationTarget.Global);
    if (api) await waitFor(async () => (await api.serviceInfo()).status.source !== 'embedded', 'the service to leave the built-in model');
    models.dispose();
  });

  it('answers a chat question from the model file, and the status bar shows it as built-in', async () => {
    await api.chat.newChat();
    await api.chat.send('Write an add function');
    const answer = lastAnswer(api);
    assert.equal(answer.error, undefined, answer.error?.message);
    assert.ok(answer.text.length > 0, 'the answer is empty');
    assert.equal(answer.streaming, undefined);
    const info = await api.serviceInfo();
    assert.deepEqual({ source: info.status.source, model: info.status.model, origin: info.status.embedded?.origin }, { source: 'embedded', model: 'tiny-coder', origin: 'settings' });
    await waitFor(() => api.statusBarText().endsWith('tiny-coder (built-in)'), `the status bar to show the built-in model (it shows “${api.statusBarText()}”)`);
  });
});
