import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TandemApi } from '../../../src/extension/extension';
import type { McpServerView } from '../../../src/extension/mcp/servers';
import type { AuditRecord, McpCallEvent } from '../../../src/shared/audit';
import { ScriptedModelServer, type Reply } from '../../support/modelServer';
import { configure, EXTENSION_ID, lastAnswer, tandemApi, waitFor } from './helpers';

/** The bundle is out/test/integration/mcp.test.js: the repository is three folders up. */
const ROOT = path.resolve(__dirname, '../../..');
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const BROKEN = path.join(ROOT, 'test/fixtures/mcp/broken-server.mjs');

/**
 * MCP servers in a real VS Code (docs/mcp.md): the person's own servers from
 * `tandem.mcp.servers`, the reference server-everything and the broken
 * server, started by Tandem itself; an agent task that calls a tool after
 * approval on its card; a crashed server shown as failed, with Restart.
 */
describe('MCP servers', function () {
  this.timeout(120_000);
  let server: ScriptedModelServer;
  let api: TandemApi;

  const servers = async (): Promise<McpServerView[]> => (await vscode.commands.executeCommand<McpServerView[]>('tandem.mcp.showServers')) ?? [];
  const setServers = (value: Record<string, unknown>): Thenable<void> => vscode.workspace.getConfiguration('tandem').update('mcp.servers', value, vscode.ConfigurationTarget.Global);

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model'] });
    api = await tandemApi();
    await configure(api, server.baseUrl, 'test-model');
    await setServers({
      everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING] },
      broken: { type: 'stdio', command: process.execPath, args: [BROKEN, 'crash-at-start'] },
    });
    await waitFor(async () => (await servers()).length === 2, 'both servers in the view');
  });
  after(async () => {
    await api?.agent.setMode('ask');
    await setServers({});
    await server?.close();
  });

  function tool(name: string, args: Record<string, unknown>): Reply {
    return { kind: 'stream', text: '', toolCalls: [{ name, arguments: JSON.stringify(args) }] };
  }

  it('an agent task calls echo of server-everything after the person allows it on the step card; the model gets its result', async () => {
    server.reset();
    await api.agent.setMode('agent');
    await api.chat.newChat();
    server.enqueue(tool('mcp__everything__echo', { message: 'hello through MCP' }));
    server.enqueue(tool('finish', { summary: 'Echoed.', verification: 'none' }));
    const sent = api.chat.send('Echo something');
    const waiting = await waitFor(() => {
      const answer = api.chat.state().messages.at(-1);
      const step = answer?.steps?.find((candidate) => candidate.approval?.kind === 'mcp');
      return answer && step ? { messageId: answer.id, step } : undefined;
    }, 'the MCP call waiting for approval', 60_000);
    assert.equal(waiting.step.tool, 'mcp');
    assert.equal(waiting.step.title, 'MCP everything › echo');
    assert.match(waiting.step.approval?.prompt ?? '', /tool echo of MCP server everything with \{\s*"message": "hello through MCP"\s*\}/);
    assert.equal(waiting.step.approval?.alwaysAllow, 'everything/echo', 'the person\'s own server can be allowed permanently');
    // Nothing ran before the person allowed it: the model has had one request only.
    assert.equal(server.chatRequests().length, 1);
    const offered = ((server.chatRequests()[0]?.body as { tools?: Array<{ function: { name: string } }> }).tools ?? []).map((entry) => entry.function.name);
    assert.ok(offered.includes('mcp__everything__echo'), offered.join(', '));
    assert.ok(!offered.some((name) => name.startsWith('mcp__broken__')), 'a failed server offers no tools');
    await api.agent.stepAction(waiting.messageId, waiting.step.id, 'approve');
    await sent;

    const answer = lastAnswer(api);
    assert.equal(answer.error, undefined, JSON.stringify(answer.error));
    const card = answer.steps?.find((step) => step.id === waiting.step.id);
    assert.equal(card?.status, 'done', JSON.stringify(card));
    assert.match(card?.output ?? '', /Result:\nEcho: hello through MCP/);
    const messages = (server.chatRequests()[1]?.body as { messages: Array<{ role: string; content: unknown }> }).messages;
    assert.deepEqual(messages.filter((message) => message.role === 'tool').map((message) => message.content), ['Echo: hello through MCP']);
  });

  it('"Always allow" on the card writes the person\'s user settings; the next task calls the tool unasked; both calls are mcp.call audit events', async () => {
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('tandem');
    await config().update('mcp.alwaysAllow', undefined, vscode.ConfigurationTarget.Global);
    try {
      server.reset();
      await api.agent.setMode('agent');
      await api.chat.newChat();
      server.enqueue(tool('mcp__everything__echo', { message: 'first, asked' }));
      server.enqueue(tool('finish', { summary: 'Echoed.', verification: 'none' }));
      const first = api.chat.send('Echo something');
      const waiting = await waitFor(() => {
        const answer = api.chat.state().messages.at(-1);
        const step = answer?.steps?.find((candidate) => candidate.approval?.kind === 'mcp');
        return answer && step ? { messageId: answer.id, step } : undefined;
      }, 'the MCP call waiting for approval', 60_000);
      await api.agent.stepAction(waiting.messageId, waiting.step.id, 'alwaysAllow');
      await first;
      assert.equal(lastAnswer(api).steps?.find((step) => step.id === waiting.step.id)?.status, 'done');
      await waitFor(() => (config().inspect<string[]>('mcp.alwaysAllow')?.globalValue ?? []).includes('everything/echo'), 'everything/echo in the user settings');
      const inspected = config().inspect<string[]>('mcp.alwaysAllow');
      assert.equal(inspected?.workspaceValue, undefined, 'never written to the workspace');
      assert.equal(inspected?.workspaceFolderValue, undefined);

      // The next task: the same tool runs without a card asking.
      server.reset();
      await api.chat.newChat();
      server.enqueue(tool('mcp__everything__echo', { message: 'second, unasked' }));
      server.enqueue(tool('finish', { summary: 'Echoed again.', verification: 'none' }));
      await api.chat.send('Echo again');
      const card = lastAnswer(api).steps?.find((step) => step.tool === 'mcp');
      assert.equal(card?.status, 'done', JSON.stringify(card));
      assert.equal(card?.approval, undefined);

      const status = await api.audit.status(true);
      assert.ok(status.directory && status.chain, status.problem);
      const calls = readdirSync(status.directory)
        .filter((name) => name.startsWith(`audit-${status.chain}-`) && name.endsWith('.jsonl'))
        .sort()
        .flatMap((name) => readFileSync(path.join(status.directory!, name), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditRecord))
        .filter((record): record is AuditRecord & McpCallEvent => record.type === 'mcp.call')
        .slice(-2);
      assert.deepEqual(
        calls.map(({ server: name, tool: called, source, approval, answer, approved, actor }) => ({ name, called, source, approval, answer, approved, actor })),
        [
          { name: 'everything', called: 'echo', source: 'user', approval: 'asked', answer: 'alwaysAllow', approved: true, actor: 'person' },
          { name: 'everything', called: 'echo', source: 'user', approval: 'alwaysAllowed', answer: undefined, approved: true, actor: 'person' },
        ],
      );
      const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
      assert.equal(calls[0]?.arguments.sha256, digest(JSON.stringify({ message: 'first, asked' })));
      assert.equal(calls[1]?.result?.sha256, digest('Echo: second, unasked'));
      for (const call of calls) assert.ok(typeof call.durationMs === 'number' && call.durationMs >= 0);
    } finally {
      await config().update('mcp.alwaysAllow', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a server named by the repository\'s .vscode/mcp.json does not start, and offers no tool, until the person approves it', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const marker = path.join(os.tmpdir(), `tandem-mcp-repo-ran-${Date.now()}`);
    const file = vscode.Uri.joinPath(folder, '.vscode', 'mcp.json');
    const config = { servers: { repo: { command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`] } } };
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(config)));
    try {
      const repo = await waitFor(async () => (await servers()).find((entry) => entry.name === 'repo'), 'the repository\'s server in the view', 30_000);
      assert.equal(repo.state, 'awaitingApproval');
      assert.equal(repo.source, 'workspace');
      server.reset();
      await api.agent.setMode('agent');
      await api.chat.newChat();
      server.enqueue({ kind: 'stream', text: 'Nothing to do.' });
      await api.chat.send('Anything?');
      const offered = ((server.chatRequests()[0]?.body as { tools?: Array<{ function: { name: string } }> }).tools ?? []).map((entry) => entry.function.name);
      assert.ok(!offered.some((name) => name.startsWith('mcp__repo__')), offered.join(', '));
      await vscode.commands.executeCommand('tandem.mcp.restartServer', 'repo');
      assert.equal((await servers()).find((entry) => entry.name === 'repo')?.state, 'awaitingApproval');
      assert.equal(existsSync(marker), false, 'the repository\'s server ran without approval');
    } finally {
      await vscode.workspace.fs.delete(file);
      rmSync(marker, { force: true });
    }
  });

  it('with tandem.dataBoundary.localOnly on, a remote http server does not start and says why', async () => {
    const config = vscode.workspace.getConfiguration('tandem');
    await config.update('dataBoundary.localOnly', true, vscode.ConfigurationTarget.Global);
    try {
      await setServers({ remote: { type: 'http', url: 'https://mcp.example.invalid/mcp' } });
      const remote = await waitFor(async () => (await servers()).find((entry) => entry.name === 'remote' && entry.state === 'failed'), 'the remote server to be refused', 30_000);
      assert.match(remote.error ?? '', /localOnly is on, and mcp\.example\.invalid is not this machine/);
    } finally {
      await config.update('dataBoundary.localOnly', undefined, vscode.ConfigurationTarget.Global);
      await setServers({ everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING] }, broken: { type: 'stdio', command: process.execPath, args: [BROKEN, 'crash-at-start'] } });
    }
  });

  it('a server that crashes at start is shown failed with its stderr, and offers Restart', async () => {
    const broken = await waitFor(async () => (await servers()).find((entry) => entry.name === 'broken' && entry.state === 'failed'), 'the broken server to fail', 30_000);
    assert.match(broken.error ?? '', /exited with code 3/);
    assert.match(broken.stderr.join('\n'), /cannot open config file/);
    const menus = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { menus: Record<string, Array<{ command: string; when?: string }>> } }).contributes.menus['view/item/context'] ?? [];
    const restart = menus.find((menu) => menu.command === 'tandem.mcp.restartServer');
    assert.ok(restart?.when?.includes('view == tandem.mcpServers') && /failed/.test(restart.when), JSON.stringify(restart));
    // Restart starts it again (and it fails again, the same way); fixed, it becomes ready.
    const again = await vscode.commands.executeCommand<McpServerView>('tandem.mcp.restartServer', 'broken');
    assert.equal(again?.state, 'failed');
    await setServers({ everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING] }, broken: { type: 'stdio', command: process.execPath, args: [BROKEN, 'ok'] } });
    await waitFor(async () => (await servers()).find((entry) => entry.name === 'broken' && entry.state !== 'failed'), 'the new configuration to be read');
    const fixed = await vscode.commands.executeCommand<McpServerView>('tandem.mcp.restartServer', 'broken');
    assert.equal(fixed?.state, 'ready', JSON.stringify(fixed));
    assert.deepEqual(fixed?.tools.map((entry) => entry.name), ['shout']);
    await vscode.commands.executeCommand('tandem.mcp.disableServer', 'broken');
    assert.equal((await servers()).find((entry) => entry.name === 'broken')?.state, 'disabled');
    await vscode.commands.executeCommand('tandem.mcp.enableServer', 'broken');
  });
});
