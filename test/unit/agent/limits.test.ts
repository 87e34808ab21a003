import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdits, describeFailures } from '../../../src/server/edits';
import { workspaceReader } from '../../../src/server/services/workspaceFiles';
import { ScriptedModelServer } from '../../support/modelServer';
import { answer, FakeClient, readText, removeDir, requestMessages, runScenario, SECRET, toolCall, toolResults, useFixtureProject } from './harness';

const BAD_PATCH = `*** Begin Patch
*** Update File: src/math.js
@@
 function add(x, y) {
-  return x - y;
+  return x + y;
 }
*** End Patch`;

const GOOD_PATCH = BAD_PATCH.replace('(x, y)', '(a, b)').replace('x - y', 'a - b').replace('x + y', 'a + b');

describe('agent limits, refusals and Stop', function () {
  this.timeout(30_000);
  let server!: ScriptedModelServer;
  let root!: string;
  useFixtureProject(
    (started) => (server = started),
    (copied) => (root = copied),
  );

  it("(4) a malformed patch returns the engine's message verbatim; the corrected patch applies", async () => {
    const expected = applyEdits({ text: BAD_PATCH, readFile: workspaceReader(root, []) });
    assert.equal(expected.ok, false);
    server.enqueue(toolCall('apply_patch', { patch: BAD_PATCH }), toolCall('apply_patch', { patch: GOOD_PATCH }), answer('Fixed.'));
    const run = await runScenario(server, { root, task: 'Fix add.', client: new FakeClient(root), settings: { policy: 'auto-edit' } });
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.equal(results[0], expected.ok ? '' : describeFailures(expected.failures));
    assert.match(results[0] ?? '', /^The edit was not applied/);
    assert.match(results[1] ?? '', /^Applied: src\/math\.js\./);
    assert.match(readText(root, 'src/math.js'), /return a \+ b;/);
    assert.deepEqual(run.finalSteps.map((step) => step.status), ['failed', 'done']);
  });

  it('(5) a model repeating the same call three times in a row is stopped', async () => {
    server.setDefaultReply(toolCall('read_file', { path: 'README.md' }));
    const run = await runScenario(server, { root, task: 'Read the readme.', client: new FakeClient(root), settings: { maxSteps: 10 } });
    assert.equal(run.result.finishReason, 'stepLimit');
    assert.match(run.result.text, /same arguments 3 times in a row/);
    assert.equal(server.chatRequests().length, 3);
    assert.equal(run.result.steps, 2, 'the third identical call is not run');
    server.setDefaultReply(undefined);
  });

  it('self-verification is bounded: after 3 failed test runs the tests are not run again', async () => {
    server.enqueue(
      toolCall('run_command', { command: 'npm test', why: 'first try' }),
      toolCall('run_command', { command: 'npm test', why: 'second try' }),
      toolCall('run_command', { command: 'npm test', why: 'third try' }),
      toolCall('run_command', { command: 'npm test', why: 'fourth try' }),
      answer('The add test still fails.'),
    );
    const run = await runScenario(server, { root, task: 'Make the tests pass.', client: new FakeClient(root), settings: { policy: 'full-auto' } });
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.match(results[0] ?? '', /Exit code [1-9]/);
    assert.match(results[0] ?? '', /1 of at most 3 failed runs/);
    assert.match(results[2] ?? '', /failed 3 times: do not run them again/);
    assert.match(results[3] ?? '', /already failed 3 times in this task\. The command was NOT run/);
    assert.deepEqual(run.finalSteps.map((step) => step.status), ['failed', 'failed', 'failed', 'refused']);
  });

  it("estimates follow the model's own token count: the budget is checked with the reported usage's scale", async () => {
    // The model reports a prompt 4 times (or more) our estimate: the next estimate is scaled by 4.
    server.enqueue(
      { ...toolCall('read_file', { path: 'README.md' }), usage: { prompt_tokens: 20_000, completion_tokens: 10, total_tokens: 20_010 } },
      answer('Done.'),
    );
    const run = await runScenario(server, { root, task: 'Read the readme.', client: new FakeClient(root), settings: { maxTokens: 24_000 } });
    // Unscaled, the second request (about 1,200 tokens) would have fit in the 3,990 left.
    assert.equal(run.result.finishReason, 'tokenLimit');
    assert.equal(server.chatRequests().length, 1);
  });

  it('(5b) the step limit stops a model that never finishes', async () => {
    let line = 0;
    server.setDefaultReply(() => toolCall('read_file', { path: 'README.md', start_line: 1, end_line: ++line }));
    const run = await runScenario(server, { root, task: 'Read forever.', client: new FakeClient(root), settings: { maxSteps: 4 } });
    assert.equal(run.result.finishReason, 'stepLimit');
    assert.match(run.result.text, /limit of 4 model turns/);
    assert.equal(server.chatRequests().length, 4);
    server.setDefaultReply(undefined);
  });

  it('the token budget stops the task before a request would exceed it', async () => {
    server.enqueue({ ...toolCall('list_dir', { path: '.' }), usage: { prompt_tokens: 2_500, completion_tokens: 20, total_tokens: 2_520 } });
    const run = await runScenario(server, { root, task: 'List.', client: new FakeClient(root), settings: { maxTokens: 3_000 } });
    assert.equal(run.result.finishReason, 'tokenLimit');
    assert.match(run.result.text, /budget of 3000 tokens \(2520 used\)/);
    assert.deepEqual(run.result.usage, { promptTokens: 2_500, completionTokens: 20, totalTokens: 2_520 });
    assert.equal(run.progress[0]?.lastPromptTokens, 2_500);
    assert.equal(run.progress[0]?.costUsd, undefined, 'no price for test-model');
  });

  it('reports a cost for known OpenAI models', async () => {
    server.enqueue({ ...answer('Hi.'), usage: { prompt_tokens: 1_000_000, completion_tokens: 0, total_tokens: 1_000_000 } });
    const run = await runScenario(server, { root, task: 'Hi', client: new FakeClient(root), model: 'gpt-4.1', settings: { maxTokens: 10_000_000 } });
    assert.equal(run.progress[0]?.costUsd, 2);
  });

  it('(7) a path outside the workspace and .env are refused and never sent to the model', async () => {
    const outside = path.join(path.dirname(root), `${path.basename(root)}-outside.txt`);
    writeFileSync(outside, 'OUTSIDE-CONTENT-5521\n');
    mkdirSync(path.join(root, 'private'));
    writeFileSync(path.join(root, 'private', 'notes.txt'), 'PRIVATE-NOTE-9912\n');
    writeFileSync(path.join(root, 'debug.log'), 'LOG-LINE-4410\n');
    server.enqueue(
      toolCall('read_file', { path: outside }),
      toolCall('read_file', { path: `../${path.basename(outside)}` }),
      toolCall('read_file', { path: '.env' }),
      toolCall('search_text', { pattern: 'SECRET|OUTSIDE|PRIVATE|LOG-LINE' }),
      toolCall('find_files', { glob: '**/*' }),
      toolCall('list_dir', { path: '.' }),
      toolCall('read_file', { path: 'private/notes.txt' }),
      toolCall('apply_patch', { patch: '*** Begin Patch\n*** Add File: .env.local\n+X=1\n*** End Patch' }),
      toolCall('create_file', { path: '../escape.txt', content: 'x' }),
      answer('I cannot read those.'),
    );
    const client = new FakeClient(root);
    const run = await runScenario(server, { root, task: 'Show me the secrets.', client });
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.match(results[0] ?? '', /^Refused: .* is outside the workspace/);
    assert.match(results[1] ?? '', /^Refused: .* is outside the workspace/);
    assert.match(results[2] ?? '', /^Refused: \.env is a secrets file .*neither read nor sent/);
    assert.equal(results[3], 'No matches.');
    assert.ok(!/\.env|private|debug\.log/.test(results[4] ?? ''), results[4]);
    assert.match(results[4] ?? '', /src\/math\.js/);
    assert.match(results[5] ?? '', /ignored entries not shown/);
    assert.match(results[6] ?? '', /^Refused: private\/notes\.txt is excluded/);
    assert.match(results[7] ?? '', /^Refused: \.env\.local is a secrets file.*NOT applied/);
    assert.match(results[8] ?? '', /^Refused: .* is outside the workspace.*NOT applied/);
    const everything = JSON.stringify(server.chatRequests().map((request) => request.body));
    for (const secret of [SECRET, 'OUTSIDE-CONTENT-5521', 'PRIVATE-NOTE-9912', 'LOG-LINE-4410']) {
      assert.ok(!everything.includes(secret), `${secret} reached the model`);
    }
    assert.ok(run.finalSteps.filter((step) => step.status === 'refused').length >= 6);
    assert.ok(!client.kinds().includes('applyChanges') && !client.kinds().includes('approve'));
    removeDir(outside);
  });

  it('editing a protected file asks for approval whatever the policy', async () => {
    server.enqueue(toolCall('create_file', { path: '.vscode/settings.json', content: '{}' }), answer('ok'));
    const asked: string[] = [];
    const client = new FakeClient(root, { approve: (_title, detail) => (asked.push(detail), { approved: false }) });
    await runScenario(server, { root, task: 'Configure.', client, settings: { policy: 'full-auto' } });
    assert.match(asked[0] ?? '', /\.vscode\/settings\.json is a protected file/);
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.match(results[0] ?? '', /^The change to \.vscode\/settings\.json was NOT applied: the person did not allow/);
  });

  it('"allow for this task" on a protected file is not asked again in the same task', async () => {
    server.enqueue(
      toolCall('create_file', { path: '.vscode/settings.json', content: '{}' }),
      toolCall('create_file', { path: '.vscode/settings.json', content: '{"a": 1}' }),
      answer('ok'),
    );
    let asked = 0;
    const client = new FakeClient(root, { approve: () => (asked++, { approved: true, allowForTask: true }) });
    await runScenario(server, { root, task: 'Configure.', client, settings: { policy: 'auto-edit' } });
    assert.equal(asked, 1);
    assert.equal(readText(root, '.vscode/settings.json'), '{"a": 1}\n');
  });

  it('reads unsaved buffers before the disk', async () => {
    server.enqueue(toolCall('read_file', { path: 'src/math.js' }), answer('ok'));
    const client = new FakeClient(root, { buffers: [{ path: 'src/math.js', text: 'const unsaved = true;\n' }] });
    await runScenario(server, { root, task: 'Read.', client });
    assert.equal(toolResults(requestMessages(server).at(-1) ?? [])[0], '1\tconst unsaved = true;');
  });

  it('Stop while the model streams closes the HTTP request; the run ends as cancelled', async () => {
    server.enqueue({ kind: 'stream', text: 'word '.repeat(500), tokensPerSecond: 100 });
    const controller = new AbortController();
    const pending = runScenario(server, { root, task: 'Talk.', client: new FakeClient(root), signal: controller.signal });
    const request = await server.waitForRequest();
    setTimeout(() => controller.abort(), 50);
    const run = await pending;
    await server.waitForClose(request);
    assert.equal(request.closedEarly, true);
    assert.equal(run.result.finishReason, 'cancelled');
  });

  it('Stop while a client request is pending ends the run at once', async () => {
    server.enqueue(toolCall('ask_user', { question: 'Which one?' }));
    const controller = new AbortController();
    const client = new FakeClient(root, {
      onCall: (call) => {
        if (call.kind === 'askUser') {
          controller.abort();
          return new Promise<void>(() => undefined); // the person never answers
        }
        return undefined;
      },
    });
    const run = await runScenario(server, { root, task: 'Ask.', client, signal: controller.signal });
    assert.equal(run.result.finishReason, 'cancelled');
    assert.equal(server.chatRequests().length, 1);
  });
});
