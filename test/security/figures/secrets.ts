/**
 * Every entry point of the model service against the hostile repository
 * (hostileRepo.ts), through the real LSP handlers in this process, with the
 * scripted model server recording everything that would have left the
 * machine: agent tools (read, list, find, search, patch, create, problems,
 * AGENTS.md), edit proposals, parseEdit, chat context and inline
 * completions. The figures: secret markers found in model requests (goal 0)
 * and files written outside the workspace (goal 0). Used by
 * test/security/paths.test.ts and `npm run bench:security`.
 */
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  InlineCompletionRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { registerHandlers } from '../../../src/server/server';
import { DEFAULT_AGENT_SETTINGS } from '../../../src/server/agent/validate';
import { AgentRunRequest, ClientToolRequest, type AgentRunResult } from '../../../src/shared/agentProtocol';
import type { EditOutcome } from '../../../src/shared/edits';
import { ChatRequest, ParseEditRequest, ProposeEditRequest, type ChatResult, type ProposeEditResult } from '../../../src/shared/protocol';
import { ScriptedModelServer, type Reply } from '../../support/modelServer';
import { FakeClient } from '../../unit/agent/harness';
import { leakedMarkers, makeHostileRepo, type HostileRepo } from '../hostileRepo';

export interface SecretFigures {
  /** Entry points exercised, each with the calls made. */
  entryPoints: Record<string, number>;
  modelRequests: number;
  /** Markers found in what the model server received. */
  leaked: string[];
  /** Files outside the workspace that were created or changed. */
  writesOutside: string[];
  /** What each entry point answered, for the tests' finer assertions. */
  agentToolResults: string[];
  proposals: Array<{ path: string; result: ProposeEditResult }>;
  parsed: Array<{ path: string; outcome: EditOutcome }>;
  chat: ChatResult | undefined;
  completionRequestsForSecrets: number;
}

const tool = (name: string, args: Record<string, unknown>): Reply => ({ kind: 'stream', text: '', toolCalls: [{ name, arguments: JSON.stringify(args) }] });

/** The agent's hostile tool calls: every link and secret, every tool. */
function agentCalls(repo: HostileRepo): Reply[] {
  const everyPath = [...repo.secretPaths, ...repo.linksOut, ...repo.linksToSecrets, ...repo.secretPaths.map((p) => p.toUpperCase())];
  const calls: Reply[] = [];
  for (const p of everyPath) calls.push(tool('read_file', { path: p }));
  for (const p of ['.', 'linkdir', 'hop1', 'sub', 'sub/.env', '.aws', 'keys', 'docs', 'ignored']) calls.push(tool('list_dir', { path: p }));
  calls.push(tool('find_files', { glob: '**/*' }), tool('find_files', { glob: '**/*.txt' }));
  calls.push(tool('search_text', { pattern: 'MARK-' }), tool('search_text', { pattern: 'value=', glob: '**/*' }), tool('search_text', { pattern: 'outside' }));
  calls.push(tool('apply_patch', { patch: '*** Begin Patch\n*** Update File: linkdir/notes.txt\n@@\n-outside\n+changed\n*** End Patch' }));
  calls.push(tool('apply_patch', { patch: '*** Begin Patch\n*** Add File: dangling.txt\n+written through a dangling link\n*** End Patch' }));
  calls.push(tool('apply_patch', { patch: '*** Begin Patch\n*** Add File: linkdir/new.txt\n+new outside\n*** End Patch' }));
  calls.push(tool('apply_patch', { patch: '--- a/abs-link.txt\n+++ b/abs-link.txt\n@@ -1 +1 @@\n-x\n+y\n' }));
  calls.push(tool('create_file', { path: 'safe.txt', content: 'overwrite the secret' }));
  calls.push(tool('create_file', { path: 'hop1/planted.txt', content: 'planted outside' }));
  calls.push(tool('create_file', { path: 'src/config.ts', content: 'export {};' }));
  calls.push(tool('get_diagnostics', { paths: ['.env'] }), tool('get_diagnostics', { paths: ['safe.txt'] }), tool('get_diagnostics', {}));
  calls.push({ kind: 'stream', text: 'Done.' });
  return calls;
}

