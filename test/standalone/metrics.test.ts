/**
 * `tandem metrics` on the built `tandem` bin: the subcommand is there, reads
 * the folder TANDEM_AUDIT_DIR names (as `tandem audit` does), prints the
 * versioned JSON and the tables, and exits 2 on a usage error.
 * Needs `node scripts/build.mjs` first.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MetricsReport } from '../../src/shared/metrics';
import { writeTrail } from '../unit/metrics/writeTrail';

const root = path.resolve(__dirname, '../..');
const serverJs = path.join(root, 'dist', 'server.js');

function tandem(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [serverJs, ...args], { timeout: 10_000, env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('tandem metrics on the built bin', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-standalone-'));
    await writeTrail(dir, [
      { time: '2026-12-01T09:00:00.000Z', type: 'completion.shown', actor: 'model', request: 'tc1', path: 'a.ts', chars: 4 },
      { time: '2026-12-01T09:00:01.000Z', type: 'completion.accepted', actor: 'person', request: 'tc1', path: 'a.ts', chars: 4, acceptedChars: 4 },
      { time: '2026-12-01T09:00:02.000Z', type: 'model.request', actor: 'person', request: 'c1', purpose: 'chat', model: 'm', endpointHost: 'h', context: [], tokens: { prompt: 3, completion: 2, total: 5 }, ttftMs: 12, totalMs: 40, attempts: 1, outcome: 'ok' },
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the JSON and the tables, from TANDEM_AUDIT_DIR by default', async () => {
    const json = await tandem(['metrics', '--json'], { TANDEM_AUDIT_DIR: dir });
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as MetricsReport;
    assert.equal(report.v, 1);
    assert.equal(report.events, 3);
    assert.equal(report.totals.completions.acceptanceRate, 1);
    assert.deepEqual(report.speed.ttftMs, { m: { chat: { count: 1, p50: 12, p95: 12, exact: true } } });
    const tables = await tandem(['metrics', '--dir', dir]);
    assert.equal(tables.code, 0, tables.stderr);
    assert.match(tables.stdout, /Completions by language[\s\S]*typescript +1 +1 +0 +100\.0% +4/);
    const help = await tandem(['--help']);
    assert.match(help.stdout, /tandem metrics \[--dir DIR\]/);
  });

  it('exits 2 on a usage error and 1 when the folder is not there', async () => {
    const usage = await tandem(['metrics', '--since', 'soon', '--dir', dir]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--since needs a date/);
    const missing = await tandem(['metrics', '--dir', path.join(dir, 'missing')]);
    assert.equal(missing.code, 1);
  });
});
