import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ScriptedModelServer } from '../../support/modelServer';
import { answer, FakeClient, requestMessages, runScenario, toolCall, toolResults, useFixtureProject } from './harness';

describe('agent "Allow for this task" and the deny list', function () {
  this.timeout(30_000);
  let server!: ScriptedModelServer;
  let root!: string;
  useFixtureProject(
    (started) => (server = started),
    (copied) => (root = copied),
  );

  it('a program allowed for the task never runs a deny-listed command, directly or wrapped, and is never asked about', async () => {
    const denied = ['rm -rf src', 'rm -r src', 'RM -R src', '\\rm -fr src', 'nice rm --recursive src', 'bash -c "rm -r src"', 'echo src | xargs rm -r', 'find src -delete', 'sudo rm x'];
    const asked: string[] = [];
    const client = new FakeClient(root, { command: (command) => (asked.push(command), { approved: true, allowForTask: true }) });
    for (const policy of ['ask', 'full-auto'] as const) {
      server.reset();
      server.enqueue(
        toolCall('run_command', { command: 'rm -f build.log && bash -c "echo wrapped"' }),
        ...denied.map((command) => toolCall('run_command', { command })),
        toolCall('run_command', { command: 'rm stale.txt' }),
        answer('Done.'),
      );
      asked.length = 0;
      const run = await runScenario(server, { root, task: 'Clean up.', client, settings: { policy, sandbox: { kind: 'bubblewrap', network: false } } });
      const results = toolResults(requestMessages(server).at(-1) ?? []);
      assert.equal(results.length, denied.length + 2);
      for (const [index, command] of denied.entries()) {
        assert.match(results[index + 1] ?? '', /^Refused without asking: .*deny-list entry/, `${policy}: ${command}`);
      }
      assert.ok(existsSync(path.join(root, 'src')), 'nothing was deleted');
      // Only the first command was put to the person; rm (allowed for the task, a plain file name) then ran unasked.
      // (Not `rm x.log`: *.log is ignored in the fixture, so it would ask.)
      assert.deepEqual(asked, ['rm -f build.log && bash -c "echo wrapped"'], policy);
      assert.match(results.at(-1) ?? '', /^Exit code [0-9]/);
      assert.equal(run.finalSteps.filter((step) => step.status === 'refused').length, denied.length);
    }
  });

  it('allowing a wrapper for the task does not let the wrapper run unasked', async () => {
    server.enqueue(toolCall('run_command', { command: 'bash -c "echo one"' }), toolCall('run_command', { command: 'bash -c "echo two"' }), answer('Done.'));
    const asked: string[] = [];
    const client = new FakeClient(root, { command: (command) => (asked.push(command), { approved: true, allowForTask: true }) });
    await runScenario(server, { root, task: 'Echo.', client, settings: { policy: 'ask', sandbox: { kind: 'bubblewrap', network: false } } });
    assert.deepEqual(asked, ['bash -c "echo one"', 'bash -c "echo two"']);
  });
});