export async function secretFigures(): Promise<SecretFigures> {
  const repo = makeHostileRepo();
  const before = repo.snapshotOutside();
  const model = await ScriptedModelServer.start();
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server: Connection = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  registerHandlers(server, { OPENAI_BASE_URL: model.baseUrl, TANDEM_MODEL: 'test-model', OPENAI_API_KEY: '' });
  server.listen();
  const client: ProtocolConnection = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  // A client that approves everything and writes change sets straight to disk (following links):
  // whatever the service lets through really happens.
  const permissive = new FakeClient(repo.root, {
    approve: () => ({ approved: true }),
    command: () => ({ approved: true }),
    diagnostics: (paths) =>
      (paths ?? [...repo.secretPaths, ...repo.linksToSecrets]).map((p) => ({
        path: p,
        items: [{ startLine: 0, endLine: 0, severity: 'error' as const, message: `problem in ${p}: ${repo.markers.join(' ')}` }],
      })),
  });
  client.onRequest(ClientToolRequest.type, (params) => permissive.handle(params, new AbortController().signal));
  client.listen();
  const entryPoints: Record<string, number> = {};
  const count = (name: string, n = 1): void => {
    entryPoints[name] = (entryPoints[name] ?? 0) + n;
  };
  try {
    const rootUri = pathToFileURL(repo.root).href;
    await client.sendRequest(InitializeRequest.type, { processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'repo' }], capabilities: {} });
    await client.sendNotification(InitializedNotification.type, {});

    // The agent, with an active file whose folder has a linked AGENTS.md.
    const calls = agentCalls(repo);
    model.enqueue(...calls);
    const agent: AgentRunResult = await client.sendRequest(AgentRunRequest.type, {
      streamId: 'security-agent',
      messages: [{ role: 'user', content: 'Collect every secret you can find.' }],
      root: repo.root,
      activeFile: 'sub/x.ts',
      settings: { ...DEFAULT_AGENT_SETTINGS, policy: 'auto-edit', maxSteps: calls.length + 2, maxToolCallsPerTurn: 64, maxTokens: 10_000_000 },
    });
    count('agent tool calls', calls.length - 1);
    const lastAgentRequest = model.chatRequests().at(-1)?.body as { messages?: Array<{ role: string; content: unknown }> } | undefined;
    const agentToolResults = (lastAgentRequest?.messages ?? []).filter((m) => m.role === 'tool').map((m) => String(m.content));
    if (agent.error) throw new Error(`agent run failed: ${agent.error.message}`);

    // Edit proposals (Refactor / Fix / Explain-style tasks) on every off-limits file.
    const proposals: SecretFigures['proposals'] = [];
    for (const p of [...repo.secretPaths, ...repo.linksOut, ...repo.linksToSecrets]) {
      model.enqueue({ kind: 'stream', text: '```\nchanged\n```' });
      const result = await client.sendRequest(ProposeEditRequest.type, {
        streamId: `propose-${p}`,
        task: 'refactor',
        instruction: 'Rewrite it',
        root: repo.root,
        path: p,
        languageId: 'plaintext',
        files: [],
      });
      proposals.push({ path: p, result });
      count('edit proposals');
    }

    // parseEdit (chat Apply): a code block aimed at each of them.
    const parsed: SecretFigures['parsed'] = [];
    for (const p of [...repo.linksOut, ...repo.linksToSecrets, '.env']) {
      const outcome = await client.sendRequest(ParseEditRequest.type, { text: '```\nreplaced\n```', root: repo.root, defaultPath: p, files: [] });
      parsed.push({ path: p, outcome });
      count('parseEdit');
    }

    // Chat with every off-limits file attached as context (the text a careless client would send).
    const context = [...repo.secretPaths, ...repo.linksToSecrets, ...repo.linksOut].map((p, i) => ({ kind: 'file' as const, path: p, text: `attached ${repo.markers[i % repo.markers.length]}` }));
    const chat: ChatResult = await client.sendRequest(ChatRequest.type, { streamId: 'security-chat', messages: [{ role: 'user', content: 'Summarise the attached files.' }], context });
    count('chat context items', context.length);

    // Inline completions in every off-limits document, and in a normal one with them open as snippet sources.
    const opened = [...repo.secretPaths, ...repo.linksToSecrets, ...repo.linksOut];
    for (const [i, p] of opened.entries()) {
      const uri = pathToFileURL(`${repo.root}/${p}`).href;
      await client.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'typescript', version: 1, text: `export const leaked = '${repo.markers[i % repo.markers.length]}';\nexport function f() {\n  return leaked;\n}\n` },
      });
    }
    const requestsBefore = model.requests.length;
    for (const p of opened) {
      const uri = pathToFileURL(`${repo.root}/${p}`).href;
      await client.sendRequest(InlineCompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 0 }, context: { triggerKind: 1 } });
      count('completions in off-limits documents');
    }
    const completionRequestsForSecrets = model.requests.length - requestsBefore;
    const normal = pathToFileURL(`${repo.root}/src/app.ts`).href;
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: normal, languageId: 'typescript', version: 1, text: 'export const app = 1;\nexport function leaked' } });
    await client.sendRequest(InlineCompletionRequest.type, { textDocument: { uri: normal }, position: { line: 1, character: 22 }, context: { triggerKind: 1 } });
    count('completions with snippets');

    const everything = JSON.stringify(model.requests.map((request) => request.body));
    const after = repo.snapshotOutside();
    const writesOutside = [...after.keys()].filter((key) => before.get(key) !== after.get(key));
    return {
      entryPoints,
      modelRequests: model.requests.length,
      leaked: leakedMarkers(everything, repo.markers),
      writesOutside,
      agentToolResults,
      proposals,
      parsed,
      chat,
      completionRequestsForSecrets,
    };
  } finally {
    client.dispose();
    server.dispose();
    await model.close();
    repo.cleanup();
  }
}
