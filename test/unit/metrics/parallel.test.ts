/**
 * Aggregating a trail in parts (the later part in a worker thread, merged
 * after) gives exactly the figures of one pass: generated trails (seeded,
 * so a failure repeats) of random sizes, several chains and files, linked
 * events on both sides of every split (a proposal in one file, its decision
 * in a later one; tasks across files), time-to-first-token samples past the
 * reservoir's capacity, priced and unpriced models, odd lines (torn, not
 * JSON, other time forms, names like `__proto__`), with and without a
 * range; compared as the JSON the dashboard and `tandem metrics --json` get.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MetricsAggregator, type MetricsOptions, type MetricsRange } from '../../../src/server/services/metrics/aggregate';
import { aggregateFolder, aggregateFolderAsync, aggregatePart } from '../../../src/server/services/metrics/folder';
import { aggregateInWorker } from '../../../src/server/services/metrics/parallel';
import { QUANTILE_CAPACITY } from '../../../src/server/services/metrics/quantiles';

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

const PATHS = ['src/a.ts', 'b.py', 'main.go', 'README', '__proto__', 'ünïcödé/x.rs'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'm-local', '__proto__', 'claude-sonnet-4'];
const HOSTS = ['api.example.com', 'localhost:11434'];
const COMMANDS = ['npm test', 'pytest -q', 'ls -la', 'go test ./...'];
const OPTIONS: MetricsOptions = { prices: { 'm-local': { input: 0.07, output: 0.31 } } };

interface Trail {
  /** Each chain's files, in order; each file its text. */
  chains: string[][];
  first: number;
  last: number;
}

