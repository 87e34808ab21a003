/**
 * Command output is cleaned of the workspace's secret values before it
 * reaches the model: the sandbox hides secrets files, but a committed `.env`
 * still shows in `git show`, and a test may print its configuration.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { redactSecrets, valuesOf, collectSecretValues } from '../../src/server/agent/secretValues';
import type { ScriptedModelServer } from '../support/modelServer';
import { answer, FakeClient, requestMessages, runScenario, SECRET, toolCall, toolResults, useFixtureProject } from '../unit/agent/harness';

describe('security: secrets in command output', function () {
  this.timeout(30_000);
  let server: ScriptedModelServer;
  let root: string;
  useFixtureProject(
    (s) => (server = s),
    (r) => (root = r),
  );

  it('a committed .env shown by git show reaches the model without its values', async () => {
    const git = (...args: string[]): void => void execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A', '-f');
    git('commit', '-q', '-m', 'oops, committed .env');
    server.enqueue(toolCall('run_command', { command: 'git show HEAD', why: 'look at the last commit' }), answer('Done.'));
    const run = await runScenario(server, {
      root,
      task: 'What changed last?',
      client: new FakeClient(root),
      settings: { policy: 'full-auto', sandbox: { kind: 'bubblewrap', network: false } },
    });
    const result = toolResults(requestMessages(server).at(-1) ?? [])[0] ?? '';
    assert.match(result, /^Exit code 0/);
    assert.match(result, /\[secret from \.env removed by Tandem\]/);
    const everything = JSON.stringify(server.chatRequests().map((request) => request.body));
    assert.ok(!everything.includes(SECRET), 'the secret reached the model');
    assert.ok(!JSON.stringify(run.finalSteps).includes(SECRET), 'the step card shows no secret either');
  });

  it('values: assignments, quoted values, key lines; short and comment lines are left', () => {
    assert.deepEqual(valuesOf('# c\nexport API_KEY="sk-123456"\nPORT=3000\nurl: https://u:p4ssw0rd@h\n-----BEGIN KEY-----\nMIIBIjANBgkq\n'), ['sk-123456', 'https://u:p4ssw0rd@h', 'MIIBIjANBgkq']);
  });

  it('redaction replaces every occurrence, longest value first', () => {
    const values = new Map([
      ['abcdef', '.env'],
      ['abcdefgh', 'secrets.yaml'],
    ]);
    const { text, count } = redactSecrets('x abcdefgh y abcdef z abcdef', { values });
    assert.equal(count, 3);
    assert.equal(text, 'x [secret from secrets.yaml removed by Tandem] y [secret from .env removed by Tandem] z [secret from .env removed by Tandem]');
  });

  it('collects from every secrets file, not from ordinary files', () => {
    writeFileSync(path.join(root, 'credentials.json'), '{"token": "tok-998877"}\n');
    writeFileSync(path.join(root, 'notes.txt'), 'NOT_SECRET=visible-value\n');
    const { values } = collectSecretValues(root);
    assert.equal(values.get(SECRET), '.env');
    assert.equal(values.get('tok-998877'), 'credentials.json');
    assert.ok(![...values.keys()].includes('visible-value'));
  });
});
