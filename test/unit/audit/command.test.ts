/**
 * `tandem audit verify|export|show` as a reviewer uses it: exit codes
 * (0 intact / done, 1 broken or nothing there, 2 usage), what each prints.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAuditArgs, runAudit } from '../../../src/server/services/audit/command';
import { recordProposal } from '../../../src/server/services/audit/events';
import { segmentName } from '../../../src/server/services/audit/files';
import { AuditTrail } from '../../../src/server/services/audit/trail';
import { resolveSettings } from '../../../src/server/settings';

function run(args: string[], env: NodeJS.ProcessEnv = {}): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runAudit(args, { stdout: { write: (text: string) => (out += text) }, stderr: { write: (text: string) => (err += text) } }, env);
  return { code, out, err };
}

describe('tandem audit (the reviewer CLI)', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-cli-'));
    const trail = new AuditTrail({ env: {}, writer: { flushMs: 5 } });
    trail.setSession({ version: '1.0.0', folders: ['file:///ws'] });
    await trail.apply(resolveSettings({ audit: { directory: dir } }, {}));
    recordProposal(trail, { format: 'applyPatch', changes: [{ kind: 'update', path: 'src/a.ts', oldText: 'a\n', newText: 'b\n' }] }, { actor: 'model', origin: 'agent', task: 'task-9', step: 's1' });
    trail.record({ type: 'decision', actor: 'person', task: 'task-9', proposal: 'p1', review: 'r1', scope: 'file', decision: 'accepted', path: 'src/a.ts', hunks: [0] });
    trail.record({ type: 'agent.command', actor: 'policy:full-auto', task: 'task-9', step: 's2', command: 'npm test, "quoted" =1+1', decision: 'run', approved: true, exitCode: 0, durationMs: 5 });
    trail.record({ type: 'write', actor: 'person', path: 'src/other.ts', operation: 'edit' });
    await trail.close('shutdown');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('usage errors exit 2 and say what is wrong', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /Say what to do/],
      [['check'], /Unknown audit command “check”/],
      [['verify', '--since', '2026-01-01'], /does not take “--since”/],
      [['export', '--format', 'xml'], /--format is jsonl, csv or md/],
      [['export', '--since', 'yesterday'], /--since needs a date/],
      [['export', '--since', '2026-02-01', '--until', '2026-01-01'], /--since is after --until/],
      [['show'], /needs one of --task ID or --file PATH/],
      [['show', '--task', 'a', '--file', 'b'], /needs one of --task ID or --file PATH/],
      [['verify', '--dir'], /--dir needs a value/],
    ];
    for (const [args, message] of cases) {
      const { code, err } = run(args.length === 0 || args.includes('--dir') ? args : [...args, '--dir', dir]);
      assert.equal(code, 2, `${args.join(' ')}: ${err}`);
      assert.match(err, message, args.join(' '));
    }
    assert.equal(run(['verify'], {}).code, 2, 'no folder known at all');
    assert.equal(parseAuditArgs(['--help']).ok, true);
  });

  it('verify: exit 0 and a summary when intact; exit 1 naming the first broken line and why', () => {
    const intact = run(['verify', '--dir', dir]);
    assert.equal(intact.code, 0, intact.err);
    assert.match(intact.out, /^chain 1: intact: 6 events \(seq 1–6\) in 1 file, 1 session/);
    assert.match(intact.out, /last line's SHA-256: [0-9a-f]{64}/);

    const file = path.join(dir, segmentName(1, 1));
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('"decision":"accepted"', '"decision":"rejected"'));
    const broken = run(['verify', '--dir', dir]);
    writeFileSync(file, original);
    assert.equal(broken.code, 1);
    assert.match(broken.out, /chain 1: BROKEN at audit-1-000001\.jsonl line 3 \(seq 3\) \[tampered\]: .*was changed/);
    assert.match(broken.err, /1 of 1 chain broken/);
  });

  it('verify: a missing folder or one without a trail exits 1', () => {
    assert.equal(run(['verify', '--dir', path.join(dir, 'nope')]).code, 1);
    const empty = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-empty-'));
    try {
      const result = run(['verify'], { TANDEM_AUDIT_DIR: empty });
      assert.equal(result.code, 1);
      assert.match(result.err, /no audit trail/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('export: JSON Lines byte for byte, CSV (quoted, formula-safe) and Markdown, filtered by date', () => {
    const jsonl = run(['export', '--dir', dir]);
    assert.equal(jsonl.code, 0);
    assert.equal(jsonl.out, readFileSync(path.join(dir, segmentName(1, 1)), 'utf8'));

    const csv = run(['export', '--dir', dir, '--format', 'csv']);
    const rows = csv.out.split('\r\n').filter(Boolean);
    assert.equal(rows[0], 'chain,seq,time,session,type,actor,request,proposal,task,step,paths,summary');
    assert.equal(rows.length, 7);
    assert.ok(rows.some((row) => row.includes('"command `npm test, ""quoted"" =1+1` (run): ran, exit 0, 5 ms"')), csv.out);

    const md = run(['export', '--dir', dir, '--format', 'md']);
    assert.match(md.out, /^\| chain \| seq \| time \|/);
    assert.equal(md.out.trim().split('\n').length, 8);

    assert.equal(run(['export', '--dir', dir, '--until', '2000-01-01']).out, '');
    assert.equal(run(['export', '--dir', dir, '--since', '2000-01-01', '--until', '2999-12-31']).out.split('\n').filter(Boolean).length, 6);
  });

  it('show: one task’s events (with its diff), or the events that name a file', () => {
    const task = run(['show', '--dir', dir, '--task', 'task-9']);
    assert.equal(task.code, 0, task.err);
    const lines = task.out.split('\n').filter((line) => /^\d{4}-/.test(line));
    assert.deepEqual(
      lines.map((line) => line.split(/\s+/)[2]),
      ['proposal', 'decision', 'agent.command'],
    );
    assert.match(task.out, /^ {6}\+b$/m, 'the proposal’s diff');

    const file = run(['show', '--dir', dir, '--file', 'src/other.ts']);
    assert.equal(file.code, 0);
    assert.match(file.out, /write +person +edit src\/other\.ts/);
    assert.equal(run(['show', '--dir', dir, '--file', 'nothing.ts']).code, 1);
  });
});
