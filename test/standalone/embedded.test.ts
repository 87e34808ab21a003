/**
 * The built-in model from the built service, as another editor runs it:
 * `TANDEM_EMBEDDED_MODEL=/path/model.gguf tandem lsp --stdio`, no endpoint,
 * no key. A chat answer streams and an inline completion is answered by a
 * tiny generated GGUF through node-llama-cpp; nothing of llama.cpp's reaches
 * stdout (the LSP stream would break); the audit trail records the requests
 * at the host `embedded`. Needs `node scripts/build.mjs` first.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  InlineCompletionRequest,
  InlineCompletionTriggerKind,
  LogMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type InlineCompletionList,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { ChatDeltaNotification, ChatRequest, ServiceStatusNotification, type ServiceStatusParams } from '../../src/shared/protocol';
import { readFolder } from '../../src/server/services/audit/reader';
import { ModelFolder, requireEngine } from '../support/embeddedEngine';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist', 'server.js');
const URI = 'file:///tmp/tandem-ws/src/total.ts';

describe('the built-in model from tandem lsp --stdio (TANDEM_EMBEDDED_MODEL)', function () {
  this.timeout(60_000);
  const models = new ModelFolder();
  let child: ChildProcessWithoutNullStreams;
  let connection: ProtocolConnection;
  let stderr = '';
  const logs: string[] = [];
  const deltas: string[] = [];
  let status: ServiceStatusParams | undefined;
  let auditDir = '';

  before(async function () {
    requireEngine(this);
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
    const modelPath = models.write('tiny-coder.gguf');
    auditDir = path.join(models.dir, 'audit');
    const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_EMBEDDED_MODEL: modelPath, TANDEM_EMBEDDED_THREADS: '1', TANDEM_EMBEDDED_GPU: 'off', TANDEM_AUDIT_DIR: auditDir, TANDEM_AUDIT_CONTENTS: 'none' };
    for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'TANDEM_MODEL', 'TANDEM_COMPLETION_MODEL', 'TANDEM_AUDIT']) delete env[name];
    child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.onNotification(LogMessageNotification.type, (message) => {
      logs.push(message.message);
    });
    connection.onNotification(ChatDeltaNotification.type, (delta) => {
      deltas.push(delta.text);
    });
    connection.onNotification(ServiceStatusNotification.type, (params) => {
      status = params;
    });
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: 'file:///tmp/tandem-ws',
      capabilities: { workspace: { configuration: false } },
      initializationOptions: { tandem: { completions: { debounceMs: 0 } } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    if (connection && child?.exitCode === null) {
      await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
      await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    }
    connection?.dispose();
    if (child && child.exitCode === null) child.kill();
    models.dispose();
  });

  it('says the built-in model answers, with no endpoint and no key', async () => {
    for (let i = 0; i < 500 && !status; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(
      { state: status?.state, source: status?.source, model: status?.model, origin: status?.embedded?.origin },
      { state: 'ready', source: 'embedded', model: 'tiny-coder', origin: 'environment' },
    );
  });

  it('streams a chat answer', async () => {
    const result = await connection.sendRequest(ChatRequest.type, { streamId: 's1', messages: [{ role: 'user', content: 'Say hello.' }], context: [] });
    assert.ok(result.finishReason === 'stop' || result.finishReason === 'length', `${JSON.stringify(result.error)}\n${logs.join('\n')}\n${stderr}`);
    assert.ok(result.text.length > 0);
    assert.ok(result.usage && result.usage.completionTokens > 0);
    assert.equal(deltas.join(''), result.text, 'the deltas add up to the answer');
    assert.ok(logs.some((line) => /Built-in model tiny-coder loaded/.test(line)), logs.join('\n'));
  });

  it('answers an inline completion with the model’s fill-in-the-middle', async () => {
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: URI, languageId: 'typescript', version: 1, text: 'function count(items: string[]) {\n  return \n}\n' },
    });
    const result = (await connection.sendRequest(InlineCompletionRequest.type, {
      textDocument: { uri: URI },
      position: { line: 1, character: 9 },
      context: { triggerKind: InlineCompletionTriggerKind.Invoked },
    })) as InlineCompletionList | null;
    // Random weights write gibberish that post-processing may cut to nothing: the model call is what is checked.
    const call = logs.find((line) => line.startsWith('textDocument/inlineCompletion'));
    assert.ok(call, logs.join('\n'));
    assert.match(call, /model=tiny-coder .*200 .*template=suffix tokens=\d+\+[1-9]/);
    for (const item of result?.items ?? []) assert.equal(typeof item.insertText, 'string');
  });

  it('shuts down cleanly, the model freed, and the audit trail records the requests at the host embedded', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, stderr);
    const requests = readFolder(auditDir)
      .map((event) => event.record)
      .filter((record) => record.type === 'model.request');
    assert.deepEqual(
      requests.map((record) => (record.type === 'model.request' ? [record.purpose, record.endpointHost, record.model] : [])),
      [
        ['chat', 'embedded', 'tiny-coder'],
        ['completion', 'embedded', 'tiny-coder'],
      ],
    );
  });
});
