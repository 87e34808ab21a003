/**
 * The codebase index inside the real VS Code: the service indexes the
 * workspace folder in the background, follows files as VS Code's watcher
 * reports them (created, changed, deleted), never indexes a secret file, and
 * keeps its snapshot in the extension's workspace storage.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { tandemApi, waitFor } from './helpers';

describe('codebase index (real VS Code)', function () {
  this.timeout(60_000);

  it('finds a new file once VS Code reports it, drops it when deleted, and never shows a secret file', async () => {
    const api = await tandemApi();
    await api.serviceReady();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'the integration tests need the fixture workspace open');
    const folder = `codebase-${Date.now()}`;
    const file = vscode.Uri.joinPath(root, folder, 'ledger.ts');
    const secret = vscode.Uri.joinPath(root, folder, '.env');
    const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
    const search = async (query: string): Promise<string[]> => (await api.codebase.search({ query, snippets: false })).results.map((result) => result.path);
    try {
      await vscode.workspace.fs.writeFile(file, encode('export function reconcileLedgerEntries(entries: number[]): number {\n  return entries.reduce((a, b) => a + b, 0);\n}\n'));
      await vscode.workspace.fs.writeFile(secret, encode('RECONCILE_LEDGER_TOKEN=reconcileLedgerEntries\n'));
      await waitFor(async () => (await search('reconcileLedgerEntries')).includes(`${folder}/ledger.ts`), 'the new file in the index');
      assert.deepEqual(await search('reconcileLedgerEntries'), [`${folder}/ledger.ts`], 'the .env next to it is never indexed');
      const { results, indexState } = await api.codebase.search({ query: 'reconcile ledger entries' });
      assert.equal(indexState.state, 'ready');
      assert.equal(results[0]?.symbol, 'reconcileLedgerEntries');
      assert.match(results[0]?.snippet ?? '', /entries\.reduce/);
      await vscode.workspace.fs.delete(file);
      await waitFor(async () => !(await search('reconcileLedgerEntries')).includes(`${folder}/ledger.ts`), 'the deleted file gone from the index');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, folder), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    }
  });
});
