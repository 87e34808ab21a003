import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EditTaskOutcome } from '../../../src/extension/actions/editTask';
import type { TandemApi } from '../../../src/extension/extension';
import { ScriptedModelServer } from '../../support/modelServer';
import { configure, tandemApi } from './helpers';

const SOURCE = [
  'export function average(values: number[]): number {',
  '  let sum = 0;',
  '  for (const value of values) {',
  '    sum += value;',
  '  }',
  '  return sum / values.length;',
  '}',
  '',
].join('\n');

/** An outcome for an assertion message (a review handle is not JSON). */
function show(value: unknown): string {
  return JSON.stringify(value, (key, inner: unknown) => (key === 'review' ? '[review]' : inner));
}

/**
 * The right-click commands and code actions, driven as a person would through
 * VS Code commands, against the scripted model: the model's answer becomes a
 * reviewed proposal, and nothing changes until it is accepted.
 */
describe('Explain / Refactor / Fix entry points', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  let api: TandemApi;
  let count = 0;
  let uri: vscode.Uri;
  let document: vscode.TextDocument;

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model'] });
    api = await tandemApi();
    await configure(api, server.baseUrl, 'test-model');
  });
  after(async () => {
    await server?.close();
  });

  beforeEach(async () => {
    server.reset();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    uri = vscode.Uri.joinPath(folder, `actions-tmp/avg${++count}.ts`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SOURCE));
    document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('tandem.review.rejectAll').then(undefined, () => undefined);
    // Discard what a test applied (unsaved), so closing asks nothing.
    for (const open of vscode.workspace.textDocuments.filter((candidate) => candidate.isDirty && candidate.uri.path.includes('/actions-tmp/'))) {
      await vscode.window.showTextDocument(open);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  function sentPrompt(): string {
    const request = server.chatRequests().at(-1);
    assert.ok(request, 'no request reached the model');
    return JSON.stringify(request.body);
  }

  it('Refactor on a selection proposes the rewritten lines; accepting changes the document, not the disk', async () => {
    server.enqueue({ kind: 'stream', text: 'Sure:\n```ts\nlet sum = 0;\nfor (const value of values) sum += value;\n```\n' });
    const outcome = await vscode.commands.executeCommand<EditTaskOutcome>('tandem.refactor', { uri, range: new vscode.Range(1, 0, 5, 0), instruction: 'make the loop one line' });
    assert.equal(outcome.kind, 'proposed', show(outcome));
    assert.ok(outcome.kind === 'proposed' && outcome.review);
    assert.match(sentPrompt(), /make the loop one line/);
    assert.equal(document.getText(), SOURCE, 'nothing changes before approval');
    const result = await outcome.review.acceptAll();
    assert.equal(result.refused.length, 0, show(result));
    assert.equal(document.getText(), SOURCE.replace('  for (const value of values) {\n    sum += value;\n  }\n', '  for (const value of values) sum += value;\n'));
    assert.equal(document.isDirty, true);
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), SOURCE, 'the person saves, not Tandem');
  });

  it('Fix is offered as a Quick Fix on a diagnostic and sends the problem to the model', async () => {
    const diagnostics = vscode.languages.createDiagnosticCollection('tandem-test');
    try {
      const problem = new vscode.Diagnostic(new vscode.Range(5, 9, 5, 28), 'An empty list gives NaN.', vscode.DiagnosticSeverity.Warning);
      diagnostics.set(uri, [problem]);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(5, 10, 5, 10));
      const fix = actions.find((action) => action.title === 'Fix with Tandem');
      assert.ok(fix?.command, `no "Fix with Tandem" among ${actions.map((action) => action.title).join(', ')}`);
      assert.ok(actions.some((action) => action.title === 'Explain with Tandem'));

      server.enqueue({
        kind: 'stream',
        text: `${vscode.workspace.asRelativePath(uri)}\n<<<<<<< SEARCH\n  return sum / values.length;\n=======\n  return values.length === 0 ? 0 : sum / values.length;\n>>>>>>> REPLACE\n`,
      });
      const outcome = await vscode.commands.executeCommand<EditTaskOutcome>(fix.command.command, ...(fix.command.arguments ?? []));
      assert.equal(outcome.kind, 'proposed', show(outcome));
      assert.match(sentPrompt(), /An empty list gives NaN\./);
      assert.ok(outcome.kind === 'proposed' && outcome.review);
      await outcome.review.acceptAll();
      assert.match(document.getText(), /return values\.length === 0 \? 0 : sum \/ values\.length;/);
    } finally {
      diagnostics.dispose();
    }
  });

  it('a refactor code action is offered on a selection', async () => {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(1, 0, 3, 0));
    assert.ok(actions.some((action) => action.title === 'Refactor with Tandem…'));
  });

  it('an answer that elides code is refused with its reason; the document is untouched', async () => {
    server.enqueue({ kind: 'stream', text: '```ts\nexport function average(values: number[]): number {\n  // ... existing code ...\n}\n```' });
    const outcome = await vscode.commands.executeCommand<EditTaskOutcome>('tandem.refactor', { uri, range: new vscode.Range(0, 0, 7, 0), instruction: 'tidy up' });
    assert.equal(outcome.kind, 'refused', show(outcome));
    assert.ok(outcome.kind === 'refused' && outcome.failures.some((failure) => failure.kind === 'placeholder' || failure.kind === 'truncation'));
    assert.equal(document.getText(), SOURCE);
  });

  it('a model error is reported and nothing is proposed', async () => {
    server.enqueue({ kind: 'error', status: 401 });
    const outcome = await vscode.commands.executeCommand<EditTaskOutcome>('tandem.addDocs', { uri, range: new vscode.Range(0, 0, 0, 0) });
    assert.equal(outcome.kind, 'failed', show(outcome));
    assert.equal(document.getText(), SOURCE);
  });

  it('Generate Tests can create a new test file, reviewed like any change', async () => {
    const testPath = vscode.workspace.asRelativePath(uri).replace(/\.ts$/, '.test.ts');
    server.enqueue({ kind: 'stream', text: `${testPath}\n<<<<<<< SEARCH\n=======\nimport { average } from './avg';\n>>>>>>> REPLACE\n` });
    const outcome = await vscode.commands.executeCommand<EditTaskOutcome>('tandem.generateTests', { uri, range: new vscode.Range(0, 0, 0, 0) });
    assert.equal(outcome.kind, 'proposed', show(outcome));
    assert.ok(outcome.kind === 'proposed');
    assert.deepEqual(outcome.changeSet.changes.map((change) => [change.kind, change.path]), [['add', testPath]]);
  });
});
