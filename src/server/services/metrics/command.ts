/**
 * `tandem metrics`: the dashboard's figures on the command line, from the
 * same audit folder `tandem audit` reads. Exit status: 0 done (a broken chain
 * still gives its metrics, with a warning on stderr), 1 the folder is not
 * there, 2 a usage error.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDate } from '../audit/command';
import { defaultAuditDirectory } from '../audit/location';
import { verifyFolder } from '../audit/verify';
import type { MetricsRange } from './aggregate';
import { aggregateFolderAsync } from './folder';
import { formatReport } from './format';

export const METRICS_HELP = `Usage: tandem metrics [--dir DIR] [--since DATE] [--until DATE] [--json]

  Velocity, quality, cost and speed figures computed from the audit trail,
  per UTC day and for the whole range (docs/audit.md#metrics defines each).

  --dir DIR       the audit folder (default: as for tandem audit: TANDEM_AUDIT_DIR,
                  else the user's state folder)
  --since DATE    from this time (ISO 8601, e.g. 2026-12-01 or 2026-12-01T09:00Z)
  --until DATE    up to this time (a date alone: to the end of that day, UTC)
  --json          the figures as JSON (src/shared/metrics.ts, versioned by "v")

Exit status: 0 done, 1 no such folder, 2 usage error.
`;

export interface MetricsCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

interface Options extends MetricsRange {
  dir?: string;
  json: boolean;
}

type Parsed = { ok: true; options: Options } | { ok: true; help: true } | { ok: false; message: string };

/** Parses the arguments after `metrics`. Pure. */
export function parseMetricsArgs(args: readonly string[]): Parsed {
  const options: Options = { json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h' || (i === 0 && arg === 'help')) return { ok: true, help: true };
    if (arg === '--json') {
      options.json = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (name !== '--dir' && name !== '--since' && name !== '--until') return { ok: false, message: `metrics does not take “${arg}”.` };
    const value = eq > 0 && name !== arg ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') return { ok: false, message: `${name} needs a value.` };
    if (name === '--dir') {
      options.dir = value;
      continue;
    }
    const time = parseDate(value, name === '--until');
    if (time === undefined) return { ok: false, message: `${name} needs a date or time such as 2026-12-01 or 2026-12-01T09:00:00Z, not “${value}”.` };
    if (name === '--since') options.since = time;
    else options.until = time;
  }
  if (options.since !== undefined && options.until !== undefined && options.since > options.until) return { ok: false, message: '--since is after --until.' };
  return { ok: true, options };
}

export async function runMetrics(args: readonly string[], io: MetricsCommandIo = process, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseMetricsArgs(args);
  if (!parsed.ok) {
    io.stderr.write(`tandem metrics: ${parsed.message}\n\n${METRICS_HELP}`);
    return 2;
  }
  if ('help' in parsed) {
    io.stdout.write(METRICS_HELP);
    return 0;
  }
  const { options } = parsed;
  const dir = options.dir ? path.resolve(options.dir) : defaultAuditDirectory(undefined, env);
  if (!dir) {
    io.stderr.write('tandem metrics: no audit folder known: pass --dir DIR (or set TANDEM_AUDIT_DIR).\n');
    return 2;
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.stderr.write(`tandem metrics: ${dir} is not a folder.\n`);
    return 1;
  }
  for (const chain of verifyFolder(dir).chains) {
    if (chain.broken) io.stderr.write(`tandem metrics: warning: chain ${chain.chain} is broken at ${chain.broken.file} line ${chain.broken.line}; the figures include its lines as they are. Run tandem audit verify.\n`);
  }
  const report = await aggregateFolderAsync(dir, { ...(options.since !== undefined ? { since: options.since } : {}), ...(options.until !== undefined ? { until: options.until } : {}) });
  io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return 0;
}
