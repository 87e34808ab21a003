/**
 * The audit trail of the built service, end to end without an editor: a
 * non-VS Code client (configured by the environment) chats; the trail lands
 * in TANDEM_AUDIT_DIR, also when the client goes away without a shutdown;
 * `tandem audit verify|export|show` read it with the documented exit codes,
 * and one changed byte makes verify fail at that line.
 * Needs `node scripts/build.mjs` first.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { AuditStatusRequest } from '../../src/shared/auditProtocol';
import { ChatRequest, ServiceStatusNotification } from '../../src/shared/protocol';
import { ScriptedModelServer } from '../support/modelServer';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist', 'server.js');
const SEGMENT = 'audit-1-000001.jsonl';

function tandem(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [serverJs, ...args], { timeout: 10_000, env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** One service session: initialize, one chat, then a clean shutdown or the client simply going away. */
async function session(model: ScriptedModelServer, dir: string, streamId: string, ending: 'shutdown' | 'vanish'): Promise<number | null> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'test-model', TANDEM_AUDIT_DIR: dir };
  const child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const ready = new Promise((resolve) => connection.onNotification(ServiceStatusNotification.type, resolve));
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {}, clientInfo: { name: 'standalone-audit' } });
  await connection.sendNotification(InitializedNotification.type, {});
  await ready;
  model.enqueue({ kind: 'stream', text: 'An answer.' });
  await connection.sendRequest(ChatRequest.type, { streamId, messages: [{ role: 'user', content: 'Hello' }], context: [{ kind: 'file', path: 'notes.md', text: 'private notes 7731' }] });
  if (ending === 'shutdown') {
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
  } else {
    child.stdin.end();
  }
  const code = await exited;
  connection.dispose();
  return code;
}

describe('the audit trail of the built service, and tandem audit', function () {
  this.timeout(30_000);
  let model: ScriptedModelServer;
  let dir: string;

  before(async () => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
    model = await ScriptedModelServer.start({ models: ['test-model'] });
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-standalone-'));
  });

  after(async () => {
    await model?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the trail on a clean shutdown and when the client just goes away', async () => {
    assert.equal(await session(model, dir, 'chat-a', 'shutdown'), 0);
    assert.equal(await session(model, dir, 'chat-b', 'vanish'), 1);
    const events = readFileSync(path.join(dir, SEGMENT), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; request?: string; reason?: string });
    assert.deepEqual(
      events.map((event) => [event.type, event.request ?? event.reason ?? '']),
      [
        ['session.start', 'start'],
        ['model.request', 'chat-a'],
        ['session.end', 'shutdown'],
        ['session.start', 'start'],
        ['model.request', 'chat-b'],
        ['session.end', 'exit'],
      ],
    );
    assert.ok(!readFileSync(path.join(dir, SEGMENT), 'utf8').includes('private notes 7731'));
  });

  it('a shutdown while an answer streams records the request as cancelled before the session ends', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-standalone-cancel-'));
    try {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'test-model', TANDEM_AUDIT_DIR: other };
      const child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
      const ready = new Promise((resolve) => connection.onNotification(ServiceStatusNotification.type, resolve));
      connection.listen();
      await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
      await connection.sendNotification(InitializedNotification.type, {});
      await ready;
      // Only this test's request counts: the answer must be in flight (at the model) when the shutdown comes.
      model.reset();
      model.enqueue({ kind: 'hang' });
      const asked = model.waitForRequest();
      const answer = connection.sendRequest(ChatRequest.type, { streamId: 'chat-hung', messages: [{ role: 'user', content: 'Hello' }], context: [] });
      await asked;
      await connection.sendRequest(ShutdownRequest.type);
      assert.equal((await answer).finishReason, 'cancelled');
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
      connection.dispose();
      const events = readFileSync(path.join(other, SEGMENT), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { type: string; outcome?: string; reason?: string });
      assert.deepEqual(
        events.map((event) => [event.type, event.outcome ?? event.reason ?? '']),
        [
          ['session.start', 'start'],
          ['model.request', 'cancelled'],
          ['session.end', 'shutdown'],
        ],
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a killed service (kill -9) leaves an intact chain that the next session continues', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-standalone-kill-'));
    try {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'test-model', TANDEM_AUDIT_DIR: other };
      const child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
      const ready = new Promise((resolve) => connection.onNotification(ServiceStatusNotification.type, resolve));
      connection.listen();
      await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
      await connection.sendNotification(InitializedNotification.type, {});
      await ready;
      model.enqueue({ kind: 'stream', text: 'Before the crash.' });
      await connection.sendRequest(ChatRequest.type, { streamId: 'chat-killed', messages: [{ role: 'user', content: 'Hello' }], context: [] });
      // What a crash may lose is what was not yet written: write it, then crash.
      const status = await connection.sendRequest(AuditStatusRequest.type, { flush: true });
      assert.equal(status.lastSeq, 2);
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      connection.dispose();

      assert.equal(await session(model, other, 'chat-after', 'shutdown'), 0);
      const verify = await tandem(['audit', 'verify', '--dir', other]);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      assert.match(verify.stdout, /chain 1: intact: 5 events \(seq 1–5\) in 1 file, 2 sessions/);
      const types = readFileSync(path.join(other, SEGMENT), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { type: string }).type);
      // The killed session has no session.end: that is how a crash shows.
      assert.deepEqual(types, ['session.start', 'model.request', 'session.start', 'model.request', 'session.end']);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('verify exits 0 on the intact trail; export and show read it', async () => {
    const verify = await tandem(['audit', 'verify', '--dir', dir]);
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, /chain 1: intact: 6 events \(seq 1–6\) in 1 file, 2 sessions/);
    const fromEnv = await tandem(['audit', 'verify'], { TANDEM_AUDIT_DIR: dir });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);

    const csv = await tandem(['audit', 'export', '--dir', dir, '--format', 'csv']);
    assert.equal(csv.code, 0);
    assert.equal(csv.stdout.split('\r\n').filter(Boolean).length, 7);
    const show = await tandem(['audit', 'show', '--dir', dir, '--task', 'chat-b']);
    assert.equal(show.code, 0);
    assert.match(show.stdout, /model\.request +person +chat request to test-model/);
  });

  it('one changed byte makes verify exit 1 naming that line; usage errors exit 2', async () => {
    const file = path.join(dir, SEGMENT);
    const original = readFileSync(file);
    const lines = original.toString('utf8').split('\n');
    // A byte in the middle of line 5.
    const offset = lines.slice(0, 4).join('\n').length + 1 + Math.floor((lines[4]?.length ?? 0) / 2);
    const changed = Buffer.from(original);
    changed[offset] = (changed[offset] ?? 0) ^ 0x01;
    writeFileSync(file, changed);
    const broken = await tandem(['audit', 'verify', '--dir', dir]);
    writeFileSync(file, original);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, new RegExp(`BROKEN at ${SEGMENT.replace(/\./g, '\\.')} line 5 `));

    const usage = await tandem(['audit', 'verify', '--since', 'x']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Usage: tandem audit verify/);
    const help = await tandem(['--help']);
    assert.match(help.stdout, /tandem audit verify/);
  });
});
