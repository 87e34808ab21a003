/**
 * One data boundary for every path out: each entry point of the service
 * (chat question, history and chips; Explain's chip; Refactor / Fix /
 * Generate Tests / Add Docs / Inline Edit; inline completions with snippets;
 * the agent's task, rules, tool results, command output and problems) is
 * driven against a workspace full of fake secrets of every kind, and the
 * scripted model server's received bytes must hold none of them, while the
 * typed placeholders show the text did go through redaction (not just get
 * dropped). Refusals are reported, values come back only locally, and
 * `localOnly` stops every entry point before anything is sent.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, InlineCompletionRequest } from 'vscode-languageserver-protocol/node';
import { AgentRunRequest, type AgentRunResult } from '../../src/shared/agentProtocol';
import { ChatRequest, ListModelsRequest, ProposeEditRequest, type ChatResult, type ProposeEditResult } from '../../src/shared/protocol';
import { DEFAULT_AGENT_SETTINGS } from '../../src/server/agent/validate';
import { leakedValues, makeSecretWorkspace, runEveryEntryPoint, startService, type EntryPointRun, type Service, type Workspace } from './figures/boundary';

describe('security: the data boundary on every entry point', function () {
  this.timeout(120_000);
  let ws: Workspace;
  let service: Service;
  let runs: EntryPointRun[];

  before(async () => {
    ws = makeSecretWorkspace();
    // Contents logged too: the log must hold placeholders, kinds and counts, never a value.
    service = await startService(ws.root, { tandem: { logContents: true } });
    runs = await runEveryEntryPoint(ws, service);
  });
  after(async () => {
    await service.close();
    ws.cleanup();
  });

  const run = (name: string): EntryPointRun => {
    const found = runs.find((r) => r.name === name);
    assert.ok(found, `no run named ${name}`);
    return found;
  };

  it('every entry point reached the model, and no secret value of any kind is in what it received', () => {
    for (const entry of runs) {
      if (entry.name.includes('(refused)')) continue;
      assert.ok(entry.requests.length > 0, `${entry.name}: sent nothing, so it proves nothing`);
      assert.deepEqual(leakedValues(entry.requests, ws.values), [], entry.name);
    }
    assert.deepEqual(leakedValues(service.model.requests, ws.values), []);
  });

  it('each entry point sent typed placeholders in place of the secrets (redacted, not silently dropped)', () => {
    for (const entry of runs.filter((r) => !r.name.includes('(refused)'))) {
      const sent = JSON.stringify(entry.requests.map((r) => r.body));
      assert.match(sent, /\[REDACTED:[a-z0-9-]+\]/, entry.name);
    }
    const chat = JSON.stringify(run('chat: question, history and context chips').requests.map((r) => r.body));
    for (const kind of ['github-token', 'stripe-key', 'connection-string-password', 'aws-secret-access-key', 'private-key', 'jwt', 'google-api-key']) {
      assert.ok(chat.includes(`[REDACTED:${kind}`), `chat: no ${kind} placeholder`);
    }
  });

  it('chat: the .env chip is not sent, and the result says so, with kinds and counts of what was redacted', () => {
    const result = run('chat: question, history and context chips').result as ChatResult;
    assert.deepEqual(result.boundary?.refused.map((r) => r.item), ['.env']);
    assert.match(result.boundary?.refused[0]?.reason ?? '', /secrets file/);
    const kinds = new Map(result.boundary?.redactions.map((r) => [r.kind, r.count]));
    assert.equal(kinds.get('github-token'), 2, 'two distinct GitHub tokens (the classic one is also in the question)');
    assert.equal(kinds.get('connection-string-password'), 4, 'four distinct passwords: the one in the question is one of them, and no placeholder is counted again');
    assert.ok((kinds.get('private-key') ?? 0) >= 1);
    assert.ok(!JSON.stringify(result.boundary).includes(ws.values[0] ?? 'x'));
  });

  it('edits: every task reports its redactions; the proposal gets the real value back, never the placeholder', () => {
    for (const task of ['refactor', 'fix', 'tests', 'docs', 'inline']) {
      const result = run(`edit: ${task}`).result as ProposeEditResult;
      assert.ok((result.boundary?.redactions.length ?? 0) >= 10, `${task}: ${JSON.stringify(result.boundary)}`);
    }
    const refactor = run('edit: refactor').result as ProposeEditResult;
    assert.ok(refactor.outcome?.ok, JSON.stringify(refactor.outcome));
    const change = refactor.outcome.changeSet.changes[0];
    assert.ok(change && change.kind === 'update');
    const aws = ws.secrets.find((s) => s.kind === 'aws-access-key-id')?.value ?? '';
    assert.ok(change.newText.includes(`${aws} # rotated`), 'the value was restored in the proposal');
    assert.ok(!change.newText.includes('[REDACTED:'), 'no placeholder is written into the file');
  });

  it('edits: Refactor on .env is refused before anything is sent, with a clear reason', () => {
    const entry = run('edit: refactor on .env (refused)');
    assert.equal(entry.requests.length, 0);
    const result = entry.result as ProposeEditResult;
    assert.equal(result.outcome?.ok, false);
    assert.match(result.outcome && !result.outcome.ok ? (result.outcome.failures[0]?.message ?? '') : '', /Not sent to the model: .env is a secrets file/);
    assert.deepEqual(result.boundary?.refused.map((r) => r.item), ['.env']);
  });

  it('agent: one placeholder per value over the whole task, files written with the real value, the report in the result', () => {
    const entry = run('agent: task, rules, tool results, command output, problems');
    const result = entry.result as AgentRunResult;
    assert.equal(result.error, undefined, JSON.stringify(result.error));
    const kinds = new Set(result.boundary?.redactions.map((r) => r.kind));
    for (const kind of ['gitlab-token', 'slack-token', 'github-token', 'aws-access-key-id', 'private-key']) assert.ok(kinds.has(kind), `agent: ${kind} missing from ${[...kinds].join(', ')}`);
    const written = readFileSync(path.join(ws.root, 'src/copy.ts'), 'utf8');
    const github = ws.secrets.find((s) => s.kind === 'github-token')?.value ?? '';
    assert.equal(written, `export const token = '${github}';\n`, 'create_file got the value back (locally)');
    // The same value keeps its placeholder across turns: the last request shows the first turn's placeholder for it.
    const last = JSON.stringify(entry.requests.at(-1)?.body);
    assert.ok(last.includes('[REDACTED:gitlab-token]'));
    assert.ok(!last.includes('[REDACTED:gitlab-token-2]'));
  });

  it('the log (with contents logged) names kinds and counts, never a value', () => {
    const log = service.logs.join('\n');
    assert.match(log, /redacted .*\d+ github-token/);
    assert.match(log, /\[REDACTED:/, 'contents were logged');
    const leaked = ws.values.filter((value) => value.length >= 6 && log.includes(value));
    assert.deepEqual(leaked, []);
  });

  it('inline completion: the secret above the cursor and the one below are placeholders in the prompt', () => {
    const sent = JSON.stringify(run('inline completion: prefix, suffix and snippets').requests.map((r) => r.body));
    assert.ok(sent.includes('[REDACTED:github-token]'), sent.slice(0, 400));
    assert.ok(sent.includes('[REDACTED:aws-access-key-id]'), sent.slice(0, 400));
  });
});

describe('security: tandem.dataBoundary.localOnly stops every entry point', function () {
  this.timeout(60_000);

  it('with an endpoint off this machine: chat, edits, agent and completions send nothing and say why', async () => {
    const ws = makeSecretWorkspace(7);
    const service = await startService(ws.root, { tandem: { dataBoundary: { localOnly: true } }, baseUrl: 'http://localhost.evil.invalid:9/v1' });
    try {
      const chat = await service.client.sendRequest(ChatRequest.type, { streamId: 'c', messages: [{ role: 'user', content: 'hi' }], context: [] });
      assert.equal(chat.error?.kind, 'notLocal');
      assert.match(chat.error?.message ?? '', /tandem\.dataBoundary\.localOnly/);
      const edit = await service.client.sendRequest(ProposeEditRequest.type, { streamId: 'e', task: 'docs', instruction: '', root: ws.root, path: 'src/other.ts', languageId: 'typescript', files: [] });
      assert.equal(edit.error?.kind, 'notLocal');
      const agent = await service.client.sendRequest(AgentRunRequest.type, { streamId: 'a', messages: [{ role: 'user', content: 'go' }], root: ws.root, settings: DEFAULT_AGENT_SETTINGS });
      assert.equal(agent.error?.kind, 'notLocal');
      const uri = pathToFileURL(path.join(ws.root, 'src/other.ts')).href;
      await service.client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text: 'export const a = 1;\nexport function b' } });
      const completion = await service.client.sendRequest(InlineCompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 17 }, context: { triggerKind: 1 } });
      assert.equal(completion, null);
      // The model list sends no code but does send the API key: refused the same way, before any connection.
      const models = await service.client.sendRequest(ListModelsRequest.type, {});
      assert.equal(models.error?.kind, 'notLocal');
      assert.deepEqual(models.models, []);
      assert.equal(service.model.requests.length, 0);
    } finally {
      await service.close();
      ws.cleanup();
    }
  });

  it('with a loopback endpoint: requests go out as usual', async () => {
    const ws = makeSecretWorkspace(8);
    const service = await startService(ws.root, { tandem: { dataBoundary: { localOnly: true } } });
    try {
      const chat = await service.client.sendRequest(ChatRequest.type, { streamId: 'c', messages: [{ role: 'user', content: 'hi' }], context: [] });
      assert.equal(chat.error, undefined);
      assert.equal(service.model.chatRequests().length, 1);
    } finally {
      await service.close();
      ws.cleanup();
    }
  });
});
