/**
 * Metrics from an audit trail with known answers: every figure of a small
 * scripted session, the range at day boundaries, events out of the expected
 * order, and an empty folder. The trail is written by the real chain writer.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { segmentName } from '../../../src/server/services/audit/files';
import { aggregateFolder } from '../../../src/server/services/metrics/folder';
import { PRICES_AS_OF } from '../../../src/server/services/metrics/prices';
import type { AuditPolicy } from '../../../src/shared/audit';
import { writeTrail, type Timed } from './writeTrail';

const POLICY: AuditPolicy = { approvalPolicy: 'ask', allowCommands: [], denyCommands: [], allowNetwork: false, maxSteps: 20, maxTokens: 100000, commandTimeout: 60, maxToolCallsPerTurn: 4 };
const SENT = { sha256: 'a'.repeat(64), bytes: 1 };

function agentStart(time: string, task: string): Timed {
  return { time, type: 'agent.start', actor: 'person', task, model: 'm2', endpointHost: 'localhost:1', policy: POLICY, sandbox: { kind: 'none', network: false } };
}

function command(time: string, task: string, line: string, fields: Partial<Extract<Timed, { type: 'agent.command' }>> = {}): Timed {
  return { time, type: 'agent.command', actor: 'person', task, command: line, decision: 'run', approved: true, ...fields } as Timed;
}

function step(time: string, task: string, n: number): Timed {
  return { time, type: 'agent.step', actor: 'model', task, step: `s${n}`, turn: 1, tool: 'read_file', title: 'Read', status: 'done', durationMs: 3, sent: SENT } as Timed;
}

/** A scripted session over two days; the test below states every figure it should give. */
const SESSION: Timed[] = [
  { time: '2026-12-01T09:00:00.000Z', type: 'completion.shown', actor: 'model', request: 'tc1', path: 'src/a.ts', chars: 10 },
  { time: '2026-12-01T09:00:01.000Z', type: 'completion.accepted', actor: 'person', request: 'tc1', path: 'src/a.ts', chars: 10, acceptedChars: 10 },
  { time: '2026-12-01T09:01:00.000Z', type: 'completion.shown', actor: 'model', request: 'tc2', path: 'lib/b.py', chars: 20 },
  { time: '2026-12-01T09:01:01.000Z', type: 'completion.partiallyAccepted', actor: 'person', request: 'tc2', path: 'lib/b.py', chars: 20, acceptedChars: 5 },
  { time: '2026-12-01T09:02:00.000Z', type: 'completion.shown', actor: 'model', request: 'tc3', chars: 7 },
  { time: '2026-12-01T09:03:00.000Z', type: 'model.request', actor: 'model', request: 'cm1', purpose: 'completion', model: 'm1', endpointHost: 'h', context: [], tokens: { prompt: 10, completion: 2, total: 12 }, ttftMs: 100, totalMs: 200, attempts: 1, outcome: 'ok' },
  { time: '2026-12-01T09:04:00.000Z', type: 'model.request', actor: 'person', request: 'c1', purpose: 'chat', model: 'm2', endpointHost: 'h', context: [], tokens: { prompt: 100, completion: 50, total: 150 }, ttftMs: 300, totalMs: 900, attempts: 1, outcome: 'ok' },
  { time: '2026-12-01T09:05:00.000Z', type: 'model.request', actor: 'person', request: 'c2', purpose: 'chat', model: 'm2', endpointHost: 'h', context: [], ttftMs: 500, totalMs: 600, attempts: 2, outcome: 'error', error: 'timeout' },
  { time: '2026-12-01T10:00:00.000Z', type: 'proposal', actor: 'model', proposal: 'p1', origin: 'refactor', format: 'applyPatch', files: [] },
  { time: '2026-12-01T10:00:04.000Z', type: 'decision', actor: 'person', proposal: 'p1', review: 'r1', scope: 'file', decision: 'accepted', path: 'src/a.ts', hunks: [0] },
  { time: '2026-12-01T10:00:09.000Z', type: 'decision', actor: 'person', proposal: 'p1', review: 'r1', scope: 'file', decision: 'rejected', path: 'src/b.ts', hunks: [0] },
  { time: '2026-12-01T10:01:00.000Z', type: 'proposal', actor: 'model', proposal: 'p2', origin: 'chatApply', format: 'applyPatch', files: [] },
  { time: '2026-12-01T10:01:02.000Z', type: 'decision', actor: 'person', proposal: 'p2', review: 'r2', scope: 'change', decision: 'refused', path: 'src/c.ts', hunks: [1], reason: 'no longer fits' },
  { time: '2026-12-01T10:02:00.000Z', type: 'proposal', actor: 'model', proposal: 'p3', origin: 'fix', format: 'applyPatch', files: [] },
  agentStart('2026-12-02T08:00:00.000Z', 'T1'),
  step('2026-12-02T08:00:01.000Z', 'T1', 1),
  step('2026-12-02T08:00:02.000Z', 'T1', 2),
  command('2026-12-02T08:00:05.000Z', 'T1', 'npm test', { exitCode: 1 }),
  command('2026-12-02T08:00:10.000Z', 'T1', 'npm test', { decision: 'ask', exitCode: 0 }),
  command('2026-12-02T08:00:11.000Z', 'T1', 'rm -rf /', { decision: 'deny', approved: false }),
  { time: '2026-12-02T08:00:30.000Z', type: 'agent.end', actor: 'service', task: 'T1', finishReason: 'finish', steps: 2, tokens: { prompt: 0, completion: 0, total: 0 } },
  agentStart('2026-12-02T08:10:00.000Z', 'T2'),
  step('2026-12-02T08:10:01.000Z', 'T2', 1),
  command('2026-12-02T08:10:02.000Z', 'T2', 'pytest -q', { exitCode: 0 }),
  command('2026-12-02T08:10:03.000Z', 'T2', 'pytest', { exitCode: 124, timedOut: true }),
  command('2026-12-02T08:10:04.000Z', 'T2', 'npx tsc --noEmit', { exitCode: 0 }),
  command('2026-12-02T08:10:05.000Z', 'T2', 'npm test', { decision: 'ask', approved: false }),
  { time: '2026-12-02T08:11:00.000Z', type: 'agent.end', actor: 'service', task: 'T2', finishReason: 'finish', steps: 5, tokens: { prompt: 0, completion: 0, total: 0 } },
  agentStart('2026-12-02T09:00:00.000Z', 'T3'),
  { time: '2026-12-02T09:00:01.000Z', type: 'decision', actor: 'person', review: 'r9', scope: 'set', decision: 'accepted', path: 'src/d.ts', hunks: [] },
  { time: '2026-12-02T09:30:00.000Z', type: 'restore', actor: 'person', task: 'T3', step: 's1', files: [{ path: 'src/a.ts', action: 'restored' }, { path: 'never/accepted.ts', action: 'deleted' }] },
];

