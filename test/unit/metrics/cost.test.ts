/**
 * Estimated cost and the proposal checks' figures: the price table's known
 * answers, models it must not guess (generated look-alike names), servers on
 * this machine, the person's prices; then a synthetic trail whose costs and
 * check findings are stated here, written by the real chain writer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aggregateFolder } from '../../../src/server/services/metrics/folder';
import { formatReport } from '../../../src/server/services/metrics/format';
import { BUILT_IN_PRICES, costOf, isLocal, priceTable } from '../../../src/server/services/metrics/prices';
import { costText } from '../../../src/shared/metrics';
import { writeTrail, type Timed } from './writeTrail';

const REMOTE = 'api.example.com';

describe('estimated cost: the price table', () => {
  const table = priceTable();

  it('prices known models, their dated snapshots and router names', () => {
    const cases: Array<[string, number, number]> = [
      ['gpt-4o', 2.5, 10],
      ['gpt-4o-2024-08-06', 2.5, 10],
      ['gpt-4o-mini', 0.15, 0.6],
      ['gpt-4o-mini-2024-07-18', 0.15, 0.6],
      ['openai/gpt-4.1', 2, 8],
      ['claude-sonnet-4-20250514', 3, 15],
      ['claude-3-5-haiku-latest', 0.8, 4],
      ['GPT-5-MINI', 0.25, 2],
      ['deepseek-chat', 0.28, 0.42],
    ];
    for (const [model, input, output] of cases) assert.deepEqual(table.priceOf(model, REMOTE), { input, output }, model);
    // 1M prompt and 1M completion tokens of gpt-4o: $2.50 + $10.
    assert.equal(costOf({ input: 2.5, output: 10 }, 1_000_000, 1_000_000), 12.5);
    assert.equal(costOf({ input: 0.15, output: 0.6 }, 2_000, 500), 0.0006);
  });

  it('never guesses: a name that only looks like a priced model is unknown', () => {
    for (const model of ['o3-pro', 'gpt-4o-audio-preview-x', 'gpt-5-codex', 'gpt-4', 'claude', 'my-finetune', '', 'qwen2.5-coder:7b', 'gpt-4o ', 'x'.repeat(500)]) {
      assert.equal(table.priceOf(model, REMOTE), undefined, JSON.stringify(model));
    }
  });

  it('generated look-alikes: priced only as the exact model or one of its snapshots', () => {
    const suffixes = ['', '-2024-08-06', '-20250514', '-latest', '-mini', '-pro', '.1', 'x', '-turbo', ':free', '-2024-8-6', '-0001', '-001', '/v2', '-latest-x', '-preview'];
    for (const key of Object.keys(BUILT_IN_PRICES)) {
      for (const suffix of suffixes) {
        const model = key + suffix;
        const price = table.priceOf(model, REMOTE);
        if (price === undefined) continue;
        // Whatever it matched, it is this model's own price or that of a key the name is (another listed model).
        const own = Object.hasOwn(BUILT_IN_PRICES, model) ? BUILT_IN_PRICES[model] : undefined;
        assert.ok(own !== undefined || /^(?:-\d{4}-\d{2}-\d{2}|-\d{8}|-latest|-preview|-001)$/.test(suffix), `${model} was priced`);
        assert.deepEqual(price, own ?? BUILT_IN_PRICES[key], model);
      }
    }
  });

  it('a server on this machine costs nothing, whatever the model; look-alike hosts are not this machine', () => {
    for (const host of ['localhost:11434', '127.0.0.1:8080', '127.1.2.3', '[::1]:1234', 'LOCALHOST']) {
      assert.equal(isLocal(host), true, host);
      assert.equal(table.priceOf('gpt-4o', host), 'local', host);
      assert.equal(table.priceOf('anything', host), 'local', host);
    }
    for (const host of ['localhost.evil.com', '127.0.0.1.nip.io', '127.0.0.1@evil.com', 'api.openai.com', '', '10.0.0.1:11434', 'not a host']) {
      assert.equal(isLocal(host), false, host);
    }
  });

  it('the person’s prices: exact ids and prefixes first, malformed entries left out', () => {
    const mine = priceTable({
      'gpt-4o': { input: 1, output: 2 },
      'acme-*': { input: 3, output: 4 },
      'acme-large-*': { input: 5, output: 6 },
      bad1: { input: -1, output: 1 },
      bad2: { input: '1', output: 1 },
      bad3: { input: Number.NaN, output: 1 },
      bad4: 'cheap',
      bad5: null,
    });
    assert.equal(mine.overridden, true);
    assert.deepEqual(mine.priceOf('gpt-4o', REMOTE), { input: 1, output: 2 });
    assert.deepEqual(mine.priceOf('acme-small', REMOTE), { input: 3, output: 4 });
    assert.deepEqual(mine.priceOf('acme-large-v2', REMOTE), { input: 5, output: 6 });
    assert.deepEqual(mine.priceOf('gpt-4o-mini', REMOTE), { input: 0.15, output: 0.6 });
    for (const bad of ['bad1', 'bad2', 'bad3', 'bad4', 'bad5']) assert.equal(mine.priceOf(bad, REMOTE), undefined, bad);
    assert.equal(priceTable({}).overridden, false);
    assert.equal(priceTable({ bad: { input: -1, output: 0 } }).overridden, false);
  });

  it('says a cost in words: dollars, unknown, or both', () => {
    assert.equal(costText({ costUsd: 0, unpricedTokens: 0 }), '$0.00');
    assert.equal(costText({ costUsd: 12.5, unpricedTokens: 0 }), '$12.50');
    assert.equal(costText({ costUsd: 0.0006, unpricedTokens: 0 }), '$0.0006');
    assert.equal(costText({ costUsd: 0, unpricedTokens: 10 }), 'unknown');
    assert.equal(costText({ costUsd: 1.5, unpricedTokens: 10 }), '$1.50 + unknown');
  });
});

function request(time: string, model: string, endpointHost: string, prompt: number, completion: number): Timed {
  return { time, type: 'model.request', actor: 'person', request: `r-${time}`, purpose: 'chat', model, endpointHost, context: [], tokens: { prompt, completion, total: prompt + completion }, totalMs: 10, attempts: 1, outcome: 'ok' };
}

function security(time: string, proposal: string, severities: Array<'high' | 'medium' | 'low'>): Timed {
  return { time, type: 'checks', actor: 'service', proposal, stage: 'security', findings: severities.map((severity, i) => ({ rule: i === 0 ? 'sql-injection' : 'weak-hash', severity, path: 'a.ts', line: i + 1 })), durationMs: 3 };
}

function decision(time: string, proposal: string, outcome: 'accepted' | 'rejected'): Timed {
  return { time, type: 'decision', actor: 'person', proposal, review: 'r', scope: 'file', decision: outcome, path: 'a.ts', hunks: [0] };
}

function proposal(time: string, id: string): Timed {
  return { time, type: 'proposal', actor: 'model', proposal: id, origin: 'refactor', format: 'applyPatch', files: [] };
}

describe('estimated cost and check findings from a trail', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-cost-'));
    await writeTrail(dir, [
      request('2026-12-01T09:00:00.000Z', 'gpt-4o', REMOTE, 1_000_000, 100_000), // 2.5 + 1 = $3.50
      request('2026-12-01T09:01:00.000Z', 'gpt-4o-mini', REMOTE, 1_000_000, 1_000_000), // 0.15 + 0.6 = $0.75
      request('2026-12-01T09:02:00.000Z', 'qwen2.5-coder:7b', 'localhost:11434', 5_000, 500), // local: $0
      request('2026-12-02T09:00:00.000Z', 'mystery-model', REMOTE, 300, 30), // unknown
      request('2026-12-02T09:01:00.000Z', 'gpt-4o', REMOTE, 0, 1_000_000), // $10
      { time: '2026-12-02T09:02:00.000Z', type: 'model.request', actor: 'person', request: 'nc', purpose: 'chat', model: 'gpt-4o', endpointHost: REMOTE, context: [], totalMs: 1, attempts: 1, outcome: 'error' },
      // p1: two findings (one high) before it is accepted; a late one after.
      proposal('2026-12-01T10:00:00.000Z', 'p1'),
      security('2026-12-01T10:00:01.000Z', 'p1', ['high', 'medium']),
      { time: '2026-12-01T10:00:02.000Z', type: 'checks', actor: 'service', proposal: 'p1', stage: 'project', checks: [{ name: 'typecheck', kind: 'typecheck', command: 'npx tsc --noEmit', status: 'failed', exitCode: 2, durationMs: 900, problems: 2 }, { name: 'lint', kind: 'lint', command: 'npm run lint', status: 'passed', exitCode: 0, durationMs: 400, problems: 0 }], durationMs: 1300 },
      decision('2026-12-01T10:01:00.000Z', 'p1', 'accepted'),
      decision('2026-12-01T10:01:01.000Z', 'p1', 'accepted'),
      security('2026-12-01T10:02:00.000Z', 'p1', ['low']),
      // p2: a high finding, then rejected; p3: clean; p4: a finding and never decided.
      proposal('2026-12-02T10:00:00.000Z', 'p2'),
      security('2026-12-02T10:00:01.000Z', 'p2', ['high']),
      decision('2026-12-02T10:00:05.000Z', 'p2', 'rejected'),
      proposal('2026-12-02T11:00:00.000Z', 'p3'),
      security('2026-12-02T11:00:01.000Z', 'p3', []),
      decision('2026-12-02T11:00:05.000Z', 'p3', 'accepted'),
      security('2026-12-02T12:00:01.000Z', 'p4', ['low']),
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives tokens and estimated cost per day and model; unknown models stay unknown', () => {
    const report = aggregateFolder(dir);
    const near = (actual: number, expected: number, label: string): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${label}: ${actual} ≠ ${expected}`);
    near(report.totals.tokens.costUsd, 14.25, 'total');
    assert.equal(report.totals.tokens.unpricedTokens, 330);
    near(report.days[0]!.tokens.costUsd, 4.25, 'day 1');
    assert.equal(report.days[0]!.tokens.unpricedTokens, 0);
    near(report.days[1]!.tokens.costUsd, 10, 'day 2');
    assert.equal(report.days[1]!.tokens.unpricedTokens, 330);
    near(report.totals.tokensByModel['gpt-4o']!.costUsd, 13.5, 'gpt-4o');
    assert.equal(report.totals.tokensByModel['gpt-4o']!.requests, 3);
    assert.equal(report.totals.tokensByModel['qwen2.5-coder:7b']!.costUsd, 0);
    assert.equal(report.totals.tokensByModel['qwen2.5-coder:7b']!.unpricedTokens, 0);
    assert.deepEqual(report.totals.tokensByModel['mystery-model'], { requests: 1, counted: 1, prompt: 300, completion: 30, total: 330, costUsd: 0, unpricedTokens: 330 });
    assert.deepEqual(report.cost.unpricedModels, ['mystery-model']);
    assert.equal(costText(report.totals.tokensByModel['mystery-model']!), 'unknown');
    assert.equal(costText(report.totals.tokens), '$14.25 + unknown');
    assert.match(formatReport(report), /\n {2}mystery-model +1 +300 +30 +330 +unknown\n/);
  });

  it('the person’s prices change the estimate', () => {
    const report = aggregateFolder(dir, {}, { prices: { 'mystery-*': { input: 1000, output: 0 } } });
    assert.ok(Math.abs(report.totals.tokensByModel['mystery-model']!.costUsd - 0.3) < 1e-9);
    assert.equal(report.totals.tokens.unpricedTokens, 0);
    assert.equal(report.cost.overridden, true);
  });

  it('counts check findings caught before approval, by severity and rule, and those after', () => {
    const report = aggregateFolder(dir);
    assert.deepEqual(report.quality.checkFindings, {
      proposalsChecked: 4,
      findingsBeforeDecision: 4,
      findingsBySeverity: { high: 2, medium: 1, low: 1 },
      findingsByRule: { 'sql-injection': 3, 'weak-hash': 1 },
      findingsAfterDecision: 1,
      projectChecksByStatus: { failed: 1, passed: 1 },
      acceptedWithHighFinding: 1,
    });
    assert.deepEqual(report.days.map((day) => day.checkFindings), [2, 2]);
    assert.match(formatReport(report), /check findings caught before approval +4/);
  });

  it('names from the trail are entries, never the prototype', async () => {
    const hostile = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-proto-'));
    try {
      await writeTrail(hostile, [request('2026-12-01T09:00:00.000Z', '__proto__', REMOTE, 1, 1), { time: '2026-12-01T09:00:01.000Z', type: 'decision', actor: 'person', proposal: 'x', review: 'r', scope: 'file', decision: 'refused', path: 'a.ts', hunks: [0], reason: '__proto__' }, security('2026-12-01T09:00:02.000Z', 'y', ['high'])]);
      const report = aggregateFolder(hostile);
      assert.equal(Object.getPrototypeOf(report.totals.tokensByModel), Object.prototype);
      assert.equal(report.totals.tokensByModel['__proto__']?.requests, 1);
      assert.equal(Object.hasOwn(report.quality.refusalsByReason, '__proto__'), true);
      assert.equal(({} as Record<string, unknown>).requests, undefined);
    } finally {
      rmSync(hostile, { recursive: true, force: true });
    }
  });
});
