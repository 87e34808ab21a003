/**
 * The checks on proposals in a real VS Code: a Refactor whose proposal
 * writes an AWS key and a SQL query built by concatenation shows both
 * findings as diagnostics on the proposal side of the diff (on the right
 * lines, also after the person types above them), names the verdict in the
 * diff's title, asks once more on Accept and records the checks in the audit
 * trail; an agent task is told the finding in its tool result and its next
 * patch fixes it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { EditTaskOutcome } from '../../../src/extension/actions/editTask';
import type { TandemApi } from '../../../src/extension/extension';
import type { AuditRecord } from '../../../src/shared/audit';
import { SecretFactory } from '../../support/fakeSecrets';
import { ScriptedModelServer, type Reply } from '../../support/modelServer';
import { configure, lastAnswer, tandemApi, waitFor } from './helpers';

const SOURCE = ['export function total(values: number[], db: { query(sql: string): void }): number {', '  let sum = 0;', '  for (const value of values) {', '    sum += value;', '  }', '  return sum;', '}', ''].join('\n');

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function auditEvents(dir: string, chain: number): AuditRecord[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith(`audit-${chain}-`) && name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      readFileSync(path.join(dir, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditRecord),
    );
}

function checkDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Tandem checks');
}

function lines(diagnostics: readonly vscode.Diagnostic[]): Array<[string, number]> {
  return diagnostics.map((diagnostic) => [String(diagnostic.code), diagnostic.range.start.line] as [string, number]).sort((a, b) => a[1] - b[1]);
}

type WarningStub = (message: string, ...rest: unknown[]) => Thenable<string | undefined>;

describe('Checks on proposals (real VS Code)', function () {
  this.timeout(90_000);
  let server: ScriptedModelServer;
  let api: TandemApi;
  let folder: vscode.Uri;
  const window = vscode.window as unknown as { showWarningMessage: WarningStub };
  const showWarningMessage = window.showWarningMessage;
  /** The modal questions asked, and the answers the test gives them (undefined = Cancel). */
  let asked: Array<{ message: string; detail: string }> = [];
  let answers: Array<string | undefined> = [];

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model'] });
    api = await tandemApi();
    await configure(api, server.baseUrl, 'test-model');
    const first = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(first);
    folder = first;
    // Modal questions are answered here; other warnings go to VS Code as usual.
    window.showWarningMessage = (message: string, ...rest: unknown[]) => {
      const options = rest[0] as { modal?: boolean; detail?: string } | undefined;
      if (options && typeof options === 'object' && options.modal) {
        asked.push({ message, detail: options.detail ?? '' });
        return Promise.resolve(answers.shift());
      }
      return showWarningMessage.call(vscode.window, message, ...rest);
    };
  });
  after(async () => {
    window.showWarningMessage = showWarningMessage;
    await api?.agent.setMode('ask');
    await server?.close();
  });
  beforeEach(() => {
    server.reset();
    asked = [];
    answers = [];
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('tandem.review.rejectAll').then(undefined, () => undefined);
    for (const open of vscode.workspace.textDocuments.filter((candidate) => candidate.isDirty && candidate.uri.path.includes('/checks-tmp/'))) {
      await vscode.window.showTextDocument(open);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a Refactor that writes an AWS key and concatenated SQL: both findings on the proposal side, in the title, asked about on Accept, in the trail', async () => {
    const uri = vscode.Uri.joinPath(folder, `checks-tmp/total-${Date.now()}.ts`);
    await vscode.workspace.fs.writeFile(uri, encoder.encode(SOURCE));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    // Made at run time: no key is written in the test's source.
    const [key] = new SecretFactory(Date.now() % 100_000).all().filter((secret) => secret.kind === 'aws-access-key-id');
    assert.ok(key);
    const rewritten = ['const AWS_ACCESS_KEY_ID = "' + key.value + '";', 'let sum = 0;', 'for (const value of values) sum += value;', 'db.query("SELECT * FROM scores WHERE total = " + sum);'].join('\n');
    server.enqueue({ kind: 'stream', text: `Here it is:\n\`\`\`ts\n${rewritten}\n\`\`\`\n` });
    const outcome = await vscode.commands.executeCommand<EditTaskOutcome>('tandem.refactor', { uri, range: new vscode.Range(1, 0, 5, 0), instruction: 'store the total' });
    assert.ok(outcome.kind === 'proposed' && outcome.review, JSON.stringify(outcome.kind));
    const review = outcome.review;
    const relative = vscode.workspace.asRelativePath(uri, false);
    const sides = review.diffUris(relative);
    assert.ok(sides, `no diff for ${relative}`);

    // Both findings, on the lines that hold them on the proposal side.
    const found = await waitFor(() => {
      const diagnostics = checkDiagnostics(sides.proposal);
      return diagnostics.length === 2 ? diagnostics : undefined;
    }, 'two findings as diagnostics on the proposal side');
    const proposal = await vscode.workspace.openTextDocument(sides.proposal);
    assert.deepEqual(lines(found), [['secret-introduced', 1], ['sql-injection', 4]]);
    assert.match(proposal.lineAt(1).text, /AWS_ACCESS_KEY_ID/);
    assert.match(proposal.lineAt(4).text, /db\.query/);
    const sql = found.find((diagnostic) => diagnostic.code === 'sql-injection');
    assert.equal(sql?.severity, vscode.DiagnosticSeverity.Error);
    assert.match(sql?.message ?? '', /SQL built from values .* Fix: Use a parameterised query/);
    assert.ok(!found.some((diagnostic) => diagnostic.message.includes(key.value)), 'a diagnostic never shows the secret');
    assert.deepEqual(checkDiagnostics(uri), [], 'the real file has no findings: nothing landed');

    // The verdict is in the diff's title.
    const tab = vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((candidate) => candidate.input instanceof vscode.TabInputTextDiff && candidate.input.modified.toString() === sides.proposal.toString());
    assert.match(tab?.label ?? '', /Tandem proposal · 2 security findings$/, tab?.label);

    // The person types two lines above: the findings move with their lines.
    const typing = new vscode.WorkspaceEdit();
    typing.insert(uri, new vscode.Position(0, 0), '// one\n// two\n');
    assert.ok(await vscode.workspace.applyEdit(typing));
    await waitFor(() => {
      const now = lines(checkDiagnostics(sides.proposal));
      return now[0]?.[1] === 3 && now[1]?.[1] === 6 ? now : undefined;
    }, 'the findings to follow their lines');

    // Accept asks once more: Cancel keeps everything as it is.
    answers.push(undefined);
    const kept = await review.acceptAll();
    assert.equal(kept.applied, 0, JSON.stringify(kept));
    assert.match(kept.error ?? '', /security findings/);
    assert.equal(asked.length, 1);
    assert.match(asked[0]?.message ?? '', /2 high-severity security findings/);
    assert.match(asked[0]?.detail ?? '', /secret-introduced at .*:4 — [\s\S]*sql-injection at .*:7 — /);
    assert.ok(!document.getText().includes('db.query'), 'nothing landed after Cancel');

    // Accept Anyway: it lands, and the review is not asked about again.
    answers.push('Accept Anyway');
    const accepted = await review.acceptAll();
    assert.ok(accepted.applied > 0 && accepted.refused.length === 0 && !accepted.error, JSON.stringify(accepted));
    assert.equal(asked.length, 2);
    assert.match(document.getText(), /db\.query\("SELECT \* FROM scores WHERE total = " \+ sum\);/);
    await waitFor(() => checkDiagnostics(sides.proposal).length === 0, 'the findings to go with the review');

    // The trail has the security checks, linked to the proposal and the review.
    const status = await api.audit.status(true);
    assert.ok(status.directory && status.chain, status.problem);
    const trail = auditEvents(status.directory, status.chain);
    const proposed = trail.find((event) => event.type === 'proposal' && event.files.some((file) => file.path === relative));
    assert.ok(proposed?.proposal, 'the proposal is in the trail');
    const checks = trail.filter((event) => event.type === 'checks' && event.proposal === proposed.proposal);
    assert.equal(checks.length, 1, JSON.stringify(checks));
    const [event] = checks;
    assert.ok(event?.type === 'checks');
    assert.equal(event.stage, 'security');
    assert.equal(event.review, review.id);
    assert.deepEqual(event.findings?.map((f) => [f.rule, f.severity, f.line]), [['secret-introduced', 'high', 2], ['sql-injection', 'high', 5]]);
    assert.ok(!JSON.stringify(trail).includes(key.value), 'the trail never holds the key');
  });

  it('an agent task is told the finding in its tool result, and its next patch fixes it', async () => {
    await vscode.workspace.getConfiguration('tandem.agent').update('approvalPolicy', 'auto-edit', vscode.ConfigurationTarget.Global);
    try {
      await api.agent.setMode('agent');
      await api.chat.newChat();
      const relative = `checks-tmp/users-${Date.now()}.ts`;
      const risky = 'export function find(db: { query(sql: string): unknown }, id: string): unknown {\n  return db.query("SELECT * FROM users WHERE id = " + id);\n}\n';
      const patch = `*** Begin Patch\n*** Update File: ${relative}\n@@\n-  return db.query("SELECT * FROM users WHERE id = " + id);\n+  return db.query("SELECT * FROM users WHERE id = ?", [id]);\n*** End Patch`;
      const tool = (name: string, args: Record<string, unknown>, text: string): Reply => ({ kind: 'stream', text, toolCalls: [{ name, arguments: JSON.stringify(args) }] });
      server.enqueue(tool('create_file', { path: relative, content: risky }, 'Adding the lookup.'));
      server.enqueue(tool('apply_patch', { patch }, 'Parameterising the query, as the checks say.'));
      server.enqueue(tool('finish', { summary: 'Added find.', verification: 'Security checks passed.' }, ''));
      await api.chat.send('Add a user lookup');

      const toolResults = server.chatRequests().map((request) => {
        const messages = (request.body as { messages?: Array<{ role: string; content?: unknown }> }).messages ?? [];
        return messages.filter((message) => message.role === 'tool').map((message) => String(message.content)).at(-1) ?? '';
      });
      assert.equal(toolResults.length, 3, 'three turns');
      assert.match(toolResults[1] ?? '', /Security findings in the proposed change; fix them before finish:\n- sql-injection \(high\) at checks-tmp\/users-\d+\.ts:2 — /);
      assert.doesNotMatch(toolResults[2] ?? '', /Security findings/);
      const text = decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, relative)));
      assert.match(text, /WHERE id = \?", \[id\]\)/);

      const steps = lastAnswer(api).steps ?? [];
      const edits = steps.filter((step) => step.tool === 'create_file' || step.tool === 'apply_patch');
      assert.deepEqual(edits.map((step) => step.verdict?.findings.map((finding) => finding.rule)), [['sql-injection'], []]);
      assert.equal(asked.length, 0, 'the policy applied the edits: nobody was asked');
    } finally {
      await vscode.workspace.getConfiguration('tandem.agent').update('approvalPolicy', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