/** A trail of `count` events (and some odd lines) over a few days, cut into chains and files at random lines. */
function generate(seed: number, count: number, odd: boolean): Trail {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const first = Date.parse('2026-11-28T20:00:00.000Z');
  let clock = first;
  const lines: string[] = [];
  const proposals: string[] = [];
  const tasks: string[] = [];
  // One model and purpose gets many samples, so its reservoir is past capacity and the order of samples counts.
  const busy = count >= 5_000;
  for (let n = 0; n < count; n++) {
    clock += 1 + Math.floor(random() * (busy ? 20_000 : 400_000));
    const time = new Date(clock).toISOString();
    const head = { v: 1, seq: n + 1, time, session: 's' };
    const kind = random();
    let event: Record<string, unknown>;
    if (kind < 0.25) {
      const type = pick(['completion.shown', 'completion.accepted', 'completion.partiallyAccepted']);
      event = { type, path: pick(PATHS), chars: Math.floor(random() * 90), ...(type !== 'completion.shown' ? { acceptedChars: Math.floor(random() * 40) } : {}) };
    } else if (kind < 0.55) {
      const prompt = Math.floor(random() * 5000);
      const completion = Math.floor(random() * 900);
      const hot = busy && random() < 0.7;
      event = {
        type: 'model.request',
        model: hot ? 'gpt-4o-mini' : pick(MODELS),
        purpose: hot ? 'completion' : pick(['chat', 'completion', 'agent']),
        endpointHost: pick(HOSTS),
        ...(random() < 0.85 ? { tokens: { prompt, completion, total: prompt + completion } } : {}),
        ...(random() < 0.9 ? { ttftMs: Math.floor(random() * 3000) + (random() < 0.1 ? 0.5 : 0) } : {}),
      };
    } else if (kind < 0.68) {
      const proposal = `p${n}`;
      proposals.push(proposal);
      event = { type: 'proposal', proposal, files: [{ path: pick(PATHS), sha256Before: 'a'.repeat(64) }] };
    } else if (kind < 0.8 && proposals.length > 0) {
      const decision = pick(['accepted', 'rejected', 'refused', 'other']);
      event = { type: 'decision', proposal: pick(proposals), decision, path: pick(PATHS), ...(decision === 'refused' ? { reason: pick(['stale', '__proto__', 'moved']) } : {}) };
    } else if (kind < 0.84 && proposals.length > 0) {
      const security = random() < 0.6;
      event = security
        ? { type: 'checks', stage: 'security', proposal: pick(proposals), findings: [{ rule: pick(['secret', 'sql', '__proto__']), severity: pick(['high', 'medium', 'low']) }, ...(random() < 0.3 ? [{ rule: 'eval' }, 7] : [])] }
        : { type: 'checks', stage: 'project', proposal: pick(proposals), checks: [{ status: pick(['passed', 'failed', 'timedOut']) }] };
    } else if (kind < 0.88) {
      const task = `t${n}`;
      tasks.push(task);
      event = { type: 'agent.start', task, policy: { approvalPolicy: 'ask' } };
    } else if (kind < 0.93 && tasks.length > 0) {
      const approved = random() < 0.8;
      event = { type: 'agent.command', task: pick(tasks), command: pick(COMMANDS), decision: pick(['ask', 'run', 'deny', 'limit']), approved, ...(approved ? { exitCode: random() < 0.6 ? 0 : 1 } : {}), ...(random() < 0.1 ? { timedOut: true } : {}) };
    } else if (kind < 0.96 && tasks.length > 0) {
      event = { type: 'agent.end', task: pick(tasks), steps: Math.floor(random() * 9) };
    } else if (kind < 0.98) {
      event = { type: 'restore', files: [{ path: pick(PATHS) }, 'x'] };
    } else {
      event = { type: 'agent.step', task: pick(tasks.length > 0 ? tasks : ['none']) };
    }
    lines.push(JSON.stringify({ ...head, ...event }));
    if (odd && random() < 0.02) {
      lines.push(pick(['not json', '{"v":1,"seq":1,"type":"proposal"}', '[]', `{"time":"${new Date(clock).toUTCString()}","type":"agent.step"}`, `{"time":"${time}","type":"unknown.kind","x":1}`]));
    }
  }
  // Chains, then files, cut at random lines (a file may be empty; the last of a chain may end torn).
  const chainCount = 1 + Math.floor(random() * 3);
  const chains: string[][] = [];
  let at = 0;
  for (let chain = 0; chain < chainCount; chain++) {
    const end = chain === chainCount - 1 ? lines.length : at + Math.floor(random() * (lines.length - at));
    const files: string[] = [];
    const fileCount = 1 + Math.floor(random() * 6);
    for (let file = 0; file < fileCount; file++) {
      const stop = file === fileCount - 1 ? end : at + Math.floor(random() * (end - at + 1));
      const text = lines.slice(at, stop).map((line) => `${line}\n`).join('');
      files.push(file === fileCount - 1 && odd && random() < 0.5 ? `${text}{"v":1,"seq":9,"time":"2026-1` : text);
      at = stop;
    }
    chains.push(files);
  }
  return { chains, first, last: clock };
}

function writeFiles(dir: string, trail: Trail): string[] {
  const paths: string[] = [];
  trail.chains.forEach((files, chain) =>
    files.forEach((text, index) => {
      const file = path.join(dir, `audit-${chain + 1}-${String(index + 1).padStart(6, '0')}.jsonl`);
      writeFileSync(file, text);
      paths.push(file);
    }),
  );
  return paths;
}

/** The figures from the first `cuts[0]` files in this thread and each later part as a partial, merged in order. */
function inParts(files: readonly string[], cuts: readonly number[], range: MetricsRange): string {
  const aggregator = new MetricsAggregator(range, OPTIONS);
  const bounds = [0, ...cuts, files.length];
  for (const file of files.slice(0, bounds[1])) aggregator.addText(readText(file));
  for (let part = 1; part < bounds.length - 1; part++) {
    const partFiles = files.slice(bounds[part], bounds[part + 1]);
    const partial = aggregatePart(partFiles, range, OPTIONS);
    if (partial.exact) aggregator.merge(partial);
    else for (const file of partFiles) aggregator.addText(readText(file));
  }
  return JSON.stringify(aggregator.report());
}

function readText(file: string): string {
  // The trail's own reading (aggregate.ts decodes ASCII as Latin-1, the rest as UTF-8): both give the same text here.
  return readFileSync(file, 'utf8');
}

