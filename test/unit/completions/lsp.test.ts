import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InlineCompletionRequest,
  LogMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { toItem } from '../../../src/server/completions/lsp';
import { registerHandlers } from '../../../src/server/server';
import { COMPLETION_ACCEPTED_COMMAND, CompletionEventNotification, CompletionStatsRequest } from '../../../src/shared/protocol';
import { ScriptedModelServer } from '../../support/modelServer';

describe('inline completions over LSP (in-process)', () => {
  let model: ScriptedModelServer;
  let server: Connection;
  let client: ProtocolConnection;
  const logs: string[] = [];

  before(async () => {
    model = await ScriptedModelServer.start({ models: ['starcoder2:3b'] });
    model.setDefaultReply({ kind: 'json', text: 'item.price;' });
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    registerHandlers(server, { OPENAI_BASE_URL: model.baseUrl, TANDEM_COMPLETION_MODEL: 'starcoder2:3b' });
    server.listen();
    client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onNotification(LogMessageNotification.type, ({ message }) => {
      logs.push(message);
    });
    client.listen();
  });

  after(async () => {
    client.dispose();
    server.dispose();
    await model.close();
  });

  it('declares the capability and answers an explicit request at once', async () => {
    const init = await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: 'file:///w', capabilities: {} });
    assert.equal(init.capabilities.inlineCompletionProvider, true);
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: 'file:///w/a.ts', languageId: 'typescript', version: 1, text: 'const total = \n' },
    });
    const result = await client.sendRequest(InlineCompletionRequest.type, {
      textDocument: { uri: 'file:///w/a.ts' },
      position: { line: 0, character: 14 },
      context: { triggerKind: 1 },
    });
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    assert.equal(items[0]?.insertText, 'item.price;');
    const body = model.completionRequests()[0]?.body as { prompt: string };
    assert.equal(body.prompt, '<fim_prefix>// Path: a.ts\nconst total = <fim_suffix>\n<fim_middle>');
  });

  it('answers null for an unknown document, and ignores malformed events', async () => {
    const result = await client.sendRequest(InlineCompletionRequest.type, {
      textDocument: { uri: 'file:///w/missing.ts' },
      position: { line: 0, character: 0 },
      context: { triggerKind: 1 },
    });
    assert.equal(result, null);
    await client.sendNotification(CompletionEventNotification.method, { id: 3, kind: 'shown' });
    await client.sendNotification(CompletionEventNotification.type, { id: 'tc1', kind: 'shown' });
    const stats = await client.sendRequest(CompletionStatsRequest.type, {});
    assert.equal(stats.shown, 1);
    assert.ok(logs.some((line) => line.includes('Ignored a malformed tandem/completionEvent')));
  });

  it('builds items that insert at the cursor or replace the rest of the line', () => {
    const position = { line: 0, character: 13 };
    const text = 'const next = ;\r\nx';
    const insert = toItem({ id: 'tc7', insertText: 'a', replace: 0, source: 'model' }, { position }, text, 13);
    assert.deepEqual(insert, {
      insertText: 'a',
      range: { start: position, end: position },
      command: { title: 'Accepted', command: COMPLETION_ACCEPTED_COMMAND, arguments: ['tc7'] },
    });
    const replace = toItem({ id: 'tc8', insertText: 'a;', replace: 5, source: 'cache' }, { position }, text, 13);
    assert.deepEqual(replace?.range, { start: position, end: { line: 0, character: 14 } }, 'at most up to the line end, before the CR');
  });

  it('starts the item with the suggest widget\'s selected item, or shows none', () => {
    const text = 'items.le\n';
    const position = { line: 0, character: 8 };
    const selectedCompletionInfo = { range: { start: { line: 0, character: 6 }, end: position }, text: 'length' };
    const answer = { id: 'tc9', insertText: 'ngth;', replace: 0, source: 'model' as const };
    const item = toItem(answer, { position, context: { selectedCompletionInfo } }, text, 8);
    assert.deepEqual([item?.insertText, item?.range], ['length;', { start: { line: 0, character: 6 }, end: position }]);
    assert.equal(toItem({ ...answer, insertText: 'ft();' }, { position, context: { selectedCompletionInfo } }, text, 8), undefined, 'does not start with the item');
    assert.equal(toItem({ ...answer, insertText: 'ngth' }, { position, context: { selectedCompletionInfo } }, text, 8), undefined, 'adds nothing to the item');
    const elsewhere = { ...selectedCompletionInfo, range: { start: { line: 0, character: 6 }, end: { line: 0, character: 9 } } };
    assert.equal(toItem(answer, { position, context: { selectedCompletionInfo: elsewhere } }, text, 8), undefined, 'a range past the cursor');
  });
});
