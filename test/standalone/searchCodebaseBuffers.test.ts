/**
 * tandem/searchCodebase follows the editor, over stdio (the built service):
 * open documents' unsaved text (textDocument/didOpen, didChange, didClose)
 * and workspace folders added and removed (workspace/didChangeWorkspaceFolders,
 * which the service declares it wants). Needs `node scripts/build.mjs` first.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { SearchCodebaseRequest } from '../../src/shared/codebaseProtocol';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist', 'server.js');

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-stdio-buffers-'));
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), text);
  }
  return dir;
}

describe('tandem/searchCodebase follows unsaved buffers and workspace folders (built service over stdio)', function () {
  this.timeout(30_000);
  let child: ChildProcessWithoutNullStreams;
  let connection: ProtocolConnection;
  let workspace: string;
  let other: string;
  let initialized: InitializeResult;

  const search = async (query: string): Promise<Array<[string, string | undefined]>> =>
    (await connection.sendRequest(SearchCodebaseRequest.type, { query })).results.map((hit) => [hit.path, hit.snippet]);

  before(async () => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
    workspace = folder({ 'src/cache.ts': 'export function evictStale() {\n  return 0;\n}\n', '.gitignore': 'dist/\n' });
    other = folder({ 'lib/ledger.ts': 'export function reconcileLedgerQuince() {\n  return 1;\n}\n' });
    const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_AUDIT: 'off' };
    delete env.OPENAI_API_KEY;
    child = spawn(process.execPath, [serverJs, 'lsp', '--stdio'], { env, stdio: 'pipe' });
    connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    initialized = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
      capabilities: { workspace: { workspaceFolders: true } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection?.dispose();
    if (child && child.exitCode === null) child.kill();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });

  it('declares that it follows workspace folder changes', () => {
    assert.deepEqual(initialized.capabilities.workspace?.workspaceFolders, { supported: true, changeNotifications: true });
  });

  it('answers from an open document’s unsaved text, snippet included, and from the disk again once it is closed', async () => {
    assert.deepEqual(await search('evictStale'), [['src/cache.ts', 'export function evictStale() {\n  return 0;\n}']]);
    const uri = pathToFileURL(path.join(workspace, 'src/cache.ts')).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text: 'export function evictStale() {\n  return 0;\n}\n' } });
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: 'export function purgeTombstones() {\n  return 2;\n}\n' }],
    });
    const hits = await search('purge tombstones');
    assert.deepEqual(
      hits.map(([file]) => file),
      ['src/cache.ts'],
    );
    // The snippet is the buffer's text (the file on disk has no such function).
    assert.match(hits[0]?.[1] ?? '', /export function purgeTombstones\(\) \{\n {2}return 2;\n\}/);
    await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    assert.deepEqual(await search('purge tombstones'), []);
  });

  it('never answers from the buffer of a secret or ignored file', async () => {
    for (const relative of ['.env', 'dist/out.js']) {
      const uri = pathToFileURL(path.join(workspace, relative)).href;
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'plaintext', version: 1, text: 'export function leakedPlatypus() {}\n' } });
    }
    assert.deepEqual(await search('leakedPlatypus'), []);
  });

  it('indexes a folder added to the workspace and forgets one removed', async () => {
    assert.deepEqual(await search('reconcileLedgerQuince'), []);
    const added = { uri: pathToFileURL(other).href, name: 'other' };
    await connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [added], removed: [] } });
    assert.deepEqual(
      (await search('reconcileLedgerQuince')).map(([file]) => file),
      ['lib/ledger.ts'],
    );
    await connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [added] } });
    assert.deepEqual(await search('reconcileLedgerQuince'), []);
    assert.deepEqual(
      (await search('evictStale')).map(([file]) => file),
      ['src/cache.ts'],
    );
  });
});
