import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import type { ClientToolCall, ClientToolResult } from '../../../src/shared/agentProtocol';
import type { StepView } from '../../../src/shared/webviewProtocol';
import { ScriptedModelServer, type Reply } from '../../support/modelServer';
import { configure, lastAnswer, tandemApi, waitFor } from './helpers';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Agent mode's editor-side tools in a real VS Code: what the service gets
 * when it calls `tandem/clientTool`. Called through the TandemApi test hook,
 * so no model is involved.
 */
describe('Agent client tools', function () {
  this.timeout(60_000);
  let api: TandemApi;
  let folder: vscode.Uri;
  let count = 0;
  let task: string;

  before(async () => {
    api = await tandemApi();
    const first = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(first);
    folder = first;
  });
  beforeEach(() => {
    task = `agent-test-${++count}-${Date.now()}`;
  });
  afterEach(async () => {
    for (const open of vscode.workspace.textDocuments.filter((candidate) => candidate.isDirty && candidate.uri.path.includes('/agent-tmp/'))) {
      await vscode.window.showTextDocument(open);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function call<K extends ClientToolCall['kind']>(callArgs: Extract<ClientToolCall, { kind: K }>, options: Parameters<TandemApi['agent']['clientTool']>[1] = {}, stepId = 'step-1'): Promise<Extract<ClientToolResult, { kind: K }>> {
    const result = await api.agent.clientTool({ streamId: task, stepId, call: callArgs }, options);
    assert.equal(result.kind, callArgs.kind);
    return result as Extract<ClientToolResult, { kind: K }>;
  }

  async function write(path: string, text: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder, path);
    await vscode.workspace.fs.writeFile(uri, encoder.encode(text));
    return uri;
  }

  async function disk(path: string): Promise<string | undefined> {
    return vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, path)).then(
      (bytes) => decoder.decode(bytes),
      () => undefined,
    );
  }

  it('openBuffers returns the unsaved text of a dirty document, not the disk', async () => {
    const uri = await write(`agent-tmp/buffer${count}.ts`, 'export const a = 1;\n');
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'export const b = 2;\n'));
    const result = await call({ kind: 'openBuffers' });
    const file = result.files.find((candidate) => candidate.path === `agent-tmp/buffer${count}.ts`);
    assert.ok(file, JSON.stringify(result.files.map((f) => f.path)));
    assert.equal(file.text, 'export const a = 1;\nexport const b = 2;\n');
    assert.equal(await disk(`agent-tmp/buffer${count}.ts`), 'export const a = 1;\n');
  });

  it('diagnostics reports a file with a problem (the JSON language server)', async () => {
    const uri = await write(`agent-tmp/broken${count}.json`, '{ "name": "x", "list": [1, 2,, }\n');
    // The JSON server may still be starting in a fresh host: let it report once before asking.
    await vscode.window.showTextDocument(uri);
    await waitFor(() => vscode.languages.getDiagnostics(uri).length > 0, 'the JSON language server to report', 30_000);
    const result = await call({ kind: 'diagnostics', paths: [`agent-tmp/broken${count}.json`] });
    assert.equal(result.diagnostics.length, 1);
    const items = result.diagnostics[0]?.items ?? [];
    assert.ok(items.length > 0, 'no problems reported');
    assert.ok(items.some((item) => item.severity === 'error'), JSON.stringify(items));
    assert.equal(typeof items[0]?.startLine, 'number');
  });

  it('diagnostics waits for a report that arrives after an edit', async () => {
    const collection = vscode.languages.createDiagnosticCollection('tandem-agent-test');
    try {
      const uri = await write(`agent-tmp/late${count}.txt`, 'some text\n');
      const editor = await vscode.window.showTextDocument(uri);
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'changed '));
      setTimeout(() => collection.set(uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 7), 'Late problem', vscode.DiagnosticSeverity.Warning)]), 600);
      const result = await call({ kind: 'diagnostics', paths: [`agent-tmp/late${count}.txt`] });
      assert.deepEqual(result.diagnostics[0]?.items, [{ startLine: 0, endLine: 0, severity: 'warning', message: 'Late problem' }]);
      // Without a path: every file under the root with problems.
      const all = await call({ kind: 'diagnostics' });
      assert.ok(all.diagnostics.some((entry) => entry.path === `agent-tmp/late${count}.txt`), JSON.stringify(all.diagnostics.map((d) => d.path)));
    } finally {
      collection.dispose();
    }
  });

  it('runCommand runs the command as a process, shown in the Tandem Agent terminal, and captures the output and the exit code', async () => {
    const result = await call({ kind: 'runCommand', command: "sh -c 'echo hello-from-agent; exit 3'", timeoutSeconds: 30, needsApproval: false, sandboxed: true });
    assert.equal(result.approved, true);
    assert.match(result.output, /hello-from-agent/);
    assert.equal(result.exitCode, 3, result.output);
    const terminal = vscode.window.terminals.find((candidate) => candidate.name === 'Tandem Agent');
    assert.ok(terminal && 'pty' in terminal.creationOptions, 'a pseudoterminal, not a shell');
  });

  it('runCommand stops a command at its timeout', async () => {
    const started = Date.now();
    const result = await call({ kind: 'runCommand', command: 'sleep 30', timeoutSeconds: 1, needsApproval: false, sandboxed: true });
    assert.equal(result.timedOut, true, JSON.stringify(result));
    assert.equal(result.exitCode, undefined);
    assert.ok(Date.now() - started < 15_000);
  });

  it('runCommand that needs approval does not run when the person declines', async () => {
    const marker = `agent-tmp/should-not-exist${count}`;
    const result = await call({ kind: 'runCommand', command: `touch ${marker}`, timeoutSeconds: 10, needsApproval: true, sandboxed: false }, { approve: 'reject' });
    assert.equal(result.approved, false);
    assert.equal(await disk(marker), undefined);
  });

  it('applyChanges with autoApply writes the files and takes a checkpoint; Restore puts them back and deletes what was created', async () => {
    const path = `agent-tmp/apply${count}.ts`;
    const created = `agent-tmp/created${count}.ts`;
    await write(path, 'export const x = 1;\n');
    const result = await call({
      kind: 'applyChanges',
      autoApply: true,
      changeSet: {
        format: 'applyPatch',
        changes: [
          { kind: 'update', path, oldText: 'export const x = 1;\n', newText: 'export const x = 2;\n' },
          { kind: 'add', path: created, newText: 'export const y = 3;\n' },
        ],
      },
    });
    assert.deepEqual([...result.applied].sort(), [path, created].sort(), result.message);
    assert.deepEqual(result.rejected, []);
    assert.equal(await disk(path), 'export const x = 2;\n');
    assert.equal(await disk(created), 'export const y = 3;\n');

    const checkpoints = await api.agent.checkpoints(task);
    assert.equal(checkpoints.length, 1);
    assert.deepEqual(checkpoints[0]?.files.map((file) => [file.path, file.existed]).sort(), [
      [path, true],
      [created, false],
    ].sort());
    const storage = await api.agent.checkpointStorage(task);
    assert.equal(storage.files, 2, 'one pre-image and one manifest');

    // A second step edits again; restoring to the first undoes both.
    await call({ kind: 'applyChanges', autoApply: true, changeSet: { format: 'applyPatch', changes: [{ kind: 'update', path, oldText: 'export const x = 2;\n', newText: 'export const x = 4;\n' }] } }, {}, 'step-2');
    assert.equal((await api.agent.checkpoints(task)).length, 2);

    const outcome = await api.agent.restore(task, 'step-1');
    assert.ok(outcome);
    assert.deepEqual(outcome.restored, [path]);
    assert.deepEqual(outcome.deleted, [created]);
    assert.equal(await disk(path), 'export const x = 1;\n');
    assert.equal(await disk(created), undefined);
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.path.endsWith(path));
    assert.ok(!document || (document.getText() === 'export const x = 1;\n' && !document.isDirty));
    assert.equal((await api.agent.checkpoints(task)).length, 0, 'restored checkpoints are gone');
  });

  it('applyChanges under review: rejected changes are reported and leave no checkpoint', async () => {
    const path = `agent-tmp/review${count}.ts`;
    await write(path, 'export const z = 1;\n');
    const result = await call(
      { kind: 'applyChanges', autoApply: false, changeSet: { format: 'applyPatch', changes: [{ kind: 'update', path, oldText: 'export const z = 1;\n', newText: 'export const z = 5;\n' }] } },
      { approve: 'reject' },
    );
    assert.deepEqual(result.applied, []);
    assert.deepEqual(result.rejected, [path]);
    assert.match(result.message, /Not applied/);
    assert.equal(await disk(path), 'export const z = 1;\n');
    assert.equal((await api.agent.checkpoints(task)).length, 0);
  });

  it('askUser returns the answer; the approval policy command sets the setting', async () => {
    const answer = await call({ kind: 'askUser', question: 'Which port?' }, { answer: '8080' });
    assert.equal(answer.answer, '8080');
    await vscode.commands.executeCommand('tandem.setApprovalPolicy', 'auto-edit');
    assert.equal(vscode.workspace.getConfiguration('tandem.agent').get('approvalPolicy'), 'auto-edit');
    assert.equal(api.chat.state().policy, 'auto-edit');
    await vscode.workspace.getConfiguration('tandem.agent').update('approvalPolicy', undefined, vscode.ConfigurationTarget.Global);
    await api.agent.setMode('agent');
    assert.equal(api.chat.state().mode, 'agent');
    await api.agent.setMode('ask');
  });
});

