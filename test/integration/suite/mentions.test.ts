import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import { ScriptedModelServer } from '../../support/modelServer';
import { configure, lastAnswer, tandemApi, waitFor } from './helpers';

const FILE_MARK = 'WIDGET-MARKER-4417';
const PROBLEM_MARK = 'PROBLEM-MARKER-0925';
const SECRET = 'MENTION-SECRET-5521';

interface SentBody {
  messages: Array<{ role: string; content: string }>;
}

/**
 * `@` mentions in the real editor: the picker's file choices come from the
 * workspace (secrets left out), a picked `@file` and `@problems` reach the
 * model in the question, and a `.env` picked anyway is "not sent".
 */
describe('Chat @-mentions in a real VS Code', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  let api: TandemApi;
  let folder: vscode.Uri;
  let diagnostics: vscode.DiagnosticCollection;

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model'] });
    api = await tandemApi();
    await configure(api, server.baseUrl, 'test-model');
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root);
    folder = vscode.Uri.joinPath(root, 'mentions-tmp');
    const write = (name: string, text: string): Thenable<void> => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, name), new TextEncoder().encode(text));
    await write('widget.ts', `export const widget = '${FILE_MARK}';\n`);
    await write('current.ts', 'export const answer: number = "forty-two";\n');
    await write('.env', `API_TOKEN=${SECRET}\n`);
    diagnostics = vscode.languages.createDiagnosticCollection('mentions-test');
  });
  after(async () => {
    diagnostics?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(folder, { recursive: true }).then(undefined, () => undefined);
    await server?.close();
  });
  beforeEach(async () => {
    server.reset();
    await api.chat.newChat();
  });

  it('@file lists workspace files by a fuzzy query, never a secrets file', async () => {
    const found = await api.chat.mentionOptions('file', 'widget');
    assert.equal(found.options[0]?.value, 'mentions-tmp/widget.ts', JSON.stringify(found));
    const env = await api.chat.mentionOptions('file', 'mentions-tmp/.env');
    assert.ok(!env.options.some((option) => option.value.endsWith('.env')), JSON.stringify(env));
  });

  it('a picked @file and @problems are in the model’s request; a picked .env is named "not sent"', async () => {
    const current = vscode.Uri.joinPath(folder, 'current.ts');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(current));
    diagnostics.set(current, [new vscode.Diagnostic(new vscode.Range(0, 14, 0, 20), `${PROBLEM_MARK}: Type 'string' is not assignable to type 'number'.`, vscode.DiagnosticSeverity.Error)]);

    await api.chat.fromView({ type: 'addMention', kind: 'file', value: 'mentions-tmp/widget.ts' });
    await api.chat.fromView({ type: 'addMention', kind: 'problems', value: 'file' });
    await api.chat.fromView({ type: 'addMention', kind: 'file', value: 'mentions-tmp/.env' });
    const chips = await waitFor(() => {
      const list = api.chat.state().chips;
      return list.length >= 4 ? list : undefined;
    }, 'the implicit chip and three mention chips');
    const widget = chips.find((chip) => chip.label === 'widget.ts');
    assert.ok(widget?.tokens && widget.tokens > 0, JSON.stringify(chips));
    const problems = chips.find((chip) => chip.kind === 'problems');
    assert.equal(problems?.label, 'problems: current.ts');
    assert.match(chips.find((chip) => chip.label === '.env')?.excluded ?? '', /secrets file/);

    server.enqueue({ kind: 'stream', text: 'Line 1 assigns a string.' });
    await api.chat.send('What is wrong?');
    const answer = lastAnswer(api);
    assert.equal(answer.error, undefined, answer.error?.message);
    const [request] = server.chatRequests();
    const question = (request?.body as SentBody | undefined)?.messages.at(-1)?.content ?? '';
    assert.match(question, new RegExp(FILE_MARK), 'the @file content was sent');
    assert.match(question, /Problems reported in `mentions-tmp\/current\.ts`/);
    assert.match(question, new RegExp(`line 1: error.*${PROBLEM_MARK}`), 'the @problems content was sent');
    assert.match(question, /What is wrong\?$/);
    assert.ok(!JSON.stringify(request?.body).includes(SECRET), 'no secret byte left');
    assert.ok(answer.boundary?.refused.some((item) => item.item.endsWith('.env')), JSON.stringify(answer.boundary));
    // The question keeps its chips (with their sizes) in the saved history.
    const asked = api.chat.state().messages.at(-2);
    assert.deepEqual(asked?.context?.map((chip) => chip.label).sort(), ['.env', 'current.ts', 'problems: current.ts', 'widget.ts']);
  });

  it('a mention written out in the question (@problems) is attached when sent', async () => {
    const current = vscode.Uri.joinPath(folder, 'current.ts');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(current));
    diagnostics.set(current, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 5), `${PROBLEM_MARK} again`, vscode.DiagnosticSeverity.Warning)]);
    server.enqueue({ kind: 'stream', text: 'ok' });
    await api.chat.send('Explain @problems please');
    const question = (server.chatRequests()[0]?.body as SentBody | undefined)?.messages.at(-1)?.content ?? '';
    assert.match(question, new RegExp(`line 1: warning.*${PROBLEM_MARK} again`));
  });

  it('@codebase in the question attaches the passage the index finds, and never the .env beside it', async () => {
    const CODE_MARK = 'LEDGER-MARKER-7731';
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(folder, 'ledger.ts'),
      new TextEncoder().encode(`export function reconcileFrobnicatedLedger(entries: number[]): number {\n  // ${CODE_MARK}\n  return entries.reduce((sum, entry) => sum + entry, 0);\n}\n`),
    );
    // The index follows file events in the background: wait until it has the new file.
    await waitFor(async () => (await api.codebase.search({ query: 'reconcile frobnicated ledger', snippets: false })).results.some((result) => result.path.endsWith('mentions-tmp/ledger.ts')), 'the index to have ledger.ts', 30_000);
    server.enqueue({ kind: 'stream', text: 'ok' });
    await api.chat.send('How do we reconcile the frobnicated ledger? @codebase');
    const sent = JSON.stringify((server.chatRequests()[0]?.body as SentBody | undefined)?.messages ?? []);
    assert.ok(sent.includes(CODE_MARK), 'the passage is in the model\'s request');
    assert.ok(!sent.includes(SECRET), 'the .env never is');
  });

  it('@changes without a git repository says so instead of sending nothing silently', async () => {
    await api.chat.fromView({ type: 'addMention', kind: 'changes', value: '' });
    const chip = await waitFor(() => api.chat.state().chips.find((candidate) => candidate.kind === 'changes'), 'the @changes chip');
    // The test workspace may or may not be a repository: either its diff is attached, or the chip says why not.
    assert.ok(chip.excluded === undefined ? (chip.tokens ?? 0) > 0 : /no git repository/.test(chip.excluded), JSON.stringify(chip));
    await api.chat.fromView({ type: 'removeChip', chipId: chip.id });
  });
});
