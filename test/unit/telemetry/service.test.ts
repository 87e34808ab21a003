/**
 * The OTLP export as a team's collector sees it: a service with
 * tandem.telemetry.otlpEndpoint set sends each audit event as a log record
 * and the usage metrics to a local OTLP/HTTP receiver (a chat, an inline
 * completion shown and accepted, an edit proposal); content follows
 * tandem.audit.contents; a collector that fails or is not there changes
 * nothing for the person; with no endpoint nothing connects; the endpoint
 * can be switched on, moved and off while the service runs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  InlineCompletionRequest,
  InlineCompletionTriggerKind,
  LogMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type InlineCompletionList,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { registerHandlers } from '../../../src/server/server';
import { VERSION } from '../../../src/server/version';
import { ChatRequest, CompletionEventNotification, ProposeEditRequest, ServiceStatusNotification } from '../../../src/shared/protocol';
import { ScriptedModelServer } from '../../support/modelServer';
import { OtlpReceiver, type ReceivedLog } from '../../support/otlpReceiver';
import { closedPort } from '../../support/ports';

const CONTEXT_MARKER = 'context-marker-8812';
const PROMPT_MARKER = 'prompt-marker-4410';
const DIFF_MARKER = 'diffMarker7731';
const FILE_TEXT = 'export function add(a: number, b: number) {\n  return a + b;\n}\n';
const WORKSPACE = 'file:///tmp/tandem-otel-ws';
const DOCUMENT_MARKER = 'documentMarker3390';
const SUGGESTION = 'items.length;';

interface Service {
  client: ProtocolConnection;
  logs: string[];
  /** Resolves once a log line matches. */
  said(pattern: RegExp): Promise<void>;
  /** Pushes `tandem` settings and waits until the service applied them. */
  configure(tandem: Record<string, unknown>): Promise<void>;
  shutdown(): Promise<void>;
}

async function startService(model: ScriptedModelServer, auditDir: string, tandem: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Promise<Service> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  registerHandlers(server, { OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'test-model', OPENAI_API_KEY: '', TANDEM_AUDIT_DIR: auditDir, ...env });
  server.listen();
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  let waiter: (() => void) | undefined;
  client.onNotification(ServiceStatusNotification.type, () => waiter?.());
  const logs: string[] = [];
  let logWaiter: (() => void) | undefined;
  client.onNotification(LogMessageNotification.type, ({ message }) => {
    logs.push(message);
    logWaiter?.();
  });
  client.listen();
  const nextStatus = (): Promise<void> => new Promise((resolve) => (waiter = resolve));
  const ready = nextStatus();
  await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: WORKSPACE, capabilities: {}, initializationOptions: { tandem } });
  await client.sendNotification(InitializedNotification.type, {});
  await ready;
  return {
    client,
    logs,
    said: (pattern) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (logs.some((line) => pattern.test(line))) resolve();
        };
        logWaiter = check;
        check();
      }),
    configure: async (settings) => {
      const applied = nextStatus();
      await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { tandem: settings } });
      await applied;
    },
    shutdown: async () => {
      await client.sendRequest(ShutdownRequest.type);
      await client.sendNotification(ExitNotification.type);
      client.dispose();
      server.dispose();
    },
  };
}

async function chat(service: Service, model: ScriptedModelServer, streamId: string): Promise<string> {
  model.enqueue({ kind: 'stream', text: 'It adds two numbers.' });
  const result = await service.client.sendRequest(ChatRequest.type, {
    streamId,
    messages: [{ role: 'user', content: `What does this do? ${PROMPT_MARKER}` }],
    context: [{ kind: 'file', path: 'src/detail.ts', text: `const detail = "${CONTEXT_MARKER}";\n` }],
  });
  return result.text;
}

