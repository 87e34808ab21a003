/**
 * tandem/checks/security from the built service over stdio, as any editor
 * would ask it: the findings of a proposal (a secret and a SQL query built
 * by concatenation), a clean answer for a clean one, an InvalidParams error
 * for a malformed request, and with the audit on one `checks` event per
 * request in the trail, linked to the proposal. Needs `node scripts/build.mjs`.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ResponseError,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { AuditRecord } from '../../src/shared/audit';
import { SecurityCheckRequest } from '../../src/shared/checksProtocol';
import { SecretFactory } from '../support/fakeSecrets';

const serverJs = path.resolve(__dirname, '../../dist/server.js');

describe('tandem/checks/security (built service over stdio)', function () {
  this.timeout(20_000);
  let child: ChildProcessWithoutNullStreams;
  let connection: ProtocolConnection;
  let auditDir: string;
  let exited: Promise<unknown>;

  before(async () => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
    auditDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-checks-audit-'));
    const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_AUDIT_DIR: auditDir, TANDEM_AUDIT: 'on' };
    delete env.OPENAI_API_KEY;
    child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
    exited = new Promise((resolve) => child.once('exit', resolve));
    connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, clientInfo: { name: 'checks-test' } });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    connection?.dispose();
    if (child && child.exitCode === null) child.kill();
    rmSync(auditDir, { recursive: true, force: true });
  });

  it('finds a secret and a concatenated SQL query in what a proposal adds, never echoing the secret', async () => {
    const [secret] = new SecretFactory(4711).all().filter((candidate) => candidate.kind === 'aws-access-key-id');
    assert.ok(secret);
    const result = await connection.sendRequest(SecurityCheckRequest.type, {
      proposalId: 'p-stdio-1',
      reviewId: 'r1',
      changeSet: {
        format: 'codeBlock',
        changes: [
          { kind: 'add', path: 'src/keys.ts', newText: `export const KEY = "${secret.value}";\n` },
          { kind: 'update', path: 'src/db.py', oldText: 'import db\n', newText: 'import db\ndb.execute("SELECT * FROM t WHERE id = " + user_id)\n' },
        ],
      },
    });
    // Most severe first, then by path.
    assert.deepEqual(result.findings.map((f) => [f.rule, f.severity, f.path, f.line]), [
      ['sql-injection', 'high', 'src/db.py', 2],
      ['secret-introduced', 'high', 'src/keys.ts', 1],
    ]);
    assert.ok(result.findings.every((finding) => finding.why && finding.fix));
    assert.ok(!JSON.stringify(result).includes(secret.value.slice(4)), 'the answer never carries the secret');
  });

  it('answers no findings for a clean proposal, and refuses a malformed request', async () => {
    const clean = await connection.sendRequest(SecurityCheckRequest.type, { changeSet: { format: 'codeBlock', changes: [{ kind: 'add', path: 'a.ts', newText: 'export const a = 1;\n' }] } });
    assert.deepEqual(clean.findings, []);
    await assert.rejects(
      connection.sendRequest(SecurityCheckRequest.type, { changeSet: { changes: [{ kind: 'add', newText: 'x' }] } } as never),
      (error: unknown) => error instanceof ResponseError && /Invalid tandem\/checks\/security params/.test(error.message),
    );
  });

  it('records each request as a checks event linked to its proposal', async () => {
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    await exited;
    const events = readdirSync(auditDir)
      .filter((name) => name.endsWith('.jsonl'))
      .flatMap((name) => readFileSync(path.join(auditDir, name), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditRecord));
    const checks = events.filter((event) => event.type === 'checks');
    assert.deepEqual(checks.map((event) => event.type === 'checks' && [event.stage, event.proposal ?? null, event.review ?? null, event.findings?.length]), [
      ['security', 'p-stdio-1', 'r1', 2],
      ['security', null, null, 0],
    ]);
  });
});
