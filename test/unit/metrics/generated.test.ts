/**
 * Generated sessions (seeded, so a failure repeats): random completions,
 * model requests, proposals and decisions, agent tasks with commands and
 * restores over several days, written by the real chain writer. The
 * expected figures are computed here from the list of events directly (all
 * in memory, by definition), for the whole trail and for a random range.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aggregateFolder } from '../../../src/server/services/metrics/folder';
import type { AuditPolicy } from '../../../src/shared/audit';
import type { Quantiles } from '../../../src/shared/metrics';
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

const POLICY: AuditPolicy = { approvalPolicy: 'ask', allowCommands: [], denyCommands: [], allowNetwork: false, maxSteps: 20, maxTokens: 100000, commandTimeout: 60, maxToolCallsPerTurn: 4 };
const PATHS = ['src/a.ts', 'b.py', 'main.go', 'README', 'x.unknownext'];
const LANGUAGE: Record<string, string> = { 'src/a.ts': 'typescript', 'b.py': 'python', 'main.go': 'go', README: 'other', 'x.unknownext': 'other' };
const MODELS = ['m-small', 'm-large'];
const PURPOSES = ['chat', 'completion', 'edit', 'agent'] as const;

function generate(seed: number): Timed[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let clock = Date.parse('2026-11-28T20:00:00.000Z');
  const at = (maxStep: number): string => new Date((clock += 1 + Math.floor(random() * maxStep))).toISOString();
  const events: Timed[] = [];
  for (let n = 0; n < 300; n++) {
    const kind = random();
    if (kind < 0.35) {
      const filePath = random() < 0.1 ? undefined : pick(PATHS);
      const chars = 1 + Math.floor(random() * 80);
      const base = { actor: 'model' as const, request: `tc${n}`, chars, ...(filePath ? { path: filePath } : {}) };
      events.push({ time: at(600_000), type: 'completion.shown', ...base });
      const taken = random();
      if (taken < 0.3) events.push({ time: at(5_000), type: 'completion.accepted', ...base, actor: 'person', acceptedChars: chars });
      else if (taken < 0.45) events.push({ time: at(5_000), type: 'completion.partiallyAccepted', ...base, actor: 'person', acceptedChars: Math.floor(random() * chars) });
    } else if (kind < 0.6) {
      const counted = random() < 0.8;
      const prompt = Math.floor(random() * 2000);
      const completion = Math.floor(random() * 500);
      events.push({
        time: at(900_000),
        type: 'model.request',
        actor: 'person',
        request: `r${n}`,
        purpose: pick(PURPOSES),
        model: pick(MODELS),
        endpointHost: 'h',
        context: [],
        ...(counted ? { tokens: { prompt, completion, total: prompt + completion } } : {}),
        ...(random() < 0.9 ? { ttftMs: Math.floor(random() * 3000) } : {}),
        totalMs: 4000,
        attempts: 1,
        outcome: 'ok',
      });
    } else if (kind < 0.8) {
      const proposal = `p${n}`;
      events.push({ time: at(900_000), type: 'proposal', actor: 'model', proposal, origin: 'refactor', format: 'applyPatch', files: [] });
      const decisions = Math.floor(random() * 3);
      for (let d = 0; d < decisions; d++) {
        const decision = pick(['accepted', 'rejected', 'refused'] as const);
        events.push({ time: at(60_000), type: 'decision', actor: 'person', proposal, review: 'r', scope: 'file', decision, path: pick(PATHS), hunks: [0], ...(decision === 'refused' ? { reason: pick(['stale', 'moved']) } : {}) });
      }
    } else if (kind < 0.95) {
      const task = `task${n}`;
      events.push({ time: at(900_000), type: 'agent.start', actor: 'person', task, model: 'm-large', endpointHost: 'h', policy: POLICY, sandbox: { kind: 'none', network: false } });
      const steps = Math.floor(random() * 4);
      for (let s = 1; s <= steps; s++) {
        events.push({ time: at(10_000), type: 'agent.step', actor: 'model', task, step: `s${s}`, turn: s, tool: 'run_command', title: 't', status: 'done', durationMs: 5, sent: { sha256: '0'.repeat(64), bytes: 1 } });
        if (random() < 0.6) {
          const approved = random() < 0.8;
          events.push({ time: at(10_000), type: 'agent.command', actor: 'person', task, step: `s${s}`, command: pick(['npm test', 'pytest -q', 'ls -la', 'go test ./...', 'cat test.txt']), decision: 'ask', approved, ...(approved ? { exitCode: random() < 0.6 ? 0 : 1 } : {}) });
        }
      }
      if (random() < 0.3) events.push({ time: at(10_000), type: 'restore', actor: 'person', task, files: [{ path: pick(PATHS), action: 'restored' }] });
      if (random() < 0.9) events.push({ time: at(60_000), type: 'agent.end', actor: 'service', task, finishReason: 'finish', steps, tokens: { prompt: 0, completion: 0, total: 0 } });
    }
  }
  return events;
}

function quantiles(values: number[]): Quantiles {
  if (values.length === 0) return { count: 0, exact: true };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
  return { count: sorted.length, p50: rank(0.5), p95: rank(0.95), exact: true };
}

const TEST_COMMANDS = new Set(['npm test', 'pytest -q', 'go test ./...']);

/** The figures, by definition, from all the events at once. */
function expected(all: readonly Timed[], since = -Infinity, until = Infinity) {
  const events = all.filter((event) => Date.parse(event.time) >= since && Date.parse(event.time) <= until);
  const shownPerDay = new Map<string, number>();
  const byLanguage: Record<string, { shown: number; taken: number; chars: number }> = {};
  const tokensByModel: Record<string, number> = {};
  const ttft: Record<string, Record<string, number[]>> = {};
  const proposedAt = new Map<string, number>();
  const toDecision: number[] = [];
  const taskStart = new Map<string, number>();
  const durations: number[] = [];
  const lastTest = new Map<string, boolean>();
  let passed = 0;
  let failed = 0;
  const acceptedSinceRestore = new Map<string, number>();
  let restored = 0;
  for (const event of events) {
    const time = Date.parse(event.time);
    switch (event.type) {
      case 'completion.shown':
      case 'completion.accepted':
      case 'completion.partiallyAccepted': {
        const language = event.path ? (LANGUAGE[event.path] ?? 'other') : 'unknown';
        const entry = (byLanguage[language] ??= { shown: 0, taken: 0, chars: 0 });
        if (event.type === 'completion.shown') {
          entry.shown += 1;
          shownPerDay.set(event.time.slice(0, 10), (shownPerDay.get(event.time.slice(0, 10)) ?? 0) + 1);
        } else {
          entry.taken += 1;
          entry.chars += event.acceptedChars ?? 0;
        }
        break;
      }
      case 'model.request':
        tokensByModel[event.model] = (tokensByModel[event.model] ?? 0) + (event.tokens?.total ?? 0);
        if (event.ttftMs !== undefined) ((ttft[event.model] ??= {})[event.purpose] ??= []).push(event.ttftMs);
        break;
      case 'proposal':
        proposedAt.set(event.proposal!, time);
        break;
      case 'decision': {
        const proposed = proposedAt.get(event.proposal!);
        if (proposed !== undefined) toDecision.push(time - proposed);
        proposedAt.delete(event.proposal!);
        if (event.decision === 'accepted') acceptedSinceRestore.set(event.path, (acceptedSinceRestore.get(event.path) ?? 0) + 1);
        break;
      }
      case 'restore':
        for (const file of event.files) {
          restored += acceptedSinceRestore.get(file.path) ?? 0;
          acceptedSinceRestore.delete(file.path);
        }
        break;
      case 'agent.start':
        taskStart.set(event.task!, time);
        break;
      case 'agent.command':
        if (event.approved && TEST_COMMANDS.has(event.command)) lastTest.set(event.task!, event.exitCode === 0);
        break;
      case 'agent.end': {
        const start = taskStart.get(event.task!);
        if (start !== undefined) durations.push(time - start);
        const last = lastTest.get(event.task!);
        if (last === true) passed += 1;
        if (last === false) failed += 1;
        break;
      }
    }
  }
  return {
    events: events.length,
    shownPerDay: [...shownPerDay].filter(([, count]) => count > 0),
    byLanguage,
    tokensByModel,
    ttft: Object.fromEntries(Object.entries(ttft).map(([model, byPurpose]) => [model, Object.fromEntries(Object.entries(byPurpose).map(([purpose, values]) => [purpose, quantiles(values)]))])),
    toDecision: quantiles(toDecision),
    durations: quantiles(durations),
    passed,
    failed,
    restored,
  };
}

