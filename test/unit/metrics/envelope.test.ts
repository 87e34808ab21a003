/**
 * The aggregation parses a writer's line without its envelope: generated
 * lines (the real writer's, then each mutated by a byte or a member) must
 * give the same event, and be refused or skipped alike, as parsing the whole
 * line — whatever the mutation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MetricsAggregator, writerEventStart } from '../../../src/server/services/metrics/aggregate';
import { writeTrail, type Timed } from './writeTrail';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENVELOPE = ['v', 'seq', 'session', 'prev'];

/** What the figures see of a line parsed whole: the event's members and the time, or undefined when it is not JSON. */
function whole(line: string): Record<string, unknown> | 'invalid' {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'invalid';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { notAnObject: value };
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of ENVELOPE) delete copy[key];
  return copy;
}

/** The same line read as the aggregation reads it. */
function trimmed(line: string): Record<string, unknown> | 'invalid' | 'whole' {
  const at = writerEventStart(line);
  if (at === -1) return 'whole';
  let value: unknown;
  try {
    value = JSON.parse(`{${line.slice(at, line.length - 75)}}`);
  } catch {
    return 'invalid';
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (!Object.hasOwn(copy, 'time')) {
    const time = line.indexOf(',"time":"') + 9;
    copy.time = line.slice(time, time + 24);
  }
  for (const key of ENVELOPE) delete copy[key];
  return copy;
}

describe('parsing a writer’s line without its envelope', () => {
  let lines: string[] = [];
  before(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-envelope-'));
    try {
      const events: Timed[] = [];
      for (let i = 0; i < 40; i++) {
        events.push({ time: `2026-12-01T09:00:${String(i).padStart(2, '0')}.000Z`, type: 'completion.shown', actor: 'model', request: `tc${i}`, path: i % 3 ? 'src/a "quoted" \\ path.ts' : 'ünïcødé/ファイル.py', chars: i });
        events.push({ time: `2026-12-01T10:00:${String(i).padStart(2, '0')}.000Z`, type: 'model.request', actor: 'person', request: `r${i}`, purpose: 'chat', model: 'gpt-4o', endpointHost: 'h', context: [{ path: 'a', kind: 'file', sha256: 'f'.repeat(64), bytes: 1 }], tokens: { prompt: 1, completion: 2, total: 3 }, totalMs: 1, attempts: 1, outcome: 'ok' });
      }
      await writeTrail(dir, events);
      lines = readdirSync(dir).filter((name) => /^audit-\d+-\d+\.jsonl$/.test(name)).flatMap((name) => readFileSync(path.join(dir, name), 'utf8').split('\n').filter(Boolean));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the envelope of every line the writer made, and reads the same event', () => {
    assert.ok(lines.length >= 80, String(lines.length));
    for (const line of lines) {
      assert.notEqual(writerEventStart(line), -1, line);
      assert.deepEqual(trimmed(line), whole(line), line);
    }
  });

  it('generated mutations: the same event, or both refuse it (never one reads what the other does not)', () => {
    const random = mulberry32(99);
    const alphabet = ['"', '\\', '{', '}', ',', ':', '[', ']', '0', '1', 'a', ' ', '\n', '\u0001', 'é', '"time":"2026-01-01T00:00:00.000Z",', '"v":2,', '"prev":"x",'];
    let checked = 0;
    for (let n = 0; n < 20_000; n++) {
      const line = lines[Math.floor(random() * lines.length)]!;
      const at = Math.floor(random() * line.length);
      const piece = alphabet[Math.floor(random() * alphabet.length)]!;
      const mode = random();
      const mutated = mode < 0.4 ? line.slice(0, at) + piece + line.slice(at + 1) : mode < 0.8 ? line.slice(0, at) + piece + line.slice(at) : line.slice(0, at) + line.slice(at + 1);
      const fast = trimmed(mutated);
      if (fast === 'whole') continue;
      checked += 1;
      assert.deepEqual(fast, whole(mutated), mutated);
    }
    assert.ok(checked > 5_000, `only ${checked} mutated lines took the fast path`);
  });

  it('counts the same figures as parsing whole lines', () => {
    const fast = new MetricsAggregator();
    const slow = new MetricsAggregator();
    for (const line of lines) {
      fast.addLine(line);
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      slow.add(value);
    }
    assert.deepEqual(fast.report(), slow.report());
  });
});
