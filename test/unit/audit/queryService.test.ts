/**
 * tandem/auditQuery and tandem/auditProvenance over LSP, against the service
 * that writes the trail: what the client just reported is in the answer
 * (the service writes what it holds first), and malformed params are
 * answered, never trusted or thrown on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createProtocolConnection, InitializedNotification, InitializeRequest, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { registerHandlers } from '../../../src/server/server';
import { AuditProvenanceRequest, AuditQueryRequest, AuditStatusRequest, AuditWriteNotification } from '../../../src/shared/auditProtocol';

describe('the audit query over LSP', function () {
  this.timeout(20_000);
  let server: Connection;
  let client: ProtocolConnection;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-query-svc-'));
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    registerHandlers(server, { OPENAI_BASE_URL: 'http://127.0.0.1:9', TANDEM_MODEL: 'test-model', OPENAI_API_KEY: '' });
    server.listen();
    client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.listen();
    await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {}, initializationOptions: { auditDirectory: dir } });
    await client.sendNotification(InitializedNotification.type, {});
    await client.sendRequest(AuditStatusRequest.type, { flush: true });
  });

  after(() => {
    client.dispose();
    server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers with what the client just reported, newest first, and the chain intact', async () => {
    await client.sendNotification(AuditWriteNotification.type, { actor: 'person', path: 'src/now.ts', operation: 'edit', proposalId: 'p-x' });
    const result = await client.sendRequest(AuditQueryRequest.type, {});
    assert.equal(result.directory, dir);
    assert.deepEqual(
      result.events.map((event) => event.type),
      ['write', 'session.start'],
    );
    assert.deepEqual(result.events[0]?.paths, ['src/now.ts']);
    assert.deepEqual(
      result.chains.map((chain) => chain.intact),
      [true],
    );
  });

  it('answers malformed params without trusting them', async () => {
    const hostile: unknown[] = [null, 'x', 42, [], { types: 'proposal' }, { offset: 'a', limit: -5 }, { limit: 1e12 }, { path: { toString: 1 } }, { since: 'not a date' }, { path: 'x'.repeat(100_000) }];
    for (const params of hostile) {
      const result = await client.sendRequest(AuditQueryRequest.method, params);
      assert.ok(typeof result === 'object' && result !== null && Array.isArray((result as { events: unknown }).events), JSON.stringify(params)?.slice(0, 80));
    }
    const limited = await client.sendRequest(AuditQueryRequest.method, { limit: -5 });
    assert.equal((limited as { events: unknown[] }).events.length, 1, 'at least one event a page');
    const provenance = await client.sendRequest(AuditProvenanceRequest.method, { path: 7 });
    assert.deepEqual(provenance, { changes: [], problem: 'No file named.' });
  });
});
