import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import type { UseBuiltInOutcome } from '../../../src/extension/embedded/useBuiltInModel';
import { builtInOfferLabel, catalogue, TEST_CATALOGUE_ENV } from '../../../src/shared/embeddedCatalogue';
import { FileServer } from '../../support/fileServer';
import { lastAnswer, tandemApi, waitFor } from './helpers';

/**
 * With nothing configured, the chat's "no model" answer offers the built-in
 * model, and Tandem: Use Built-in Model downloads and verifies it. The
 * catalogue is replaced (TANDEM_TEST_BUILTIN_MODEL, test only) by a fake
 * model served from 127.0.0.1, in this extension host and in the service
 * (restarted so it inherits the variable).
 */
describe('the built-in model in a real VS Code extension host', function () {
  this.timeout(90_000);
  const body = randomBytes(300_000);
  const entry = { url: '', sizeBytes: body.length, sha256: createHash('sha256').update(body).digest('hex'), fileName: 'tandem-fake-model.gguf' };
  let api: TandemApi;
  let files: FileServer;
  let saved: { baseUrl: unknown; model: unknown };
  let modelFile: string;

  async function restartService(): Promise<void> {
    await vscode.commands.executeCommand('tandem.restartService');
    await api.serviceReady();
  }

  before(async () => {
    files = new FileServer(body);
    await files.listen();
    entry.url = files.url('/fake.gguf');
    api = await tandemApi();
    const directory = api.builtInModel.directory;
    assert.ok(directory, 'the extension has a models folder');
    modelFile = path.join(directory, entry.fileName);
    await fs.rm(modelFile, { force: true });
    await fs.rm(`${modelFile}.part`, { force: true });
    // Nothing configured: no endpoint, no model, no key.
    const config = vscode.workspace.getConfiguration('tandem');
    saved = { baseUrl: config.inspect('baseUrl')?.globalValue, model: config.inspect('model')?.globalValue };
    await config.update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await config.update('model', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('tandem.setApiKey', '');
    process.env[TEST_CATALOGUE_ENV] = JSON.stringify(entry);
    await restartService();
    await waitFor(async () => (await api.serviceInfo()).status.state === 'notConfigured', 'the service to have no model configured');
    await api.chat.newChat();
  });

  after(async () => {
    api.builtInModel.answerConfirmWith(undefined);
    delete process.env[TEST_CATALOGUE_ENV];
    // Later suites expect no built-in model (and the real catalogue) in the service.
    await fs.rm(modelFile, { force: true });
    await fs.rm(`${modelFile}.part`, { force: true });
    const config = vscode.workspace.getConfiguration('tandem');
    await config.update('baseUrl', saved.baseUrl, vscode.ConfigurationTarget.Global);
    await config.update('model', saved.model, vscode.ConfigurationTarget.Global);
    await restartService();
    await files.close();
  });

  it('answers a question with the "no model" error, offering the built-in model (with its size) next to Set API Key', async () => {
    await api.chat.send('Hello?');
    const error = lastAnswer(api).error;
    assert.equal(error?.kind, 'notConfigured');
    assert.equal(error?.action, 'setApiKey');
    const model = catalogue(process.env)[0];
    assert.ok(model);
    assert.deepEqual(error?.offer, { action: 'useBuiltInModel', label: builtInOfferLabel(model) });
    assert.match(error?.offer?.label ?? '', /^Use a built-in model \(293 KB download\)$/);
  });

  it('the offer’s button runs Tandem: Use Built-in Model, which asks first: declined, nothing is downloaded', async () => {
    api.builtInModel.answerConfirmWith(false);
    const answer = lastAnswer(api);
    await api.chat.fromView({ type: 'errorAction', action: 'useBuiltInModel', messageId: answer.id });
    assert.equal(files.requests.length, 0);
    await assert.rejects(fs.stat(modelFile));
  });

  it('downloads and verifies the model, then just switches to it on the next run', async () => {
    api.builtInModel.answerConfirmWith(true);
    const outcome = await vscode.commands.executeCommand<UseBuiltInOutcome>('tandem.useBuiltInModel');
    assert.equal(outcome, 'downloaded');
    assert.ok((await fs.readFile(modelFile)).equals(body), 'the verified file is in the models folder');
    await assert.rejects(fs.stat(`${modelFile}.part`), 'no part left');
    assert.equal(files.requests.length, 1);

    const again = await vscode.commands.executeCommand<UseBuiltInOutcome>('tandem.useBuiltInModel');
    assert.equal(again, 'switched');
    assert.equal(files.requests.length, 1, 'nothing downloaded again');
  });

  it('refuses a download whose SHA-256 is not the pinned one, and keeps nothing', async () => {
    await fs.rm(modelFile, { force: true });
    const tampered = Buffer.from(body);
    tampered.writeUInt8(tampered.readUInt8(1000) ^ 0xff, 1000);
    files.script(() => ({ kind: 'serve', body: tampered }));
    api.builtInModel.answerConfirmWith(true);
    const outcome = await vscode.commands.executeCommand<UseBuiltInOutcome>('tandem.useBuiltInModel');
    assert.equal(outcome, 'failed');
    await assert.rejects(fs.stat(modelFile));
    await assert.rejects(fs.stat(`${modelFile}.part`));
  });
});