async function propose(service: Service, model: ScriptedModelServer, root: string): Promise<void> {
  model.enqueue({ kind: 'stream', text: `\`\`\`ts\nexport function add(a: number, b: number): number {\n  // ${DIFF_MARKER}\n  return a + b;\n}\n\`\`\`` });
  const result = await service.client.sendRequest(ProposeEditRequest.type, {
    streamId: 'edit-1',
    task: 'refactor',
    instruction: 'Add a return type',
    root,
    path: 'src/add.ts',
    languageId: 'typescript',
    files: [{ path: 'src/add.ts', text: FILE_TEXT }],
  });
  assert.ok(result.outcome?.ok, JSON.stringify(result.outcome));
}

/** An inline completion asked for, answered by the model, then shown and accepted: its item id. */
async function completion(service: Service, model: ScriptedModelServer): Promise<string> {
  const uri = `${WORKSPACE}/src/count.ts`;
  await service.client.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'typescript', version: 1, text: `// ${DOCUMENT_MARKER}\nfunction count(items: string[]) {\n  return \n}\n` },
  });
  model.enqueue({ kind: 'json', text: `${SUGGESTION}\n}\n` });
  const list = (await service.client.sendRequest(InlineCompletionRequest.type, {
    textDocument: { uri },
    position: { line: 2, character: 9 },
    context: { triggerKind: InlineCompletionTriggerKind.Automatic },
  })) as InlineCompletionList | null;
  const item = list?.items[0];
  assert.equal(item?.insertText, SUGGESTION);
  const id = item?.command?.arguments?.[0];
  assert.equal(typeof id, 'string');
  await service.client.sendNotification(CompletionEventNotification.type, { id: String(id), kind: 'shown' });
  await service.client.sendNotification(CompletionEventNotification.type, { id: String(id), kind: 'accepted' });
  return String(id);
}

const byBody = (logs: ReceivedLog[], body: string): ReceivedLog[] => logs.filter((log) => log.body === body);

