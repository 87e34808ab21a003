import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createProtocolConnection, InitializedNotification, InitializeRequest, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { registerHandlers } from '../../../src/server/server';
import { AgentRunRequest, ClientToolRequest } from '../../../src/shared/agentProtocol';
import { ServiceInfoRequest } from '../../../src/shared/protocol';
import { ScriptedModelServer } from '../../support/modelServer';
import { copyFixture, removeDir, toolCall } from '../agent/harness';

/** JavaScript's engine takes over a minute on this line with `(a+)+$` (2^30 ways to split the a's); RE2 takes microseconds. */
const CATASTROPHIC_LINE = `${'a'.repeat(30)}!`;
/** A safety net, not a measurement: the answer comes in milliseconds, the old engine would hold it for a minute. */
const SAFETY_MS = 5_000;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The whole service in-process (LSP over pipes, the scripted model server):
 * the model asks search_text for a catastrophic pattern, and the service both
 * answers the search correctly and answers another request while the task is
 * still running.
 */
describe('the service stays responsive during a catastrophic search_text', function () {
  this.timeout(20_000);
  let model: ScriptedModelServer;
  let server: Connection;
  let client: ProtocolConnection;
  let root: string;

  before(async () => {
    model = await ScriptedModelServer.start();
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    registerHandlers(server, { OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'test-model', OPENAI_API_KEY: '' });
    server.listen();
    client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onRequest(ClientToolRequest.type, () => ({ kind: 'openBuffers', files: [] }) as never);
    client.listen();
    await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    await client.sendNotification(InitializedNotification.type, {});
    root = copyFixture();
    writeFileSync(path.join(root, 'hostile.txt'), `${CATASTROPHIC_LINE}\nbanana\n${CATASTROPHIC_LINE}\n`);
  });
  after(async () => {
    client.dispose();
    server.dispose();
    await model.close();
    removeDir(root);
  });

  it('answers the search right, and another request before the task ends', async () => {
    let releaseFinalTurn: () => void = () => undefined;
    const finalTurnHeld = new Promise<void>((resolve) => (releaseFinalTurn = resolve));
    model.enqueue(toolCall('search_text', { pattern: '(a+)+$', glob: 'hostile.txt' }), { kind: 'stream', text: 'Found it.', holdUntil: finalTurnHeld });

    const run = client.sendRequest(AgentRunRequest.type, {
      streamId: 'stall-1',
      messages: [{ role: 'user', content: 'Find lines ending in a' }],
      root,
      settings: { policy: 'ask', maxSteps: 4, maxTokens: 100_000, allowCommands: [], denyCommands: [], testCommand: '', commandTimeout: 30, maxToolCallsPerTurn: 8, sandbox: { kind: 'none', network: false } },
    });
    let runEnded = false;
    void run.then(() => (runEnded = true));

    // The model has been asked for its first turn: the search runs as soon as that answer is read.
    await model.waitForRequest((request) => request.path.endsWith('/chat/completions'));
    const info = await within(client.sendRequest(ServiceInfoRequest.type, {}), SAFETY_MS, 'tandem/serviceInfo during the search');
    assert.ok(info, 'the service answered');
    const second = await within(model.waitForRequest((request) => model.chatRequests().indexOf(request) === 1, SAFETY_MS), SAFETY_MS, 'the turn after the search');
    assert.equal(runEnded, false, 'the task was still running when the other request was answered');

    releaseFinalTurn();
    const result = await run;
    assert.equal(result.finishReason, 'stop');
    const messages = (second.body as { messages: Array<{ role: string; content: string | null }> }).messages;
    const toolResult = messages.find((message) => message.role === 'tool');
    assert.equal(toolResult?.content, 'hostile.txt:2: banana');
  });
});
