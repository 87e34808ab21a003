/**
 * `tandem audit verify|export|show`: the audit trail for reviewers, without
 * an editor. Exit status: 0 done (verify: every chain intact), 1 the trail is
 * broken or missing (verify) or nothing could be read, 2 a usage error.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AuditRecord } from '../../../shared/audit';
import { defaultAuditDirectory } from './location';
import { pathsOf, readFolder, summarize, type ReadEvent } from './reader';
import { verifyFolder, type ChainReport } from './verify';

export const AUDIT_HELP = `Usage: tandem audit verify [--dir DIR]
       tandem audit export [--dir DIR] [--since DATE] [--until DATE] [--format jsonl|csv|md]
       tandem audit show (--task ID | --file PATH) [--dir DIR]

  verify   check every chain of the folder: each line's sequence number and the
           SHA-256 of the line before it, across files and sessions; names the
           first broken line of each chain and why
  export   the events (of every chain, in order) between two dates, as JSON Lines
           (the lines as written), CSV or a Markdown table; contents are never added
  show     the events of one agent task or request (--task), or that name a file (--file)

  --dir DIR       the audit folder (default: TANDEM_AUDIT_DIR, else the user's state
                  folder; VS Code keeps it in the workspace's storage, shown by
                  "Tandem: Show Log" at start, or set tandem.audit.directory)
  --since DATE    from this time (ISO 8601, e.g. 2026-12-01 or 2026-12-01T09:00Z)
  --until DATE    up to this time (a date alone: to the end of that day, UTC)
  --format F      jsonl (default), csv or md

Exit status: 0 done (verify: intact), 1 broken or nothing to read, 2 usage error.
`;

export interface AuditCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

type Format = 'jsonl' | 'csv' | 'md';

interface Options {
  action: 'verify' | 'export' | 'show';
  dir?: string;
  since?: number;
  until?: number;
  format: Format;
  task?: string;
  file?: string;
}

type Parsed = { ok: true; options: Options } | { ok: true; help: true } | { ok: false; message: string };

/** Parses the arguments after `audit`. Pure. */
export function parseAuditArgs(args: readonly string[]): Parsed {
  const [action, ...rest] = args;
  if (action === '--help' || action === '-h' || action === 'help') return { ok: true, help: true };
  if (action !== 'verify' && action !== 'export' && action !== 'show') {
    return { ok: false, message: action === undefined ? 'Say what to do: verify, export or show.' : `Unknown audit command “${action}”.` };
  }
  const options: Options = { action, format: 'jsonl' };
  const allowed: Record<Options['action'], readonly string[]> = { verify: ['--dir'], export: ['--dir', '--since', '--until', '--format'], show: ['--dir', '--task', '--file'] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--help' || arg === '-h') return { ok: true, help: true };
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!allowed[action].includes(name)) return { ok: false, message: `audit ${action} does not take “${arg}”.` };
    const value = eq > 0 && name !== arg ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || value === '') return { ok: false, message: `${name} needs a value.` };
    switch (name) {
      case '--dir':
        options.dir = value;
        break;
      case '--since':
      case '--until': {
        const time = parseDate(value, name === '--until');
        if (time === undefined) return { ok: false, message: `${name} needs a date or time such as 2026-12-01 or 2026-12-01T09:00:00Z, not “${value}”.` };
        if (name === '--since') options.since = time;
        else options.until = time;
        break;
      }
      case '--format':
        if (value !== 'jsonl' && value !== 'csv' && value !== 'md') return { ok: false, message: `--format is jsonl, csv or md, not “${value}”.` };
        options.format = value;
        break;
      case '--task':
        options.task = value;
        break;
      case '--file':
        options.file = value.replace(/\\/g, '/');
        break;
    }
  }
  if (action === 'show' && (options.task === undefined) === (options.file === undefined)) return { ok: false, message: 'audit show needs one of --task ID or --file PATH.' };
  if (options.since !== undefined && options.until !== undefined && options.since > options.until) return { ok: false, message: '--since is after --until.' };
  return { ok: true, options };
}

/** Milliseconds since the epoch; a date alone is UTC midnight (or, for an end, the last millisecond of that day). */
export function parseDate(value: string, end: boolean): number | undefined {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time)) return undefined;
  return dateOnly && end ? time + 86_400_000 - 1 : time;
}

export function runAudit(args: readonly string[], io: AuditCommandIo = process, env: NodeJS.ProcessEnv = process.env): number {
  const parsed = parseAuditArgs(args);
  if (!parsed.ok) {
    io.stderr.write(`tandem audit: ${parsed.message}\n\n${AUDIT_HELP}`);
    return 2;
  }
  if ('help' in parsed) {
    io.stdout.write(AUDIT_HELP);
    return 0;
  }
  const { options } = parsed;
  const dir = options.dir ? path.resolve(options.dir) : defaultAuditDirectory(undefined, env);
  if (!dir) {
    io.stderr.write('tandem audit: no audit folder known: pass --dir DIR (or set TANDEM_AUDIT_DIR).\n');
    return 2;
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.stderr.write(`tandem audit: ${dir} is not a folder.\n`);
    return 1;
  }
  switch (options.action) {
    case 'verify':
      return verify(dir, io);
    case 'export':
      return exportEvents(dir, options, io);
    case 'show':
      return show(dir, options, io);
  }
}

