/**
 * The Audit Trail view's query (tandem/auditQuery) and the provenance
 * request over a real folder the writer produced: filters by type, file and
 * date select exactly the events a person asked for, pages cover every event
 * once, newest first, and a tampered line shows as a broken chain at that
 * line; provenance finds the changes that landed in a file, with the model
 * and who approved them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { segmentName } from '../../../src/server/services/audit/files';
import { provenanceOf, queryFolder } from '../../../src/server/services/audit/query';
import { ChainWriter } from '../../../src/server/services/audit/writer';
import type { AuditEvent } from '../../../src/shared/audit';
import { seededRandom } from '../../support/random';

const TYPES = ['model.request', 'proposal', 'decision', 'write', 'agent.command'] as const;
const FILES = ['src/a.ts', 'src/b.ts', 'lib/c.ts'];

function patch(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 }).replace(/^={67}\n/, '');
}

/** An event of `type` naming `file` (the fields each type needs, nothing more). */
function eventOf(type: (typeof TYPES)[number], file: string, n: number): AuditEvent {
  switch (type) {
    case 'model.request':
      return { type, actor: 'person', request: `r${n}`, purpose: 'edit', model: 'gpt-test', endpointHost: 'localhost:1', context: [{ path: file, kind: 'file', sha256: 'x', bytes: 1 }], totalMs: 1, attempts: 1, outcome: 'ok' };
    case 'proposal':
      return { type, actor: 'model', proposal: `p${n}`, request: `r${n}`, origin: 'refactor', format: 'unifiedDiff', files: [{ path: file, kind: 'update', added: 1, removed: 1 }], diff: patch(file, 'a\n', 'b\n') };
    case 'decision':
      return { type, actor: 'person', proposal: `p${n}`, review: 'v', scope: 'file', decision: 'accepted', path: file, hunks: [0] };
    case 'write':
      return { type, actor: 'person', proposal: `p${n}`, path: file, operation: 'edit' };
    case 'agent.command':
      return { type, actor: 'person', task: 't', step: 's1', command: 'npm test', decision: 'ask', approved: true, exitCode: 0 };
  }
}

interface Written {
  type: string;
  file: string;
  time: string;
  seq: number;
}

/** Writes `count` random events a minute apart from 2026-03-01; returns what was written, in order. */
async function writeTrail(dir: string, count: number, seed: number): Promise<Written[]> {
  const random = seededRandom(seed);
  const writer = await ChainWriter.open(dir, 's', { flushMs: 5 });
  const written: Written[] = [];
  for (let i = 0; i < count; i++) {
    const type = TYPES[Math.floor(random() * TYPES.length)] ?? 'write';
    const file = FILES[Math.floor(random() * FILES.length)] ?? 'src/a.ts';
    const time = new Date(Date.UTC(2026, 2, 1, 0, i * 30)).toISOString();
    writer.append({ time, session: 's', ...eventOf(type, file, i) });
    written.push({ type, file: type === 'agent.command' ? '' : file, time, seq: i + 1 });
  }
  await writer.close();
  return written;
}

describe('the audit query (tandem/auditQuery)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-query-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns exactly the events of the chosen type, file and dates, newest first, for many random filters', async () => {
    const written = await writeTrail(dir, 120, 7);
    const random = seededRandom(11);
    for (let round = 0; round < 40; round++) {
      const type = random() < 0.5 ? TYPES[Math.floor(random() * TYPES.length)] : undefined;
      const file = random() < 0.5 ? FILES[Math.floor(random() * FILES.length)] : undefined;
      const since = random() < 0.5 ? written[Math.floor(random() * written.length)]?.time : undefined;
      const until = random() < 0.3 ? '2026-03-01' : undefined;
      const result = queryFolder(dir, { ...(type ? { types: [type] } : {}), ...(file ? { path: file } : {}), ...(since ? { since } : {}), ...(until ? { until } : {}), limit: 1000 });
      const expected = written
        .filter((event) => (!type || event.type === type) && (!file || event.file === file) && (!since || event.time >= since) && (!until || event.time < '2026-03-02'))
        .map((event) => event.seq)
        .reverse();
      assert.deepEqual(
        result.events.map((event) => event.seq),
        expected,
        `type ${type} file ${file} since ${since} until ${until}`,
      );
      assert.equal(result.total, expected.length);
    }
  });

  it('pages cover every matching event exactly once, in order', async () => {
    await writeTrail(dir, 75, 3);
    for (const limit of [1, 7, 25, 74, 75, 200]) {
      const seen: number[] = [];
      for (let offset = 0; ; offset += limit) {
        const page = queryFolder(dir, { offset, limit });
        assert.equal(page.total, 75);
        if (page.events.length === 0) break;
        assert.ok(page.events.length <= limit);
        seen.push(...page.events.map((event) => event.seq));
      }
      assert.deepEqual(seen, Array.from({ length: 75 }, (_, i) => 75 - i), `limit ${limit}`);
    }
  });

  it('says the chain is intact, then names the line a person changed', async () => {
    await writeTrail(dir, 30, 5);
    assert.deepEqual(
      queryFolder(dir, {}).chains.map((chain) => [chain.intact, chain.events]),
      [[true, 30]],
    );
    const file = path.join(dir, segmentName(1, 1));
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const target of [0, 12, 29]) {
      const copy = [...lines];
      copy[target] = (copy[target] ?? '').replace('"actor":"', '"actor":"x');
      writeFileSync(file, copy.join('\n'));
      const [chain] = queryFolder(dir, {}).chains;
      assert.equal(chain?.intact, false);
      assert.equal(chain?.broken?.line, target + 1, chain?.broken?.message);
      assert.equal(chain?.broken?.kind, 'tampered');
    }
  });

  it('carries a proposal’s diff only when asked, and finds one proposal by id', async () => {
    await writeTrail(dir, 60, 9);
    const plain = queryFolder(dir, { types: ['proposal'] });
    assert.ok(plain.events.length > 0);
    assert.ok(plain.events.every((event) => event.diff === undefined));
    const id = plain.events[0]?.proposal ?? '';
    const one = queryFolder(dir, { proposal: id, types: ['proposal'], includeDiffs: true });
    assert.equal(one.events.length, 1);
    assert.match(one.events[0]?.diff ?? '', /^--- a\//);
  });

  it('tells why nothing could be read: no folder, or a date that is not one', () => {
    assert.match(queryFolder(undefined, {}).problem ?? '', /No audit folder/);
    assert.match(queryFolder(dir, { since: 'yesterday-ish' }).problem ?? '', /not a date/);
    assert.deepEqual(queryFolder(dir, {}).chains, []);
  });
});

