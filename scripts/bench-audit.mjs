#!/usr/bin/env node
// `npm run bench:audit`: what the audit trail costs, as figures (each with its goal
// where the issue sets one). Prints figures; asserts nothing.
//   1. cost per event on the completion hot path: the completion engine's
//      `event()` (a suggestion shown) with the trail on, minus the same without it,
//      and the trail's own `record()`, p50 / p99 (goal p99 < 0.1 ms);
//   2. events per second sustained, written to disk (mixed events);
//   3. bytes per 1,000 completion events (shown), and per 1,000 completions
//      (model request + shown + accepted);
//   4. `verify` of a chain of 100,000 events (goal < 2 s);
//   5. the secret scan of 1 MB of context (goal < 20 ms; the measurement of
//      bench:redaction, test/bench/redactionScan.ts), which the data boundary
//      runs on the way out and the trail on content fields before writing;
//   6. the hot path with the OTLP export on (a receiver on 127.0.0.1), and
//      record() of suggestions at contents `all` (each then waits for its scan).
// Runs the TypeScript sources through tsx: node --import tsx scripts/bench-audit.mjs
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CompletionEngine } from '../src/server/completions/engine.ts';
import { ServiceLog } from '../src/server/log.ts';
import { contextItem, recordModelRequest } from '../src/server/services/audit/events.ts';
import { AuditTrail } from '../src/server/services/audit/trail.ts';
import { verifyFolder } from '../src/server/services/audit/verify.ts';
import { OtlpExport } from '../src/server/services/telemetry/otlp.ts';
import { resolveSettings } from '../src/server/settings.ts';
import { scanOneMegabyte } from '../test/bench/redactionScan.ts';
import { OtlpReceiver } from '../test/support/otlpReceiver.ts';

const quietLog = new ServiceLog({ info() {}, warn() {}, error() {} });
const folders = [];

function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-audit-'));
  folders.push(dir);
  return dir;
}

