/**
 * The audit trail as a client sees it: the service writes what each feature
 * did (chat, edit proposals, agent steps and commands, completions), takes
 * the client's reports (decisions, writes, restores), records changes to its
 * policy settings, and writes the switch-off itself before it stops.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  createProtocolConnection,
  DidChangeConfigurationNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { registerHandlers } from '../../../src/server/server';
import { listChains } from '../../../src/server/services/audit/files';
import { sha256 } from '../../../src/server/services/audit/hash';
import { verifyFolder } from '../../../src/server/services/audit/verify';
import { AgentRunRequest, ClientToolRequest } from '../../../src/shared/agentProtocol';
import type { AuditRecord } from '../../../src/shared/audit';
import { AuditDecisionNotification, AuditRestoreNotification, AuditStatusRequest, AuditWriteNotification } from '../../../src/shared/auditProtocol';
import { ChatRequest, CompletionEventNotification, ProposeEditRequest, ServiceStatusNotification, type ServiceStatusParams } from '../../../src/shared/protocol';
import { ScriptedModelServer } from '../../support/modelServer';
import { answer, toolCall } from '../agent/harness';

const FILE_TEXT = 'export function add(a: number, b: number) {\n  return a + b;\n}\n';
const CONTEXT_TEXT = 'const privateDetail = "context-marker-5521";\n';

function readEvents(dir: string): AuditRecord[] {
  const segments = listChains(dir).get(1) ?? [];
  return segments.flatMap((segment) =>
    readFileSync(segment.path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditRecord),
  );
}

function rawTrail(dir: string): string {
  return (listChains(dir).get(1) ?? []).map((segment) => readFileSync(segment.path, 'utf8')).join('');
}

describe('the audit trail, written by the service for every feature', function () {
  this.timeout(20_000);
  let model: ScriptedModelServer;
  let server: Connection;
  let client: ProtocolConnection;
  let dir: string;
  let root: string;
  const statuses: ServiceStatusParams[] = [];
  let statusWaiter: (() => void) | undefined;
  const logs: string[] = [];

  const nextStatus = (): Promise<void> => new Promise((resolve) => (statusWaiter = resolve));
  const flushed = async (): Promise<AuditRecord[]> => {
    await client.sendRequest(AuditStatusRequest.type, { flush: true });
    return readEvents(dir);
  };
  const ofType = <T extends AuditRecord['type']>(events: AuditRecord[], type: T): Array<Extract<AuditRecord, { type: T }>> =>
    events.filter((event): event is Extract<AuditRecord, { type: T }> => event.type === type);

  before(async () => {
    model = await ScriptedModelServer.start();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-svc-'));
    root = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-root-'));
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    registerHandlers(server, { OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'test-model', OPENAI_API_KEY: '' });
    server.listen();
    client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onNotification(ServiceStatusNotification.type, (status) => {
      statuses.push(status);
      statusWaiter?.();
    });
    client.onNotification(LogMessageNotification.type, ({ message }) => {
      logs.push(message);
    });
    client.onRequest(ClientToolRequest.type, (params) => {
      if (params.call.kind === 'runCommand') return { kind: 'runCommand', approved: true, exitCode: 0, output: 'all 3 tests passed\n' };
      return { kind: 'openBuffers', files: [] };
    });
    client.listen();
    const ready = nextStatus();
    await client.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: null,
      clientInfo: { name: 'audit-test-client', version: '1.2.3' },
      capabilities: {},
      initializationOptions: { tandem: { agent: { approvalPolicy: 'ask' } }, auditDirectory: dir },
    });
    await client.sendNotification(InitializedNotification.type, {});
    await ready;
  });

  after(async () => {
    client.dispose();
    server.dispose();
    await model.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('starts the session with the version, client, endpoint host, model and the approval policy and lists', async () => {
    const [start] = await flushed();
    assert.equal(start?.type, 'session.start');
    if (start?.type !== 'session.start') return;
    assert.equal(start.seq, 1);
    assert.deepEqual(start.client, { name: 'audit-test-client', version: '1.2.3' });
    assert.equal(start.endpointHost, new URL(model.baseUrl).host);
    assert.equal(start.model, 'test-model');
    assert.equal(start.policy.approvalPolicy, 'ask');
    assert.ok(start.policy.denyCommands.length > 0);
    assert.deepEqual(start.audit, { contents: 'diffs', directory: dir, chain: 1 });
  });

  it('records a chat request: purpose, model, host, each context item by path, SHA-256 and bytes, never its text', async () => {
    model.enqueue(answer('It adds.'));
    await client.sendRequest(ChatRequest.type, {
      streamId: 'chat-1',
      messages: [{ role: 'user', content: 'What does this do?' }],
      context: [{ kind: 'file', path: 'src/detail.ts', text: CONTEXT_TEXT }],
    });
    const [request] = ofType(await flushed(), 'model.request');
    assert.ok(request);
    assert.equal(request.purpose, 'chat');
    assert.equal(request.request, 'chat-1');
    assert.equal(request.model, 'test-model');
    assert.equal(request.outcome, 'ok');
    assert.equal(request.attempts, 1);
    assert.ok(request.totalMs >= 0 && request.ttftMs !== undefined);
    const item = request.context.find((entry) => entry.path === 'src/detail.ts');
    assert.deepEqual(item, { path: 'src/detail.ts', kind: 'file', sha256: sha256(CONTEXT_TEXT), bytes: Buffer.byteLength(CONTEXT_TEXT) });
    assert.equal(request.messages, undefined, 'contents diffs keeps no prompts');
    assert.ok(!rawTrail(dir).includes('context-marker-5521'), 'the context text is not in the trail');
  });

  it('records what the data boundary did to a chat request: redactions by kind and count, refused files as withheld, never a value', async () => {
    const token = ['ghp', '_', 'Q7wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pIN'].join('');
    model.enqueue(answer('Rotate it.'));
    await client.sendRequest(ChatRequest.type, {
      streamId: 'chat-secret',
      messages: [{ role: 'user', content: `Is this token still valid: ${token}?` }],
      context: [{ kind: 'file', path: '.env', text: 'DB_PASSWORD=env-marker-7731\n' }],
    });
    const request = ofType(await flushed(), 'model.request').find((event) => event.request === 'chat-secret');
    assert.ok(request);
    assert.deepEqual(request.redactions, [{ kind: 'github-token', count: 1 }]);
    assert.deepEqual(request.withheld, ['.env']);
    assert.ok(!request.context.some((item) => item.path === '.env'), 'a refused file is not listed as sent');
    const trail = rawTrail(dir);
    assert.ok(!trail.includes(token) && !trail.includes('env-marker-7731'), 'no secret value in the trail');
    const sent = JSON.stringify(model.chatRequests().map((r) => r.body));
    assert.ok(!sent.includes(token) && !sent.includes('env-marker-7731'), 'no secret value left the machine');
  });

  it('records the paths a client kept back itself as withheld, with what the boundary refused, once each', async () => {
    model.enqueue(answer('I cannot see it.'));
    await client.sendRequest(ChatRequest.type, {
      streamId: 'chat-kept-back',
      messages: [{ role: 'user', content: 'What is in these?' }],
      context: [{ kind: 'file', path: 'secrets/.env.local', text: 'TOKEN=kept-back-marker-9031\n' }],
      withheld: ['.env', 'build/ignored.ts', '.env'],
    });
    const request = ofType(await flushed(), 'model.request').find((event) => event.request === 'chat-kept-back');
    assert.ok(request);
    assert.deepEqual(request.withheld, ['.env', 'build/ignored.ts', 'secrets/.env.local']);
    assert.ok(!rawTrail(dir).includes('kept-back-marker-9031'));
  });

  it('records an edit proposal with the file’s SHA-256 before and the unified diff; the change set carries its id', async () => {
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(path.join(root, 'src'), { recursive: true });
    writeFileSync(path.join(root, 'src/add.ts'), FILE_TEXT);
    model.enqueue(answer('```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```'));
    const result = await client.sendRequest(ProposeEditRequest.type, {
      streamId: 'edit-1',
      task: 'refactor',
      instruction: 'Add a return type',
      root,
      path: 'src/add.ts',
      languageId: 'typescript',
      files: [{ path: 'src/add.ts', text: FILE_TEXT }],
    });
    assert.ok(result.outcome?.ok, JSON.stringify(result.outcome));
    const proposalId = result.outcome.changeSet.proposalId;
    assert.ok(proposalId);
    const events = await flushed();
    const request = ofType(events, 'model.request').find((event) => event.request === 'edit-1');
    assert.equal(request?.purpose, 'edit');
    assert.equal(request?.context.find((entry) => entry.path === 'src/add.ts')?.sha256, sha256(FILE_TEXT));
    const [proposal] = ofType(events, 'proposal');
    assert.ok(proposal);
    assert.equal(proposal.proposal, proposalId);
    assert.equal(proposal.request, 'edit-1');
    assert.equal(proposal.origin, 'refactor');
    assert.deepEqual(proposal.files.map((file) => [file.path, file.kind, file.sha256Before]), [['src/add.ts', 'update', sha256(FILE_TEXT)]]);
    assert.match(proposal.diff ?? '', /^--- a\/src\/add\.ts\n\+\+\+ b\/src\/add\.ts\n@@/m);
    assert.match(proposal.diff ?? '', /^\+export function add\(a: number, b: number\): number \{$/m);

    // What only the client sees: the person's decision and the write that landed.
    const after = FILE_TEXT.replace(') {', '): number {');
    await client.sendNotification(AuditDecisionNotification.type, { proposalId, reviewId: 'r1', actor: 'person', scope: 'file', decision: 'accepted', path: 'src/add.ts', hunks: [0] });
    await client.sendNotification(AuditWriteNotification.type, {
      proposalId,
      reviewId: 'r1',
      actor: 'person',
      path: 'src/add.ts',
      operation: 'edit',
      sha256Before: sha256(FILE_TEXT),
      sha256After: sha256(after),
      bytes: Buffer.byteLength(after),
    });
    // A malformed report is dropped, not written.
    await client.sendNotification(AuditWriteNotification.type, { proposalId, actor: 'robot', path: 'src/add.ts', operation: 'edit' } as never);
    const reported = await flushed();
    const [decision] = ofType(reported, 'decision');
    assert.deepEqual([decision?.proposal, decision?.actor, decision?.decision, decision?.scope, decision?.hunks], [proposalId, 'person', 'accepted', 'file', [0]]);
    const writes = ofType(reported, 'write');
    assert.equal(writes.length, 1);
    assert.deepEqual([writes[0]?.proposal, writes[0]?.sha256Before, writes[0]?.sha256After], [proposalId, sha256(FILE_TEXT), sha256(after)]);
    assert.ok(logs.some((line) => line.includes('Ignored a malformed tandem/auditWrite')));
  });

  it('records an agent task: its start, each model request, the command with who approved it, exit code and output hash, and its end', async () => {
    model.enqueue(toolCall('run_command', { command: 'npm test' }), answer('Tests pass.'));
    const result = await client.sendRequest(AgentRunRequest.type, {
      streamId: 'task-1',
      messages: [{ role: 'user', content: 'Run the tests' }],
      root,
      settings: { policy: 'ask', maxSteps: 5, maxTokens: 100_000, allowCommands: [], denyCommands: [], testCommand: '', commandTimeout: 30, maxToolCallsPerTurn: 8, sandbox: { kind: 'none', network: false } },
    });
    assert.equal(result.finishReason, 'stop');
    const events = (await flushed()).filter((event) => event.task === 'task-1');
    assert.deepEqual(
      events.map((event) => event.type),
      ['agent.start', 'model.request', 'agent.command', 'agent.step', 'model.request', 'agent.end'],
    );
    const [command] = ofType(events, 'agent.command');
    assert.ok(command);
    assert.deepEqual([command.command, command.actor, command.decision, command.approved, command.exitCode, command.step], ['npm test', 'person', 'ask', true, 0, 's1']);
    assert.equal(command.output?.sha256, sha256('all 3 tests passed\n'));
    assert.equal(command.outputText, undefined, 'contents diffs keeps no output');
    const requests = ofType(events, 'model.request');
    assert.deepEqual(
      requests.map((request) => [request.purpose, request.request, request.actor]),
      [
        ['agent', 'task-1/t1', 'person'],
        ['agent', 'task-1/t2', 'model'],
      ],
    );
    assert.ok(requests[1]?.context.some((item) => item.kind === 'tool'), 'the second turn names the tool result it sends');
    const [end] = ofType(events, 'agent.end');
    assert.deepEqual([end?.finishReason, end?.steps], ['stop', 1]);
  });

  it('records a command the policy refused without asking, with the policy as its actor', async () => {
    model.enqueue(toolCall('run_command', { command: 'rm -rf /' }), answer('Refused.'));
    await client.sendRequest(AgentRunRequest.type, {
      streamId: 'task-2',
      messages: [{ role: 'user', content: 'Clean up' }],
      root,
      settings: { policy: 'ask', maxSteps: 5, maxTokens: 100_000, allowCommands: [], denyCommands: ['rm -rf'], testCommand: '', commandTimeout: 30, maxToolCallsPerTurn: 8, sandbox: { kind: 'none', network: false } },
    });
    const [command] = ofType((await flushed()).filter((event) => event.task === 'task-2'), 'agent.command');
    assert.deepEqual([command?.command, command?.actor, command?.decision, command?.approved, command?.exitCode], ['rm -rf /', 'policy:ask', 'deny', false, undefined]);
    assert.match(command?.reason ?? '', /rm -rf/);
  });

  it('records completions shown and accepted, and a restore', async () => {
    await client.sendNotification(CompletionEventNotification.type, { id: 'tc-unknown', kind: 'shown' });
    await client.sendNotification(CompletionEventNotification.type, { id: 'tc-unknown', kind: 'partiallyAccepted', acceptedChars: 4 });
    await client.sendNotification(AuditRestoreNotification.type, { task: 'task-1', step: 's1', actor: 'person', files: [{ path: 'src/add.ts', action: 'restored', sha256After: sha256(FILE_TEXT) }] });
    const events = await flushed();
    assert.deepEqual(
      events.filter((event) => event.type.startsWith('completion.')).map((event) => [event.type, event.request, event.actor]),
      [
        ['completion.shown', 'tc-unknown', 'model'],
        ['completion.partiallyAccepted', 'tc-unknown', 'person'],
      ],
    );
    const partial = events.find((event) => event.type === 'completion.partiallyAccepted');
    assert.equal(partial?.type === 'completion.partiallyAccepted' ? partial.acceptedChars : undefined, 4);
    assert.deepEqual(ofType(events, 'restore')[0]?.files, [{ path: 'src/add.ts', action: 'restored', sha256After: sha256(FILE_TEXT) }]);
  });

  it('records a policy change; switching the audit off is written before writing stops, and the chain verifies', async () => {
    let changed = nextStatus();
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { tandem: { agent: { approvalPolicy: 'full-auto' } } } });
    await changed;
    let events = await flushed();
    assert.deepEqual(ofType(events, 'settings.changed').at(-1)?.changes, [{ setting: 'tandem.agent.approvalPolicy', from: 'ask', to: 'full-auto' }]);

    changed = nextStatus();
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { tandem: { agent: { approvalPolicy: 'full-auto' }, audit: { enabled: false } } } });
    await changed;
    const status = await client.sendRequest(AuditStatusRequest.type, { flush: true });
    assert.equal(status.enabled, false);
    assert.equal(status.directory, undefined);
    events = readEvents(dir);
    const [changes, end] = events.slice(-2);
    assert.equal(changes?.type, 'settings.changed');
    if (changes?.type === 'settings.changed') assert.deepEqual(changes.changes, [{ setting: 'tandem.audit.enabled', from: true, to: false }]);
    assert.equal(end?.type, 'session.end');
    if (end?.type === 'session.end') assert.equal(end.reason, 'auditDisabled');

    // Off means off: nothing more is written.
    model.enqueue(answer('Not recorded.'));
    await client.sendRequest(ChatRequest.type, { streamId: 'chat-off', messages: [{ role: 'user', content: 'hi' }], context: [] });
    assert.equal(readEvents(dir).length, events.length);

    const [chain] = verifyFolder(dir).chains;
    assert.equal(chain?.broken, undefined, chain?.broken?.message);
    assert.equal(chain?.events, events.length);
    assert.equal(chain?.sessions, 1);
  });
});
