/**
 * The built service as a non-VS Code client sees it: `node dist/server.js lsp --stdio`,
 * configured only by the environment. Needs `node scripts/build.mjs` first.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CancellationTokenSource,
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  ChatDeltaNotification,
  ChatRequest,
  ServiceInfoRequest,
  ServiceStatusNotification,
  type ServiceStatusParams,
} from '../../src/shared/protocol';
import { ScriptedModelServer } from '../support/modelServer';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist', 'server.js');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [serverJs, ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('tandem lsp --stdio (built service, non-VS Code client)', function () {
  this.timeout(20_000);
  let model: ScriptedModelServer;
  let child: ChildProcessWithoutNullStreams;
  let connection: ProtocolConnection;
  let stderr = '';
  let exited: Promise<number | null>;
  const deltas = new Map<string, string>();
  const deltaWaiters = new Map<string, () => void>();
  /** Resolves once some text of that stream has reached the client. */
  const firstDelta = (streamId: string): Promise<void> =>
    deltas.has(streamId) ? Promise.resolve() : new Promise((resolve) => deltaWaiters.set(streamId, resolve));
  let firstStatus: Promise<ServiceStatusParams>;

  before(async function () {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
    model = await ScriptedModelServer.start({ models: ['test-model'] });
    const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'test-model', TANDEM_AUDIT: 'off' };
    delete env.OPENAI_API_KEY;
    delete env.TANDEM_COMPLETION_MODEL;
    child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.onNotification(ChatDeltaNotification.type, ({ streamId, text }) => {
      deltas.set(streamId, (deltas.get(streamId) ?? '') + text);
      deltaWaiters.get(streamId)?.();
    });
    firstStatus = new Promise((resolve) => connection.onNotification(ServiceStatusNotification.type, resolve));
    connection.listen();
  });

  after(async () => {
    connection?.dispose();
    if (child && child.exitCode === null) {
      child.kill();
    }
    await model?.close();
  });

  it('initializes without workspace.configuration and reports the environment settings', async () => {
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      clientInfo: { name: 'stdio-test' },
    });
    assert.deepEqual(result.serverInfo, { name: 'tandem', version });
    await connection.sendNotification(InitializedNotification.type, {});
    const status = await firstStatus;
    assert.deepEqual(status, {
      state: 'ready',
      model: 'test-model',
      baseUrl: model.baseUrl,
      provider: new URL(model.baseUrl).host,
      source: 'environment',
      hasApiKey: false,
    });
  });

  it('answers tandem/chat with streamed deltas and sends the configured model', async () => {
    const text = 'Hello from the scripted model, over stdio.';
    model.enqueue({ kind: 'stream', text, tokensPerSecond: 500 });
    const result = await connection.sendRequest(ChatRequest.type, {
      streamId: 'stdio-1',
      messages: [{ role: 'user', content: 'Say hello' }],
      context: [{ kind: 'selection', path: 'src/a.ts', languageId: 'typescript', startLine: 1, endLine: 2, text: 'const a = 1;\nconst b = 2;' }],
    });
    assert.equal(result.text, text);
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.model, 'test-model');
    assert.equal(deltas.get('stdio-1'), text, 'all deltas arrive before the result');
    const [request] = model.chatRequests();
    assert.ok(request);
    const body = (typeof request.body === 'string' ? JSON.parse(request.body) : request.body) as { model: string; messages: Array<{ content: string }> };
    assert.equal(body.model, 'test-model');
    const last = body.messages[body.messages.length - 1]?.content ?? '';
    assert.match(last, /Selection from `src\/a\.ts` \(lines 1-2\):\n```typescript\nconst a = 1;/);
    assert.ok(last.endsWith('Say hello'));
  });

  it('cancels a chat with $/cancelRequest: the model connection is closed, the partial text returned', async () => {
    model.enqueue({ kind: 'stream', text: 'word '.repeat(500), tokensPerSecond: 100 });
    const source = new CancellationTokenSource();
    const pending = connection.sendRequest(ChatRequest.type, { streamId: 'stdio-2', messages: [{ role: 'user', content: 'long' }], context: [] }, source.token);
    const request = await model.waitForRequest((r) => r.path.endsWith('/chat/completions') && JSON.stringify(r.body).includes('"long"'));
    await firstDelta('stdio-2');
    source.cancel();
    const result = await pending;
    await model.waitForClose(request);
    assert.equal(request.closedEarly, true);
    assert.equal(result.finishReason, 'cancelled');
    assert.ok(result.text.startsWith('word') && result.text.length < 2500, `${result.text.length} characters`);
    assert.equal(deltas.get('stdio-2'), result.text, 'deltas and result agree');
    source.dispose();
  });

  it('answers tandem/serviceInfo with the version and its own pid', async () => {
    const info = await connection.sendRequest(ServiceInfoRequest.type, {});
    assert.equal(info.name, 'tandem');
    assert.equal(info.version, version);
    assert.equal(info.pid, child.pid);
    assert.equal(info.status.state, 'ready');
  });

  it('rejects malformed chat params with InvalidParams', async () => {
    await assert.rejects(connection.sendRequest(ChatRequest.method, { streamId: 3 }), (error: { code?: number }) => error.code === -32602);
  });

  it('shuts down and exits with 0, having written nothing but LSP to stdout', async () => {
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, stderr);
  });
});

describe('tandem command line (built service)', function () {
  this.timeout(15_000);

  it('--version prints the package version', async () => {
    const { code, stdout } = await run(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), version);
  });

  it('--help prints the usage on stdout', async () => {
    const { code, stdout } = await run(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /tandem lsp \[--stdio/);
  });

  it('an unknown subcommand prints the usage on stderr and exits with 2', async () => {
    const { code, stdout, stderr } = await run(['frobnicate']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /Unknown command “frobnicate”/);
    assert.match(stderr, /Usage:/);
  });
});
