import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import { ScriptedModelServer } from '../../support/modelServer';
import { configure, tandemApi, waitFor } from './helpers';

/** A file with no indented line: the service has nothing to detect, so only the editor's options can say how to indent. */
const SOURCE = 'export function pick(x: number) {\n}\n';

/**
 * The editor's own indentation reaches the service (issue 11): the client
 * sends the editor's tabSize / insertSpaces with each inline completion
 * request, and the accepted suggestion is indented the editor's way, whatever
 * the model used.
 */
describe('inline suggestions use the editor\'s indentation and the line\'s closers', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  let api: TandemApi;
  let count = 0;

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model', 'test-coder'] });
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
    await server?.close();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  async function acceptWith(options: { tabSize: number; insertSpaces: boolean }, reply: string, source = SOURCE, at?: vscode.Position): Promise<string> {
    server.setDefaultReply((request) => (request.path.endsWith('/chat/completions') ? { kind: 'stream', text: 'chat' } : { kind: 'json', text: reply }));
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder, `completions-tmp/indent${++count}.ts`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(source));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    editor.options = options;
    const end = at ?? editor.document.lineAt(0).range.end;
    editor.selection = new vscode.Selection(end, end);
    const shownBefore = (await api.completions.stats()).shown;
    // Ghost text cannot be read through the API; committing it is what a person does with Tab.
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      if ((await api.completions.stats()).shown === shownBefore) {
        return false;
      }
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() !== source;
    }, 'the suggestion to be shown and accepted', 20_000);
    return editor.document.getText();
  }

  it('spaces of the editor\'s width replace the model\'s tabs', async () => {
    const text = await acceptWith({ tabSize: 3, insertSpaces: true }, '\n\tif (x > 0) {\n\t\treturn x;\n\t}\n\treturn 0;');
    assert.equal(text, 'export function pick(x: number) {\n   if (x > 0) {\n      return x;\n   }\n   return 0;\n}\n');
  });

  it('a suggestion that writes the closer right of the cursor replaces it: no ")" twice', async () => {
    const text = await acceptWith({ tabSize: 2, insertSpaces: true }, 'total, 0);', 'console.log()\n', new vscode.Position(0, 12));
    assert.equal(text, 'console.log(total, 0);\n');
  });

  it('tabs replace the model\'s 4-space steps when the editor indents with tabs', async () => {
    const text = await acceptWith({ tabSize: 2, insertSpaces: false }, '\n    if (x > 0) {\n        return x;\n    }\n    return 0;');
    assert.equal(text, 'export function pick(x: number) {\n\tif (x > 0) {\n\t\treturn x;\n\t}\n\treturn 0;\n}\n');
  });
});
