import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import { verdictText } from '../../../src/shared/checks';
import type { ChangeSet } from '../../../src/shared/edits';
import { EXTENSION_ID, tandemApi, waitFor } from './helpers';

const PASS = process.env.TANDEM_TEST_PASS;

/**
 * The project's own checks on a proposal in a real VS Code: the sample
 * project's type check (the repository's own TypeScript, set as the
 * person's `tandem.checks`) runs in a temporary copy with the proposal
 * applied; the person's files stay as they were.
 */
if (PASS === undefined || PASS === 'main') describe('Project checks: a proposal checked in a temporary copy of the workspace', function () {
  this.timeout(180_000);
  let api: TandemApi;
  let folder: vscode.Uri;
  let math: vscode.Uri;
  let original: string;

  before(async () => {
    api = await tandemApi();
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'the suite runs with the sample project open');
    folder = first.uri;
    math = vscode.Uri.joinPath(folder, 'src', 'math.ts');
    original = await fs.readFile(math.fsPath, 'utf8');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const tsc = path.join(extension.extensionPath, 'node_modules', 'typescript', 'bin', 'tsc');
    await vscode.workspace
      .getConfiguration('tandem')
      .update('checks', [{ name: 'typecheck', kind: 'typecheck', command: `node "${tsc}" --noEmit -p .`, timeoutSeconds: 120 }], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('tandem').update('checks', undefined, vscode.ConfigurationTarget.Global);
  });

  function proposal(newText: string): ChangeSet {
    return { format: 'codeBlock', changes: [{ kind: 'update', path: 'src/math.ts', oldText: original, newText }] };
  }

  it('a proposal that breaks the type check: "typecheck failed" with the error on its line, and the person\'s file untouched', async () => {
    // Line 3 of the proposal assigns a number to a string.
    const broken = original.replace('  return a + b;', '  const total: string = a + b;\n  return a + b;');
    assert.notEqual(broken, original);
    const tmpBefore = (await fs.readdir(os.tmpdir())).filter((name) => name.startsWith('tandem-checks-'));
    const results = await api.projectChecks.run(proposal(broken), { folder, approve: 'run' });
    const [typecheck] = results;
    assert.ok(typecheck, JSON.stringify(results));
    assert.equal(typecheck.status, 'failed', JSON.stringify(typecheck));
    assert.deepEqual(
      typecheck.problems.map((problem) => [problem.path, problem.line, problem.column, problem.severity]),
      [['src/math.ts', 3, 9, 'error']],
    );
    assert.match(typecheck.problems[0]?.message ?? '', /TS2322: Type 'number' is not assignable to type 'string'/);
    assert.equal(verdictText({ findings: [], project: results, running: false }), 'typecheck failed: 1 error');
    assert.equal(await fs.readFile(math.fsPath, 'utf8'), original, 'the person\'s file changed');
    assert.equal(vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === math.toString())?.isDirty ?? false, false);
    const tmpAfter = (await fs.readdir(os.tmpdir())).filter((name) => name.startsWith('tandem-checks-'));
    assert.deepEqual(tmpAfter.filter((name) => !tmpBefore.includes(name)), [], 'the temporary copy was left behind');
  });

  it('a proposal that type-checks passes', async () => {
    const fine = original.replace('  return a + b;', '  const total: number = a + b;\n  return total;');
    const results = await api.projectChecks.run(proposal(fine), { folder, approve: 'run' });
    assert.deepEqual(
      results.map((result) => [result.name, result.status]),
      [['typecheck', 'passed']],
    );
  });

  it('on the review: "typecheck failed" as its verdict, the error as a diagnostic on its line of the proposal, nothing written until Accept', async () => {
    const broken = original.replace('  return a + b;', '  const total: string = a + b;\n  return a + b;');
    api.projectChecks.answerWith('run');
    try {
      const review = await api.edits.propose(proposal(broken), { folder, title: 'Breaking the type check' });
      const sides = review.diffUris('src/math.ts');
      assert.ok(sides);
      const diagnostics = await waitFor(() => {
        const found = vscode.languages.getDiagnostics(sides.proposal).filter((diagnostic) => diagnostic.source === 'Tandem checks');
        return found.length > 0 ? found : undefined;
      }, 'the type error on the proposal side', 120_000);
      assert.deepEqual(
        diagnostics.map((diagnostic) => [String(diagnostic.code), diagnostic.range.start.line, diagnostic.range.start.character]),
        [['typecheck', 2, 8]],
      );
      assert.match(diagnostics[0]?.message ?? '', /TS2322/);
      const proposalText = await vscode.workspace.openTextDocument(sides.proposal);
      assert.match(proposalText.lineAt(2).text, /const total: string = a \+ b;/);
      // The verdict (the Proposed Changes view and the status bar show it); the diff's title says what cannot change.
      const verdict = await waitFor(() => {
        const now = review.verdict();
        return now && !now.running ? now : undefined;
      }, 'the checks to end');
      assert.equal(verdictText(verdict), 'typecheck failed: 1 error');
      const tab = vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((candidate) => candidate.input instanceof vscode.TabInputTextDiff && candidate.input.modified.toString() === sides.proposal.toString());
      assert.match(tab?.label ?? '', /Tandem proposal · no security findings$/, tab?.label);
      assert.equal(await fs.readFile(math.fsPath, 'utf8'), original, 'the person\'s file changed before Accept');
      assert.equal(vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === math.toString())?.isDirty ?? false, false);

      // A failed project check informs; it does not ask again (only high-severity security findings do).
      const accepted = await review.acceptAll();
      assert.ok(accepted.applied > 0 && !accepted.error, JSON.stringify(accepted));
      const document = await vscode.workspace.openTextDocument(math);
      assert.match(document.getText(), /const total: string = a \+ b;/);
      await waitFor(() => vscode.languages.getDiagnostics(sides.proposal).length === 0, 'the diagnostics to go with the review');
    } finally {
      api.projectChecks.answerWith(undefined);
      const document = await vscode.workspace.openTextDocument(math);
      if (document.getText() !== original) {
        const restore = new vscode.WorkspaceEdit();
        restore.replace(math, new vscode.Range(0, 0, document.lineCount, 0), original);
        await vscode.workspace.applyEdit(restore);
        await document.save();
      }
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('without the person\'s approval the check does not run: needsApproval, with the reason', async () => {
    const results = await api.projectChecks.run(proposal(original), { folder, approve: 'skip' });
    assert.equal(results[0]?.status, 'needsApproval');
    assert.match(results[0]?.reason ?? '', /skipped/i);
  });
});

/** The person's policy would run `npm test` unasked in the sandbox: full-auto, npm allowed (user settings). */
async function permissivePolicy(on: boolean): Promise<void> {
  const config = vscode.workspace.getConfiguration('tandem');
  await config.update('agent.approvalPolicy', on ? 'full-auto' : undefined, vscode.ConfigurationTarget.Global);
  await config.update('agent.allowCommands', on ? ['npm'] : undefined, vscode.ConfigurationTarget.Global);
}

const unchanged: ChangeSet = { format: 'codeBlock', changes: [] };

if (PASS === 'hostile-settings') {
  describe('@hostile-settings project checks a repository names never run unasked', function () {
    this.timeout(120_000);
    let api: TandemApi;

    before(async () => {
      api = await tandemApi();
      await permissivePolicy(true);
    });

    after(async () => {
      await permissivePolicy(false);
      await vscode.workspace.getConfiguration('tandem').update('checks', undefined, vscode.ConfigurationTarget.Global);
    });

    it('the workspace’s check asks though the person’s policy would run it; the same check in the person’s settings runs', async () => {
      const inspected = vscode.workspace.getConfiguration('tandem').inspect('checks');
      assert.ok(inspected?.workspaceValue ?? inspected?.workspaceFolderValue, 'the repository’s tandem.checks was not read');
      const fromRepo = await api.projectChecks.run(unchanged, { approve: 'none' });
      assert.deepEqual(
        fromRepo.map((result) => [result.name, result.status]),
        [['repo-tests', 'needsApproval']],
      );
      assert.match(fromRepo[0]?.reason ?? '', /workspace settings/);
      await vscode.workspace.getConfiguration('tandem').update('checks', [{ name: 'own-tests', kind: 'test', command: 'npm test' }], vscode.ConfigurationTarget.Global);
      const own = await api.projectChecks.run(unchanged, { approve: 'none' });
      assert.equal(own[0]?.name, 'own-tests');
      // Unasked, in the sandbox: the sample project's `node --test` finds no failing test.
      assert.equal(own[0]?.status, 'passed', JSON.stringify(own[0]));
    });
  });
}

if (PASS === 'restricted') {
  describe('@restricted project checks in Restricted Mode', function () {
    this.timeout(60_000);

    it('run nothing, and say why', async () => {
      const api = await tandemApi();
      const tmpBefore = (await fs.readdir(os.tmpdir())).filter((name) => name.startsWith('tandem-checks-'));
      const results = await api.projectChecks.run(unchanged, { approve: 'run' });
      assert.deepEqual(
        results.map((result) => result.status),
        ['skipped'],
      );
      assert.match(results[0]?.reason ?? '', /not trusted/);
      const tmpAfter = (await fs.readdir(os.tmpdir())).filter((name) => name.startsWith('tandem-checks-'));
      assert.deepEqual(tmpAfter.filter((name) => !tmpBefore.includes(name)), []);
    });
  });
}
