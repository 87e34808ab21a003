/**
 * The data boundary on every entry point of the model service, through the
 * real LSP handlers in this process, with the scripted model server
 * recording every byte that would have left the machine. A workspace full of
 * fake secrets (every kind, test/support/fakeSecrets.ts) in ordinary files,
 * a `.env`, `AGENTS.md`, another open file used for completion snippets; each
 * entry point is driven once and the requests it caused are kept apart, so a
 * test can say which entry point leaked. Used by
 * test/security/dataBoundary.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  InlineCompletionRequest,
  LogMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type InlineCompletionList,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DEFAULT_AGENT_SETTINGS } from '../../../src/server/agent/validate';
import { registerHandlers } from '../../../src/server/server';
import { AgentRunRequest, ClientToolRequest, type AgentRunResult } from '../../../src/shared/agentProtocol';
import { ChatRequest, ProposeEditRequest, type ChatResult, type EditTask, type ProposeEditResult } from '../../../src/shared/protocol';
import { SecretFactory, type FakeSecret } from '../../support/fakeSecrets';
import { ScriptedModelServer, type RecordedRequest, type Reply } from '../../support/modelServer';
import { FakeClient } from '../../unit/agent/harness';

export interface Workspace {
  root: string;
  secrets: FakeSecret[];
  /** Every value that must never be sent (multi-line values by line). */
  values: string[];
  /** src/config.ts: every secret, one after the other. */
  config: string;
  cleanup(): void;
}

export function makeSecretWorkspace(seed = 42): Workspace {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tandem-boundary-')));
  const factory = new SecretFactory(seed);
  const secrets = factory.all();
  const pick = (kind: string): FakeSecret => secrets.find((s) => s.kind === kind) as FakeSecret;
  const write = (relative: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), text);
  };
  const config = `${secrets.map((s) => s.text).join('\n')}\n`;
  write('src/config.ts', config);
  write('src/config.test.ts', `import { config } from './config';\nconst session = '${pick('jwt').value}';\n`);
  write('src/other.ts', `export function fetchUserConfig() {\n  const maps = '${pick('google-api-key').value}';\n  return fetchUserConfig;\n}\n`);
  write('.env', `${pick('anthropic-api-key').text}\n`);
  write('AGENTS.md', `# Rules\nDeploy with the Slack token ${pick('slack-token').value} when asked.\n`);
  write('package.json', '{"name":"boundary","scripts":{"test":"node -e 0"}}\n');
  const values = secrets.flatMap((s) => s.value.split('\n'));
  return { root, secrets, values, config, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface Service {
  client: ProtocolConnection;
  model: ScriptedModelServer;
  fakeClient: FakeClient;
  /** Every line the service logged. */
  logs: string[];
  close(): Promise<void>;
}

/** The service over an in-process connection, initialised on `root`. `tandem`: the pushed settings section. */
export async function startService(root: string, options: { tandem?: Record<string, unknown>; baseUrl?: string } = {}): Promise<Service> {
  const model = await ScriptedModelServer.start();
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  registerHandlers(server, { OPENAI_BASE_URL: options.baseUrl ?? model.baseUrl, TANDEM_MODEL: 'test-model', OPENAI_API_KEY: '' });
  server.listen();
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const fakeClient = new FakeClient(root, {
    command: () => ({ approved: true }),
    review: () => ({ approved: true }),
    diagnostics: (paths) => (paths ?? ['src/config.ts']).map((p) => ({ path: p, items: [{ startLine: 0, endLine: 0, severity: 'error' as const, message: `unused secret ${readFirstValue(root)}` }] })),
  });
  client.onRequest(ClientToolRequest.type, (params) => fakeClient.handle(params, new AbortController().signal));
  const logs: string[] = [];
  client.onNotification(LogMessageNotification.type, (params) => void logs.push(params.message));
  client.listen();
  const rootUri = pathToFileURL(root).href;
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'boundary' }],
    capabilities: {},
    ...(options.tandem ? { initializationOptions: { tandem: options.tandem } } : {}),
  });
  await client.sendNotification(InitializedNotification.type, {});
  return {
    client,
    model,
    fakeClient,
    logs,
    close: async () => {
      client.dispose();
      server.dispose();
      await model.close();
    },
  };
}

/** The AWS key id line of src/config.ts (the first secret): what a diagnostic quoting the code would show. */
function readFirstValue(root: string): string {
  return readFileSync(path.join(root, 'src/config.ts'), 'utf8').split('\n')[0] ?? '';
}

export interface EntryPointRun {
  name: string;
  /** The model requests this entry point caused. */
  requests: RecordedRequest[];
  /** What the entry point answered (its result), for finer assertions. */
  result: unknown;
}

const tool = (name: string, args: Record<string, unknown>): Reply => ({ kind: 'stream', text: '', toolCalls: [{ name, arguments: JSON.stringify(args) }] });

