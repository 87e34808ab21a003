import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_COMPLETION_SETTINGS } from '../../../src/shared/defaults';
import type { AnswerDeps } from '../../../src/server/services/modelAnswer';
import { ServiceLog } from '../../../src/server/log';
import { applySelectionAnswer, extractCode, runProposeEdit } from '../../../src/server/propose/proposeEdit';
import type { ProposeEditParams, TandemSettings } from '../../../src/shared/protocol';
import { ScriptedModelServer } from '../../support/modelServer';

const SOURCE = ['export class Cart {', '  total(items) {', '    let sum = 0;', '    for (const item of items) sum += item.price;', '    return sum;', '  }', '}', ''].join('\n');

describe('proposeEdit: model answer to change set', function () {
  this.timeout(15_000);
  let server: ScriptedModelServer;
  let root: string;

  before(async () => {
    server = await ScriptedModelServer.start({ models: ['test-model'] });
    root = mkdtempSync(path.join(os.tmpdir(), 'tandem-propose-'));
    writeFileSync(path.join(root, 'cart.js'), 'the saved version, not the buffer\n');
  });
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => server.reset());

  const settings = (): TandemSettings => ({ baseUrl: server.baseUrl, model: 'test-model', completionModel: '', apiKey: '', logContents: false, requestTimeout: 10, maxRetries: 0, completions: DEFAULT_COMPLETION_SETTINGS });
  const deps = (deltas: string[] = []): AnswerDeps => ({
    sendDelta: (delta) => deltas.push(delta.text),
    sendNotice: () => undefined,
    log: new ServiceLog({ info: () => undefined, warn: () => undefined, error: () => undefined }),
  });
  const params = (overrides: Partial<ProposeEditParams> = {}): ProposeEditParams => ({
    streamId: 'edit-1',
    task: 'refactor',
    instruction: 'use reduce',
    root,
    path: 'cart.js',
    languageId: 'javascript',
    files: [{ path: 'cart.js', text: SOURCE }],
    ...overrides,
  });

  it('a selection refactor: streams the answer, re-indents a code block the model dedented, proposes only that change', async () => {
    const answer = 'Here you go:\n\n```js\ntotal(items) {\n  return items.reduce((sum, item) => sum + item.price, 0);\n}\n```\n';
    server.enqueue({ kind: 'stream', text: answer, tokensPerSecond: 2000 });
    const deltas: string[] = [];
    const result = await runProposeEdit(params({ selection: { startLine: 1, endLine: 6 } }), settings(), new AbortController().signal, deps(deltas));
    assert.equal(deltas.join(''), answer);
    assert.ok(result.outcome?.ok, JSON.stringify(result.outcome));
    const [change] = result.outcome.changeSet.changes;
    assert.equal(change?.kind, 'update');
    assert.equal(change.kind === 'update' ? change.newText : '', ['export class Cart {', '  total(items) {', '    return items.reduce((sum, item) => sum + item.price, 0);', '  }', '}', ''].join('\n'));
    // What left the machine: the unsaved buffer, not the file on disk.
    const sent = JSON.stringify(server.chatRequests()[0]?.body);
    assert.ok(sent.includes('for (const item of items) sum += item.price;'));
    assert.ok(!sent.includes('the saved version'));
  });

  it('a fix answered with SEARCH/REPLACE blocks becomes a change set', async () => {
    const answer = 'cart.js\n<<<<<<< SEARCH\n    let sum = 0;\n=======\n    let sum = 0; // running total\n>>>>>>> REPLACE\n';
    server.enqueue({ kind: 'stream', text: answer });
    const result = await runProposeEdit(params({ task: 'fix', instruction: '', diagnostics: [{ startLine: 2, endLine: 2, severity: 'error', message: 'bad' }] }), settings(), new AbortController().signal, deps());
    assert.ok(result.outcome?.ok, JSON.stringify(result.outcome));
    const [change] = result.outcome.changeSet.changes;
    assert.ok(change?.kind === 'update' && change.newText.includes('let sum = 0; // running total'));
  });

  it('an answer that elides code is refused with a reason, nothing proposed', async () => {
    const answer = 'cart.js\n<<<<<<< SEARCH\n  total(items) {\n    let sum = 0;\n    for (const item of items) sum += item.price;\n    return sum;\n  }\n=======\n  total(items) {\n    // ... existing code ...\n  }\n>>>>>>> REPLACE\n';
    server.enqueue({ kind: 'stream', text: answer });
    const result = await runProposeEdit(params(), settings(), new AbortController().signal, deps());
    assert.ok(result.outcome && !result.outcome.ok);
    assert.equal(result.outcome.failures[0]?.kind, 'placeholder');
  });

  it('a prose answer where edit blocks were asked for is refused, not taken as the new file', async () => {
    server.enqueue({ kind: 'stream', text: 'I think the code is fine as it is.' });
    const result = await runProposeEdit(params({ task: 'docs', instruction: '' }), settings(), new AbortController().signal, deps());
    assert.ok(result.outcome && !result.outcome.ok);
    assert.equal(result.outcome.failures[0]?.kind, 'unparseable');
  });

  it('an answer cut at the length limit is not applied', async () => {
    server.enqueue({ kind: 'stream', text: '```js\n  total(items) {\n', finishReason: 'length' });
    const result = await runProposeEdit(params({ selection: { startLine: 1, endLine: 6 } }), settings(), new AbortController().signal, deps());
    assert.ok(result.outcome && !result.outcome.ok);
    assert.equal(result.outcome.failures[0]?.kind, 'truncation');
    assert.match(result.outcome.failures[0]?.message ?? '', /cut off/);
  });

  it('a model error comes back as the error, with no outcome', async () => {
    server.enqueue({ kind: 'error', status: 401 });
    const result = await runProposeEdit(params(), settings(), new AbortController().signal, deps());
    assert.equal(result.error?.kind, 'auth');
    assert.equal(result.outcome, undefined);
  });

  it('code extraction takes the longest fenced block, or bare code', () => {
    assert.equal(extractCode('a\n```ts\nx\n```\nb\n```ts\nlonger\n```'), 'longer');
    assert.equal(extractCode('\n  const x = 1;\n'), '  const x = 1;');
    assert.equal(extractCode('   '), undefined);
    const outcome = applySelectionAnswer('no code here', 'a.js', { startLine: 0, endLine: 1 }, () => 'x\n');
    assert.ok(outcome.ok, 'bare text is taken as the code');
  });
});
