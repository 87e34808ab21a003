/**
 * `tandem metrics` as a person runs it: exit codes (0 done, 1 no folder,
 * 2 usage), the JSON's shape, the tables, and a broken chain that still
 * gives its figures but says so on stderr.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { segmentName } from '../../../src/server/services/audit/files';
import { parseMetricsArgs, runMetrics } from '../../../src/server/services/metrics/command';
import type { MetricsReport } from '../../../src/shared/metrics';
import { writeTrail, type Timed } from './writeTrail';

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runMetrics(args, { stdout: { write: (text: string) => (out += text) }, stderr: { write: (text: string) => (err += text) } }, env);
  return { code, out, err };
}

const EVENTS: Timed[] = [
  { time: '2026-12-01T09:00:00.000Z', type: 'completion.shown', actor: 'model', request: 'tc1', path: 'src/a.rs', chars: 8 },
  { time: '2026-12-01T09:00:01.000Z', type: 'completion.accepted', actor: 'person', request: 'tc1', path: 'src/a.rs', chars: 8, acceptedChars: 8 },
  { time: '2026-12-02T09:00:00.000Z', type: 'model.request', actor: 'person', request: 'c1', purpose: 'edit', model: 'coder', endpointHost: 'h', context: [], tokens: { prompt: 7, completion: 3, total: 10 }, ttftMs: 42, totalMs: 90, attempts: 1, outcome: 'ok' },
  { time: '2026-12-02T09:01:00.000Z', type: 'proposal', actor: 'model', proposal: 'p1', origin: 'refactor', format: 'applyPatch', files: [] },
  { time: '2026-12-02T09:01:03.000Z', type: 'decision', actor: 'person', proposal: 'p1', review: 'r1', scope: 'file', decision: 'refused', path: 'src/a.rs', hunks: [0], reason: 'stale' },
];

describe('tandem metrics (the CLI)', async () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-cli-'));
    await writeTrail(dir, EVENTS);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('usage errors exit 2 and say what is wrong', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--format', 'csv'], /does not take “--format”/],
      [['verify'], /does not take “verify”/],
      [['--since', 'yesterday'], /--since needs a date/],
      [['--until', '2026-13-45'], /--until needs a date/],
      [['--since', '2026-02-01', '--until', '2026-01-01'], /--since is after --until/],
      [['--dir'], /--dir needs a value/],
      [['--since='], /--since needs a value/],
    ];
    for (const [args, message] of cases) {
      const { code, err, out } = await run(args.includes('--dir') ? args : [...args, '--dir', dir]);
      assert.equal(code, 2, `${args.join(' ')}: ${err}`);
      assert.match(err, message, args.join(' '));
      assert.equal(out, '');
    }
    assert.equal((await run([], {})).code, 2, 'no folder known at all');
    assert.equal((await run(['--help'])).code, 0);
    assert.match((await run(['--help'])).out, /Usage: tandem metrics/);
    assert.deepEqual(parseMetricsArgs([`--dir=${dir}`, '--json', '--since=2026-12-02']), { ok: true, options: { dir, json: true, since: Date.parse('2026-12-02T00:00:00Z') } });
  });

  it('a folder that is not there exits 1; the default folder is TANDEM_AUDIT_DIR, as for tandem audit', async () => {
    const missing = await run(['--dir', path.join(dir, 'nope')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /is not a folder/);
    const fromEnv = await run(['--json'], { TANDEM_AUDIT_DIR: dir });
    assert.equal(fromEnv.code, 0, fromEnv.err);
    assert.equal((JSON.parse(fromEnv.out) as MetricsReport).events, EVENTS.length);
  });

  it('--json prints the versioned report, and --since/--until narrow it', async () => {
    const { code, out, err } = await run(['--dir', dir, '--json']);
    assert.equal(code, 0, err);
    assert.equal(err, '');
    const report = JSON.parse(out) as MetricsReport;
    assert.equal(report.v, 1);
    assert.deepEqual(Object.keys(report).sort(), ['cost', 'days', 'events', 'first', 'last', 'quality', 'range', 'skipped', 'speed', 'totals', 'v', 'velocity']);
    assert.deepEqual(report.days.map((day) => day.day), ['2026-12-01', '2026-12-02']);
    assert.deepEqual(report.totals.completionsByLanguage.rust, { shown: 1, accepted: 1, partiallyAccepted: 0, acceptanceRate: 1, charsShown: 8, charsAccepted: 8 });
    assert.deepEqual(report.speed.ttftMs, { coder: { edit: { count: 1, p50: 42, p95: 42, exact: true } } });
    assert.deepEqual(report.quality.refusalsByReason, { stale: 1 });

    const narrowed = JSON.parse((await run(['--dir', dir, '--json', '--since', '2026-12-02', '--until', '2026-12-02'])).out) as MetricsReport;
    assert.deepEqual(narrowed.range, { since: '2026-12-02T00:00:00.000Z', until: '2026-12-02T23:59:59.999Z' });
    assert.equal(narrowed.events, 3);
    assert.equal(narrowed.totals.completions.shown, 0);
  });

  it('prints tables a person reads by default', async () => {
    const { code, out } = await run(['--dir', dir]);
    assert.equal(code, 0);
    assert.match(out, /^Tandem metrics, the beginning – now: 5 events/);
    assert.match(out, /Completions by day\n.*shown +accepted/);
    assert.match(out, /\n {2}rust +1 +1 +0 +100\.0% +8\n/);
    assert.match(out, /proposal → first decision +1 +3000 ms/);
    assert.match(out, /edit refused: stale +1/);
    assert.match(out, /coder \/ edit +1 +42 ms +42 ms/);
    assert.match(out, /check findings caught before approval +0/);
    // 'coder' at host 'h' has no price: its cost is unknown, never guessed.
    assert.match(out, /Tokens by model\n.*est\. cost \(USD\)\n.*\n {2}coder +1 +7 +3 +10 +unknown\n/);
    assert.match(out, /No price known for: coder \(cost unknown\)/);
  });

  it('a broken chain still gives its metrics, with a warning on stderr', async () => {
    const broken = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-broken-'));
    try {
      await writeTrail(broken, EVENTS);
      const file = path.join(broken, segmentName(1, 1));
      writeFileSync(file, readFileSync(file, 'utf8').replace('"chars":8', '"chars":9'));
      const { code, out, err } = await run(['--dir', broken, '--json']);
      assert.equal(code, 0);
      assert.match(err, /warning: chain 1 is broken at audit-1-000001\.jsonl line 1/);
      assert.equal((JSON.parse(out) as MetricsReport).totals.completions.charsShown, 9);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