/** Drives every entry point once; each run lists the requests it caused. */
export async function runEveryEntryPoint(ws: Workspace, service: Service): Promise<EntryPointRun[]> {
  const { client, model } = service;
  const runs: EntryPointRun[] = [];
  const pick = (kind: string): FakeSecret => ws.secrets.find((s) => s.kind === kind) as FakeSecret;
  const measure = async (name: string, drive: () => Promise<unknown>): Promise<void> => {
    const before = model.requests.length;
    const result = await drive();
    runs.push({ name, requests: model.requests.slice(before), result });
  };

  // Chat: the question itself, the history, a context chip with secrets, and a .env chip.
  await measure('chat: question, history and context chips', () =>
    client.sendRequest(ChatRequest.type, {
      streamId: 'chat-1',
      messages: [
        { role: 'user', content: `Earlier I used ${pick('stripe-key').value}` },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: `Why does ${pick('github-token').value} fail with ${pick('connection-string-password').text}?` },
      ],
      context: [
        { kind: 'file', path: 'src/config.ts', languageId: 'typescript', text: ws.config },
        { kind: 'file', path: '.env', text: readFileSync(path.join(ws.root, '.env'), 'utf8') },
        { kind: 'selection', path: 'src/other.ts', startLine: 1, endLine: 2, text: readFileSync(path.join(ws.root, 'src/other.ts'), 'utf8') },
      ],
    }),
  );

  // Explain sends a chat request with the code as a chip: covered above. Edit tasks on a file full of secrets.
  const firstLine = ws.config.split('\n')[0] ?? '';
  const placeholderLine = firstLine.replace(pick('aws-access-key-id').value, '[REDACTED:aws-access-key-id]');
  const editAnswer = `src/config.ts\n<<<<<<< SEARCH\n${placeholderLine}\n=======\n${placeholderLine} # rotated\n>>>>>>> REPLACE\n`;
  const tasks: Array<{ task: EditTask; extra: Record<string, unknown> }> = [
    { task: 'refactor', extra: { instruction: `Move ${pick('openai-api-key').value} to the environment` } },
    { task: 'fix', extra: { instruction: '', diagnostics: [{ startLine: 0, endLine: 0, severity: 'error', message: `bad key ${pick('aws-access-key-id').value}` }] } },
    { task: 'tests', extra: { instruction: '' } },
    { task: 'docs', extra: { instruction: '' } },
    { task: 'inline', extra: { instruction: 'tidy', selection: { startLine: 0, endLine: 3 } } },
  ];
  for (const { task, extra } of tasks) {
    model.enqueue({ kind: 'stream', text: task === 'inline' ? '```\nchanged\n```' : editAnswer });
    await measure(`edit: ${task}`, () =>
      client.sendRequest(ProposeEditRequest.type, {
        streamId: `edit-${task}`,
        task,
        root: ws.root,
        path: 'src/config.ts',
        languageId: 'typescript',
        files: [{ path: 'src/config.ts', text: ws.config }],
        instruction: '',
        ...extra,
      }),
    );
  }
  await measure('edit: refactor on .env (refused)', () =>
    client.sendRequest(ProposeEditRequest.type, { streamId: 'edit-env', task: 'refactor', instruction: 'tidy', root: ws.root, path: '.env', languageId: 'dotenv', files: [] }),
  );

  // Inline completions: secrets above and below the cursor, and in another open file used for snippets.
  const other = pathToFileURL(path.join(ws.root, 'src/other.ts')).href;
  await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: other, languageId: 'typescript', version: 1, text: readFileSync(path.join(ws.root, 'src/other.ts'), 'utf8') } });
  const app = pathToFileURL(path.join(ws.root, 'src/app.ts')).href;
  const appText = `const k = '${pick('github-token').value}';\nexport function fetchUserConfig() {\n  return \n}\nconst aws = "${pick('aws-access-key-id').value}";\n`;
  await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: app, languageId: 'typescript', version: 1, text: appText } });
  await measure('inline completion: prefix, suffix and snippets', () =>
    client.sendRequest(InlineCompletionRequest.type, { textDocument: { uri: app }, position: { line: 2, character: 9 }, context: { triggerKind: 1 } }) as Promise<InlineCompletionList | null>,
  );

  // The agent: the task, AGENTS.md, tool results, command output, problems; and a file written with a placeholder.
  const calls: Reply[] = [
    tool('read_file', { path: 'src/config.ts' }),
    tool('search_text', { pattern: 'ghp_' }),
    tool('run_command', { command: 'cat src/config.ts' }),
    tool('get_diagnostics', { paths: ['src/config.ts'] }),
    tool('read_file', { path: '.env' }),
    tool('create_file', { path: 'src/copy.ts', content: "export const token = '[REDACTED:github-token]';\n" }),
    { kind: 'stream', text: 'Done.' },
  ];
  model.enqueue(...calls);
  await measure('agent: task, rules, tool results, command output, problems', () =>
    client.sendRequest(AgentRunRequest.type, {
      streamId: 'agent-1',
      messages: [{ role: 'user', content: `Rotate ${pick('gitlab-token').value} everywhere` }],
      root: ws.root,
      activeFile: 'src/config.ts',
      settings: { ...DEFAULT_AGENT_SETTINGS, policy: 'ask', maxSteps: calls.length + 2 },
    }) as Promise<AgentRunResult>,
  );
  return runs;
}

/** The secret values found in what `requests` sent. */
export function leakedValues(requests: readonly RecordedRequest[], values: readonly string[]): string[] {
  const sent = requests.map((request) => JSON.stringify(request.body)).join('\n');
  return values.filter((value) => value.length >= 6 && sent.includes(JSON.stringify(value).slice(1, -1)));
}

export type { AgentRunResult, ChatResult, ProposeEditResult };
