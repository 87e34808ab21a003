import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import { ScriptedModelServer } from '../../support/modelServer';
import { configure, tandemApi, waitFor } from './helpers';

interface Repository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: { value: string };
  readonly state: { readonly indexChanges: readonly unknown[] };
  status(): Promise<void>;
}
interface GitApi {
  readonly repositories: readonly Repository[];
  openRepository?(root: vscode.Uri): Promise<Repository | null>;
}

const SECRET = 'COMMIT-SECRET-6120';

/**
 * "Tandem: Write Commit Message" in the real editor: a repository whose
 * history uses Conventional Commits, a staged change and a staged `.env`;
 * the message streams into the Source Control input box, the `.env` diff
 * never reaches the model.
 */
describe('Commit messages in a real VS Code', function () {
  this.timeout(60_000);
  let server: ScriptedModelServer;
  let api: TandemApi;
  let folder: vscode.Uri;
  let repository: Repository;

  before(async function () {
    const git = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
    if (!git) this.skip();
    server = await ScriptedModelServer.start({ models: ['test-model'] });
    api = await tandemApi();
    await configure(api, server.baseUrl, 'test-model');
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root);
    folder = vscode.Uri.joinPath(root, 'commit-tmp');
    const run = (...args: string[]): string => execFileSync('git', args, { cwd: folder.fsPath, encoding: 'utf8' });
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'cart.ts'), new TextEncoder().encode('export const items: string[] = [];\n'));
    run('init', '-q', '-b', 'main');
    run('-c', 'user.name=Test', '-c', 'user.email=t@example.org', 'add', '.');
    for (const subject of ['feat: start the cart', 'fix(cart): empty list', 'docs: readme']) {
      run('-c', 'user.name=Test', '-c', 'user.email=t@example.org', 'commit', '-q', '--allow-empty', '-m', subject);
    }
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'cart.ts'), new TextEncoder().encode('export const items: string[] = [];\nexport const total = (prices: number[]) => prices.reduce((a, b) => a + b, 0);\n'));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, '.env'), new TextEncoder().encode(`TOKEN=${SECRET}\n`));
    run('add', 'cart.ts', '.env');
    const gitApi = (git.isActive ? git.exports : await git.activate()).getAPI(1);
    const opened = (await gitApi.openRepository?.(folder)) ?? undefined;
    repository = await waitFor(() => opened ?? gitApi.repositories.find((candidate) => candidate.rootUri.fsPath === folder.fsPath), 'the git extension to see the repository');
    await repository.status();
    await waitFor(() => repository.state.indexChanges.length === 2, 'two staged files');
  });
  after(async () => {
    if (folder) await vscode.workspace.fs.delete(folder, { recursive: true }).then(undefined, () => undefined);
    await server?.close();
  });

  it('streams a conventional message for the staged diff into the input box; the .env diff is not sent', async () => {
    server.enqueue({ kind: 'stream', text: '```\nfeat(cart): add a total of the prices\n```', splitWrites: true });
    repository.inputBox.value = 'draft';
    await vscode.commands.executeCommand('tandem.writeCommitMessage', { rootUri: repository.rootUri });
    assert.equal(repository.inputBox.value, 'feat(cart): add a total of the prices');
    const sent = JSON.stringify(server.chatRequests().at(-1)?.body);
    assert.match(sent, /diff of commit-tmp\/cart\.ts/);
    assert.match(sent, /prices\.reduce/);
    assert.match(sent, /Conventional Commits/);
    assert.ok(!sent.includes(SECRET), 'the .env diff stayed here');
  });
});