describe('provenance from the audit (tandem/auditProvenance)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-prov-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function write(events: AuditEvent[]): Promise<void> {
    const writer = await ChainWriter.open(dir, 's', { flushMs: 5 });
    events.forEach((event, i) => writer.append({ time: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString(), session: 's', ...event }));
    await writer.close();
  }

  it('lists the changes that landed in the file, with their model, approver and accepted changes; not the rejected or other files', async () => {
    const diff = patch('src/a.ts', 'one\ntwo\n', 'one\nTWO\nthree\n') + patch('src/b.ts', 'x\n', 'y\n');
    await write([
      { type: 'agent.start', actor: 'person', task: 'T', model: 'agent-model', endpointHost: 'h', policy: { approvalPolicy: 'auto-edit', allowCommands: [], denyCommands: [], allowNetwork: false, maxSteps: 1, maxTokens: 1, commandTimeout: 1, maxToolCallsPerTurn: 1 }, sandbox: { kind: 'none', network: false } },
      { type: 'model.request', actor: 'person', request: 'r1', purpose: 'edit', model: 'gpt-4.1', endpointHost: 'h', context: [], totalMs: 1, attempts: 1, outcome: 'ok' },
      { type: 'proposal', actor: 'model', proposal: 'p1', request: 'r1', origin: 'refactor', format: 'unifiedDiff', files: [], diff },
      { type: 'decision', actor: 'person', proposal: 'p1', review: 'v', scope: 'change', decision: 'accepted', path: 'src/a.ts', hunks: [0] },
      { type: 'write', actor: 'person', proposal: 'p1', path: 'src/a.ts', operation: 'edit' },
      { type: 'proposal', actor: 'model', proposal: 'p2', task: 'T', step: 's2', origin: 'agent', format: 'applyPatch', files: [], diff: patch('src/a.ts', 'one\n', 'zero\none\n') },
      { type: 'decision', actor: 'policy:auto-edit', proposal: 'p2', task: 'T', step: 's2', review: 'w', scope: 'set', decision: 'accepted', path: 'src/a.ts', hunks: [] },
      { type: 'write', actor: 'policy:auto-edit', proposal: 'p2', path: 'src/a.ts', operation: 'edit' },
      { type: 'proposal', actor: 'model', proposal: 'p3', request: 'r1', origin: 'refactor', format: 'unifiedDiff', files: [], diff: patch('src/a.ts', 'one\n', 'rejected\n') },
      { type: 'decision', actor: 'person', proposal: 'p3', review: 'x', scope: 'file', decision: 'rejected', path: 'src/a.ts', hunks: [0] },
    ]);
    const result = provenanceOf(dir, 'src/a.ts');
    assert.deepEqual(
      result.changes.map((change) => [change.proposal, change.model, change.approvedBy, change.origin, change.acceptedHunks, change.step]),
      [
        ['p1', 'gpt-4.1', 'person', 'refactor', [0], undefined],
        ['p2', 'agent-model', 'policy:auto-edit', 'agent', undefined, 's2'],
      ],
    );
    assert.ok(result.changes.every((change) => !change.diff.includes('src/b.ts')), 'only this file’s part of the diff');
    assert.match(result.anchor ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(provenanceOf(dir, 'src/b.ts').changes, []);
  });
});
