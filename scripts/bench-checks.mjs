#!/usr/bin/env node
// `npm run bench:checks`: time from a proposal to its security verdict
// (src/server/services/checks: secrets introduced + insecure-code rules),
// p50 / p99 over the runs, goal < 100 ms for a 500-line change. Proposals:
//   1. a 500-line new TypeScript file (this repository's own source, a few
//      risky lines and a fake secret mixed in);
//   2. 500 changed lines spread through a 2,000-line file (the line diff included);
//   3. 500 added lines across 10 files in 8 languages (every rule's positives);
//   4. 500 hostile 2,000-character lines (1 MB: long runs of quotes, `+`, `${`,
//      keywords) that the patterns must stay linear on. Reported, not held to
//      the goal: most of its time is the data boundary's secret scan of 1 MB
//      (see bench:redaction), and no real 500-line change is 1 MB.
// Then the project checks' temporary copy (services/checks/project/tempCopy.ts):
// the time to create it with a one-file proposal applied, and to remove it,
// p50 / max, for the sample project (a plain folder, and as a git repository)
// and for a generated 10,000-file git repository (with an ignored
// node_modules of 2,000 files, which is linked, not copied). No goal: the
// figures say how much a check pays before its command starts.
// A benchmark, not a test: a missed goal is reported, not failed.
// Runs the TypeScript sources through tsx: node --import tsx scripts/bench-checks.mjs [runs] [copy runs]
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkProposal } from '../src/server/services/checks/index.ts';
import { measure } from '../test/bench/redactionScan.ts';
import { SecretFactory } from '../test/support/fakeSecrets.ts';
import { FIXTURES } from '../test/unit/checks/fixtures.ts';
import { generatedRepository, measureCopy, removeWorkspace, sampleWorkspace } from '../test/bench/tempCopyBench.ts';

const RUNS = Number(process.argv[2] ?? 100);
const COPY_RUNS = Number(process.argv[3] ?? 10);
const GOAL_MS = 100;

/** Lines of this repository's TypeScript, in a stable order. */
function sourceLines(count) {
  const lines = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (lines.length >= count) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) lines.push(...readFileSync(full, 'utf8').split('\n'));
    }
  };
  walk(path.resolve(import.meta.dirname, '../src'));
  return lines.slice(0, count);
}

function newFile() {
  const lines = sourceLines(500);
  const secret = new SecretFactory(3).all()[0];
  lines[100] = 'const r = eval(userInput);';
  lines[250] = 'await db.query("SELECT * FROM users WHERE id = " + id);';
  lines[400] = secret.text;
  return { format: 'codeBlock', changes: [{ kind: 'add', path: 'src/big.ts', newText: lines.join('\n') }] };
}

function spreadEdit() {
  const old = sourceLines(2000);
  const next = old.map((line, i) => (i % 4 === 0 ? `${line} // edited ${i}` : line));
  return { format: 'codeBlock', changes: [{ kind: 'update', path: 'src/edited.ts', oldText: old.join('\n'), newText: next.join('\n') }] };
}

function manyLanguages() {
  const byExt = new Map();
  for (const f of FIXTURES) byExt.set(f.ext, [...(byExt.get(f.ext) ?? []), ...f.positive, ...f.negative]);
  const exts = [...byExt.keys()];
  const changes = [];
  for (let file = 0; file < 10; file++) {
    const ext = exts[file % exts.length];
    const pool = byExt.get(ext);
    const lines = [];
    while (lines.length < 50) lines.push(...pool[lines.length % pool.length].split('\n'));
    changes.push({ kind: 'add', path: `src/f${file}.${ext}`, newText: lines.slice(0, 50).join('\n') });
  }
  return { format: 'codeBlock', changes };
}

function hostile() {
  const units = ['"+"+', '${${', "'%'%", 'SELECT FROM ', 'password=', 'chmod 7', 'eval eval ', '`#{`#{'];
  const lines = [];
  for (let i = 0; i < 500; i++) lines.push(units[i % units.length].repeat(Math.ceil(2000 / units[i % units.length].length)).slice(0, 2000));
  return { format: 'codeBlock', changes: ['ts', 'py', 'rb', 'php'].map((ext) => ({ kind: 'add', path: `h.${ext}`, newText: lines.slice(0, 125).join('\n') })) };
}

async function main() {
  const cases = [
    ['500-line new TypeScript file', newFile()],
    ['500 changed lines in a 2,000-line file', spreadEdit()],
    ['500 added lines, 10 files, 8 languages', manyLanguages()],
    ['500 hostile 2,000-character lines (1 MB)', hostile()],
  ];
  const rows = [];
  for (const [label, changeSet] of cases) rows.push(await measure(label, RUNS, () => checkProposal(changeSet)));
  console.log(`\nTandem proposal checks (${RUNS} runs; goal: p99 < ${GOAL_MS} ms for a 500-line change, first three rows)\n`);
  const width = Math.max(...rows.map((r) => r.label.length));
  for (const r of rows) {
    console.log(`${r.label.padEnd(width)}  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  findings ${String(r.last.length).padStart(3)}`);
  }
  const met = rows.slice(0, 3).every((r) => r.p99 < GOAL_MS);
  console.log(met ? '\nGoal met.' : '\nGoal missed.');
  await copyFigures();
}

async function copyFigures() {
  const repoRoot = path.resolve(import.meta.dirname, '..');
  const made = [];
  try {
    const plain = sampleWorkspace(repoRoot, false);
    const sampleGit = sampleWorkspace(repoRoot, true);
    const started = performance.now();
    const big = generatedRepository(10_000);
    const generated = performance.now() - started;
    made.push(plain, sampleGit, big);
    const copies = [
      await measureCopy('sample project (plain folder)', plain, 'src/math.ts', COPY_RUNS),
      await measureCopy('sample project (git repository)', sampleGit, 'src/math.ts', COPY_RUNS),
      await measureCopy('10,000-file git repository', big, 'src/m7/f7.ts', COPY_RUNS),
    ];
    console.log(`\nProject checks: the temporary copy (${COPY_RUNS} runs; create = copy + proposal applied, remove = copy + worktree gone)\n`);
    const width = Math.max(...copies.map((c) => c.label.length));
    for (const c of copies) {
      console.log(
        `${c.label.padEnd(width)}  ${c.kind.padEnd(6)} ${String(c.files).padStart(6)} files  create p50 ${c.create.p50.toFixed(0).padStart(6)} ms  max ${c.create.max.toFixed(0).padStart(6)} ms  remove p50 ${c.remove.p50.toFixed(0).padStart(5)} ms  max ${c.remove.max.toFixed(0).padStart(5)} ms`,
      );
    }
    console.log(`(generating the 10,000-file repository took ${(generated / 1000).toFixed(1)} s; not part of the figures)`);
  } finally {
    for (const root of made) removeWorkspace(root);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