describe('OpenTelemetry export of the audit events and metrics (OTLP/HTTP)', function () {
  this.timeout(20_000);
  let model: ScriptedModelServer;
  let receiver: OtlpReceiver;
  let dir: string;
  let root: string;

  before(async () => {
    model = await ScriptedModelServer.start();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-otel-'));
    root = mkdtempSync(path.join(os.tmpdir(), 'tandem-otel-root-'));
    mkdirSync(path.join(root, 'src'), { recursive: true });
    writeFileSync(path.join(root, 'src/add.ts'), FILE_TEXT);
  });

  beforeEach(async () => {
    receiver = await OtlpReceiver.start();
  });

  afterEach(async () => {
    await receiver.close();
  });

  after(async () => {
    await model.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('sends a chat request and a completion as log records with their fields, and the metrics, to the collector', async () => {
    const service = await startService(model, path.join(dir, 'a'), { completions: { debounceMs: 0 }, telemetry: { otlpEndpoint: receiver.endpoint } });
    assert.equal(await chat(service, model, 'chat-1'), 'It adds two numbers.');
    const item = await completion(service, model);
    await service.shutdown();

    const chatRequest = byBody(receiver.logs, 'model.request').find((log) => log.attributes['tandem.purpose'] === 'chat');
    assert.ok(chatRequest, `no chat model.request among ${JSON.stringify(receiver.logs.map((log) => log.body))}`);
    assert.equal(chatRequest.eventName, 'tandem.model.request');
    assert.equal(chatRequest.severityText, 'INFO');
    assert.equal(chatRequest.attributes['tandem.request'], 'chat-1');
    assert.equal(chatRequest.attributes['tandem.model'], 'test-model');
    assert.equal(chatRequest.attributes['tandem.outcome'], 'ok');
    assert.equal(chatRequest.attributes['tandem.actor'], 'person');
    assert.equal(chatRequest.attributes['tandem.endpointHost'], new URL(model.baseUrl).host);
    assert.equal(typeof chatRequest.attributes['tandem.totalMs'], 'number');
    assert.equal(typeof chatRequest.attributes['tandem.ttftMs'], 'number');
    assert.match(String(chatRequest.attributes['tandem.context']), /"path":"src\/detail.ts".*"sha256":"[0-9a-f]{64}"/);
    assert.equal(chatRequest.resource['service.name'], 'tandem');
    assert.equal(chatRequest.resource['service.version'], VERSION);
    assert.equal(chatRequest.attributes['tandem.session'], chatRequest.resource['tandem.session']);

    const completionRequest = byBody(receiver.logs, 'model.request').find((log) => log.attributes['tandem.purpose'] === 'completion');
    assert.ok(completionRequest, 'the completion request was not sent');
    assert.equal(completionRequest.attributes['tandem.outcome'], 'ok');
    assert.match(String(completionRequest.attributes['tandem.context']), /"kind":"cursor"/);
    assert.deepEqual(
      receiver.logs.filter((log) => String(log.body).startsWith('completion.')).map((log) => [log.body, log.attributes['tandem.request'], log.attributes['tandem.actor'], log.attributes['tandem.path'], log.attributes['tandem.chars']]),
      [
        ['completion.shown', item, 'model', 'src/count.ts', SUGGESTION.length],
        ['completion.accepted', item, 'person', 'src/count.ts', SUGGESTION.length],
      ],
    );
    assert.equal(byBody(receiver.logs, 'session.start').length, 1);
    assert.equal(byBody(receiver.logs, 'session.end')[0]?.attributes['tandem.reason'], 'shutdown');

    const point = (metric: string, attributes: Record<string, unknown>) =>
      receiver.points.find((entry) => entry.metric === metric && Object.entries(attributes).every(([key, value]) => entry.attributes[key] === value));
    assert.equal(point('tandem.model.requests', { 'tandem.purpose': 'chat', 'tandem.outcome': 'ok' })?.value, 1);
    assert.equal(point('tandem.model.requests', { 'tandem.purpose': 'completion', 'tandem.outcome': 'ok' })?.value, 1);
    assert.equal(point('tandem.model.request.duration', { 'tandem.purpose': 'chat' })?.value, 1);
    assert.equal(point('tandem.model.time_to_first_token', { 'tandem.purpose': 'chat' })?.value, 1);
    assert.equal(point('tandem.completions', { 'tandem.event': 'shown' })?.value, 1);
    assert.equal(point('tandem.completions', { 'tandem.event': 'accepted' })?.value, 1);
    assert.equal(point('tandem.model.requests', {})?.resource['service.name'], 'tandem');
    // Context is sent by digest only; prompts, the document and the suggestion stay home below `all`.
    const bytes = receiver.text();
    for (const marker of [CONTEXT_MARKER, PROMPT_MARKER, DOCUMENT_MARKER, SUGGESTION]) assert.ok(!bytes.includes(marker), marker);
  });

  for (const contents of ['none', 'diffs', 'all'] as const) {
    it(`at tandem.audit.contents=${contents} sends ${contents === 'none' ? 'no diff and no prompt' : contents === 'diffs' ? 'the diff but no prompt' : 'the diff and the prompt'}`, async () => {
      const service = await startService(model, path.join(dir, `c-${contents}`), { audit: { contents }, telemetry: { otlpEndpoint: receiver.endpoint } });
      await chat(service, model, `chat-${contents}`);
      await propose(service, model, root);
      await service.shutdown();
      const proposal = byBody(receiver.logs, 'proposal')[0];
      assert.ok(proposal, 'the proposal was not sent');
      assert.equal(proposal.attributes['tandem.origin'], 'refactor');
      const bytes = receiver.text();
      assert.equal(bytes.includes(DIFF_MARKER), contents !== 'none', 'diff text');
      assert.equal(bytes.includes(PROMPT_MARKER), contents === 'all', 'prompt text');
      // Context items travel by digest at every level except `all`'s messages.
      assert.equal(bytes.includes(CONTEXT_MARKER), contents === 'all', 'context text');
    });
  }

  it('with the audit file off, the events still reach the collector', async () => {
    const service = await startService(model, path.join(dir, 'off'), { audit: { enabled: false }, telemetry: { otlpEndpoint: receiver.endpoint } });
    await chat(service, model, 'chat-no-file');
    await service.shutdown();
    assert.equal(byBody(receiver.logs, 'model.request')[0]?.attributes['tandem.request'], 'chat-no-file');
  });

  for (const failure of ['500', 'closed port', 'not a URL'] as const) {
    it(`a collector that ${failure === '500' ? 'answers 500' : failure === 'closed port' ? 'is not listening' : 'is misspelt'} leaves chat working, and is said once in the log`, async () => {
      receiver.status = 500;
      const endpoint = failure === '500' ? receiver.endpoint : failure === 'closed port' ? `http://127.0.0.1:${await closedPort()}` : 'localhost 4318';
      const service = await startService(model, path.join(dir, `f-${failure}`), { telemetry: { otlpEndpoint: endpoint } });
      for (let turn = 0; turn < 3; turn += 1) {
        assert.equal(await chat(service, model, `chat-f${turn}`), 'It adds two numbers.');
      }
      // A refused connection is retried for seconds before it counts as failed (otlp.test.ts covers that case quickly).
      if (failure !== 'closed port') await service.said(/OpenTelemetry: could not send|otlpEndpoint is not/);
      assert.equal(await chat(service, model, 'chat-f-after'), 'It adds two numbers.');
      await service.shutdown();
      const said = service.logs.filter((line) => /OpenTelemetry|otlpEndpoint/.test(line) && !/sending audit events/.test(line));
      // Said once; a refused connection may still be in its retries when the service stops.
      if (failure === 'closed port') assert.ok(said.length <= 1, said.join('\n'));
      else assert.equal(said.length, 1, said.join('\n'));
      if (failure === '500') assert.ok(receiver.bodies.length > 0, 'nothing was tried');
    });
  }

  it('with no endpoint, nothing connects to a collector', async () => {
    const service = await startService(model, path.join(dir, 'none'), {}, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
    await chat(service, model, 'chat-quiet');
    await service.client.sendNotification(CompletionEventNotification.type, { id: 'tc-2', kind: 'shown' });
    await service.shutdown();
    assert.equal(receiver.connections, 0);
  });

  it('can be switched on, moved to another collector and off while the service runs', async () => {
    const other = await OtlpReceiver.start();
    try {
      const service = await startService(model, path.join(dir, 'switch'), {});
      await chat(service, model, 'chat-before');
      await service.configure({ telemetry: { otlpEndpoint: receiver.endpoint } });
      await chat(service, model, 'chat-first');
      await service.configure({ telemetry: { otlpEndpoint: `${other.endpoint}/` } });
      await chat(service, model, 'chat-second');
      await service.configure({ telemetry: { otlpEndpoint: '' } });
      await chat(service, model, 'chat-after');
      await service.shutdown();
      const requests = (target: OtlpReceiver) => byBody(target.logs, 'model.request').map((log) => log.attributes['tandem.request']);
      assert.deepEqual(requests(receiver), ['chat-first']);
      assert.deepEqual(requests(other), ['chat-second']);
      // The change of endpoint is itself an audit event, by host only.
      const change = byBody(receiver.logs, 'settings.changed')[0];
      assert.match(String(change?.attributes['tandem.changes']), /tandem\.telemetry\.otlpEndpoint/);
    } finally {
      await other.close();
    }
  });

  it('the environment names the collector for other editors (TANDEM_OTLP_ENDPOINT)', async () => {
    const service = await startService(model, path.join(dir, 'env'), {}, { TANDEM_OTLP_ENDPOINT: receiver.endpoint });
    await chat(service, model, 'chat-env');
    await service.shutdown();
    assert.deepEqual(byBody(receiver.logs, 'model.request').map((log) => log.attributes['tandem.request']), ['chat-env']);
  });
});