async function openTrail(dir, contents = 'diffs') {
  const trail = new AuditTrail({ env: {} });
  trail.setSession({ version: 'bench', folders: ['file:///bench'] });
  await trail.apply(resolveSettings({ audit: { directory: dir, contents } }, {}));
  return trail;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function folderBytes(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
}

/** Per-call times (ms) of `run(i)`, `count` calls after a warm-up. */
function timeEach(count, run) {
  for (let i = 0; i < 2_000; i++) run(-1 - i);
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    run(i);
    times[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return Array.from(times).sort((a, b) => a - b);
}

async function hotPath() {
  const count = 50_000;
  const trail = await openTrail(tempDir());
  const withAudit = new CompletionEngine({ log: quietLog, audit: trail });
  const without = new CompletionEngine({ log: quietLog });
  const on = timeEach(count, (i) => withAudit.event({ id: `tc${i}`, kind: 'shown' }));
  const off = timeEach(count, (i) => without.event({ id: `tc${i}`, kind: 'shown' }));
  const record = timeEach(count, (i) => trail.record({ type: 'completion.shown', actor: 'model', request: `tc${i}`, path: 'src/server/completions/engine.ts', chars: 42 }));
  await trail.close('shutdown');
  return {
    engineP50: percentile(on, 50) - percentile(off, 50),
    engineP99: percentile(on, 99) - percentile(off, 99),
    recordP50: percentile(record, 50),
    recordP99: percentile(record, 99),
    count,
  };
}

/** The same hot path with every event also handed to the OTLP export (a local receiver). */
async function hotPathWithExport() {
  const count = 50_000;
  const receiver = await OtlpReceiver.start();
  try {
    const trail = await openTrail(tempDir());
    const telemetry = new OtlpExport({ source: trail, version: 'bench', onProblem: () => undefined });
    telemetry.apply({ otlpEndpoint: receiver.endpoint }, 'diffs');
    const withAudit = new CompletionEngine({ log: quietLog, audit: trail });
    const without = new CompletionEngine({ log: quietLog });
    const on = timeEach(count, (i) => withAudit.event({ id: `tc${i}`, kind: 'shown' }));
    const off = timeEach(count, (i) => without.event({ id: `tc${i}`, kind: 'shown' }));
    const record = timeEach(count, (i) => trail.record({ type: 'completion.shown', actor: 'model', request: `tc${i}`, path: 'src/server/completions/engine.ts', chars: 42 }));
    await trail.close('shutdown');
    await telemetry.close();
    return { engineP99: percentile(on, 99) - percentile(off, 99), recordP50: percentile(record, 50), recordP99: percentile(record, 99), count };
  } finally {
    await receiver.close();
  }
}

/** record() of suggestions with their text (contents `all`): queued behind their secret scan, written once scanned. */
async function hotPathAll() {
  const count = 5_000;
  const trail = await openTrail(tempDir(), 'all');
  const record = timeEach(count, (i) => trail.record({ type: 'completion.shown', actor: 'model', request: `tc${i}`, path: 'src/app.ts', chars: 42, text: `const value${i} = compute(${i});` }));
  const start = performance.now();
  await trail.status(true);
  const drainMs = performance.now() - start;
  await trail.close('shutdown');
  return { recordP50: percentile(record, 50), recordP99: percentile(record, 99), count: count + 2_000, drainMs };
}

/** A mix like a working session's: many suggestions, some requests and proposals. */
function mixedEvent(trail, i) {
  switch (i % 10) {
    case 0:
      recordModelRequest(trail, {
        actor: 'person',
        request: `cm${i}`,
        purpose: 'completion',
        model: 'qwen2.5-coder:1.5b',
        baseUrl: 'http://127.0.0.1:11434/v1',
        context: [contextItem('cursor', 'src/app.ts', 'x'.repeat(2_000))],
        totalMs: 180.4,
        attempts: 1,
        outcome: { outcome: 'ok', finishReason: 'stop' },
      });
      return;
    case 1:
      trail.record({ type: 'decision', actor: 'person', proposal: `p${i}`, review: `r${i}`, scope: 'file', decision: 'accepted', path: 'src/app.ts', hunks: [0, 1] });
      return;
    default:
      trail.record({ type: 'completion.shown', actor: 'model', request: `tc${i}`, path: 'src/app.ts', chars: 37 });
  }
}

async function sustained() {
  const count = 200_000;
  const dir = tempDir();
  const trail = await openTrail(dir);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    mixedEvent(trail, i);
    // Yield now and then, as a real service does between messages, so writes interleave.
    if (i % 5_000 === 4_999) await new Promise((resolve) => setImmediate(resolve));
  }
  await trail.close('shutdown');
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: count / seconds, count, bytes: folderBytes(dir) };
}

async function sizes() {
  const shownDir = tempDir();
  const shown = await openTrail(shownDir);
  await shown.status(true);
  const before = folderBytes(shownDir);
  for (let i = 0; i < 1_000; i++) shown.record({ type: 'completion.shown', actor: 'model', request: `tc${i}`, path: 'src/components/UserProfile.tsx', chars: 48 });
  await shown.status(true);
  const shownBytes = folderBytes(shownDir) - before;
  await shown.close('shutdown');

  const fullDir = tempDir();
  const full = await openTrail(fullDir);
  await full.status(true);
  const fullBefore = folderBytes(fullDir);
  for (let i = 0; i < 1_000; i++) {
    recordModelRequest(full, {
      actor: 'person',
      request: `cm${i}`,
      purpose: 'completion',
      model: 'qwen2.5-coder:1.5b',
      baseUrl: 'http://127.0.0.1:11434/v1',
      context: [contextItem('cursor', 'src/components/UserProfile.tsx', 'y'.repeat(3_000)), contextItem('snippet', 'src/components/Avatar.tsx', 'z'.repeat(800))],
      totalMs: 212.7,
      attempts: 1,
      outcome: { outcome: 'ok', finishReason: 'stop' },
    });
    full.record({ type: 'completion.shown', actor: 'model', request: `tc${i}`, path: 'src/components/UserProfile.tsx', chars: 48 });
    full.record({ type: 'completion.accepted', actor: 'person', request: `tc${i}`, path: 'src/components/UserProfile.tsx', chars: 48, acceptedChars: 48 });
  }
  await full.status(true);
  const fullBytes = folderBytes(fullDir) - fullBefore;
  await full.close('shutdown');
  return { shownBytes, fullBytes };
}