describe('metrics from the audit trail', () => {
  const folders: string[] = [];
  function tempDir(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-'));
    folders.push(dir);
    return dir;
  }
  after(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('gives every figure of a scripted two-day session', async () => {
    const dir = tempDir();
    await writeTrail(dir, SESSION);
    const report = aggregateFolder(dir);
    assert.equal(report.v, 1);
    assert.equal(report.events, SESSION.length);
    assert.equal(report.skipped, 0);
    assert.equal(report.first, '2026-12-01T09:00:00.000Z');
    assert.equal(report.last, '2026-12-02T09:30:00.000Z');
    assert.deepEqual(report.days.map((day) => [day.day, day.events]), [['2026-12-01', 14], ['2026-12-02', 17]]);

    const { totals } = report;
    assert.deepEqual(totals.completions, { shown: 3, accepted: 1, partiallyAccepted: 1, acceptanceRate: 2 / 3, charsShown: 37, charsAccepted: 15 });
    assert.deepEqual(totals.completionsByLanguage, {
      typescript: { shown: 1, accepted: 1, partiallyAccepted: 0, acceptanceRate: 1, charsShown: 10, charsAccepted: 10 },
      python: { shown: 1, accepted: 0, partiallyAccepted: 1, acceptanceRate: 1, charsShown: 20, charsAccepted: 5 },
      unknown: { shown: 1, accepted: 0, partiallyAccepted: 0, acceptanceRate: 0, charsShown: 7, charsAccepted: 0 },
    });
    assert.deepEqual(report.days[1]?.completions, { shown: 0, accepted: 0, partiallyAccepted: 0, acceptanceRate: null, charsShown: 0, charsAccepted: 0 });

    // Models m1 and m2 have no price (endpoint 'h' is not this machine): their cost is unknown, not guessed.
    assert.deepEqual(totals.tokens, { requests: 3, counted: 2, prompt: 110, completion: 52, total: 162, costUsd: 0, unpricedTokens: 162 });
    assert.deepEqual(totals.tokensByModel, {
      m1: { requests: 1, counted: 1, prompt: 10, completion: 2, total: 12, costUsd: 0, unpricedTokens: 12 },
      m2: { requests: 2, counted: 1, prompt: 100, completion: 50, total: 150, costUsd: 0, unpricedTokens: 150 },
    });
    assert.deepEqual(report.cost, { pricesAsOf: PRICES_AS_OF, overridden: false, unpricedModels: ['m1', 'm2'] });
    assert.deepEqual(report.speed.ttftMs, { m1: { completion: { count: 1, p50: 100, p95: 100, exact: true } }, m2: { chat: { count: 2, p50: 300, p95: 500, exact: true } } });

    assert.equal(totals.proposals, 3);
    assert.deepEqual(report.velocity.timeToDecisionMs, { count: 2, p50: 2000, p95: 4000, exact: true });
    assert.equal(report.velocity.undecidedProposals, 1);
    assert.deepEqual(totals.decisions, { accepted: 2, rejected: 1, refused: 1 });
    assert.deepEqual(report.days[0]?.decisions, { accepted: 1, rejected: 1, refused: 1 });

    assert.deepEqual(totals.agent, { started: 3, ended: 2, steps: 3, commands: 7, commandsRun: 5 });
    assert.deepEqual(report.velocity.taskDurationMs, { count: 2, p50: 30_000, p95: 60_000, exact: true });
    assert.deepEqual(report.velocity.stepsPerTask, { count: 2, p50: 2, p95: 5, exact: true });

    assert.deepEqual(report.quality, {
      changes: { accepted: 2, rejected: 1, refused: 1 },
      acceptedThenRestored: 1,
      refusalsByReason: { 'no longer fits': 1 },
      commandRefusals: { deny: 1, rejected: 1 },
      tasksLastTestPassed: 1,
      tasksLastTestFailed: 1,
      checkFindings: { proposalsChecked: 0, findingsBeforeDecision: 0, findingsBySeverity: {}, findingsByRule: {}, findingsAfterDecision: 0, projectChecksByStatus: {}, acceptedWithHighFinding: 0 },
    });
  });

  it('keeps the range to the millisecond at day boundaries (a date alone: the whole UTC day)', async () => {
    const dir = tempDir();
    const times = ['2026-11-30T23:59:59.999Z', '2026-12-01T00:00:00.000Z', '2026-12-01T23:59:59.999Z', '2026-12-02T00:00:00.000Z'];
    await writeTrail(dir, times.map((time, i) => ({ time, type: 'completion.shown', actor: 'model', request: `tc${i}`, path: 'a.go', chars: 1 })));
    const day = (value: string, end = false): number => Date.parse(`${value}T00:00:00Z`) + (end ? 86_400_000 - 1 : 0);
    const cases: Array<[number | undefined, number | undefined, string[]]> = [
      [day('2026-12-01'), day('2026-12-01', true), [times[1]!, times[2]!]],
      [day('2026-12-01'), undefined, [times[1]!, times[2]!, times[3]!]],
      [undefined, day('2026-11-30', true), [times[0]!]],
      [Date.parse(times[2]!), Date.parse(times[2]!), [times[2]!]],
      [day('2026-12-03'), undefined, []],
    ];
    for (const [since, until, expected] of cases) {
      const report = aggregateFolder(dir, { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) });
      assert.equal(report.events, expected.length, `${since} – ${until}`);
      assert.equal(report.totals.completions.shown, expected.length);
      assert.deepEqual(report.days.map((entry) => entry.day), [...new Set(expected.map((time) => time.slice(0, 10)))]);
      if (expected.length > 0) assert.deepEqual([report.first, report.last], [expected[0], expected.at(-1)]);
    }
  });

  it('counts what it can of events out of the expected order, and skips lines that are not events', async () => {
    const dir = tempDir();
    await writeTrail(dir, [
      { time: '2026-12-01T10:00:00.000Z', type: 'decision', actor: 'person', proposal: 'later', review: 'r', scope: 'file', decision: 'accepted', path: 'x.ts', hunks: [] },
      { time: '2026-12-01T10:00:01.000Z', type: 'proposal', actor: 'model', proposal: 'later', origin: 'fix', format: 'applyPatch', files: [] },
      { time: '2026-12-01T10:00:02.000Z', type: 'restore', actor: 'person', files: [{ path: 'unknown.ts', action: 'restored' }] },
      { time: '2026-12-01T10:00:03.000Z', type: 'agent.end', actor: 'service', task: 'never-started', finishReason: 'error', steps: 1, tokens: { prompt: 0, completion: 0, total: 0 } },
      command('2026-12-01T10:00:04.000Z', 'orphan', 'npm test', { exitCode: 0 }),
      { time: '2026-12-01T10:00:05.000Z', type: 'completion.accepted', actor: 'person', request: 'tc-unknown' },
    ]);
    // Lines a tamperer or a crash could leave: not JSON, not an event, a time that is not one, a torn end.
    appendFileSync(path.join(dir, segmentName(1, 1)), 'not json\n{"type":"x"}\n[1,2]\n{"type":"write","time":"yesterday"}\n{"type":"completion.shown","time":"2026-12-01T11:00:00.000Z","chars":"many"}\n{"torn');
    const report = aggregateFolder(dir);
    assert.equal(report.skipped, 4);
    assert.equal(report.events, 7);
    assert.deepEqual(report.velocity.timeToDecisionMs, { count: 0, exact: true });
    assert.equal(report.velocity.undecidedProposals, 1);
    assert.equal(report.quality.acceptedThenRestored, 0);
    assert.deepEqual(report.velocity.taskDurationMs, { count: 0, exact: true });
    assert.equal(report.quality.tasksLastTestPassed, 0);
    assert.deepEqual(report.totals.completions, { shown: 1, accepted: 1, partiallyAccepted: 0, acceptanceRate: 1, charsShown: 0, charsAccepted: 0 });
  });

  it('an empty or missing folder gives zeros', () => {
    for (const dir of [tempDir(), path.join(tempDir(), 'missing')]) {
      const report = aggregateFolder(dir);
      assert.equal(report.events, 0);
      assert.deepEqual(report.days, []);
      assert.equal(report.first, undefined);
      assert.equal(report.totals.completions.acceptanceRate, null);
      assert.deepEqual(report.speed.ttftMs, {});
      assert.deepEqual(report.velocity.timeToDecisionMs, { count: 0, exact: true });
    }
  });
});
