import assert from 'node:assert/strict';
import { ScriptedModelServer } from '../../support/modelServer';
import { answer, FakeClient, readText, requestMessages, runScenario, toolCall, toolResults, useFixtureProject } from './harness';

describe('agent tools and model errors', function () {
  this.timeout(20_000);
  let server!: ScriptedModelServer;
  let root!: string;
  useFixtureProject(
    (started) => (server = started),
    (copied) => (root = copied),
  );

  it('ask_user, get_diagnostics and create_file go through the client', async () => {
    server.enqueue(
      toolCall('ask_user', { question: 'Name of the new module?' }),
      toolCall('create_file', { path: 'src/sub.js', content: "'use strict';\nmodule.exports = (a, b) => a - b;" }),
      toolCall('get_diagnostics', { paths: ['src/sub.js'] }),
      answer('Created.'),
    );
    const client = new FakeClient(root, { answerUser: () => 'sub' });
    const run = await runScenario(server, { root, task: 'Add a module.', client, settings: { policy: 'auto-edit' } });
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.equal(results[0], 'The person answered: sub');
    assert.match(results[1] ?? '', /^Applied: src\/sub\.js\./);
    assert.equal(results[2], 'No errors or warnings.');
    assert.equal(readText(root, 'src/sub.js'), "'use strict';\nmodule.exports = (a, b) => a - b;\n");
    assert.deepEqual(run.finalSteps.map((step) => step.title), ['Ask: Name of the new module?', 'Create src/sub.js', 'Check problems']);
  });

  it('an edit in another format to an ignored file is refused, not reported missing', async () => {
    const searchReplace = ['.env', '<<<<<<< SEARCH', 'SECRET_TOKEN=x', '=======', 'SECRET_TOKEN=y', '>>>>>>> REPLACE'].join('\n');
    server.enqueue(toolCall('apply_patch', { patch: searchReplace }), answer('ok'));
    await runScenario(server, { root, task: 'Edit env.', client: new FakeClient(root) });
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.match(results[0] ?? '', /^Refused: \.env is a secrets file/);
  });

  it('malformed arguments and unknown tools are answered, not fatal', async () => {
    server.enqueue({ kind: 'stream', toolCalls: [{ name: 'read_file', arguments: '{"path": ' }] }, toolCall('delete_everything', {}), answer('ok'));
    const run = await runScenario(server, { root, task: 'x', client: new FakeClient(root) });
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.match(results[0] ?? '', /^The arguments of read_file are not valid JSON/);
    assert.equal(results[1], 'There is no tool named delete_everything.');
    assert.equal(run.result.finishReason, 'stop');
  });

  it('a client tool request that fails is reported to the model; the task goes on', async () => {
    server.enqueue(toolCall('get_diagnostics', {}), answer('Carrying on.'));
    const client = new FakeClient(root, {
      onCall: (call) => {
        if (call.kind === 'diagnostics') throw new Error('Unhandled method tandem/clientTool');
      },
    });
    const run = await runScenario(server, { root, task: 'x', client });
    assert.equal(toolResults(requestMessages(server).at(-1) ?? [])[0], 'The editor could not do this: Unhandled method tandem/clientTool');
    assert.equal(run.finalSteps[0]?.status, 'failed');
    assert.equal(run.result.text, 'Carrying on.');
  });

  it('retries a rate-limited model request, then goes on', async () => {
    server.enqueue({ kind: 'error', status: 429, headers: { 'retry-after-ms': '10' } }, answer('Done after a retry.'));
    const run = await runScenario(server, { root, task: 'x', client: new FakeClient(root), tandem: { maxRetries: 1 } });
    assert.equal(run.result.text, 'Done after a retry.');
    assert.equal(server.chatRequests().length, 2);
  });

  it('a model error ends the task with the chat error', async () => {
    server.enqueue({ kind: 'error', status: 401 });
    const run = await runScenario(server, { root, task: 'x', client: new FakeClient(root) });
    assert.equal(run.result.finishReason, 'error');
    assert.equal(run.result.error?.kind, 'auth');
  });
});