/**
 * Agent mode end to end through the chat controller: the real service's
 * agent loop, the scripted model calling tools, and the person's decisions
 * given as the webview's step buttons would.
 */
describe('Agent mode in the chat', function () {
  this.timeout(90_000);
  let server: ScriptedModelServer;
  let api: TandemApi;
  let folder: vscode.Uri;

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model'] });
    api = await tandemApi();
    await configure(api, server.baseUrl, 'test-model');
    const first = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(first);
    folder = first;
  });
  after(async () => {
    await api?.agent.setMode('ask');
    await server?.close();
  });

  function tool(name: string, args: Record<string, unknown>, text = ''): Reply {
    return { kind: 'stream', text, toolCalls: [{ name, arguments: JSON.stringify(args) }] };
  }

  /** Waits for a step of the running answer that asks the person something. */
  async function waitingStep(kind: string): Promise<{ messageId: string; step: StepView }> {
    return waitFor(() => {
      const answer = api.chat.state().messages.at(-1);
      const step = answer?.steps?.find((candidate) => candidate.approval?.kind === kind);
      return answer && step ? { messageId: answer.id, step } : undefined;
    }, `a step asking for ${kind}`, 30_000);
  }

  it('runs a task: the edit and the command wait for approval on their cards, steps and usage land in the answer, Restore undoes the edit', async () => {
    server.reset();
    await api.agent.setMode('agent');
    assert.equal(api.chat.state().mode, 'agent');
    await api.chat.newChat();
    const path = `agent-tmp/from-agent-${Date.now()}.txt`;
    server.enqueue(tool('create_file', { path, content: 'made by the agent\n' }, 'Creating the file.'));
    server.enqueue(tool('run_command', { command: "sh -c 'echo checked-by-agent'", why: 'Check it' }));
    server.enqueue(tool('finish', { summary: 'Created the file.', verification: 'Ran the check.' }));
    const sent = api.chat.send('Create a file');

    const edit = await waitingStep('edit');
    assert.equal(edit.step.status, 'waiting');
    await api.agent.stepAction(edit.messageId, edit.step.id, 'approve');
    const command = await waitingStep('command');
    assert.match(command.step.approval?.prompt ?? '', /checked-by-agent/);
    await api.agent.stepAction(command.messageId, command.step.id, 'approve');
    await sent;

    const answer = lastAnswer(api);
    assert.equal(answer.error, undefined, JSON.stringify(answer.error));
    assert.match(answer.text, /Created the file/);
    assert.ok(answer.usage && answer.usage.totalTokens >= 0);
    const steps = answer.steps ?? [];
    const editStep = steps.find((step) => step.id === edit.step.id);
    assert.ok(editStep?.checkpoint, JSON.stringify(steps));
    assert.equal(editStep?.approval, undefined);
    const commandStep = steps.find((step) => step.id === command.step.id);
    assert.equal(commandStep?.status, 'done', JSON.stringify(commandStep));
    assert.match(commandStep?.output ?? '', /checked-by-agent/);
    const uri = vscode.Uri.joinPath(folder, path);
    assert.equal(decoder.decode(await vscode.workspace.fs.readFile(uri)), 'made by the agent\n');

    const outcome = await api.agent.restore(answer.id, edit.step.id);
    assert.deepEqual(outcome?.deleted, [path]);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(uri)));
  });

  it('auto-edit: edits land without asking (with a checkpoint), a running command shows live output on its card', async () => {
    server.reset();
    await vscode.workspace.getConfiguration('tandem.agent').update('approvalPolicy', 'auto-edit', vscode.ConfigurationTarget.Global);
    try {
      await api.agent.setMode('agent');
      await api.chat.newChat();
      const path = `agent-tmp/auto-${Date.now()}.txt`;
      server.enqueue(tool('create_file', { path, content: 'auto\n' }));
      server.enqueue(tool('run_command', { command: "sh -c 'echo first-part; sleep 2; echo second-part'", why: 'Slow check' }));
      server.enqueue(tool('finish', { summary: 'Done.', verification: 'Checked.' }));
      const sent = api.chat.send('Do it');
      const command = await waitingStep('command');
      const answer = api.chat.state().messages.at(-1);
      const editStep = answer?.steps?.find((step) => step.tool === 'create_file');
      assert.ok(editStep?.checkpoint, 'the edit was applied without asking, after a checkpoint');
      assert.equal(editStep?.approval, undefined);
      assert.equal(decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, path))), 'auto\n');
      await api.agent.stepAction(command.messageId, command.step.id, 'approve');
      await waitFor(() => {
        const step = api.chat.state().messages.at(-1)?.steps?.find((candidate) => candidate.id === command.step.id);
        return step?.status === 'running' && /first-part/.test(step.output ?? '') && !/second-part/.test(step.output ?? '');
      }, 'live output of the running command', 10_000);
      await sent;
      assert.equal(lastAnswer(api).error, undefined);
      await api.agent.stepAction(command.messageId, editStep!.id, 'review');
      await waitFor(() => vscode.window.activeTextEditor?.document.uri.path.endsWith(path), 'Review to open the changed file');
    } finally {
      await vscode.workspace.getConfiguration('tandem.agent').update('approvalPolicy', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Restore to here on a step before an edit (the read) puts the edited file back; steps after the last edit offer none', async () => {
    server.reset();
    await vscode.workspace.getConfiguration('tandem.agent').update('approvalPolicy', 'auto-edit', vscode.ConfigurationTarget.Global);
    const window = vscode.window as { showWarningMessage: unknown };
    const showWarningMessage = window.showWarningMessage;
    try {
      await api.agent.setMode('agent');
      await api.chat.newChat();
      const path = `agent-tmp/restore-read-${Date.now()}.txt`;
      const uri = vscode.Uri.joinPath(folder, path);
      await vscode.workspace.fs.writeFile(uri, encoder.encode('before\n'));
      server.enqueue(tool('read_file', { path }));
      server.enqueue(tool('create_file', { path, content: 'after\n' }));
      server.enqueue(tool('read_file', { path }));
      server.enqueue(tool('finish', { summary: 'Rewrote it.', verification: 'Read it back.' }));
      await api.chat.send('Rewrite the file');
      const answer = lastAnswer(api);
      assert.equal(answer.error, undefined, JSON.stringify(answer.error));
      assert.equal(decoder.decode(await vscode.workspace.fs.readFile(uri)), 'after\n');
      const steps = answer.steps ?? [];
      const edit = steps.findIndex((step) => step.tool === 'create_file');
      const read = steps.findIndex((step) => step.tool === 'read_file');
      const readStep = steps[read];
      assert.ok(readStep && read < edit, JSON.stringify(steps));
      assert.ok(steps.slice(0, edit + 1).every((step) => step.checkpoint), `steps up to the edit offer Restore: ${JSON.stringify(steps)}`);
      assert.ok(steps.slice(edit + 1).every((step) => !step.checkpoint), `steps after the edit do not: ${JSON.stringify(steps)}`);

      // The person confirms the restore (the modal is the real one otherwise).
      window.showWarningMessage = async () => 'Restore';
      await api.agent.stepAction(answer.id, readStep.id, 'restore');
      assert.equal(decoder.decode(await vscode.workspace.fs.readFile(uri)), 'before\n');
      const after = lastAnswer(api).steps ?? [];
      assert.ok(after.every((step) => !step.checkpoint), `nothing left to restore: ${JSON.stringify(after)}`);
    } finally {
      window.showWarningMessage = showWarningMessage;
      await vscode.workspace.getConfiguration('tandem.agent').update('approvalPolicy', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Stop while a command waits for approval ends the answer as stopped', async () => {
    server.reset();
    await api.agent.setMode('agent');
    await api.chat.newChat();
    server.enqueue(tool('run_command', { command: 'sh -c "echo never"', why: 'Try' }));
    const sent = api.chat.send('Run something');
    await waitingStep('command');
    api.chat.stop();
    await sent;
    const answer = lastAnswer(api);
    assert.equal(answer.stopped, true, JSON.stringify(answer));
    assert.ok(!(answer.steps ?? []).some((step) => step.approval), 'no card still asks');
  });
});
