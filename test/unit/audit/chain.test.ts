/**
 * The audit trail's hash chain: what the writer leaves on disk verifies, and
 * every way of changing it afterwards (a changed, deleted, moved or cut line,
 * a missing or swapped file) is found and named at the right line, while a
 * crash's torn last line is told apart from tampering.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { headName, listChains, lockName, segmentName } from '../../../src/server/services/audit/files';
import { verifyFolder, type ChainReport } from '../../../src/server/services/audit/verify';
import { ChainWriter, type WriterOptions } from '../../../src/server/services/audit/writer';
import { AUDIT_GENESIS } from '../../../src/shared/audit';
import { seededRandom } from '../../support/random';

const quiet: WriterOptions = { flushMs: 5 };

/** Writes `count` events in one session; returns the writer's chain. */
async function session(dir: string, count: number, options: WriterOptions = {}, name = 'session'): Promise<number> {
  const writer = await ChainWriter.open(dir, name, { ...quiet, ...options });
  for (let i = 0; i < count; i++) writer.append({ time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), session: name, type: 'model.request', actor: 'person', n: i, path: `src/f${i}.ts` });
  await writer.close();
  return writer.chain;
}

function only(dir: string): ChainReport {
  const { chains } = verifyFolder(dir);
  assert.equal(chains.length, 1, 'one chain');
  return chains[0] as ChainReport;
}

function segmentPath(dir: string, index: number, chain = 1): string {
  return path.join(dir, segmentName(chain, index));
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').slice(0, -1);
}

function writeLines(file: string, list: readonly string[]): void {
  writeFileSync(file, list.map((line) => `${line}\n`).join(''));
}

