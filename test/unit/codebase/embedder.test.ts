import assert from 'node:assert/strict';
import type { AuditEvent } from '../../../src/shared/audit';
import type { AuditSink } from '../../../src/server/services/audit/trail';
import { DataBoundary } from '../../../src/server/services/dataBoundary';
import { ChunkEmbedder, EMBED_BATCH, type EmbeddingsEndpoint } from '../../../src/server/services/codebase/embedder';
import { chunkKey, VectorStore } from '../../../src/server/services/codebase/vectors';
import { hashedEmbedding } from '../../support/hashedEmbedding';
import { ScriptedModelServer, type Reply } from '../../support/modelServer';

const TOKEN = `ghp_${'a1B2c3D4e5'.repeat(3)}xYz789`;

describe('codebase embeddings through the data boundary', () => {
  let server: ScriptedModelServer;
  let logs: string[];
  let endpoint: EmbeddingsEndpoint | undefined;
  const sent: string[] = [];

  let recorded: AuditEvent[] = [];
  const audit: AuditSink = { active: true, contents: 'diffs', record: (event) => void recorded.push(event) };

  function embedder(): ChunkEmbedder {
    const boundary = new DataBoundary({ onSent: (event) => sent.push(event.purpose) });
    return new ChunkEmbedder({ boundary, endpoint: () => endpoint, onLog: (message) => logs.push(message), audit });
  }

  function inputs(): string[] {
    return server.embeddingRequests().flatMap((request) => ((request.body as { input: string[] }).input));
  }

  beforeEach(async () => {
    server = await ScriptedModelServer.start({ embeddings: (text) => hashedEmbedding(text) });
    endpoint = { baseUrl: server.baseUrl, apiKey: '', model: 'embed-model', timeoutSeconds: 10 };
    logs = [];
    sent.length = 0;
    recorded = [];
  });
  afterEach(() => server.close());

  it('embeds in batches, sends redacted text and never a secret file\'s chunk, audits each request', async () => {
    const chunks = [
      { file: 'src/a.ts', text: `const token = '${TOKEN}';\nexport function connect() {}` },
      { file: '.env', text: 'API_KEY=plain-secret-value' },
      ...Array.from({ length: EMBED_BATCH + 5 }, (_, i) => ({ file: `src/f${i}.ts`, text: `export function f${i}() { return ${i}; }` })),
    ];
    const store = new VectorStore('embed-model');
    assert.equal(await embedder().embedMissing(chunks, store, new AbortController().signal), true);
    assert.equal(server.embeddingRequests().length, 2);
    const received = inputs();
    assert.equal(received.length, chunks.length - 1);
    assert.ok(received.every((text) => !text.includes(TOKEN) && !text.includes('plain-secret-value')));
    assert.ok(received[0]?.includes('[REDACTED:'), received[0]);
    assert.equal(store.has(chunkKey(chunks[1]?.text ?? '')), false);
    assert.equal(store.size, chunks.length - 1);
    assert.deepEqual(sent, ['embeddings', 'embeddings']);
    // Each request is a model request in the trail: what was sent, by digest, never the text nor the secret file.
    const requests = recorded.filter((event) => event.type === 'model.request');
    assert.equal(requests.length, 2);
    for (const event of requests) {
      assert.ok(event.type === 'model.request');
      assert.equal(event.purpose, 'embeddings');
      assert.equal(event.outcome, 'ok');
      assert.ok(event.context.every((item) => item.kind === 'codebase' && /^[0-9a-f]{64}$/.test(item.sha256) && item.path !== '.env'));
    }
    assert.equal(requests.reduce((sum, event) => sum + (event.type === 'model.request' ? event.context.length : 0), 0), chunks.length - 1);
    assert.ok(!JSON.stringify(recorded).includes(TOKEN) && !JSON.stringify(recorded).includes('export function f1()'));
    // Unchanged chunks are not embedded again.
    assert.equal(await embedder().embedMissing(chunks, store, new AbortController().signal), true);
    assert.equal(server.embeddingRequests().length, 2);
  });

  const failures: Array<[string, Reply | undefined]> = [
    ['no /v1/embeddings (404)', undefined],
    ['a server error (500)', { kind: 'error', status: 500 }],
    ['a rate limit (429)', { kind: 'error', status: 429 }],
    ['a dropped connection', { kind: 'drop' }],
  ];
  for (const [name, reply] of failures) {
    it(`falls back to lexical on ${name}: one log line, a reason, no error`, async () => {
      if (reply) server.failEmbeddings(reply);
      else {
        await server.close();
        server = await ScriptedModelServer.start();
        endpoint = { baseUrl: server.baseUrl, apiKey: '', model: 'embed-model', timeoutSeconds: 10 };
      }
      const subject = embedder();
      const store = new VectorStore('embed-model');
      const chunks = Array.from({ length: EMBED_BATCH * 2 }, (_, i) => ({ file: `f${i}.ts`, text: `chunk ${i}` }));
      assert.equal(await subject.embedMissing(chunks, store, new AbortController().signal), false);
      assert.equal(await subject.embedQuery('where is it', new AbortController().signal), undefined);
      assert.equal(server.embeddingRequests().length, 1, 'no request after the first failure');
      const failed = recorded.filter((event) => event.type === 'model.request');
      assert.equal(failed.length, 1, 'the failed request is in the trail too');
      assert.ok(failed[0]?.type === 'model.request' && failed[0].outcome === 'error' && failed[0].error !== undefined, JSON.stringify(failed[0]));
      assert.equal(logs.length, 1, logs.join('\n'));
      assert.match(logs[0] ?? '', /lexical only/);
      assert.ok(subject.unavailable);
      assert.equal(store.size, 0);
    });
  }

  it('localOnly refuses a remote endpoint before anything is sent', async () => {
    endpoint = { baseUrl: 'https://api.example.com/v1', apiKey: 'k', model: 'm', timeoutSeconds: 10, dataBoundary: { localOnly: true } };
    const subject = embedder();
    assert.equal(await subject.embedQuery('anything', new AbortController().signal), undefined);
    assert.ok(subject.unavailable);
    assert.equal(logs.length, 1);
  });

  it('cancellation closes the HTTP request and is not a failure', async () => {
    server.failEmbeddings({ kind: 'hang' });
    const subject = embedder();
    const controller = new AbortController();
    const pending = subject.embedQuery('question', controller.signal);
    const request = await server.waitForRequest((r) => r.path.endsWith('/embeddings'));
    controller.abort();
    assert.equal(await pending, undefined);
    await server.waitForClose(request);
    assert.equal(request.closedEarly, true);
    assert.equal(subject.unavailable, undefined);
    assert.equal(logs.length, 0);
  });
});
