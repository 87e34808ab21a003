#!/usr/bin/env node
// `npm run bench:redaction`: what the data boundary's secret scan costs on the
// way out. 1 MB of typical source (this repository's own TypeScript) with a
// few fake secrets of different kinds sprinkled in, scanned as one outgoing
// text by a fresh request each run (no cache), p50 / p99 over the runs
// (goal: < 20 ms for 1 MB). For comparison, the same text through secretlint
// without the pre-filter, an inline-completion-sized prompt (8 KB), and texts
// built to make the scan slow (test/support/hostileRedaction.ts): the time
// each takes and the longest the event loop waited meanwhile (goal < 100 ms,
// as for the other hostile inputs in bench:security).
// Runs the TypeScript sources through tsx: node --import tsx scripts/bench-redaction.mjs [runs]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { secretlintFindings } from '../src/server/services/redaction/secretlint.ts';
import { HOSTILE_UNITS, hostileText } from '../test/support/hostileRedaction.ts';
import { MB, measure, scanOnce as scan, scanOneMegabyte, sourceCorpus as corpus } from '../test/bench/redactionScan.ts';

const RUNS = Number(process.argv[2] ?? 60);

async function main() {
  const big = corpus(MB, 8);
  const small = corpus(8 * 1024, 1);
  const rows = [];
  rows.push(await scanOneMegabyte(RUNS));
  const clean = corpus(MB, 0);
  rows.push(await measure(`1 MB of source, no secrets`, RUNS, () => scan(clean)));
  rows.push(await measure(`8 KB (an inline-completion prompt), 1 secret`, RUNS * 5, () => scan(small)));
  rows.push(await measure(`1 MB: secretlint alone, without the pre-filter (comparison)`, Math.max(10, Math.floor(RUNS / 3)), () => secretlintFindings(big, { prefilter: false })));

  // Hostile texts: the whole scan, and the longest stall of the event loop while it ran.
  let slowest = { name: '', ms: 0 };
  let longestStall = { name: '', ms: 0 };
  for (const [name, unit] of Object.entries(HOSTILE_UNITS)) {
    const text = hostileText(unit, MB);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const ticker = setInterval(() => undefined, 1);
    delay.enable();
    const started = performance.now();
    await scan(text);
    const ms = performance.now() - started;
    delay.disable();
    clearInterval(ticker);
    const stall = delay.max / 1e6;
    if (ms > slowest.ms) slowest = { name, ms };
    if (stall > longestStall.ms) longestStall = { name, ms: stall };
  }

  const found = rows[0].last.redactions.reduce((sum, r) => sum + r.count, 0);
  console.log(`\nTandem redaction figures (${RUNS} runs; goal for 1 MB: p99 < 20 ms)\n`);
  const width = Math.max(...rows.map((r) => r.label.length));
  for (const r of rows) console.log(`${r.label.padEnd(width)}  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms`);
  console.log(`\nSecrets found in the 1 MB text: ${found} of 8 (${rows[0].last.redactions.map((r) => `${r.count} ${r.kind}`).join(', ')}).`);
  console.log(`Hostile 1 MB texts (${Object.keys(HOSTILE_UNITS).length}): slowest scan ${slowest.ms.toFixed(0)} ms (${slowest.name}); longest event-loop stall ${longestStall.ms.toFixed(0)} ms (${longestStall.name}), goal < 100 ms.`);
  const met = rows[0].p99 < 20 && longestStall.ms < 100;
  console.log(met ? 'Goals met.' : 'Goal missed.');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
