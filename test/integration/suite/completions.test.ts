import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import { ScriptedModelServer } from '../../support/modelServer';
import { configure, tandemApi, waitFor } from './helpers';

const SOURCE = 'export function add(a: number, b: number): number {\n  \n}\n';
const CURSOR = new vscode.Position(1, 2);

/**
 * Ghost text in a real editor: the service answers textDocument/inlineCompletion
 * from the scripted model, VS Code shows it, and accepting inserts it.
 */
describe('inline suggestions in a real VS Code', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  let api: TandemApi;
  let count = 0;

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model', 'test-coder'] });
    server.setDefaultReply((request) => (request.path.endsWith('/chat/completions') ? { kind: 'stream', text: 'chat' } : { kind: 'json', text: 'return a + b;' }));
    api = await tandemApi();
    const config = vscode.workspace.getConfiguration('tandem');
    await config.update('completionModel', 'test-coder', vscode.ConfigurationTarget.Global);
    await config.update('completions.template', 'suffix', vscode.ConfigurationTarget.Global);
    await configure(api, server.baseUrl, 'test-model');
  });
  after(async () => {
    const config = vscode.workspace.getConfiguration('tandem');
    await config.update('completionModel', undefined, vscode.ConfigurationTarget.Global);
    await config.update('completions.template', undefined, vscode.ConfigurationTarget.Global);
    await config.update('completions.enable', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  async function openAt(extension: string, text = SOURCE, cursor = CURSOR): Promise<vscode.TextEditor> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder, `completions-tmp/file${++count}.${extension}`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    editor.selection = new vscode.Selection(cursor, cursor);
    return editor;
  }

  const completionRequests = (): number => server.requests.filter((request) => request.path.endsWith('/completions') && !request.path.endsWith('/chat/completions')).length;

  it('shows a suggestion from the completion model and Tab-accepting inserts it', async () => {
    const editor = await openAt('ts');
    const before = (await api.completions.stats()).accepted;
    // Ghost text cannot be read through the API; committing it is what a person does with Tab.
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      if ((await api.completions.stats()).shown === 0) {
        return false;
      }
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.lineAt(1).text === '  return a + b;';
    }, 'the suggestion to be shown and accepted', 20_000);
    const request = server.requests.find((candidate) => candidate.path.endsWith('/completions') && !candidate.path.endsWith('/chat/completions'));
    assert.ok(request, 'no request reached /v1/completions');
    const body = request.body as { model: string; prompt: string; suffix?: string };
    assert.equal(body.model, 'test-coder');
    assert.match(body.prompt, /export function add\(a: number, b: number\): number \{\n  $/);
    assert.match(body.suffix ?? '', /^\n\}/);
    await waitFor(async () => (await api.completions.stats()).accepted > before, 'the acceptance to reach the service');
  });

  it('asks nothing for a language where suggestions are off', async () => {
    await vscode.workspace.getConfiguration('tandem').update('completions.enable', { '*': true, python: false }, vscode.ConfigurationTarget.Global);
    try {
      const requestsBefore = completionRequests();
      await openAt('py', 'def add(a, b):\n    \n', new vscode.Position(1, 4));
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      // Then a language that is on: once its request arrives, the Python one would have too.
      await openAt('ts');
      await waitFor(async () => {
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        return completionRequests() > requestsBefore;
      }, 'the TypeScript request', 20_000);
      const prompts = server.requests.map((request) => JSON.stringify(request.body) ?? '');
      assert.ok(!prompts.some((prompt) => prompt.includes('def add(a, b)')), 'the Python file left the machine');
    } finally {
      await vscode.workspace.getConfiguration('tandem').update('completions.enable', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('asks nothing in a secrets file, and never uses one as a snippet for another file', async () => {
    const marker = 'CREDENTIAL-MARKER-5120';
    const requestsBefore = completionRequests();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const secret = vscode.Uri.joinPath(folder, 'completions-tmp/credentials.json');
    await vscode.workspace.fs.writeFile(secret, new TextEncoder().encode(`{\n  "token": "${marker}",\n  \n}\n`));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(secret));
    editor.selection = new vscode.Selection(new vscode.Position(2, 2), new vscode.Position(2, 2));
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    // Then an ordinary file, with the secret still open: once its request arrives, a secret one would have too.
    await openAt('ts', `export function token(): string {\n  \n}\n`);
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      return completionRequests() > requestsBefore;
    }, 'the TypeScript request', 20_000);
    const sent = server.requests.map((request) => JSON.stringify(request.body) ?? '').join('\n');
    assert.ok(!sent.includes(marker), 'the credentials file left the machine');
  });
});