function verify(dir: string, io: AuditCommandIo): number {
  const { chains } = verifyFolder(dir);
  if (chains.length === 0) {
    io.stderr.write(`tandem audit: no audit trail in ${dir} (no audit-*.jsonl files).\n`);
    return 1;
  }
  let broken = 0;
  for (const chain of chains) {
    io.stdout.write(`${describeChain(chain)}\n`);
    if (chain.broken) broken += 1;
  }
  if (broken > 0) {
    io.stderr.write(`tandem audit: ${broken} of ${chains.length} chain${chains.length === 1 ? '' : 's'} broken.\n`);
    return 1;
  }
  return 0;
}

function describeChain(chain: ChainReport): string {
  const range = chain.firstSeq !== undefined ? `seq ${chain.firstSeq}–${chain.lastSeq}` : 'no events';
  const lines: string[] = [];
  if (chain.broken) {
    const { broken } = chain;
    lines.push(`chain ${chain.chain}: BROKEN at ${broken.file} line ${broken.line}${broken.seq !== undefined ? ` (seq ${broken.seq})` : ''} [${broken.kind}]: ${broken.message}`);
    lines.push(`  intact before it: ${chain.events} events, ${range}`);
  } else {
    lines.push(
      `chain ${chain.chain}: intact: ${chain.events} events (${range}) in ${chain.files} file${chain.files === 1 ? '' : 's'}, ${chain.sessions} session${chain.sessions === 1 ? '' : 's'}${chain.firstTime ? `, ${chain.firstTime} – ${chain.lastTime}` : ''}`,
    );
    if (chain.lastSha256) lines.push(`  last line's SHA-256: ${chain.lastSha256}`);
  }
  if (chain.tornEnd) lines.push(`  note: ${chain.tornEnd.message}`);
  for (const note of chain.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

function inRange(event: ReadEvent, options: Options): boolean {
  const time = Date.parse(event.record.time);
  return (options.since === undefined || time >= options.since) && (options.until === undefined || time <= options.until);
}

function exportEvents(dir: string, options: Options, io: AuditCommandIo): number {
  const broken = verifyFolder(dir).chains.filter((chain) => chain.broken);
  for (const chain of broken) io.stderr.write(`tandem audit: warning: chain ${chain.chain} is broken at ${chain.broken?.file} line ${chain.broken?.line}; run tandem audit verify.\n`);
  const events = readFolder(dir).filter((event) => inRange(event, options));
  io.stdout.write(format(events, options.format));
  return 0;
}

function show(dir: string, options: Options, io: AuditCommandIo): number {
  const events = readFolder(dir).filter(({ record }) => {
    if (options.task !== undefined) return record.task === options.task || record.request === options.task || record.request?.startsWith(`${options.task}/`) === true;
    const file = options.file ?? '';
    return pathsOf(record).some((named) => named === file || named.endsWith(`/${file}`) || file.endsWith(`/${named}`));
  });
  if (events.length === 0) {
    io.stderr.write(`tandem audit: no events ${options.task !== undefined ? `of task ${options.task}` : `naming ${options.file}`} in ${dir}.\n`);
    return 1;
  }
  for (const { chain, record } of events) {
    io.stdout.write(`${record.time}  ${chain}:${record.seq}  ${record.type.padEnd(28)} ${record.actor.padEnd(16)} ${summarize(record)}${links(record)}\n`);
    if (record.type === 'proposal' && record.diff) io.stdout.write(indent(record.diff));
  }
  return 0;
}

function links(record: AuditRecord): string {
  const parts = (['request', 'proposal', 'task', 'step'] as const).flatMap((key) => (record[key] ? [`${key}=${record[key]}`] : []));
  return parts.length > 0 ? `  [${parts.join(' ')}]` : '';
}

function indent(text: string): string {
  return text
    .split('\n')
    .filter((line, index, all) => line !== '' || index < all.length - 1)
    .map((line) => `      ${line}\n`)
    .join('');
}

const CSV_COLUMNS = ['chain', 'seq', 'time', 'session', 'type', 'actor', 'request', 'proposal', 'task', 'step', 'paths', 'summary'] as const;

function format(events: readonly ReadEvent[], as: Format): string {
  if (as === 'jsonl') return events.map((event) => `${event.raw}\n`).join('');
  const rows = events.map(({ chain, record }) => [
    String(chain),
    String(record.seq),
    record.time,
    record.session,
    record.type,
    record.actor,
    record.request ?? '',
    record.proposal ?? '',
    record.task ?? '',
    record.step ?? '',
    pathsOf(record).join(' '),
    summarize(record),
  ]);
  if (as === 'csv') return [CSV_COLUMNS.join(','), ...rows.map((row) => row.map(csvCell).join(','))].map((line) => `${line}\r\n`).join('');
  const header = `| ${CSV_COLUMNS.join(' | ')} |\n|${CSV_COLUMNS.map(() => ' --- |').join('')}\n`;
  return header + rows.map((row) => `| ${row.map(mdCell).join(' | ')} |\n`).join('');
}

/** RFC 4180; a cell a spreadsheet would run as a formula is prefixed with a quote. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function mdCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
