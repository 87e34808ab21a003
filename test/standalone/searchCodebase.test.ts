/**
 * tandem/searchCodebase as another editor uses it: the built service over
 * stdio, a workspace folder from `initialize`, a storage folder from
 * `initializationOptions.codebaseStorage`, progress as standard work-done
 * progress, and file events through `workspace/didChangeWatchedFiles`.
 * Needs `node scripts/build.mjs` first.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeWatchedFilesNotification,
  ExitNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ProtocolConnection,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { SearchCodebaseRequest } from '../../src/shared/codebaseProtocol';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist', 'server.js');

describe('tandem/searchCodebase over stdio (built service)', function () {
  this.timeout(30_000);
  let child: ChildProcessWithoutNullStreams;
  let connection: ProtocolConnection;
  let workspace: string;
  let storage: string;
  const progress: Array<WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd> = [];
  let progressEnded: Promise<void>;
  let watchRegistered: Promise<unknown>;

  before(async () => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
    workspace = mkdtempSync(path.join(os.tmpdir(), 'tandem-stdio-codebase-'));
    storage = mkdtempSync(path.join(os.tmpdir(), 'tandem-stdio-storage-'));
    const write = (relative: string, text: string): void => {
      mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
      writeFileSync(path.join(workspace, relative), text);
    };
    write('src/cache.ts', 'export function evictStale(entries: Map<string, number>, now: number) {\n  for (const [key, at] of entries) if (now - at > 60_000) entries.delete(key);\n}\n');
    write('src/server.ts', 'export function listen(port: number) {\n  return startHttp(port);\n}\n');
    write('.env', 'EVICT_TOKEN=evictStale');
    write('.gitignore', 'dist/\n');
    write('dist/cache.js', 'function evictStale() {}');
    const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_AUDIT: 'off' };
    delete env.OPENAI_API_KEY;
    child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
    connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    let ended: () => void = () => undefined;
    progressEnded = new Promise((resolve) => (ended = resolve));
    connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      connection.onProgress(WorkDoneProgress.type, token, (value) => {
        progress.push(value);
        if (value.kind === 'end') ended();
      });
    });
    watchRegistered = new Promise((resolve) => connection.onRequest(RegistrationRequest.type, (params) => void resolve(params)));
    connection.listen();
  });

  after(() => {
    connection?.dispose();
    if (child && child.exitCode === null) child.kill();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(storage, { recursive: true, force: true });
  });

  it('indexes the folder from initialize (showing progress) and answers with chunks, never from secret or ignored files', async () => {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
      initializationOptions: { codebaseStorage: storage },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    const result = await connection.sendRequest(SearchCodebaseRequest.type, { query: 'evict stale cache entries' });
    assert.equal(result.indexState.state, 'ready');
    assert.deepEqual(
      result.results.map((r) => r.path),
      ['src/cache.ts'],
    );
    const [hit] = result.results;
    assert.equal(hit?.startLine, 1);
    assert.equal(hit?.endLine, 3);
    assert.equal(hit?.symbol, 'evictStale');
    assert.match(hit?.snippet ?? '', /entries\.delete\(key\)/);
    assert.equal(hit?.uri, pathToFileURL(path.join(workspace, 'src/cache.ts')).href);
    await progressEnded;
    assert.equal(progress[0]?.kind, 'begin');
    assert.match(progress[0]?.kind === 'begin' ? progress[0].title : '', /indexing the codebase/);
    assert.equal(progress.at(-1)?.kind, 'end');
  });

  it('asks to watch files, follows their events, and stores the index in the storage folder', async () => {
    await watchRegistered;
    writeFileSync(path.join(workspace, 'src/server.ts'), 'export function acceptSockets(port: number) {\n  return openListener(port);\n}\n');
    await connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(path.join(workspace, 'src/server.ts')).href, type: FileChangeType.Changed }] });
    const result = await connection.sendRequest(SearchCodebaseRequest.type, { query: 'acceptSockets', snippets: false });
    assert.deepEqual(
      result.results.map((r) => [r.path, r.snippet]),
      [['src/server.ts', undefined]],
    );
    assert.ok(readdirSync(path.join(storage, 'codebase')).some((name) => name.endsWith('.json')));
  });

  it('refuses malformed params with InvalidParams', async () => {
    await assert.rejects(connection.sendRequest(SearchCodebaseRequest.type, { query: '', limit: 1000 }), /Invalid tandem\/searchCodebase params/);
  });

  it('shuts down cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
  });
});