async function verifyTime() {
  const dir = tempDir();
  const trail = await openTrail(dir);
  // 100,000 events in all, session.start and session.end included.
  for (let i = 0; i < 99_998; i++) {
    mixedEvent(trail, i);
    if (i % 5_000 === 4_999) await new Promise((resolve) => setImmediate(resolve));
  }
  await trail.close('shutdown');
  const runs = [];
  let report;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    report = verifyFolder(dir);
    runs.push(performance.now() - start);
  }
  const chain = report.chains[0];
  return { ms: Math.min(...runs), events: chain?.events ?? 0, intact: chain?.broken === undefined, files: chain?.files ?? 0, bytes: folderBytes(dir) };
}

async function main() {
  const rows = [];
  const row = (figure, value, goal, ok) => rows.push({ figure, value: String(value), goal, ok });
  const ms = (value) => `${value.toFixed(4)} ms`;

  const hot = await hotPath();
  row(`completion event with the trail on, minus off, p50 (${hot.count} events)`, ms(hot.engineP50), '', true);
  row('completion event with the trail on, minus off, p99', ms(hot.engineP99), '< 0.1 ms', hot.engineP99 < 0.1);
  row('trail.record() of a completion.shown event, p50', ms(hot.recordP50), '', true);
  row('trail.record() of a completion.shown event, p99', ms(hot.recordP99), '< 0.1 ms', hot.recordP99 < 0.1);

  const rate = await sustained();
  row(`events per second sustained, written to disk (${rate.count} mixed events)`, Math.round(rate.perSecond).toLocaleString('en'), '', true);

  const size = await sizes();
  row('bytes per 1,000 completion events (shown)', size.shownBytes.toLocaleString('en'), '', true);
  row('bytes per 1,000 completions (request + shown + accepted)', size.fullBytes.toLocaleString('en'), '', true);

  const verify = await verifyTime();
  row(`verify ${verify.events.toLocaleString('en')} events (${verify.files} files, ${(verify.bytes / 1024 / 1024).toFixed(1)} MiB, ${verify.intact ? 'intact' : 'BROKEN'})`, `${verify.ms.toFixed(0)} ms`, '< 2000 ms', verify.ms < 2_000 && verify.intact);

  const redaction = await scanOneMegabyte(30);
  row(`redaction scan of 1 MB of context, p99 (30 runs; ${redaction.found} of 8 secrets found)`, ms(redaction.p99), '< 20 ms', redaction.p99 < 20);

  const exported = await hotPathWithExport();
  row(`with the OTLP export on: completion event, trail on minus off, p99 (${exported.count} events)`, ms(exported.engineP99), '< 0.1 ms', exported.engineP99 < 0.1);
  row('with the OTLP export on: trail.record() of a completion.shown event, p99', ms(exported.recordP99), '< 0.1 ms', exported.recordP99 < 0.1);

  const all = await hotPathAll();
  row(`contents all: trail.record() of a completion.shown with its text, p99 (${all.count} events)`, ms(all.recordP99), '', true);
  row('contents all: time to scan and write what those left waiting (flush)', `${all.drainMs.toFixed(0)} ms`, '', true);

  const width = Math.max(...rows.map((r) => r.figure.length));
  console.log('\nTandem audit trail figures\n');
  for (const r of rows) {
    console.log(`${r.figure.padEnd(width)}  ${r.value.padStart(14)}  ${r.goal ? `goal ${r.goal}` : ''}${r.goal && !r.ok ? '  MISSED' : ''}`);
  }
  const missed = rows.filter((r) => r.goal && !r.ok).length;
  console.log(missed === 0 ? '\nEvery goal met.' : `\n${missed} goal(s) missed.`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });
