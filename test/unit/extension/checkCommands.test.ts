/**
 * The editor's side of a project check: where it may run (only in the
 * service's temporary copies), Restricted Mode, and the person's answer
 * ("Always for This Workspace" remembered by key).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CancellationToken, Memento } from 'vscode';
import type { CommandOutcome, CommandRequest } from '../../../src/extension/agent/commandRunner';
import { ApprovalMemory, type CheckApprovalAnswer } from '../../../src/extension/checks/approvalMemory';
import { checkPlace, runCheckCommand } from '../../../src/extension/checks/checkCommands';
import { pickChecks } from '../../../src/extension/checks/pickChecks';
import type { RunCheckCommandParams } from '../../../src/shared/projectChecksProtocol';

class MemoryState implements Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

const token: CancellationToken = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };

describe('project checks in the editor', () => {
  // Made while the suite is declared: the cases below name these folders.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tandem-client-'));
  const copy = path.join(tmp, 'tandem-checks-abc', 'worktree');
  mkdirSync(path.join(copy, 'app'), { recursive: true });
  const person = path.join(tmp, 'person');
  mkdirSync(person);
  symlinkSync(person, path.join(tmp, 'tandem-checks-link'));

  after(() => rmSync(tmp, { recursive: true, force: true }));

  function request(overrides: Partial<RunCheckCommandParams> = {}): RunCheckCommandParams {
    return { runId: 'r', name: 'typecheck', kind: 'typecheck', command: 'npx tsc --noEmit', root: copy, cwd: path.join(copy, 'app'), timeoutSeconds: 60, sandboxed: true, ...overrides };
  }

  function deps(answer: CheckApprovalAnswer, trusted = true) {
    const runs: CommandRequest[] = [];
    const asked: string[] = [];
    const memory = new ApprovalMemory(new MemoryState());
    return {
      runs,
      asked,
      memory,
      value: {
        run: (command: CommandRequest): Promise<CommandOutcome> => {
          runs.push(command);
          return Promise.resolve({ ran: true, sandbox: command.sandboxed ? 'bubblewrap' : 'none', exitCode: 0, output: 'ok', timedOut: false, cancelled: false });
        },
        approver: {
          ask: (params: RunCheckCommandParams): Promise<CheckApprovalAnswer> => {
            asked.push(params.name);
            return Promise.resolve(answer);
          },
        },
        memory,
        isTrusted: () => trusted,
      },
    };
  }

  describe('where a check may run', () => {
    it('in a temporary copy of the service, in its folder', () => {
      const place = checkPlace(request(), tmp);
      assert.ok(typeof place === 'object', String(place));
      assert.equal(place.cwd, path.join(copy, 'app'));
    });

    for (const [what, overrides] of [
      ['the person\'s folder', { root: person, cwd: person }],
      ['the temporary folder itself', { root: tmp, cwd: tmp }],
      ['a folder named like a copy that links to the person\'s folder', { root: path.join(tmp, 'tandem-checks-link'), cwd: path.join(tmp, 'tandem-checks-link') }],
      ['a cwd outside the copy', { cwd: person }],
      ['a cwd that climbs out', { cwd: path.join(copy, '..', '..', 'person') }],
      ['a copy that is gone', { root: path.join(tmp, 'tandem-checks-gone'), cwd: path.join(tmp, 'tandem-checks-gone') }],
      ['the system root', { root: '/', cwd: '/' }],
    ] as const) {
      it(`never in ${what}`, async () => {
        assert.equal(typeof checkPlace(request(overrides), tmp), 'string');
        const d = deps('run');
        // The real temporary folder differs from this test's: whatever the service asks, nothing runs.
        const result = await runCheckCommand(request(overrides), token, d.value);
        assert.equal(result.ran, false);
        assert.equal(d.runs.length, 0);
      });
    }
  });

  it('runs nothing in an untrusted workspace', async () => {
    const d = deps('run', false);
    const result = await runCheckCommand(request(), token, d.value);
    assert.deepEqual(result.ran ? 'ran' : result.status, 'skipped');
    assert.match(result.ran ? '' : result.reason, /Restricted Mode/);
    assert.equal(d.runs.length, 0);
  });

  describe('the person\'s answer', () => {
    // The approval path needs a real temporary copy under the system's temporary folder.
    let real: string;
    before(() => {
      real = mkdtempSync(path.join(os.tmpdir(), 'tandem-checks-'));
    });
    after(() => rmSync(real, { recursive: true, force: true }));
    const approval = { reason: 'Asks.', resolved: 'npm run lint → eslint .', key: 'k1', waitSeconds: 60 };

    for (const [answer, runs, status] of [
      ['run', 1, undefined],
      ['always', 1, undefined],
      ['skip', 0, 'needsApproval'],
      [undefined, 0, 'needsApproval'],
    ] as const) {
      it(`${answer ?? 'no answer'}: ${runs ? 'runs, outside the sandbox' : 'needsApproval'}`, async () => {
        const d = deps(answer);
        const result = await runCheckCommand(request({ root: real, cwd: real, approval, sandboxed: false }), token, d.value);
        assert.equal(d.runs.length, runs);
        if (runs) assert.equal(d.runs[0]?.sandboxed, false);
        assert.equal(result.ran ? undefined : result.status, status);
        assert.equal(d.memory.has('k1'), answer === 'always');
      });
    }

    it('does not ask again for a key answered "always", and asks for another key', async () => {
      const d = deps('always');
      await runCheckCommand(request({ root: real, cwd: real, approval }), token, d.value);
      await runCheckCommand(request({ root: real, cwd: real, approval }), token, d.value);
      await runCheckCommand(request({ root: real, cwd: real, approval: { ...approval, key: 'k2' } }), token, d.value);
      assert.deepEqual(d.asked, ['typecheck', 'typecheck']);
      assert.equal(d.runs.length, 3);
    });

    it('runs sandboxed what the policy lets run unasked, without asking', async () => {
      const d = deps(undefined);
      const result = await runCheckCommand(request({ root: real, cwd: real }), token, d.value);
      assert.ok(result.ran);
      assert.equal(d.runs[0]?.sandboxed, true);
      assert.deepEqual(d.asked, []);
    });
  });

  describe('tandem.checks: which value and from where', () => {
    const list = [{ name: 'a', command: 'make a' }];
    it('the person\'s own value wins over a workspace\'s', () => {
      assert.deepEqual(pickChecks({ globalValue: [], workspaceValue: list }), { checks: [], origin: 'user' });
      assert.deepEqual(pickChecks({ globalValue: null, workspaceFolderValue: list }), { checks: null, origin: 'user' });
    });
    it('a workspace\'s value is marked as such (its checks always ask)', () => {
      assert.deepEqual(pickChecks({ workspaceValue: list }), { checks: list, origin: 'workspace' });
      assert.deepEqual(pickChecks({ workspaceValue: [], workspaceFolderValue: list }), { checks: list, origin: 'workspace' });
    });
    it('unset: detect', () => {
      assert.deepEqual(pickChecks(undefined), { checks: null, origin: 'default' });
      assert.deepEqual(pickChecks({}), { checks: null, origin: 'default' });
    });
    it('a value that is not a list is reported, not ignored', () => {
      assert.ok('problem' in pickChecks({ workspaceValue: 'npm test' }));
      assert.ok('problem' in pickChecks({ globalValue: { name: 'x' } }));
    });
  });
});
