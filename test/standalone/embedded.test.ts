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
import { existsSync, writeFileSync } from 'node:fs';
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
import { alive, ModelFolder, requireEngine } from '../support/embeddedEngine';

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
  const statusWaiters: Array<(status: ServiceStatusParams) => void> = [];
  let auditDir = '';
  /** The next status announced that satisfies `test`. */
  const nextStatus = (test: (status: ServiceStatusParams) => boolean): Promise<ServiceStatusParams> =>
    new Promise((resolve) => {
      const waiter = (params: ServiceStatusParams): void => {
        if (!test(params)) return;
        statusWaiters.splice(statusWaiters.indexOf(waiter), 1);
        resolve(params);
      };
      statusWaiters.push(waiter);
    });
  /** The engine process the service started last (its log line says which). */
  const enginePid = (): number | undefined => {
    const line = logs.filter((text) => /Built-in model engine process \d+ started/.test(text)).pop();
    return line ? Number(/engine process (\d+)/.exec(line)?.[1]) : undefined;
  };

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
      for (const waiter of [...statusWaiters]) waiter(params);
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
      { state: status?.state, source: status?.source, model: status?.model, origin: status?.embedded?.origin, context: status?.embedded?.contextTokens },
      { state: 'ready', source: 'embedded', model: 'tiny-coder', origin: 'environment', context: 1024 },
    );
    const budget = status?.embedded?.promptTokens ?? 0;
    assert.ok(budget > 0 && budget < 1024, `the chat's budget is the model's context less the answer's share (${budget})`);
  });

  it('answers a chat whose context is far larger than the model, assembled to its context', async () => {
    const context = Array.from({ length: 30 }, (_, i) => ({ kind: 'file' as const, path: `src/part${i}.ts`, languageId: 'typescript', text: `export const part${i} = ${i};\n`.repeat(200) }));
    const messages = [
      ...Array.from({ length: 20 }, (_, i) => [
        { role: 'user' as const, content: `Earlier question ${i}: ${'why? '.repeat(60)}` },
        { role: 'assistant' as const, content: `Earlier answer ${i}: ${'because. '.repeat(80)}` },
      ]).flat(),
      { role: 'user' as const, content: 'Sum the parts.' },
    ];
    const result = await connection.sendRequest(ChatRequest.type, { streamId: 's0', messages, context });
    assert.equal(result.error, undefined, JSON.stringify(result.error));
    assert.ok(result.finishReason === 'stop' || result.finishReason === 'length');
    assert.ok(result.usage && result.usage.totalTokens <= 1024, JSON.stringify(result.usage));
    deltas.length = 0;
  });

  it('streams a chat answer', async () => {
    const result = await connection.sendRequest(ChatRequest.type, { streamId: 's1', messages: [{ role: 'user', content: 'Say hello.' }], context: [] });
    assert.ok(result.finishReason === 'stop' || result.finishReason === 'length', `${JSON.stringify(result.error)}\n${logs.join('\n')}\n${stderr}`);
    assert.ok(result.text.length > 0);
    assert.ok(result.usage && result.usage.completionTokens > 0);
    assert.equal(deltas.join(''), result.text, 'the deltas add up to the answer');
    assert.ok(logs.some((line) => /Built-in model tiny-coder loaded/.test(line)), logs.join('\n'));
    const pid = enginePid();
    assert.ok(pid !== undefined && pid !== child.pid && alive(pid), 'the model runs in an engine process of its own');
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

  it('an engine process killed (-9): the status says so with the reason, and the next chat answers from a new process', async () => {
    const victim = enginePid();
    assert.ok(victim !== undefined);
    const failed = nextStatus((params) => params.state === 'failed');
    process.kill(victim, 'SIGKILL');
    const announced = await failed;
    assert.match(announced.problem ?? '', /^The built-in model's engine stopped running tiny-coder \(signal SIGKILL\)/);
    const ready = nextStatus((params) => params.state === 'ready');
    deltas.length = 0;
    const result = await connection.sendRequest(ChatRequest.type, { streamId: 's2', messages: [{ role: 'user', content: 'Again.' }], context: [] });
    assert.equal(result.error, undefined, JSON.stringify(result.error));
    assert.equal(deltas.join(''), result.text);
    await ready;
    assert.ok(enginePid() !== victim && alive(enginePid()));
  });

  it('shuts down cleanly, the model freed, and the audit trail records the requests at the host embedded', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const engine = enginePid();
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, stderr);
    // The engine process ends with the service (its channel closes); its id is polled, the service being gone.
    for (let i = 0; i < 500 && alive(engine); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(!alive(engine), 'the engine process outlived the service');
    const requests = readFolder(auditDir)
      .map((event) => event.record)
      .filter((record) => record.type === 'model.request');
    assert.deepEqual(
      requests.map((record) => (record.type === 'model.request' ? [record.purpose, record.endpointHost, record.model] : [])),
      [
        ['chat', 'embedded', 'tiny-coder'],
        ['chat', 'embedded', 'tiny-coder'],
        ['completion', 'embedded', 'tiny-coder'],
        ['chat', 'embedded', 'tiny-coder'],
      ],
    );
  });
});

describe('a built-in model that cannot answer says so in the status (tandem lsp --stdio)', function () {
  this.timeout(60_000);
  const models = new ModelFolder();

  before(function () {
    requireEngine(this);
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
  });
  after(() => models.dispose());

  /** The first status of a service whose built-in model is `modelPath`. */
  async function firstStatus(modelPath: string): Promise<ServiceStatusParams> {
    const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_EMBEDDED_MODEL: modelPath, TANDEM_EMBEDDED_THREADS: '1', TANDEM_EMBEDDED_GPU: 'off', TANDEM_AUDIT_DIR: path.join(models.dir, 'audit') };
    for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'TANDEM_MODEL', 'TANDEM_COMPLETION_MODEL']) delete env[name];
    const child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const announced = new Promise<ServiceStatusParams>((resolve) => connection.onNotification(ServiceStatusNotification.type, resolve));
    connection.listen();
    try {
      await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
      await connection.sendNotification(InitializedNotification.type, {});
      return await announced;
    } finally {
      await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
      await connection.sendNotification(ExitNotification.type).catch(() => undefined);
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  }

  it('a missing file, a file that is not GGUF and a cut one: failed, with the reason, before any request', async () => {
    const cases: Array<[string, RegExp]> = [
      [path.join(models.dir, 'absent.gguf'), /absent\.gguf does not exist/],
      [models.write('notes.gguf'), /is not a GGUF model/],
      [models.write('cut.gguf', { truncateTo: 3000 }), /is incomplete|is not a valid GGUF model/],
    ];
    writeFileSync(cases[1]![0], 'just some text, not a model\n');
    for (const [file, reason] of cases) {
      const status = await firstStatus(file);
      assert.equal(status.state, 'failed', JSON.stringify(status));
      assert.match(status.problem ?? '', reason);
      assert.equal(status.source, 'embedded');
    }
  });
});
