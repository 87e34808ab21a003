import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  CancellationTokenSource,
  createProtocolConnection,
  type CancellationToken,
  InitializedNotification,
  InitializeRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { parseAgentRunParams } from '../../../src/server/agent/validate';
import { registerHandlers } from '../../../src/server/server';
import { AgentProgressNotification, AgentRunRequest, AgentStepNotification, ClientToolRequest, type AgentStep, type ClientToolParams } from '../../../src/shared/agentProtocol';
import { ChatDeltaNotification } from '../../../src/shared/protocol';
import { ScriptedModelServer } from '../../support/modelServer';
import { answer, copyFixture, removeDir, toolCall } from './harness';

describe('tandem/agentRun over LSP', function () {
  this.timeout(20_000);
  let model: ScriptedModelServer;
  let server: Connection;
  let client: ProtocolConnection;
  let root: string;
  const steps: AgentStep[] = [];
  const clientCalls: ClientToolParams[] = [];
  const deltas: string[] = [];
  let progressCount = 0;
  let onClientTool: (params: ClientToolParams, token: CancellationToken) => unknown = () => ({ kind: 'openBuffers', files: [] });

  before(async () => {
    model = await ScriptedModelServer.start();
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    registerHandlers(server, { OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'test-model', OPENAI_API_KEY: '' });
    server.listen();
    client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onNotification(AgentStepNotification.type, ({ step }) => {
      steps.push(step);
    });
    client.onNotification(AgentProgressNotification.type, () => {
      progressCount += 1;
    });
    client.onNotification(ChatDeltaNotification.type, ({ text }) => {
      deltas.push(text);
    });
    client.onRequest(ClientToolRequest.type, (params, token) => {
      clientCalls.push(params);
      return onClientTool(params, token) as never;
    });
    client.listen();
    await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    await client.sendNotification(InitializedNotification.type, {});
  });
  after(async () => {
    client.dispose();
    server.dispose();
    await model.close();
  });
  beforeEach(() => {
    model.reset();
    root = copyFixture();
    steps.length = 0;
    clientCalls.length = 0;
    deltas.length = 0;
    progressCount = 0;
  });
  afterEach(() => removeDir(root));

  it('runs a task: steps, client tool requests, deltas and progress reach the client', async () => {
    model.enqueue(toolCall('read_file', { path: 'README.md' }, 'Reading the readme.'), answer('It is a tiny project.'));
    const result = await client.sendRequest(AgentRunRequest.type, {
      streamId: 'run-1',
      messages: [{ role: 'user', content: 'What is this project?' }],
      root,
      settings: { policy: 'ask', maxSteps: 5, maxTokens: 100_000, allowCommands: [], denyCommands: [], testCommand: '', commandTimeout: 30, maxToolCallsPerTurn: 8, sandbox: { kind: 'none', network: false } },
    });
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.text, 'It is a tiny project.');
    assert.equal(result.steps, 1);
    assert.deepEqual(steps.map((step) => step.status), ['running', 'done']);
    assert.equal(steps[0]?.title, 'Read README.md');
    assert.deepEqual(clientCalls.map((params) => [params.streamId, params.stepId, params.call.kind]), [['run-1', 's1', 'openBuffers']]);
    assert.equal(progressCount, 2);
    assert.equal(deltas.join(''), 'Reading the readme.It is a tiny project.');
  });

  it('rejects invalid params with InvalidParams', async () => {
    await assert.rejects(client.sendRequest(AgentRunRequest.type, { streamId: 'x', messages: [], root } as never), /Invalid tandem\/agentRun params/);
  });

  it('Stop cancels the pending client request and ends the run as cancelled', async () => {
    model.enqueue(toolCall('ask_user', { question: 'Which?' }));
    const source = new CancellationTokenSource();
    // The client gets $/cancelRequest for its pending tool request: settled when it does.
    let clientSawCancel: () => void = () => undefined;
    const clientCancelled = new Promise<void>((resolve) => (clientSawCancel = resolve));
    onClientTool = (_params, token) =>
      new Promise((resolve) => {
        token.onCancellationRequested(() => {
          clientSawCancel();
          resolve({ kind: 'askUser', answer: undefined });
        });
        // Stop once the run waits on the client, as a person pressing Stop at the question would.
        source.cancel();
      });
    const result = await client.sendRequest(
      AgentRunRequest.type,
      { streamId: 'run-2', messages: [{ role: 'user', content: 'Ask me' }], root, settings: { policy: 'ask', maxSteps: 5, maxTokens: 100_000, allowCommands: [], denyCommands: [], testCommand: '', commandTimeout: 30, maxToolCallsPerTurn: 8, sandbox: { kind: 'none', network: false } } },
      source.token,
    );
    assert.equal(result.finishReason, 'cancelled');
    // No $/cancelRequest: this never settles and the test times out.
    await clientCancelled;
    onClientTool = () => ({ kind: 'openBuffers', files: [] });
  });
});

describe('tandem/agentRun params', () => {
  it('defaults missing settings and clamps numbers', () => {
    const parsed = parseAgentRunParams({ streamId: 's', messages: [{ role: 'user', content: 'x' }], root: '/tmp/p', settings: { maxSteps: 0, policy: 'full-auto' } });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.settings.maxSteps, 1);
    assert.equal(parsed.value.settings.policy, 'full-auto');
    assert.ok(parsed.value.settings.denyCommands.includes('rm -r'));
  });

  it('refuses a relative root, an unknown policy, bad lists', () => {
    const base = { streamId: 's', messages: [{ role: 'user', content: 'x' }] };
    assert.equal(parseAgentRunParams({ ...base, root: 'rel' }).ok, false);
    assert.equal(parseAgentRunParams({ ...base, root: '/p', settings: { policy: 'yolo' } }).ok, false);
    assert.equal(parseAgentRunParams({ ...base, root: '/p', settings: { allowCommands: 'npm test' } }).ok, false);
  });
});
