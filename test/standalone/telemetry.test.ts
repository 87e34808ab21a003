/**
 * The OTLP export from the built (bundled) service, as another editor runs
 * it: `TANDEM_OTLP_ENDPOINT` names a local OTLP/HTTP receiver; a chat's
 * audit event and the metrics arrive there, by the end of a clean shutdown.
 * Needs `node scripts/build.mjs` first.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { ChatRequest, ServiceStatusNotification } from '../../src/shared/protocol';
import { ScriptedModelServer } from '../support/modelServer';
import { OtlpReceiver } from '../support/otlpReceiver';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist', 'server.js');

describe('OTLP export from tandem lsp --stdio (built service)', function () {
  this.timeout(30_000);
  let model: ScriptedModelServer;
  let receiver: OtlpReceiver;
  let dir: string;

  before(async () => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
    model = await ScriptedModelServer.start({ models: ['test-model'] });
    receiver = await OtlpReceiver.start();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-otel-standalone-'));
  });

  after(async () => {
    await model?.close();
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends the chat request as a log record and the request metrics, and exits cleanly', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'test-model', TANDEM_AUDIT_DIR: dir, TANDEM_OTLP_ENDPOINT: receiver.endpoint };
    const child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const ready = new Promise((resolve) => connection.onNotification(ServiceStatusNotification.type, resolve));
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {}, clientInfo: { name: 'standalone-otel' } });
    await connection.sendNotification(InitializedNotification.type, {});
    await ready;
    model.enqueue({ kind: 'stream', text: 'An answer.' });
    const answer = await connection.sendRequest(ChatRequest.type, { streamId: 'chat-otel', messages: [{ role: 'user', content: 'Hello' }], context: [{ kind: 'file', path: 'notes.md', text: 'private notes 6620' }] });
    assert.equal(answer.text, 'An answer.');
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
    connection.dispose();

    const request = receiver.logs.find((log) => log.body === 'model.request');
    assert.equal(request?.attributes['tandem.request'], 'chat-otel');
    assert.equal(request?.resource['service.name'], 'tandem');
    assert.ok(receiver.points.some((point) => point.metric === 'tandem.model.requests' && point.attributes['tandem.purpose'] === 'chat'));
    assert.ok(receiver.bodies.every((body) => body.contentType.startsWith('application/json')));
    assert.ok(!receiver.text().includes('private notes 6620'));
  });
});
