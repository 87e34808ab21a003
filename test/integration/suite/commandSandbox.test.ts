import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import type { ClientToolCall, ClientToolResult } from '../../../src/shared/agentProtocol';
import { ScriptedModelServer } from '../../support/modelServer';
import { configure, lastAnswer, tandemApi, waitFor } from './helpers';

type RunCommand = Extract<ClientToolCall, { kind: 'runCommand' }>;
type RunResult = Extract<ClientToolResult, { kind: 'runCommand' }>;

/** What the Tandem Agent pseudoterminal writes, as the person would see it. */
class TerminalRecorder implements vscode.Disposable {
  private text = '';
  private readonly listener: vscode.Disposable;

  constructor(readonly terminal: vscode.Terminal) {
    const options = terminal.creationOptions as vscode.ExtensionTerminalOptions;
    assert.ok(options.pty, 'the Tandem Agent terminal is a pseudoterminal, not a shell');
    this.listener = options.pty.onDidWrite((data) => (this.text += data));
  }

  get written(): string {
    return this.text;
  }

  /** Waits until the terminal shows `pattern` (it writes once VS Code has opened it). */
  async shows(pattern: RegExp): Promise<void> {
    await waitFor(() => pattern.test(this.text), `the terminal to show ${pattern}: ${JSON.stringify(this.text)}`);
  }

  dispose(): void {
    this.listener.dispose();
  }
}