describe('the audit chain (writer and verify)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('links every line to the one before it, across sessions, and verifies intact', async () => {
    await session(dir, 5, {}, 'one');
    await session(dir, 4, {}, 'two');
    const records = lines(segmentPath(dir, 1)).map((line) => JSON.parse(line) as { seq: number; prev: string; v: number });
    assert.deepEqual(
      records.map((record) => record.seq),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.equal(records[0]?.prev, AUDIT_GENESIS);
    assert.ok(records.every((record) => record.v === 1));
    const report = only(dir);
    assert.equal(report.broken, undefined, report.broken?.message);
    assert.equal(report.events, 9);
    assert.equal(report.sessions, 2);
    assert.equal(report.lastSeq, 9);
  });

  it('rotates files by size and the chain goes on across files and sessions', async () => {
    await session(dir, 30, { maxFileBytes: 1_000 }, 'one');
    await session(dir, 30, { maxFileBytes: 1_000 }, 'two');
    const segments = listChains(dir).get(1) ?? [];
    assert.ok(segments.length > 5, `${segments.length} files`);
    for (const segment of segments) assert.ok(readFileSync(segment.path).length <= 1_000, `${segment.name} exceeds the limit`);
    const report = only(dir);
    assert.equal(report.broken, undefined, report.broken?.message);
    assert.equal(report.events, 60);
    assert.equal(report.files, segments.length);
  });

  it('a changed line is named (not the line after it), in the middle and at the end', async () => {
    await session(dir, 10);
    const file = segmentPath(dir, 1);
    for (const target of [0, 4, 9]) {
      const original = lines(file);
      const changed = [...original];
      changed[target] = (changed[target] ?? '').replace(/"path":"src\/f\d+\.ts"/, '"path":"src/evil.ts"');
      writeLines(file, changed);
      const report = only(dir);
      assert.equal(report.broken?.kind, 'tampered', `line ${target + 1}: ${report.broken?.message}`);
      assert.equal(report.broken.line, target + 1, report.broken.message);
      writeLines(file, original);
      assert.equal(only(dir).broken, undefined);
    }
  });

  it('a deleted line is found: in the middle (the gap) and at the end (the head)', async () => {
    await session(dir, 10);
    const file = segmentPath(dir, 1);
    const original = lines(file);
    writeLines(file, original.filter((_, index) => index !== 3));
    let report = only(dir);
    assert.equal(report.broken?.kind, 'deleted', report.broken?.message);
    assert.equal(report.broken.line, 4);
    assert.match(report.broken.message, /seq 4 is missing/);

    writeLines(file, original.slice(0, -2));
    report = only(dir);
    assert.equal(report.broken?.kind, 'deleted', report.broken?.message);
    assert.match(report.broken.message, /says seq 10 was written/);
  });

  it('reordered lines are found where the order breaks', async () => {
    await session(dir, 10);
    const file = segmentPath(dir, 1);
    const list = lines(file);
    [list[5], list[6]] = [list[6] ?? '', list[5] ?? ''];
    writeLines(file, list);
    const report = only(dir);
    assert.equal(report.broken?.kind, 'reordered', report.broken?.message);
    assert.equal(report.broken.line, 6);
  });

  it('a torn last line (a crash) is reported but not a break; the next writer acknowledges it and the chain verifies', async () => {
    await session(dir, 6);
    const file = segmentPath(dir, 1);
    // A crash in the middle of a write: the last line's second half never reached the disk, nor did the head.
    const whole = readFileSync(file);
    const head = readFileSync(path.join(dir, headName(1)), 'utf8');
    writeFileSync(file, Buffer.concat([whole, Buffer.from('{"v":1,"seq":7,"time":"2026-01-01T00:00:0')]));
    let report = only(dir);
    assert.equal(report.broken, undefined, report.broken?.message);
    assert.equal(report.tornEnd?.line, 7);
    assert.equal(report.events, 6);

    await session(dir, 2, {}, 'after');
    report = only(dir);
    assert.equal(report.broken, undefined, report.broken?.message);
    assert.equal(report.tornEnd, undefined);
    assert.equal(report.events, 9, 'audit.recovered and two more');
    assert.ok(report.notes.some((note) => /crash cut audit-1-000001\.jsonl line 7 short/.test(note)), report.notes.join('\n'));
    const recovered = JSON.parse(lines(segmentPath(dir, 2))[0] ?? '{}') as { type: string; seq: number };
    assert.equal(recovered.type, 'audit.recovered');
    assert.equal(recovered.seq, 7);
    assert.ok(head.length > 0);
  });

  it('cutting a whole line short is tampering, not a crash: the head says it was written whole', async () => {
    await session(dir, 6);
    const file = segmentPath(dir, 1);
    const size = readFileSync(file).length;
    truncateSync(file, size - 10);
    const report = only(dir);
    assert.equal(report.broken?.kind, 'tampered', report.broken?.message);
    assert.equal(report.broken.line, 6);
  });

  it('a torn line in the middle without the writer acknowledging it is a break', async () => {
    await session(dir, 12, { maxFileBytes: 1_000 });
    const first = segmentPath(dir, 1);
    const bytes = readFileSync(first);
    writeFileSync(first, bytes.subarray(0, bytes.length - 1));
    const report = only(dir);
    assert.equal(report.broken?.kind, 'torn', report.broken?.message);
    assert.equal(report.broken.file, segmentName(1, 1));
    assert.equal(report.broken.line, lines(first).length + 1);
  });

  it('a deleted or swapped file is a break', async () => {
    await session(dir, 40, { maxFileBytes: 800 });
    const count = listChains(dir).get(1)?.length ?? 0;
    assert.ok(count >= 4);
    const second = readFileSync(segmentPath(dir, 2));
    const third = readFileSync(segmentPath(dir, 3));
    writeFileSync(segmentPath(dir, 2), third);
    writeFileSync(segmentPath(dir, 3), second);
    let report = only(dir);
    assert.ok(report.broken, 'swapped files');
    assert.equal(report.broken.file, segmentName(1, 2));
    writeFileSync(segmentPath(dir, 2), second);
    writeFileSync(segmentPath(dir, 3), third);
    assert.equal(only(dir).broken, undefined);

    unlinkSync(segmentPath(dir, 2));
    report = only(dir);
    assert.equal(report.broken?.kind, 'rotation', report.broken?.message);
    assert.match(report.broken.message, /audit-1-000002\.jsonl is missing/);
  });

  it('two writers on one folder write two chains, each intact; a dead writer’s lock is taken over', async () => {
    const [a, b] = await Promise.all([ChainWriter.open(dir, 'a', quiet), ChainWriter.open(dir, 'b', quiet)]);
    assert.ok(a && b);
    assert.notEqual(a.chain, b.chain);
    for (let i = 0; i < 20; i++) {
      a.append({ time: new Date().toISOString(), session: 'a', type: 'completion.shown', actor: 'model', i });
      b.append({ time: new Date().toISOString(), session: 'b', type: 'completion.shown', actor: 'model', i });
    }
    await Promise.all([a.close(), b.close()]);
    const { chains } = verifyFolder(dir);
    assert.deepEqual(
      chains.map((chain) => [chain.chain, chain.events, chain.broken?.message]),
      [
        [1, 20, undefined],
        [2, 20, undefined],
      ],
    );

    // A lock left by a process that is gone (a crash) does not keep the chain from being continued.
    writeFileSync(path.join(dir, lockName(1)), JSON.stringify({ pid: 999_999, host: os.hostname(), session: 'dead', since: '' }));
    const c = await ChainWriter.open(dir, 'c', { ...quiet, isAlive: () => false });
    assert.equal(c.chain, 1);
    c.append({ time: new Date().toISOString(), session: 'c', type: 'session.end', actor: 'service' });
    await c.close();
    assert.equal(verifyFolder(dir).chains[0]?.events, 21);
    // A live one does: the next chain is taken.
    writeFileSync(path.join(dir, lockName(1)), JSON.stringify({ pid: 4242, host: os.hostname(), session: 'alive', since: '' }));
    const d = await ChainWriter.open(dir, 'd', { ...quiet, isAlive: () => true });
    assert.equal(d.chain, 2);
    await d.close();
  });

  it('appending never waits for the disk, and flush writes everything in order', async () => {
    const writer = await ChainWriter.open(dir, 's', { flushMs: 10_000 });
    for (let i = 0; i < 100; i++) writer.append({ time: 't', session: 's', type: 'completion.shown', actor: 'model', i });
    assert.equal(readdirSync(dir).filter((name) => name.endsWith('.jsonl')).length, 0, 'nothing written yet');
    assert.equal(writer.waiting, 100);
    await writer.flush();
    assert.equal(writer.waiting, 0);
    assert.equal(lines(segmentPath(dir, 1)).length, 100);
    await writer.close();
    assert.equal(writer.append({ time: 't', session: 's', type: 'x', actor: 'model' }), 0, 'closed writers drop appends');
  });

  describe('generated mutations: any byte of any line changed is found at that line', () => {
    for (const seed of [1, 2, 3]) {
      it(`seed ${seed}`, async () => {
        await session(dir, 25, { maxFileBytes: 2_000 }, 'one');
        await session(dir, 15, { maxFileBytes: 2_000 }, 'two');
        assert.equal(only(dir).broken, undefined);
        const segments = listChains(dir).get(1) ?? [];
        const originals = segments.map((segment) => readFileSync(segment.path));
        const random = seededRandom(seed);
        for (let trial = 0; trial < 150; trial++) {
          const which = Math.floor(random() * segments.length);
          const segment = segments[which];
          const original = originals[which];
          if (!segment || !original) throw new Error('no segment');
          const offset = Math.floor(random() * original.length);
          const mutated = Buffer.from(original);
          mutated[offset] = (original[offset] ?? 0) ^ (1 + Math.floor(random() * 255));
          writeFileSync(segment.path, mutated);
          // The line the changed byte is in (a changed newline belongs to the line it ends).
          const line = countNewlines(original.subarray(0, offset)) + 1;
          const report = only(dir);
          const found = report.broken ?? report.tornEnd;
          assert.ok(found, `trial ${trial}: ${segment.name} byte ${offset} changed but the chain verifies`);
          assert.deepEqual([found.file, found.line], [segment.name, line], `trial ${trial}: byte ${offset}: ${found.message}`);
          writeFileSync(segment.path, original);
        }
      });
    }
  });
});

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (const byte of bytes) if (byte === 0x0a) count++;
  return count;
}
