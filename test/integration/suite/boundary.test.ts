import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import * as vscode from 'vscode';
import type { EditTaskOutcome } from '../../../src/extension/actions/editTask';
import type { TandemApi } from '../../../src/extension/extension';
import { ScriptedModelServer } from '../../support/modelServer';
import { configure, tandemApi, waitFor } from './helpers';

const SECRET = 'BOUNDARY-SECRET-7731';

/**
 * The workspace boundary in the real editor: a secrets file, or an innocent
 * name that is a link to one, is never sent — not by Refactor, not by
 * Explain, not as the chat's context chip — and the person is told why.
 */
describe('Boundary in the editor: secrets and links are not sent', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  let api: TandemApi;
  let folder: vscode.Uri;
  const created: vscode.Uri[] = [];

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model'] });
    api = await tandemApi();
    await configure(api, server.baseUrl, 'test-model');
    const first = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(first);
    folder = vscode.Uri.joinPath(first, 'boundary-tmp');
    const env = vscode.Uri.joinPath(folder, '.env');
    await vscode.workspace.fs.writeFile(env, new TextEncoder().encode(`API_TOKEN=${SECRET}\n`));
    symlinkSync('.env', vscode.Uri.joinPath(folder, 'notes.txt').fsPath);
    created.push(folder);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
    await server?.close();
  });
  beforeEach(() => server.reset());

  for (const name of ['.env', 'notes.txt']) {
    it(`Refactor on ${name} is refused before anything is sent`, async () => {
      const uri = vscode.Uri.joinPath(folder, name);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const outcome = await vscode.commands.executeCommand<EditTaskOutcome>('tandem.refactor', { uri, range: new vscode.Range(0, 0, 1, 0), instruction: 'tidy' });
      assert.equal(outcome.kind, 'invalid');
      assert.match(outcome.kind === 'invalid' ? outcome.message : '', /secrets file/);
      assert.equal(server.requests.filter((request) => request.path.includes('/chat/completions')).length, 0);
    });
  }

  it('the context chip of a linked secret says "not sent", and a question sends no secret byte', async () => {
    const uri = vscode.Uri.joinPath(folder, 'notes.txt');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const chip = await waitFor(() => api.chat.state().chips?.find((candidate) => candidate.label === 'notes.txt'), 'the implicit chip for notes.txt');
    assert.match(chip.excluded ?? '', /secrets file/);
    await api.chat.send('What is in this file?');
    const sent = JSON.stringify(server.chatRequests().map((request) => request.body));
    assert.ok(sent.includes('What is in this file?'), 'the question went out');
    assert.ok(!sent.includes(SECRET), 'the secret did not');
  });

  it('Explain on a secrets file asks nothing of the model', async () => {
    const uri = vscode.Uri.joinPath(folder, '.env');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('tandem.explain', { uri, range: new vscode.Range(0, 0, 1, 0) });
    assert.equal(server.chatRequests().length, 0);
  });
});