function agentTerminals(): vscode.Terminal[] {
  return vscode.window.terminals.filter((terminal) => terminal.name === 'Tandem Agent');
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * How agent commands run in a real VS Code: as processes whose output
 * streams into the read-only Tandem Agent pseudoterminal; unasked ones in
 * the OS sandbox (bubblewrap here), or, where there is none, only after
 * the person is asked.
 */
describe('Agent commands: the Tandem Agent terminal and the sandbox', function () {
  this.timeout(60_000);
  let api: TandemApi;
  let folder: vscode.Uri;
  let outside: string;
  let count = 0;

  before(async () => {
    api = await tandemApi();
    const first = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(first);
    folder = first;
    // The sandbox keeps the workspace's top folder as it is: the tests' own folder exists before they run.
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder, 'agent-tmp'));
    outside = await fs.mkdtemp(path.join(process.platform === 'linux' ? '/var/tmp' : os.tmpdir(), 'tandem-outside-'));
  });
  after(async () => {
    await fs.rm(outside, { recursive: true, force: true });
  });

  function run(call: Partial<RunCommand> & { command: string }, approve: 'approve' | 'reject'): Promise<RunResult> {
    const full: RunCommand = { kind: 'runCommand', timeoutSeconds: 30, needsApproval: false, sandboxed: false, ...call };
    return api.agent.clientTool({ streamId: `sandbox-test-${++count}`, stepId: 'step-1', call: full }, { approve }) as Promise<RunResult>;
  }

  /** A command the person approves: it runs as it is. */
  function approved(command: string, call: Partial<RunCommand> = {}): Promise<RunResult> {
    return run({ command, needsApproval: true, ...call }, 'approve');
  }

  /** A command that runs without asking: only in the sandbox. `answer`: to any question it still asks. */
  function unasked(command: string, answer: 'approve' | 'reject' = 'reject'): Promise<RunResult> {
    return run({ command, needsApproval: false, sandboxed: true }, answer);
  }

  /** Records the terminal the next command runs in (one is made by a first command if needed). */
  async function recorder(): Promise<TerminalRecorder> {
    if (agentTerminals().length === 0) await approved('true');
    const terminal = agentTerminals()[0];
    assert.ok(terminal);
    return new TerminalRecorder(terminal);
  }

  it('runs as a process and shows the command line and its output live in the Tandem Agent pseudoterminal', async () => {
    const terminal = await recorder();
    try {
      const result = await approved("printf 'line-one\\nline-two\\n'; echo to-stderr >&2; exit 4");
      assert.equal(result.approved, true);
      assert.equal(result.exitCode, 4, result.output);
      assert.match(result.output, /line-one\nline-two\n/);
      assert.match(result.output, /to-stderr/);
      await terminal.shows(/\[exit 4\]/);
      const shown = terminal.written;
      assert.match(shown, /\$ printf 'line-one\\nline-two\\n'; echo to-stderr >&2; exit 4/);
      assert.match(shown, /line-one\r\nline-two\r\n/, 'line ends as a terminal needs them');
      assert.match(shown, /Not sandboxed/);
    } finally {
      terminal.dispose();
    }
  });

  it('shows control characters in the command instead of acting on them, and runs the text as one command', async () => {
    const marker = path.join(folder.fsPath, 'agent-tmp', `typed-${Date.now()}`);
    const terminal = await recorder();
    try {
      const result = await approved(`echo test\u0001touch ${marker}; #`);
      assert.equal(result.exitCode, 0, result.output);
      assert.equal(await exists(marker), false, 'Ctrl-A did not move a cursor: no second command ran');
      await terminal.shows(/\$ echo test\\x01touch /);
    } finally {
      terminal.dispose();
    }
  });

  it('is read-only: what the person types runs nowhere, Ctrl+C stops the running command', async () => {
    const marker = path.join(folder.fsPath, 'agent-tmp', `typed-${Date.now()}`);
    const recorded = await recorder();
    try {
      recorded.terminal.sendText(`touch ${marker}`, true);
      await waitFor(() => /\(This terminal takes no input/.test(recorded.written), 'the read-only hint');
      const running = approved('echo started; sleep 30; echo finished');
      await waitFor(() => /started/.test(recorded.written), 'the command to start');
      recorded.terminal.sendText('\u0003', false);
      const result = await running;
      assert.equal(result.reason, 'Stopped by the person.', JSON.stringify(result));
      assert.equal(result.exitCode, undefined);
      assert.doesNotMatch(result.output, /finished/);
      await recorded.shows(/\[stopped\]/);
      assert.equal(await exists(marker), false, 'typed text is not a command');
    } finally {
      recorded.dispose();
    }
  });

  it('Stop in the chat stops a running command, and the process is gone', async () => {
    const server = await ScriptedModelServer.start({ models: ['test-model'] });
    const pidFile = path.join(folder.fsPath, 'agent-tmp', `stop-pid-${Date.now()}`);
    try {
      await configure(api, server.baseUrl, 'test-model');
      await api.agent.setMode('agent');
      await api.chat.newChat();
      server.enqueue({ kind: 'stream', text: '', toolCalls: [{ name: 'run_command', arguments: JSON.stringify({ command: `echo $$ > ${pidFile}; echo long-running; sleep 30`, why: 'Wait' }) }] });
      const sent = api.chat.send('Run something long');
      const waiting = await waitFor(() => {
        const answer = api.chat.state().messages.at(-1);
        const step = answer?.steps?.find((candidate) => candidate.approval?.kind === 'command');
        return answer && step ? { messageId: answer.id, stepId: step.id } : undefined;
      }, 'the command to ask', 30_000);
      await api.agent.stepAction(waiting.messageId, waiting.stepId, 'approve');
      await waitFor(() => /long-running/.test(api.chat.state().messages.at(-1)?.steps?.find((step) => step.id === waiting.stepId)?.output ?? ''), 'the command to run', 15_000);
      api.chat.stop();
      await sent;
      assert.equal(lastAnswer(api).stopped, true);
      const pid = Number((await fs.readFile(pidFile, 'utf8')).trim());
      await waitFor(async () => !(await fs.readFile(`/proc/${pid}/stat`, 'utf8').then((stat) => !/^\d+ \(.*\) Z/.test(stat), () => false)), 'the command to be gone');
    } finally {
      await api.agent.setMode('ask');
      await server.close();
    }
  });

  it('stops a command at its timeout, and the process is gone', async () => {
    const pidFile = path.join(folder.fsPath, 'agent-tmp', `pid-${Date.now()}`);
    const started = Date.now();
    const result = await approved(`echo $$ > ${pidFile}; sleep 30`, { timeoutSeconds: 1 });
    assert.equal(result.timedOut, true, JSON.stringify(result));
    assert.equal(result.exitCode, undefined);
    assert.ok(Date.now() - started < 15_000);
    const pid = Number((await fs.readFile(pidFile, 'utf8')).trim());
    await waitFor(async () => !(await fs.readFile(`/proc/${pid}/stat`, 'utf8').then((stat) => !/^\d+ \(.*\) Z/.test(stat), () => false)), 'the command to be gone');
  });

  it('runs an unasked command in the sandbox: inside the workspace it works, outside it does not happen', async function () {
    if (process.platform !== 'linux') this.skip();
    const marker = path.join(outside, `touched-${Date.now()}`);
    const inside = `agent-tmp/sandboxed-${Date.now()}.txt`;
    const terminal = await recorder();
    try {
      const ok = await unasked(`echo made-in-sandbox > ${inside}`);
      assert.equal(ok.exitCode, 0, ok.output);
      assert.equal(await fs.readFile(path.join(folder.fsPath, inside), 'utf8'), 'made-in-sandbox\n');
      await terminal.shows(/Sandboxed \(bubblewrap, no network\)/);
      // It fails on a read-only file system; asked whether to run it unsandboxed, the person says no.
      const blocked = await unasked(`touch ${marker}`, 'reject');
      assert.equal(blocked.approved, true);
      assert.notEqual(blocked.exitCode, 0);
      assert.match(blocked.output, /Read-only file system/);
      assert.match(blocked.output, /Ran in the sandbox/);
      assert.equal(await exists(marker), false);
      const vscodeSettings = await unasked('mkdir -p .vscode && echo "{}" > .vscode/settings.json', 'reject');
      assert.notEqual(vscodeSettings.exitCode, 0);
      assert.equal(await exists(path.join(folder.fsPath, '.vscode', 'settings.json')), false);
    } finally {
      terminal.dispose();
    }
  });

  it('with no sandbox (bwrap not on PATH), an unasked command asks; declined, it does not run; approved, it runs unsandboxed', async function () {
    if (process.platform !== 'linux') this.skip();
    const marker = path.join(folder.fsPath, 'agent-tmp', `no-sandbox-${Date.now()}`);
    const emptyPath = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-path-'));
    const savedPath = process.env.PATH;
    await api.agent.setMode('agent');
    try {
      process.env.PATH = emptyPath;
      const declined = await unasked(`/usr/bin/touch ${marker}`, 'reject');
      assert.equal(declined.approved, false);
      assert.match(declined.reason ?? '', /the sandbox is unavailable \(bubblewrap not installed\)/);
      assert.equal(await exists(marker), false);
      assert.deepEqual(api.chat.state().sandbox, { kind: 'none', network: false, reason: 'bubblewrap not installed' });
      const allowed = await unasked(`/usr/bin/touch ${marker}`, 'approve');
      assert.equal(allowed.approved, true);
      assert.equal(allowed.exitCode, 0, allowed.output);
      assert.equal(await exists(marker), true);
    } finally {
      process.env.PATH = savedPath;
      await fs.rm(emptyPath, { recursive: true, force: true });
    }
    // Found again once bwrap is back; the header's state follows.
    const again = await unasked('true');
    assert.equal(again.exitCode, 0);
    assert.deepEqual(api.chat.state().sandbox, { kind: 'bubblewrap', network: false });
    await api.agent.setMode('ask');
    assert.equal(api.chat.state().sandbox, undefined, 'Ask mode has no agent line');
  });
});