describe('metrics of generated sessions (seeded), against figures computed directly', () => {
  const folders: string[] = [];
  after(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  for (const seed of [1, 7, 42, 1234, 99_991]) {
    it(`seed ${seed}: the whole trail and a random range`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-metrics-gen-'));
      folders.push(dir);
      const events = generate(seed);
      await writeTrail(dir, events);
      const random = mulberry32(seed ^ 0x5eed);
      const first = Date.parse(events[0]!.time);
      const span = Date.parse(events.at(-1)!.time) - first;
      const since = first + Math.floor(random() * span * 0.5);
      const until = since + Math.floor(random() * span * 0.5);
      for (const range of [{}, { since, until }]) {
        const report = aggregateFolder(dir, range);
        const want = expected(events, range.since, range.until);
        const label = JSON.stringify(range);
        assert.equal(report.events, want.events, label);
        const shownDays = report.days.filter((day) => day.completions.shown > 0).map((day) => [day.day, day.completions.shown]);
        assert.deepEqual(shownDays, want.shownPerDay.sort(([a], [b]) => String(a).localeCompare(String(b))), label);
        for (const [language, figures] of Object.entries(want.byLanguage)) {
          const got = report.totals.completionsByLanguage[language];
          assert.ok(got, `${label} ${language}`);
          assert.equal(got.shown, figures.shown, `${label} ${language}`);
          assert.equal(got.accepted + got.partiallyAccepted, figures.taken, `${label} ${language}`);
          assert.equal(got.charsAccepted, figures.chars, `${label} ${language}`);
          assert.equal(got.acceptanceRate, figures.shown > 0 ? figures.taken / figures.shown : null, `${label} ${language}`);
        }
        assert.deepEqual(Object.fromEntries(Object.entries(report.totals.tokensByModel).map(([model, figures]) => [model, figures.total])), want.tokensByModel, label);
        assert.deepEqual(report.speed.ttftMs, want.ttft, label);
        assert.deepEqual(report.velocity.timeToDecisionMs, want.toDecision, label);
        assert.deepEqual(report.velocity.taskDurationMs, want.durations, label);
        assert.equal(report.quality.tasksLastTestPassed, want.passed, label);
        assert.equal(report.quality.tasksLastTestFailed, want.failed, label);
        assert.equal(report.quality.acceptedThenRestored, want.restored, label);
      }
    });
  }
});
