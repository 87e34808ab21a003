/**
 * The measurement of the secret scan shared by `npm run bench:redaction` and
 * `npm run bench:audit`: a text of typical source (this repository's own
 * TypeScript) with fake secrets spread through it, scanned by a fresh data
 * boundary request each run (no cache), p50 / p99 over the runs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataBoundary, type OutgoingRequest } from '../../src/server/services/dataBoundary';
import type { DataBoundaryReport } from '../../src/shared/protocol';
import { SecretFactory } from '../support/fakeSecrets';

export const MB = 1024 * 1024;

// `__filename`: tsx gives it under both module systems (the bench scripts are ESM, mocha loads CommonJS).
const root = path.resolve(path.dirname(__filename), '..', '..');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourcesUnder(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** `bytes` of this repository's source, with `secrets` fake secrets spread evenly through it. */
export function sourceCorpus(bytes: number, secrets: number): string {
  const files = sourcesUnder(path.join(root, 'src')).map((file) => readFileSync(file, 'utf8'));
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `${files[i % files.length] ?? ''}\n`;
  text = text.slice(0, bytes);
  const fakes = new SecretFactory(2024).all();
  const lines = text.split('\n');
  for (let i = 0; i < secrets; i++) {
    const fake = fakes[(i * 7) % fakes.length];
    if (fake) lines.splice(Math.floor(((i + 1) * lines.length) / (secrets + 1)), 0, fake.text);
  }
  return lines.join('\n');
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export interface Measured<T> {
  label: string;
  p50: number;
  p99: number;
  max: number;
  last: T | undefined;
}

/** Times `once` `runs` times after a short warm-up (JIT, secretlint's first load). */
export async function measure<T>(label: string, runs: number, once: () => Promise<T>): Promise<Measured<T>> {
  for (let i = 0; i < Math.min(5, runs); i++) await once();
  const times: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await once();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1) ?? 0, last };
}

function openRequest(): OutgoingRequest {
  const opened = new DataBoundary().open('chat', 'http://127.0.0.1:1/v1', {});
  if ('refused' in opened) throw new Error('refused');
  return opened;
}

/** One outgoing text through a fresh request, as the boundary scans it; the report says what was found. */
export async function scanOnce(text: string): Promise<DataBoundaryReport> {
  const request = openRequest();
  await request.text(text);
  return request.report();
}

/** The figure: 1 MB of source with 8 fake secrets, scanned as one outgoing text (goal p99 < 20 ms). */
export async function scanOneMegabyte(runs: number): Promise<Measured<DataBoundaryReport> & { found: number }> {
  const big = sourceCorpus(MB, 8);
  const result = await measure(`1 MB of source, 8 secrets (boundary, pre-filtered)`, runs, () => scanOnce(big));
  return { ...result, found: (result.last?.redactions ?? []).reduce((sum, entry) => sum + entry.count, 0) };
}
