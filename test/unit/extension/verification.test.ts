/**
 * The checks on a proposal under review (ProposalVerification), with a fake
 * service and a fake project-check source: what the verdict says as results
 * arrive, that the project's checks are cancelled when the review ends and
 * their late results ignored, and when Accept asks once more (high-severity
 * findings in what is accepted, a person deciding, once per review, after
 * the security verdict is in).
 */
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { verdictText, type CheckFinding, type CheckSeverity, type ProjectCheckResult } from '../../../src/shared/checks';
import type { SecurityCheckParams, SecurityCheckResult } from '../../../src/shared/checksProtocol';
import type { CheckedReview, ProjectCheckSource } from '../../../src/extension/checks/types';
import { ProposalVerification, type VerificationDeps } from '../../../src/extension/checks/verification';
import { pick, seededRandom } from '../../support/random';

const FOLDER = { fsPath: '/w', path: '/w', scheme: 'file' } as unknown as vscode.Uri;

function finding(rule: string, severity: CheckSeverity, line = 1, path = 'a.ts'): CheckFinding {
  return { rule, severity, path, line, why: `${rule} why`, fix: `${rule} fix` };
}

function review(id: string, extra: Partial<CheckedReview> = {}): CheckedReview {
  return { id, folder: FOLDER, changeSet: { format: 'codeBlock', changes: [{ kind: 'add', path: 'a.ts', newText: 'x\n' }] }, actor: 'person', ...extra };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** A service whose answers the test gives, one per request, in order. */
class FakeService {
  readonly requests: Array<{ params: SecurityCheckParams; token: vscode.CancellationToken; answer: ReturnType<typeof deferred<SecurityCheckResult>> }> = [];
  securityCheck = (params: SecurityCheckParams, token: vscode.CancellationToken): Promise<SecurityCheckResult> => {
    const answer = deferred<SecurityCheckResult>();
    this.requests.push({ params, token, answer });
    return answer.promise;
  };
  answer(index: number, findings: CheckFinding[]): void {
    this.requests[index]?.answer.resolve({ findings, durationMs: 1 });
  }
}

/** A project-check source the test drives: progress and the end are the test's. */
class FakeProject implements ProjectCheckSource {
  readonly runs: Array<{ token: vscode.CancellationToken; progress: (results: ProjectCheckResult[]) => void; done: ReturnType<typeof deferred<ProjectCheckResult[]>>; cancelled: boolean }> = [];
  run(_request: Parameters<ProjectCheckSource['run']>[0], token: vscode.CancellationToken, onProgress: (results: ProjectCheckResult[]) => void): Promise<ProjectCheckResult[]> {
    const done = deferred<ProjectCheckResult[]>();
    const entry = { token, progress: onProgress, done, cancelled: false };
    token.onCancellationRequested(() => {
      entry.cancelled = true;
    });
    this.runs.push(entry);
    return done.promise;
  }
}

function check(name: string, status: ProjectCheckResult['status'], errors = 0): ProjectCheckResult {
  return {
    name,
    kind: name === 'typecheck' ? 'typecheck' : 'custom',
    command: name,
    status,
    durationMs: 10,
    problems: Array.from({ length: errors }, (_, i) => ({ path: 'a.ts', line: i + 1, severity: 'error' as const, message: `error ${i}` })),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(extra: Partial<VerificationDeps> = {}): { verification: ProposalVerification; service: FakeService; asked: CheckFinding[][]; answers: boolean[]; texts: string[] } {
  const service = new FakeService();
  const asked: CheckFinding[][] = [];
  const answers: boolean[] = [];
  const verification = new ProposalVerification({
    security: service,
    confirm: async (_review, findings) => {
      asked.push([...findings]);
      await tick();
      return answers.shift() ?? false;
    },
    ...extra,
  });
  const texts: string[] = [];
  verification.onDidChange((id) => {
    const verdict = verification.verdict(id);
    if (verdict && verification.state(id)) texts.push(verdictText(verdict));
  });
  return { verification, service, asked, answers, texts };
}

describe('checks: the verification of a review', () => {
  it('asks the service once per review with the ids that link the audit event, and says what it found', async () => {
    const { verification, service, texts } = setup();
    verification.start(review('r1', { proposalId: 'p-1', task: 't', step: 's2', changeSet: { format: 'codeBlock', changes: [], proposalId: 'p-1' } }));
    verification.start(review('r1'));
    assert.equal(service.requests.length, 1);
    assert.deepEqual({ ...service.requests[0]?.params, changeSet: undefined }, { changeSet: undefined, reviewId: 'r1', proposalId: 'p-1', task: 't', step: 's2' });
    assert.equal(verification.state('r1')?.security, 'checking');
    assert.equal(verification.verdict('r1')?.running, true);
    service.answer(0, [finding('sql-injection', 'high'), finding('secret-introduced', 'high', 3)]);
    await verification.securityVerdict('r1');
    assert.deepEqual(texts, ['1 check passed, checking…', '2 security findings']);
    assert.equal(verification.verdict('r1')?.running, false);
  });

  it('uses findings that came with the change set without asking the service', async () => {
    const { verification, service } = setup();
    verification.start(review('r1', { findings: [finding('dynamic-code', 'high')] }));
    const state = await verification.securityVerdict('r1');
    assert.equal(service.requests.length, 0);
    assert.equal(state?.security, 'done');
    assert.equal(verdictText(state.verdict), '1 security finding');
  });

  it('follows the project checks as they report, and keeps running until they end', async () => {
    const project = new FakeProject();
    const { verification, service, texts } = setup({ projectChecks: project });
    verification.start(review('r1'));
    assert.equal(project.runs.length, 1, 'the project checks start with the review, beside the security checks');
    service.answer(0, []);
    await verification.securityVerdict('r1');
    project.runs[0]?.progress([check('typecheck', 'failed', 2)]);
    project.runs[0]?.progress([check('typecheck', 'failed', 2), check('lint', 'passed')]);
    project.runs[0]?.done.resolve([check('typecheck', 'failed', 2), check('lint', 'passed'), check('test', 'passed')]);
    await tick();
    assert.deepEqual(texts, [
      '1 check passed, checking…',
      '1 check passed, checking…',
      'typecheck failed: 2 errors, checking…',
      'typecheck failed: 2 errors, checking…',
      'typecheck failed: 2 errors',
    ]);
    assert.equal(verification.verdict('r1')?.running, false);
  });

  it('cancels the project checks when the review ends, ignores what comes after, and keeps the last verdict', async () => {
    const project = new FakeProject();
    const { verification, service } = setup({ projectChecks: project });
    verification.start(review('r1'));
    service.answer(0, [finding('weak-random', 'medium')]);
    await verification.securityVerdict('r1');
    project.runs[0]?.progress([check('typecheck', 'passed')]);
    verification.end('r1');
    assert.equal(project.runs[0]?.cancelled, true);
    assert.equal(project.runs[0]?.token.isCancellationRequested, true);
    project.runs[0]?.progress([check('typecheck', 'passed'), check('test', 'failed')]);
    project.runs[0]?.done.resolve([check('typecheck', 'passed'), check('test', 'failed')]);
    await tick();
    assert.equal(verification.state('r1'), undefined);
    assert.deepEqual(verification.verdict('r1'), { findings: [finding('weak-random', 'medium')], project: [check('typecheck', 'passed')], running: false });
  });

  it('cancels a security request still out when the review ends, and never revives the review', async () => {
    const { verification, service } = setup();
    verification.start(review('r1'));
    verification.end('r1');
    assert.equal(service.requests[0]?.token.isCancellationRequested, true);
    service.answer(0, [finding('sql-injection', 'high')]);
    await tick();
    assert.equal(verification.state('r1'), undefined);
    assert.deepEqual(verification.verdict('r1')?.findings, []);
  });

  it('a failed or silent service leaves a verdict that says so, and Accept is not blocked by it', async () => {
    const { verification, service, asked } = setup({ securityTimeoutMs: 20 });
    verification.start(review('r1'));
    verification.start(review('r2'));
    service.requests[0]?.answer.reject(new Error('stopped'));
    const failed = await verification.securityVerdict('r1');
    assert.equal(failed?.security, 'failed');
    assert.match(failed?.problem ?? '', /stopped/);
    const silent = await verification.securityVerdict('r2');
    assert.equal(silent?.security, 'failed');
    assert.match(silent?.problem ?? '', /did not answer/);
    assert.equal(await verification.mayAccept('r2', (all) => [...all]), true);
    assert.equal(asked.length, 0);
  });

  it('an Accept pressed before the security verdict waits for it, then asks', async () => {
    const { verification, service, asked, answers } = setup();
    verification.start(review('r1'));
    answers.push(true);
    const accepting = verification.mayAccept('r1', (all) => [...all]);
    await tick();
    assert.equal(asked.length, 0, 'nothing to ask before the verdict');
    service.answer(0, [finding('sql-injection', 'high')]);
    assert.equal(await accepting, true);
    assert.equal(asked.length, 1);
  });

  it('asks once per review: Accept Anyway is remembered, Cancel is not, and accepts at the same time share one question', async () => {
    const { verification, service, asked, answers } = setup();
    verification.start(review('r1'));
    service.answer(0, [finding('sql-injection', 'high'), finding('weak-random', 'medium', 2)]);
    answers.push(false);
    assert.equal(await verification.mayAccept('r1', (all) => [...all]), false);
    assert.deepEqual(asked[0]?.map((f) => f.rule), ['sql-injection'], 'only the high-severity findings are listed');
    answers.push(true);
    const both = await Promise.all([verification.mayAccept('r1', (all) => [...all]), verification.mayAccept('r1', (all) => [...all])]);
    assert.deepEqual(both, [true, true]);
    assert.equal(asked.length, 2, 'two accepts at once, one question');
    assert.equal(await verification.mayAccept('r1', (all) => [...all]), true);
    assert.equal(asked.length, 2, 'not asked again in this review');
  });

  it('asks exactly when a person accepts a high-severity finding not yet confirmed (generated cases)', async () => {
    const random = seededRandom(1313);
    const severities: CheckSeverity[] = ['high', 'medium', 'low'];
    let asks = 0;
    for (let round = 0; round < 200; round++) {
      const { verification, service, asked, answers } = setup();
      const actor = pick(random, ['person', 'person', 'policy:auto-edit', 'policy:full-auto'] as const);
      const findings = Array.from({ length: Math.floor(random() * 4) }, (_, i) => finding(`rule-${i}`, pick(random, severities), i + 1));
      verification.start(review('r', { actor }));
      service.answer(0, findings);
      let confirmed = false;
      for (let attempt = 0; attempt < 3; attempt++) {
        const chosen = findings.filter(() => random() < 0.5);
        const answer = random() < 0.5;
        answers.push(answer);
        const before = asked.length;
        const allowed = await verification.mayAccept('r', () => chosen);
        const shouldAsk: boolean = actor === 'person' && !confirmed && chosen.some((f) => f.severity === 'high');
        const context: string = `round ${round} attempt ${attempt}: ${actor}, ${JSON.stringify(chosen.map((f) => f.severity))}, confirmed ${confirmed}`;
        assert.equal(asked.length - before, shouldAsk ? 1 : 0, context);
        assert.equal(allowed, shouldAsk ? answer : true, context);
        if (shouldAsk) {
          asks++;
          confirmed ||= answer;
        } else {
          answers.pop();
        }
      }
    }
    assert.ok(asks > 50, `the generated cases asked only ${asks} times`);
  });

  it('an unknown or ended review is never asked about', async () => {
    const { verification, service, asked } = setup();
    assert.equal(await verification.mayAccept('nope', (all) => [...all]), true);
    verification.start(review('r1'));
    service.answer(0, [finding('sql-injection', 'high')]);
    await verification.securityVerdict('r1');
    verification.end('r1');
    assert.equal(await verification.mayAccept('r1', (all) => [...all]), true);
    assert.equal(asked.length, 0);
  });
});
