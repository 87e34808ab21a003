/**
 * Inline completions from the built service, as any LSP client sees them:
 * `node dist/server.js lsp --stdio`, settings from initializationOptions and
 * the environment, documents synchronised incrementally, the standard
 * textDocument/inlineCompletion request. Needs `node scripts/build.mjs` first.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  CancellationTokenSource,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  InlineCompletionRequest,
  InlineCompletionTriggerKind,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type InlineCompletionList,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  COMPLETION_ACCEPTED_COMMAND,
  CompletionEventNotification,
  CompletionStatsRequest,
  CompletionStatusNotification,
  type CompletionStatusParams,
} from '../../src/shared/protocol';
import { ScriptedModelServer } from '../support/modelServer';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist', 'server.js');
const URI = 'file:///tmp/tandem-ws/src/total.ts';
const MODEL = 'qwen2.5-coder:1.5b';

describe('inline completions from tandem lsp --stdio (built service)', function () {
  this.timeout(20_000);
  let model: ScriptedModelServer;
  let child: ChildProcessWithoutNullStreams;
  let connection: ProtocolConnection;
  let stderr = '';
  let exited: Promise<number | null>;
  let version = 1;
  const statuses: CompletionStatusParams[] = [];

  const complete = (line: number, character: number, token?: CancellationTokenSource) =>
    connection.sendRequest(
      InlineCompletionRequest.type,
      { textDocument: { uri: URI }, position: { line, character }, context: { triggerKind: InlineCompletionTriggerKind.Automatic } },
      token?.token,
    ) as Promise<InlineCompletionList | null>;
  const type = (line: number, character: number, text: string) =>
    connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: URI, version: ++version },
      contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text }],
    });
  const waitFor = async (predicate: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (!predicate()) {
      assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  before(async function () {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
    model = await ScriptedModelServer.start({ models: ['chat-model', MODEL], unknownModels: 'reject' });
    const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'chat-model', TANDEM_AUDIT: 'off' };
    delete env.OPENAI_API_KEY;
    delete env.TANDEM_COMPLETION_MODEL;
    child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.onNotification(CompletionStatusNotification.type, (status) => {
      statuses.push(status);
    });
    connection.listen();
  });

  after(async () => {
    connection?.dispose();
    if (child && child.exitCode === null) {
      child.kill();
    }
    await model?.close();
  });

  it('declares inline completions and incremental sync', async () => {
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: 'file:///tmp/tandem-ws',
      capabilities: { workspace: { configuration: false } },
      initializationOptions: { tandem: { completionModel: MODEL, completions: { debounceMs: 0 } } },
    });
    assert.equal(result.capabilities.inlineCompletionProvider, true);
    assert.equal(result.capabilities.textDocumentSync, 2);
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: URI, languageId: 'typescript', version, text: 'function count(items: string[]) {\n  return \n}\n' },
    });
  });

  it('answers textDocument/inlineCompletion with the scripted model’s completion', async () => {
    model.enqueue({ kind: 'json', text: 'items.length;\n}\n\nexport {};' });
    const result = await complete(1, 9);
    const item = result?.items[0];
    assert.ok(item, stderr);
    assert.equal(item.insertText, 'items.length;');
    assert.deepEqual(item.range, { start: { line: 1, character: 9 }, end: { line: 1, character: 9 } });
    assert.equal(item.command?.command, COMPLETION_ACCEPTED_COMMAND);
    assert.equal(typeof item.command?.arguments?.[0], 'string');
    const [request] = model.completionRequests();
    assert.ok(request);
    const body = request.body as { model: string; prompt: string };
    assert.equal(body.model, MODEL);
    assert.equal(body.prompt, '<|fim_prefix|>// Path: src/total.ts\nfunction count(items: string[]) {\n  return <|fim_suffix|>\n}\n<|fim_middle|>');
    await waitFor(() => statuses.length >= 2, 'the status notifications');
    assert.deepEqual(statuses, [{ state: 'loading' }, { state: 'idle' }]);
  });

  it('serves typing along the suggestion without another model call', async () => {
    await type(1, 9, 'ite');
    const result = await complete(1, 12);
    assert.equal(result?.items[0]?.insertText, 'ms.length;');
    assert.equal(model.completionRequests().length, 1);
  });

  it('aborts the model request when the completion request is cancelled', async () => {
    model.enqueue({ kind: 'hang' });
    await type(1, 12, 'x');
    const source = new CancellationTokenSource();
    const pending = complete(1, 13, source);
    const request = await model.waitForRequest((r) => r.path.endsWith('/completions') && r.reply === 'hang');
    source.cancel();
    assert.equal(await pending, null);
    await model.waitForClose(request);
    assert.equal(request.closedEarly, true);
  });

  it('counts shown and accepted suggestions in tandem/completionStats', async () => {
    await connection.sendNotification(CompletionEventNotification.type, { id: 'tc1', kind: 'shown' });
    await connection.sendNotification(CompletionEventNotification.type, { id: 'tc1', kind: 'accepted' });
    await connection.sendNotification(CompletionEventNotification.type, { id: 'tc2', kind: 'partiallyAccepted', acceptedChars: 3 });
    const stats = await connection.sendRequest(CompletionStatsRequest.type, {});
    assert.deepEqual(
      [stats.requests, stats.cacheHits, stats.modelCalls, stats.modelCallsCancelled, stats.shown, stats.accepted, stats.partiallyAccepted],
      [3, 1, 2, 1, 1, 1, 1],
    );
    assert.equal(stats.overheadMs.count, 2);
    assert.ok(stats.memory && stats.memory.rssMb > 0 && stats.memory.peakRssMb >= stats.memory.rssMb - 1);
  });

  it('reports a completion model the endpoint does not have', async () => {
    await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { tandem: { completionModel: 'missing-model', completions: { debounceMs: 0 } } } });
    await type(1, 13, ' ');
    assert.equal(await complete(1, 14), null);
    const host = new URL(model.baseUrl).host;
    await waitFor(() => statuses.at(-1)?.state === 'error', 'the error status');
    assert.deepEqual(statuses.at(-1), { state: 'error', message: `Completion model “missing-model” not found at ${host} (404). Set tandem.completionModel.` });
  });

  it('shuts down cleanly', async () => {
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, stderr);
  });
});
