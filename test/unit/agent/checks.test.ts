/**
 * The agent's edits are checked before the editor sees them: the findings go
 * with applyChanges (the review shows them), onto the step's card and into
 * the tool result the model reads next, with the project's checks the
 * editor reported; every run is a `checks` event linked to the proposal and
 * the step. A patch that fixes the finding gets a clean result.
 */
import assert from 'node:assert/strict';
import type { ClientToolResult } from '../../../src/shared/agentProtocol';
import type { AuditEvent, ChecksEvent } from '../../../src/shared/audit';
import type { ProjectCheckResult } from '../../../src/shared/checks';
import type { AuditSink } from '../../../src/server/services/audit/trail';
import { agentSystemPrompt } from '../../../src/server/agent/prompt';
import type { ScriptedModelServer } from '../../support/modelServer';
import { FakeClient, requestMessages, runScenario, toolCall, toolResults, useFixtureProject } from './harness';

const RISKY = 'function find(db, id) {\n  return db.query("SELECT * FROM users WHERE id = " + id);\n}\nmodule.exports = { find };\n';
const FIX = `*** Begin Patch
*** Update File: src/users.js
@@
 function find(db, id) {
-  return db.query("SELECT * FROM users WHERE id = " + id);
+  return db.query("SELECT * FROM users WHERE id = ?", [id]);
 }
*** End Patch`;

function recorder(): { sink: AuditSink; events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return { events, sink: { active: true, contents: 'none', record: (event) => void events.push(event) } };
}

describe('agent: checks on its edits', () => {
  let server!: ScriptedModelServer;
  let root!: string;
  useFixtureProject(
    (s) => (server = s),
    (r) => (root = r),
  );

  it('tells the model the finding in its tool result, and the fixed patch comes back clean', async () => {
    server.enqueue(toolCall('create_file', { path: 'src/users.js', content: RISKY }, 'Adding the lookup.'));
    server.enqueue(toolCall('apply_patch', { patch: FIX }, 'Parameterising the query.'));
    server.enqueue(toolCall('finish', { summary: 'Added find.', verification: 'Security checks passed.' }));
    const client = new FakeClient(root);
    const audit = recorder();
    const run = await runScenario(server, { root, task: 'Add a user lookup', client, settings: { policy: 'auto-edit' }, audit: audit.sink });

    const applies = client.calls.flatMap((params) => (params.call.kind === 'applyChanges' ? [params.call] : []));
    assert.equal(applies.length, 2);
    assert.deepEqual(applies[0]?.findings?.map((f) => [f.rule, f.path, f.line]), [['sql-injection', 'src/users.js', 2]]);
    assert.deepEqual(applies[1]?.findings, []);

    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.match(results[0] ?? '', /Security findings in the proposed change; fix them before finish:\n- sql-injection \(high\) at src\/users\.js:2 — .+ Fix: Use a parameterised query/);
    assert.doesNotMatch(results[1] ?? '', /Security findings/);

    const edits = run.finalSteps.filter((step) => step.tool === 'create_file' || step.tool === 'apply_patch');
    assert.deepEqual(edits.map((step) => step.verdict?.findings.map((f) => f.rule)), [['sql-injection'], []]);
    assert.ok(run.steps.some((step) => step.status === 'running' && step.verdict?.findings.length === 1), 'the card shows the finding while the edit is applied');

    const checks = audit.events.filter((event): event is ChecksEvent => event.type === 'checks');
    const proposals = audit.events.flatMap((event) => (event.type === 'proposal' ? [event] : []));
    assert.equal(checks.length, 2);
    assert.deepEqual(checks.map((event) => [event.stage, event.proposal, event.task, event.step]), proposals.map((event) => ['security', event.proposal, event.task, event.step]));
    assert.deepEqual(checks[0]?.findings, [{ rule: 'sql-injection', severity: 'high', path: 'src/users.js', line: 2 }]);
  });

  it('adds the project checks the editor reported to the tool result and the card', async () => {
    server.enqueue(toolCall('create_file', { path: 'src/users.js', content: RISKY }, 'Adding the lookup.'));
    server.enqueue(toolCall('finish', { summary: 'Added find.', verification: 'none' }));
    const client = new FakeClient(root);
    const typecheck: ProjectCheckResult = {
      name: 'typecheck',
      kind: 'typecheck',
      command: 'tsc --noEmit',
      status: 'failed',
      exitCode: 2,
      durationMs: 900,
      problems: [{ path: 'src/users.js', line: 4, severity: 'error', message: "Cannot find name 'modul'." }],
    };
    const handle = client.handle;
    client.handle = async (params, signal): Promise<ClientToolResult> => {
      const result = await handle(params, signal);
      return result.kind === 'applyChanges' ? { ...result, verdict: { findings: [], project: [typecheck, { ...typecheck, name: 'lint', kind: 'lint', status: 'passed', problems: [] }], running: false } } : result;
    };
    const run = await runScenario(server, { root, task: 'Add a user lookup', client, settings: { policy: 'auto-edit' } });
    const [result] = toolResults(requestMessages(server).at(-1) ?? []);
    assert.match(result ?? '', /Project checks on the proposed change:\n- typecheck: failed \(1 problem in the changed files\)\n {2}src\/users\.js:4: error: Cannot find name 'modul'\.\n- lint: passed/);
    const edit = run.finalSteps.find((step) => step.tool === 'create_file');
    // The service's own findings stay: the editor's answer adds only the project's checks.
    assert.deepEqual(edit?.verdict?.findings.map((f) => f.rule), ['sql-injection']);
    assert.deepEqual(edit?.verdict?.project.map((check) => check.status), ['failed', 'passed']);
  });

  it('the system prompt asks to fix findings before finish and to say which checks passed', () => {
    const prompt = agentSystemPrompt({ root: '/w', policy: 'ask', testCommand: '', rules: '' });
    assert.match(prompt, /security findings or failed project checks .* fix them .* before finish/);
    assert.match(prompt, /say which checks passed/);
  });
});
