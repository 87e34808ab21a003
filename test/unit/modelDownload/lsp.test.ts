import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  CancellationTokenSource,
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { registerHandlers } from '../../../src/server/server';
import { TEST_CATALOGUE_ENV } from '../../../src/shared/embeddedCatalogue';
import { EmbeddedDownloadProgressNotification, EmbeddedDownloadRequest, type EmbeddedDownloadProgressParams } from '../../../src/shared/embeddedProtocol';
import { FileServer } from '../../support/fileServer';

describe('tandem/embedded/download over LSP', function () {
  this.timeout(20_000);
  const body = randomBytes(200_000);
  let files: FileServer;
  let server: Connection;
  let client: ProtocolConnection;
  let dir: string;
  const progress: EmbeddedDownloadProgressParams[] = [];

  before(async () => {
    files = new FileServer(body);
    await files.listen();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-download-lsp-'));
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    const entry = { url: files.url(), sizeBytes: body.length, sha256: createHash('sha256').update(body).digest('hex'), fileName: 'fake.gguf' };
    registerHandlers(server, { [TEST_CATALOGUE_ENV]: JSON.stringify(entry), OPENAI_API_KEY: '' });
    server.listen();
    client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onNotification(EmbeddedDownloadProgressNotification.type, (params) => {
      progress.push(params);
    });
    client.listen();
    await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    await client.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    client.dispose();
    server.dispose();
    await files.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('refuses malformed params with InvalidParams', async () => {
    for (const params of [null, {}, { downloadId: 'd' }, { downloadId: '', directory: dir }, { downloadId: 'd', directory: 'relative/models' }, { downloadId: 'd', directory: `${dir}\0x` }, { downloadId: 'd', directory: dir, modelId: 5 }, { downloadId: 'd', directory: dir, modelId: 'gpt-5' }]) {
      await assert.rejects(client.sendRequest(EmbeddedDownloadRequest.method, params), (error: unknown) => error instanceof ResponseError && error.code === -32602, JSON.stringify(params));
    }
    assert.equal(files.requests.length, 0);
  });

  it('is cancelled with $/cancelRequest, leaving a part that the next request resumes, with progress under its id', async () => {
    files.script((_request, index) => (index === 0 ? { kind: 'serve', holdAfter: 120_000 } : { kind: 'serve' }));
    const source = new CancellationTokenSource();
    const held = once(files, 'held');
    const first = client.sendRequest(EmbeddedDownloadRequest.type, { downloadId: 'first', directory: dir }, source.token);
    await held;
    // A second request for the same file while the first runs is turned away.
    const busy = await client.sendRequest(EmbeddedDownloadRequest.type, { downloadId: 'second', directory: dir });
    assert.equal(busy.error?.reason, 'busy');
    source.cancel();
    const cancelled = await first;
    assert.equal(cancelled.error?.reason, 'cancelled');
    assert.equal(cancelled.path, '');
    await assert.rejects(fs.stat(path.join(dir, 'fake.gguf')));
    // Exactly what was received before the cancel (how much of what the server sent had arrived is the network's business).
    const part = await fs.stat(path.join(dir, 'fake.gguf.part'));
    assert.ok(part.size <= 120_000);
    assert.ok(body.subarray(0, part.size).equals(await fs.readFile(path.join(dir, 'fake.gguf.part'))));

    progress.length = 0;
    const done = await client.sendRequest(EmbeddedDownloadRequest.type, { downloadId: 'again', directory: dir });
    assert.deepEqual(done, { modelId: 'test-model', path: path.join(dir, 'fake.gguf'), alreadyPresent: false });
    assert.ok((await fs.readFile(done.path)).equals(body));
    assert.equal(files.requests.at(-1)?.range, part.size > 0 ? `bytes=${part.size}-` : undefined);
    // The cancelled download's last notifications may still arrive: each carries its own id.
    assert.ok(progress.every((update) => ['first', 'again'].includes(update.downloadId) && update.totalBytes === body.length));
    const resumed = progress.filter((update) => update.downloadId === 'again');
    assert.equal(resumed[0]?.phase, 'checking');
    assert.equal(resumed[0]?.receivedBytes, part.size);
    assert.equal(resumed.at(-1)?.phase, 'verifying');

    const again = await client.sendRequest(EmbeddedDownloadRequest.type, { downloadId: 'third', directory: dir });
    assert.equal(again.alreadyPresent, true);
  });
});
