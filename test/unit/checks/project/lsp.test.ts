/**
 * The project checks over LSP, as a client sees them: tandem/checks/project
 * in, the command run through tandem/checks/runCommand in the copy, progress
 * notifications, the cancel, and malformed requests refused.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import {
  CancellationTokenSource,
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { registerHandlers } from '../../../../src/server/server';
import type { ProjectCheckResult } from '../../../../src/shared/checks';
import { ProjectChecksProgressNotification, ProjectChecksRequest, RunCheckCommandRequest, type ProjectChecksParams, type RunCheckCommandParams } from '../../../../src/shared/projectChecksProtocol';
import { liveCopies } from '../../../../src/server/services/checks/project/tempCopy';
import { gitRepo, removeTempFolders } from './workspaces';

describe('tandem/checks/project over LSP', function () {
  this.timeout(20_000);
  let server: Connection;
  let client: ProtocolConnection;
  const progress: ProjectCheckResult[][] = [];
  const asked: RunCheckCommandParams[] = [];
  let answer: (params: RunCheckCommandParams, token: { isCancellationRequested: boolean; onCancellationRequested(listener: () => void): unknown }) => unknown;

  before(async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    registerHandlers(server, { TANDEM_AUDIT_DIR: '' });
    server.listen();
    client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onNotification(ProjectChecksProgressNotification.type, ({ results }) => void progress.push(results));
    client.onRequest(RunCheckCommandRequest.type, (params, token) => {
      asked.push(params);
      return answer(params, token) as never;
    });
    client.listen();
    await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    await client.sendNotification(InitializedNotification.type, {});
  });

  after(() => {
    client.dispose();
    server.dispose();
    removeTempFolders();
  });

  beforeEach(() => {
    progress.length = 0;
    asked.length = 0;
  });

  function request(root: string, overrides: Partial<ProjectChecksParams> = {}): ProjectChecksParams {
    return {
      folder: root,
      reviewId: 'review-1',
      runId: `run-${Math.random()}`,
      changeSet: { format: 'codeBlock', changes: [{ kind: 'update', path: 'src/a.ts', oldText: 'ok\n', newText: 'BAD\n' }] },
      settings: { checks: [{ name: 'typecheck', kind: 'typecheck', command: 'node check.js' }], origin: 'user', policy: 'full-auto', allowCommands: ['node'], denyCommands: [], sandbox: { kind: 'bubblewrap', network: false } },
      ...overrides,
    };
  }

  it('runs the check through the client in the copy and returns the problems on the proposal\'s lines', async () => {
    const root = gitRepo({ 'src/a.ts': 'ok\n', 'check.js': 'x' });
    answer = (params) => {
      // The client ran it where it was told: in the copy, which holds the proposal.
      const text = execFileSync('cat', ['src/a.ts'], { cwd: params.cwd, encoding: 'utf8' });
      return { ran: true, exitCode: 1, output: text.includes('BAD') ? "src/a.ts(1,1): error TS2304: Cannot find name 'BAD'.\n" : '', timedOut: false, cancelled: false };
    };
    const results = await client.sendRequest(ProjectChecksRequest.type, request(root));
    assert.deepEqual(
      results.map((result) => [result.name, result.status, result.problems.map((p) => `${p.path}:${p.line}`)]),
      [['typecheck', 'failed', ['src/a.ts:1']]],
    );
    assert.equal(asked[0]?.sandboxed, true);
    assert.ok(asked[0]?.root.includes('tandem-checks-'));
    assert.equal(progress.at(-1)?.[0]?.status, 'failed');
    assert.equal(liveCopies(), 0);
  });

  it('cancels the client\'s command when the request is cancelled', async () => {
    const root = gitRepo({ 'src/a.ts': 'ok\n' });
    let clientSawCancel!: () => void;
    const cancelled = new Promise<void>((resolve) => (clientSawCancel = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    answer = (_params, token) =>
      new Promise((resolve) => {
        started();
        token.onCancellationRequested(() => {
          clientSawCancel();
          resolve({ ran: true, output: '', timedOut: false, cancelled: true });
        });
      });
    const source = new CancellationTokenSource();
    const pending = client.sendRequest(ProjectChecksRequest.type, request(root), source.token).catch((error: unknown) => error);
    await running;
    source.cancel();
    await cancelled;
    await pending;
    assert.equal(liveCopies(), 0);
  });

  for (const [what, params] of [
    ['a relative folder', { folder: 'repo' }],
    ['a check without a command', { settings: { checks: [{ name: 'x' }] } }],
    ['an unknown policy', { settings: { policy: 'yolo' } }],
  ] as const) {
    it(`refuses ${what} with InvalidParams`, async () => {
      const root = gitRepo({ 'a.ts': 'a' });
      await assert.rejects(client.sendRequest(ProjectChecksRequest.type, { ...request(root), ...params } as unknown as ProjectChecksParams), /Invalid tandem\/checks\/project params/);
      assert.equal(asked.length, 0);
    });
  }
});
