import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { ScriptedModelServer } from '../../support/modelServer';
import { answer, FakeClient, FIX_ADD, fixTestsScript, readText, requestMessages, runScenario, toolCall, toolResults, useFixtureProject } from './harness';

describe('agent scenarios (scripted model, fake client, fixture project)', function () {
  this.timeout(30_000);
  let server!: ScriptedModelServer;
  let root!: string;
  useFixtureProject(
    (started) => (server = started),
    (copied) => (root = copied),
  );

  it('(1) fixes a failing test: read → patch → tests fail → patch → tests pass → finish', async () => {
    server.enqueue(...fixTestsScript());
    const client = new FakeClient(root);
    const run = await runScenario(server, { root, task: 'Make the tests pass.', client, activeFile: 'src/math.js' });

    assert.equal(run.result.finishReason, 'stop', JSON.stringify(run.result));
    assert.match(run.result.text, /Fixed add and multiply/);
    assert.match(run.result.text, /Verification: npm test passes/);
    assert.equal(run.result.steps, 6);
    assert.equal(run.result.promptTokensPerRequest.length, 6);
    assert.equal(run.progress.length, 6);
    execSync('node test/math.test.js', { cwd: root }); // throws if the tests still fail
    assert.match(readText(root, 'src/math.js'), /return a \+ b;/);

    const requests = requestMessages(server);
    assert.equal(requests.length, 6);
    const system = String(requests[0]?.[0]?.content);
    assert.match(system, /Run the tests with: npm test/);
    assert.match(system, /two-space indentation/, 'root AGENTS.md');
    assert.match(system, /export plain functions/, 'src/AGENTS.md (active file folder)');
    assert.ok(system.indexOf('# AGENTS.md') < system.indexOf('# src/AGENTS.md'), 'deeper rules come later');
    const body = server.chatRequests()[0]?.body as { tools?: Array<{ function: { name: string } }> };
    assert.deepEqual(
      body.tools?.map((tool) => tool.function.name),
      ['read_file', 'list_dir', 'find_files', 'search_text', 'search_codebase', 'apply_patch', 'create_file', 'get_diagnostics', 'run_command', 'ask_user', 'finish'],
    );
    const results = toolResults(requests[5] ?? []);
    assert.match(results[0] ?? '', /3\tfunction add\(a, b\) \{/, 'read_file shows line numbers');
    assert.match(results[1] ?? '', /^Applied: src\/math\.js\.\nProblems in the changed files: No errors or warnings\./);
    assert.match(results[2] ?? '', /^Exit code 1\.[\s\S]*not ok - multiply multiplies/);
    assert.match(results[4] ?? '', /^Exit code 0\.[\s\S]*ok - multiply multiplies/);

    // The assistant's tool calls are in the conversation, each answered by its tool result.
    const second = requests[1] ?? [];
    const assistant = second.find((message) => message.role === 'assistant') as { tool_calls?: Array<{ id: string }> } | undefined;
    const tool = second.find((message) => message.role === 'tool') as { tool_call_id?: string } | undefined;
    assert.ok(assistant?.tool_calls?.[0]?.id && assistant.tool_calls[0].id === tool?.tool_call_id);

    // Step cards: titles, why, final statuses.
    const steps = run.finalSteps;
    assert.deepEqual(
      steps.map((step) => [step.tool, step.status]),
      [
        ['read_file', 'done'],
        ['apply_patch', 'done'],
        ['run_command', 'failed'],
        ['apply_patch', 'done'],
        ['run_command', 'done'],
        ['finish', 'done'],
      ],
    );
    assert.equal(steps[0]?.title, 'Read src/math.js');
    assert.equal(steps[0]?.why, 'Let me look at the code under test.');
    assert.equal(steps[2]?.title, 'Run npm test');
    assert.equal(steps[2]?.why, 'Check the fix');
    assert.ok(steps[1]?.changeSet, 'edit steps carry the change set');
    assert.ok(run.steps.some((step) => step.id === steps[1]?.id && step.status === 'waiting'), 'policy ask: the edit waited for review');
    // Text streamed as chat deltas with the run's stream id; buffers fetched once.
    assert.ok(run.deltas.every((delta) => delta.streamId === 'agent-1'));
    assert.match(run.deltas.map((delta) => delta.text).join(''), /Let me look at the code under test\./);
    assert.equal(client.kinds().filter((kind) => kind === 'openBuffers').length, 1);
    assert.deepEqual(
      client.calls.filter((params) => params.call.kind === 'applyChanges').map((params) => params.call.kind === 'applyChanges' && params.call.autoApply),
      [false, false],
    );
  });

  it('(2) a rejected patch is reported to the model as NOT applied, with the reason', async () => {
    server.enqueue(
      toolCall('apply_patch', { patch: FIX_ADD }),
      answer('Understood, I will leave add as it is.'),
    );
    const client = new FakeClient(root, { review: () => ({ approved: false, reason: 'keep subtraction, it is intended' }) });
    const run = await runScenario(server, { root, task: 'Fix add.', client });
    const results = toolResults(requestMessages(server)[1] ?? []);
    assert.equal(results[0], 'The change to src/math.js was NOT applied: the person rejected it (keep subtraction, it is intended).');
    assert.match(readText(root, 'src/math.js'), /return a - b;/);
    assert.equal(run.finalSteps[0]?.status, 'rejected');
    assert.equal(run.result.finishReason, 'stop');
    assert.equal(run.result.text, 'Understood, I will leave add as it is.');
    assert.ok(!client.kinds().includes('diagnostics'), 'no diagnostics when nothing landed');
  });

  it('(3) a deny-listed command is refused without asking; one not on the allow-list waits for approval', async () => {
    server.enqueue(
      toolCall('run_command', { command: 'npm test && rm -rf /', why: 'Test and clean up' }),
      toolCall('run_command', { command: 'node -e "console.log(40 + 2)"', why: 'Compute' }),
      toolCall('run_command', { command: 'npm test', why: 'Run tests' }),
      toolCall('run_command', { command: 'node --version', why: 'Which node' }),
      toolCall('run_command', { command: 'node -e "console.log(7)"', why: 'Again' }),
      answer('Done.'),
    );
    const approvals: string[] = [];
    const client = new FakeClient(root, {
      command: (command) => {
        approvals.push(command);
        return { approved: true, allowForTask: true };
      },
    });
    const settings = { policy: 'full-auto' as const, allowCommands: ['npm test'], sandbox: { kind: 'bubblewrap' as const, network: false } };
    const run = await runScenario(server, { root, task: 'Run things.', client, settings });
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.match(results[0] ?? '', /^Refused without asking: `rm -rf \/` matches the deny-list entry `rm -r`/);
    assert.match(results[1] ?? '', /^Exit code 0\.\n42/);
    assert.match(results[2] ?? '', /^Exit code 1\./, 'the allow-listed npm test ran (and fails: the fixture is broken)');
    assert.match(results[3] ?? '', /^Exit code 0\.\nv\d+/);
    assert.match(results[4] ?? '', /^Exit code 0\.\n7/);
    // "Allow for this task" covered node's known-safe use; code on the command line (-e) asks every time.
    assert.deepEqual(approvals, ['node -e "console.log(40 + 2)"', 'node -e "console.log(7)"']);
    const runs = client.calls.flatMap((params) => (params.call.kind === 'runCommand' ? [params.call] : []));
    assert.deepEqual(
      runs.map((call) => [call.command, call.needsApproval, call.sandboxed]),
      [
        ['node -e "console.log(40 + 2)"', true, false],
        ['npm test', false, true],
        ['node --version', false, true],
        ['node -e "console.log(7)"', true, false],
      ],
    );
    assert.match(runs[0]?.reason ?? '', /is not on the allow-list/);
    assert.match(runs[3]?.reason ?? '', /`-e` of `node` runs code given on the command line/);
    assert.equal(run.finalSteps[0]?.status, 'refused');
    assert.ok(run.steps.some((step) => step.id === run.finalSteps[1]?.id && step.status === 'waiting'));
  });

  it('(3b) a rejected command is reported as not run; under auto-edit commands ask and edits apply without review', async () => {
    server.enqueue(
      toolCall('apply_patch', { patch: FIX_ADD }),
      toolCall('run_command', { command: 'npm test', why: 'Check' }),
      answer('Stopped.'),
    );
    const client = new FakeClient(root, { command: () => ({ approved: false, reason: 'not now' }) });
    await runScenario(server, { root, task: 'Fix add.', client, settings: { policy: 'auto-edit' } });
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.match(results[0] ?? '', /^Applied: src\/math\.js\./);
    assert.equal(results[1], 'The command was NOT run: the person did not allow it (not now).');
    const apply = client.calls.find((params) => params.call.kind === 'applyChanges')?.call;
    assert.ok(apply?.kind === 'applyChanges' && apply.autoApply);
  });
});