describe('metrics in parts (the partial of a worker thread, merged) equal one pass', () => {
  const folders: string[] = [];
  const folder = (): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-parts-'));
    folders.push(dir);
    return dir;
  };
  after(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('generated trails, every split point and three-part splits, with and without a range', function () {
    this.timeout(120_000);
    let compared = 0;
    let pastCapacity = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const random = mulberry32(seed * 7919);
      const count = seed % 10 === 0 ? 12_000 : Math.floor(random() * 900);
      const trail = generate(seed, count, seed % 3 !== 0);
      const dir = folder();
      const files = writeFiles(dir, trail);
      const span = trail.last - trail.first;
      const ranges: MetricsRange[] = [{}, { since: trail.first + Math.floor(random() * span * 0.6) }, { since: trail.first + Math.floor(random() * span * 0.3), until: trail.first + Math.floor(span * (0.5 + random() * 0.5)) }];
      for (const range of ranges) {
        const expected = aggregateFolder(dir, range, OPTIONS);
        const one = JSON.stringify(expected);
        if (Object.values(expected.speed.ttftMs).some((byPurpose) => Object.values(byPurpose).some((q) => q.count > QUANTILE_CAPACITY))) pastCapacity += 1;
        for (let cut = 0; cut <= files.length; cut++) {
          assert.equal(inParts(files, [cut], range), one, `seed ${seed}, range ${JSON.stringify(range)}, split before file ${cut} of ${files.length}`);
          compared += 1;
        }
        const a = Math.floor(random() * (files.length + 1));
        const b = a + Math.floor(random() * (files.length - a + 1));
        assert.equal(inParts(files, [a, b], range), one, `seed ${seed}, range ${JSON.stringify(range)}, splits before files ${a} and ${b}`);
      }
    }
    // The generator reaches what the merge must get right: many comparisons, and reservoirs past capacity.
    assert.ok(compared > 300, `${compared} comparisons`);
    assert.ok(pastCapacity > 0, 'no reservoir went past its capacity');
  });

  it('a part with a summed value that is not a small integer is not merged as a partial (its sums could round otherwise)', () => {
    const dir = folder();
    const lines = [
      { v: 1, seq: 1, time: '2026-12-01T10:00:00.000Z', type: 'completion.shown', path: 'a.ts', chars: 0.1 },
      { v: 1, seq: 2, time: '2026-12-01T10:00:01.000Z', type: 'model.request', model: 'gpt-4o', endpointHost: 'api.example.com', tokens: { prompt: 2 ** 40, completion: 1, total: 2 ** 40 + 1 } },
    ];
    for (const line of lines) {
      writeFileSync(path.join(dir, 'audit-1-000001.jsonl'), `${JSON.stringify(line)}\n`);
      assert.equal(aggregatePart([path.join(dir, 'audit-1-000001.jsonl')], {}, OPTIONS).exact, false, JSON.stringify(line));
    }
  });

  it('through a real worker thread: the partial crosses, and aggregateFolderAsync gives the figures of one pass', async function () {
    this.timeout(60_000);
    for (const seed of [5, 20, 33]) {
      const trail = generate(seed, 3_000, seed !== 20);
      const dir = folder();
      const files = writeFiles(dir, trail);
      const later = files.slice(Math.floor(files.length / 2));
      const fromWorker = await aggregateInWorker(later, {}, OPTIONS);
      assert.ok(fromWorker, 'the worker thread gave no partial (it could not start, or failed)');
      assert.deepEqual(fromWorker, aggregatePart(later, {}, OPTIONS));
      const range = { since: trail.first + Math.floor((trail.last - trail.first) / 3) };
      for (const r of [{}, range]) {
        assert.equal(JSON.stringify(await aggregateFolderAsync(dir, r, OPTIONS, { minBytes: 0 })), JSON.stringify(aggregateFolder(dir, r, OPTIONS)), `seed ${seed}`);
      }
    }
  });
});
