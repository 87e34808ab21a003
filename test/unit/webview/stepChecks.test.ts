/**
 * The checks on an agent's edit, on its step card: the verdict in words (as
 * the review says it), each security finding with where and why (as text:
 * the why and the path are model-influenced), nothing for a step without a
 * verdict, and a malformed verdict dropped rather than rendered.
 */
import assert from 'node:assert/strict';
import { sanitizeStep, sanitizeVerdict } from '../../../media/chat/agentData';
import type { CheckFinding, ProposalVerdict } from '../../../src/shared/checks';
import type { StepView } from '../../../src/shared/webviewProtocol';
import { assistant, mountTestPage, user, viewState, type TestPage } from './env';

const sql: CheckFinding = { rule: 'sql-injection', severity: 'high', path: 'src/db.ts', line: 12, why: 'SQL built from values.', fix: 'Use a parameterised query.' };

function edit(id: string, verdict?: ProposalVerdict): StepView {
  return { id, turn: 1, tool: 'apply_patch', title: `Edit ${id}.ts`, status: 'done', changeSet: { format: 'applyPatch', changes: [{ kind: 'add', path: `${id}.ts`, newText: 'x\n' }] }, ...(verdict ? { verdict } : {}) };
}

function page(steps: StepView[]): TestPage {
  const mounted = mountTestPage();
  mounted.send({ type: 'state', state: viewState({ mode: 'agent', messages: [user('u1', 'Add it'), assistant('a1', 'Done.', { steps })] }) });
  return mounted;
}

describe('webview: checks on a step card', () => {
  it('shows the verdict and every finding; a clean edit says the checks passed; a step without checks shows none', () => {
    const mounted = page([
      edit('s1', { findings: [sql, { ...sql, rule: 'weak-random', severity: 'medium', line: 3, why: '<img src=x onerror=alert(1)>' }], project: [], running: false }),
      edit('s2', { findings: [], project: [{ name: 'typecheck', kind: 'typecheck', command: 'tsc', status: 'passed', durationMs: 1, problems: [] }], running: false }),
      edit('s3'),
    ]);
    const verdicts = mounted.$$('[data-testid="step-verdict"]').map((element) => element.textContent);
    assert.deepEqual(verdicts, ['2 security findings', '2 checks passed']);
    const findings = mounted.$$('[data-testid="step-finding"]');
    assert.deepEqual(findings.map((element) => element.querySelector('.step-finding-where')?.textContent), ['src/db.ts:12', 'src/db.ts:3']);
    assert.equal(findings[0]?.title, 'Fix: Use a parameterised query.');
    assert.equal(findings[1]?.querySelector('img'), null, 'model text is text, never markup');
    assert.equal(findings[1]?.querySelector('.step-finding-why')?.textContent, '<img src=x onerror=alert(1)>');
    assert.ok(mounted.$('[data-step-id="s1"] .step-checks-flagged'));
    assert.equal(mounted.$('[data-step-id="s2"] .step-checks-flagged'), null);
    assert.equal(mounted.$('[data-step-id="s3"] [data-testid="step-checks"]'), null);
  });

  it('drops malformed verdicts and findings, keeps the well-formed ones (mutations)', () => {
    const good = { findings: [sql], project: [], running: false };
    const broken: unknown[] = [null, 'verdict', { findings: 'x', project: [] }, { findings: [], project: {} }, { project: [] }];
    for (const value of broken) assert.equal(sanitizeVerdict(value), undefined, JSON.stringify(value));
    const mutatedFindings: unknown[] = [{ ...sql, severity: 'critical' }, { ...sql, line: '12' }, { ...sql, line: Number.NaN }, { ...sql, rule: 3 }, { ...sql, path: undefined }, 'sql'];
    for (const finding of mutatedFindings) {
      assert.deepEqual(sanitizeVerdict({ ...good, findings: [finding, sql] })?.findings, [sql], JSON.stringify(finding));
    }
    const step = sanitizeStep({ ...edit('s1'), verdict: { ...good, project: [{ name: 'lint', kind: 'nope', status: 'failed', problems: [{ severity: 'error' }, { severity: 'fatal' }] }, { name: 'x', status: 'weird' }] } });
    assert.deepEqual(step?.verdict?.project.map((check) => [check.name, check.kind, check.status, check.problems.length]), [['lint', 'custom', 'failed', 1]]);
  });
});
