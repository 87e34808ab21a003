/**
 * The verdict as the Proposed Changes view and the status bar say it: its
 * words follow verdictText once the security checks answered, its state
 * picks the icon (findings before failures before running), and its tooltip
 * names every finding and check; a service that did not answer is said so.
 */
import assert from 'node:assert/strict';
import { summarize } from '../../../src/extension/checks/summary';
import type { VerificationState } from '../../../src/extension/checks/verification';
import type { CheckFinding, ProjectCheckResult, ProjectCheckStatus } from '../../../src/shared/checks';
import { PROJECT_CHECK_STATUSES } from '../../../src/shared/checks';

const sql: CheckFinding = { rule: 'sql-injection', severity: 'high', path: 'src/db.ts', line: 3, why: 'SQL built from values.', fix: 'Parameterise.' };

function check(status: ProjectCheckStatus): ProjectCheckResult {
  return { name: 'typecheck', kind: 'typecheck', command: 'tsc --noEmit', status, durationMs: 5, problems: [] };
}

function state(extra: Partial<VerificationState['verdict']> = {}, security: VerificationState['security'] = 'done', problem?: string): VerificationState {
  return { verdict: { findings: [], project: [], running: false, ...extra }, security, ...(problem ? { problem } : {}) };
}

describe('checks: the verdict in the view and the status bar', () => {
  it('says checking until the security verdict is in', () => {
    assert.deepEqual(summarize(state({ running: true }, 'checking')).state, 'checking');
    assert.equal(summarize(state({ running: true }, 'checking')).text, 'Checking…');
  });

  it('names each finding and check in the tooltip, and takes its words from verdictText', () => {
    const summary = summarize(state({ findings: [sql], project: [check('failed')] }));
    assert.equal(summary.text, '1 security finding, typecheck failed');
    assert.equal(summary.state, 'findings');
    assert.match(summary.tooltip, /sql-injection \(high\) at src\/db\.ts:3 — SQL built from values\./);
    assert.match(summary.tooltip, /typecheck \(tsc --noEmit\): failed/);
  });

  it('picks the state from every project status: failures flag, passes, skips and cancellations do not', () => {
    const quiet = new Set<ProjectCheckStatus>(['passed', 'skipped', 'cancelled']);
    for (const status of PROJECT_CHECK_STATUSES) {
      for (const running of [false, true]) {
        const summary = summarize(state({ project: [check(status)], running }));
        const expected = quiet.has(status) ? (running ? 'checking' : 'passed') : 'failed';
        assert.equal(summary.state, expected, `${status}, running ${running}`);
      }
    }
  });

  it('says the security checks could not run when the service did not answer', () => {
    const summary = summarize(state({}, 'failed', 'the security checks did not answer within 15 s'));
    assert.equal(summary.text, 'security checks could not run');
    assert.equal(summary.state, 'failed');
    assert.match(summary.tooltip, /did not answer within 15 s/);
  });

  it('a clean proposal passes and says so', () => {
    const summary = summarize(state());
    assert.deepEqual([summary.text, summary.state], ['1 check passed', 'passed']);
    assert.match(summary.tooltip, /No security findings/);
  });
});
