import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodebaseIndex } from '../../../src/server/services/codebase/codebaseIndex';
import { ChunkEmbedder } from '../../../src/server/services/codebase/embedder';
import { DataBoundary } from '../../../src/server/services/dataBoundary';
import { hashedEmbedding } from '../../support/hashedEmbedding';
import { ScriptedModelServer } from '../../support/modelServer';

describe('codebase index with embeddings (hybrid ranking)', () => {
  let root: string;
  let storage: string;
  let server: ScriptedModelServer;
  let logs: string[];

  beforeEach(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'tandem-hybrid-'));
    storage = mkdtempSync(path.join(os.tmpdir(), 'tandem-hybrid-storage-'));
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src/retry.ts'), 'export function backoffDelay(attempt: number): number {\n  return 2 ** attempt * 100;\n}\n');
    writeFileSync(path.join(root, 'src/parse.ts'), 'export function parseHeader(line: string): string[] {\n  return line.split(":");\n}\n');
    writeFileSync(path.join(root, '.env'), 'OPENAI_API_KEY=sk-should-never-leave\n');
    logs = [];
  });
  afterEach(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(storage, { recursive: true, force: true });
  });

  function indexWith(embeddings: boolean): CodebaseIndex {
    const endpoint = { baseUrl: server.baseUrl, apiKey: '', model: 'embed-model', timeoutSeconds: 10 };
    const embedder = new ChunkEmbedder({ boundary: new DataBoundary(), endpoint: () => endpoint, onLog: (message) => logs.push(message) });
    return new CodebaseIndex({ storage, onLog: (message) => logs.push(message), ...(embeddings ? { embedder, embeddingsModel: () => 'embed-model' } : {}) });
  }

  it('ranks hybrid once chunks have vectors, never sends a secret file, and reuses stored vectors', async () => {
    server = await ScriptedModelServer.start({ embeddings: (text) => hashedEmbedding(text) });
    const index = indexWith(true);
    await index.setRoots([root]);
    await index.idle();
    assert.equal(index.state().ranking, 'hybrid');
    const result = await index.search({ query: 'backoff delay for an attempt' });
    assert.equal(result.results[0]?.path.endsWith('retry.ts') ?? result.results[0], true, JSON.stringify(result.results[0]));
    assert.equal(result.indexState.ranking, 'hybrid');
    const sent = JSON.stringify(server.embeddingRequests().map((request) => request.body));
    assert.ok(!sent.includes('sk-should-never-leave'));
    const before = server.embeddingRequests().length;
    await index.dispose();
    // A new index (a reload): the stored vectors are used, only questions are embedded.
    const again = indexWith(true);
    await again.setRoots([root]);
    await again.idle();
    assert.equal(again.state().ranking, 'hybrid');
    assert.equal(server.embeddingRequests().length, before);
    await again.dispose();
  });

  it('an endpoint without /v1/embeddings: lexical results, the reason in indexState, one log line', async () => {
    server = await ScriptedModelServer.start();
    const index = indexWith(true);
    await index.setRoots([root]);
    await index.idle();
    const result = await index.search({ query: 'parse header line' });
    assert.ok(result.results.length > 0);
    assert.equal(result.indexState.ranking, 'lexical');
    assert.match(result.indexState.embeddings ?? '', /404/);
    assert.equal(logs.filter((line) => /lexical only/.test(line)).length, 1, logs.join('\n'));
    await index.dispose();
  });

  it('a search never waits for embedding: while the endpoint hangs, it answers lexically', async function () {
    // Waiting for the embedding job would take the search's 10 s wait for a running job.
    this.timeout(5_000);
    server = await ScriptedModelServer.start({ embeddings: (text) => hashedEmbedding(text) });
    server.failEmbeddings({ kind: 'hang' });
    const index = indexWith(true);
    await index.setRoots([root]);
    await server.waitForRequest((request) => request.path.endsWith('/embeddings'));
    const result = await index.search({ query: 'parse header line' });
    assert.ok(result.results.length > 0);
    assert.equal(result.indexState.ranking, 'lexical');
    await index.dispose();
  });

  it('without the setting nothing is embedded and the state says nothing about ranking', async () => {
    server = await ScriptedModelServer.start({ embeddings: (text) => hashedEmbedding(text) });
    const index = indexWith(false);
    await index.setRoots([root]);
    await index.idle();
    const result = await index.search({ query: 'parse header line' });
    assert.ok(result.results.length > 0);
    assert.equal(result.indexState.ranking, undefined);
    assert.equal(server.embeddingRequests().length, 0);
    await index.dispose();
  });
});
