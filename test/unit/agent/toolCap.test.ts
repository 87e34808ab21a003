import assert from 'node:assert/strict';
import type { ScriptedModelServer } from '../../support/modelServer';
import { answer, FakeClient, requestMessages, runScenario, toolResults, useFixtureProject, type StreamReply } from './harness';

/** One model turn making `count` calls; the commands differ so the repeat guard stays out of it. */
function manyCalls(count: number, make: (index: number) => { name: string; arguments: Record<string, unknown> }): StreamReply {
  return { kind: 'stream', text: 'Checking everything at once.', toolCalls: Array.from({ length: count }, (_, index) => make(index)).map((call) => ({ name: call.name, arguments: JSON.stringify(call.arguments) })) };
}

const SANDBOXED = { policy: 'full-auto' as const, sandbox: { kind: 'bubblewrap' as const, network: false } };

describe('agent tool-call cap per turn', function () {
  this.timeout(30_000);
  let server!: ScriptedModelServer;
  let root!: string;
  useFixtureProject(
    (started) => (server = started),
    (copied) => (root = copied),
  );

  it('runs at most maxToolCallsPerTurn calls of a turn; each other call is answered refused, and one card says so', async () => {
    server.enqueue(
      manyCalls(20, (index) => ({ name: 'run_command', arguments: { command: `echo marker-${index}` } })),
      answer('Done.'),
    );
    const client = new FakeClient(root);
    const run = await runScenario(server, { root, task: 'Check.', client, settings: SANDBOXED });

    const ran = client.calls.flatMap((params) => (params.call.kind === 'runCommand' ? [params.call.command] : []));
    assert.deepEqual(ran, Array.from({ length: 8 }, (_, index) => `echo marker-${index}`), 'the default cap is 8');
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.equal(results.length, 20, 'every call gets an answer');
    for (const [index, result] of results.entries()) {
      if (index < 8) assert.match(result, new RegExp(`^Exit code 0\\.\\nmarker-${index}$`));
      else assert.match(result, /^Refused: This turn made 20 tool calls; at most 8 run per turn \(setting tandem\.agent\.maxToolCallsPerTurn\)\. This run_command call was NOT run\./);
    }
    assert.equal(run.result.steps, 8);
    const refused = run.finalSteps.filter((step) => step.status === 'refused');
    assert.equal(refused.length, 1, 'one card for all refused calls');
    assert.match(refused[0]?.title ?? '', /^Not run: 12 more tool calls \(run_command\)$/);
    assert.match(refused[0]?.output ?? '', /at most 8 run per turn/);
    assert.equal(run.finalSteps.filter((step) => step.status === 'done').length, 8);
  });

  it('follows the setting, counts every kind of call, and never runs a finish beyond the cap', async () => {
    server.enqueue(
      manyCalls(6, (index) => (index < 5 ? { name: 'read_file', arguments: { path: 'README.md', start_line: index + 1, end_line: index + 1 } } : { name: 'finish', arguments: { summary: 'early', verification: '' } })),
      answer('The real answer.'),
    );
    const run = await runScenario(server, { root, task: 'Read.', client: new FakeClient(root), settings: { maxToolCallsPerTurn: 3 } });
    assert.equal(run.result.text, 'The real answer.', 'the refused finish did not end the task');
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.equal(results.length, 6);
    assert.equal(results.filter((result) => result.startsWith('Refused: This turn made 6 tool calls; at most 3 run per turn')).length, 3);
    assert.match(results[5] ?? '', /This finish call was NOT run/);
    assert.match(run.finalSteps.find((step) => step.status === 'refused')?.title ?? '', /^Not run: 3 more tool calls \(read_file, finish\)$/);
  });

  it('a turn within the cap runs every call and shows no refusal', async () => {
    server.enqueue(
      manyCalls(8, (index) => ({ name: 'run_command', arguments: { command: `echo within-${index}` } })),
      answer('Done.'),
    );
    const run = await runScenario(server, { root, task: 'Check.', client: new FakeClient(root), settings: SANDBOXED });
    assert.equal(run.result.steps, 8);
    assert.ok(!run.finalSteps.some((step) => step.status === 'refused'));
  });
});
