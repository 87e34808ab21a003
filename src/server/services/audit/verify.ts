/**
 * Verification of an audit folder: every chain read from its first file to
 * its last, each line's `seq` and `prev` checked against the line before it,
 * and the chain's end against its head file. Reports the first broken line
 * of each chain and why, in words a reviewer can act on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AUDIT_GENESIS } from '../../../shared/audit';
import { isRecord } from '../../../shared/guards';
import { headName, listChains, segmentName, type Head, type Segment } from './files';
import { sha256 } from './hash';

export type BreakKind =
  /** A line was changed (its hash is not the next line's `prev`, or it is not an event any more). */
  | 'tampered'
  /** Lines are missing (a gap in `seq`). */
  | 'deleted'
  /** Lines are out of order (or repeated). */
  | 'reordered'
  /** A line cut short by a crash: at the very end (the chain is whole up to it), or in the middle without the writer's acknowledgment. */
  | 'torn'
  /** A file is missing, or a file does not continue the one before it. */
  | 'rotation';

export interface ChainBreak {
  kind: BreakKind;
  file: string;
  /** 1-based line in `file`. */
  line: number;
  /** The line's sequence number, when it has one. */
  seq?: number;
  message: string;
}

export interface ChainReport {
  chain: number;
  files: number;
  /** Whole events read (up to the break, if any). */
  events: number;
  firstSeq?: number;
  lastSeq?: number;
  /** SHA-256 of the last whole line: record it elsewhere to anchor the chain. */
  lastSha256?: string;
  sessions: number;
  firstTime?: string;
  lastTime?: string;
  /** The first broken line; absent when the chain is intact. */
  broken?: ChainBreak;
  /** A torn last line (a crash while writing): everything before it is intact. */
  tornEnd?: ChainBreak;
  /** Crashes the writer recovered from, and other remarks. */
  notes: string[];
}

export interface FolderReport {
  dir: string;
  chains: ChainReport[];
}

/** How far ahead a line with a missing `seq` is looked for, to tell moved lines from deleted ones. */
const LOOKAHEAD = 1000;

export function verifyFolder(dir: string): FolderReport {
  const chains = [...listChains(dir).entries()].map(([chain, segments]) => verifyChain(dir, chain, segments));
  return { dir, chains };
}

interface Parsed {
  seq: number;
  prev: string;
  type: string;
  session: string;
  time: string;
  torn?: { file?: unknown; line?: unknown; sha256?: unknown };
}

function parseLine(text: string): Parsed | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.seq !== 'number' || !Number.isSafeInteger(value.seq) || typeof value.prev !== 'string') return undefined;
  return {
    seq: value.seq,
    prev: value.prev,
    type: typeof value.type === 'string' ? value.type : '',
    session: typeof value.session === 'string' ? value.session : '',
    time: typeof value.time === 'string' ? value.time : '',
    ...(isRecord(value.torn) ? { torn: value.torn } : {}),
  };
}

/** The whole lines of a file (without their newlines) and the torn rest, if any. */
function splitLines(bytes: Buffer): { lines: Buffer[]; torn?: Buffer } {
  const lines: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, at));
    start = at + 1;
  }
  return start < bytes.length ? { lines, torn: bytes.subarray(start) } : { lines };
}

function readHead(dir: string, chain: number): Head | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path.join(dir, headName(chain)), 'utf8'));
    if (isRecord(value) && typeof value.seq === 'number' && typeof value.sha256 === 'string') {
      return { chain, seq: value.seq, sha256: value.sha256, file: String(value.file ?? ''), line: Number(value.line ?? 0), time: String(value.time ?? '') };
    }
  } catch {
    // No head (an older writer, or removed): the last line is then checked by nothing but its own form.
  }
  return undefined;
}

interface Entry {
  file: string;
  /** 1-based line in `file`. */
  line: number;
  bytes: Buffer;
  /** Whether this is the first line of a file after the first. */
  opensFile: boolean;
}

function verifyChain(dir: string, chain: number, segments: readonly Segment[]): ChainReport {
  const report: ChainReport = { chain, files: segments.length, events: 0, sessions: 0, notes: [] };
  const sessions = new Set<string>();
  const head = readHead(dir, chain);
  const finish = (broken?: ChainBreak): ChainReport => {
    report.sessions = sessions.size;
    if (broken) report.broken = broken;
    return report;
  };

  // Every whole line of the chain in order; a torn piece ends its file.
  const entries: Entry[] = [];
  let pendingTorn: { file: string; line: number; sha256: string; bytes: number } | undefined;
  for (const [position, segment] of segments.entries()) {
    const wanted = segmentName(chain, position + 1);
    if (segment.name !== wanted) {
      const before = position > 0 ? segments[position - 1]?.name : undefined;
      return finish({
        kind: 'rotation',
        file: segment.name,
        line: 1,
        message: `${wanted} is missing${before ? ` (the chain breaks between ${before} and ${segment.name})` : ` (the chain starts at ${segment.name})`}: a file was deleted.`,
      });
    }
    const { lines, torn } = splitLines(readFileSync(segment.path));
    if (pendingTorn) {
      // A torn line may end a file only when the writer acknowledged it at the start of the next one.
      const first = lines[0] ? parseLine(lines[0].toString('utf8')) : undefined;
      const acknowledged = first?.type === 'audit.recovered' && first.torn?.file === pendingTorn.file && first.torn.line === pendingTorn.line && first.torn.sha256 === pendingTorn.sha256;
      if (!acknowledged) {
        return finish({
          kind: 'torn',
          file: pendingTorn.file,
          line: pendingTorn.line,
          message: `${pendingTorn.file} line ${pendingTorn.line} is cut short (${pendingTorn.bytes} bytes without a newline), and the chain goes on in ${segment.name} without the writer acknowledging it: the line was changed.`,
        });
      }
      report.notes.push(`A crash cut ${pendingTorn.file} line ${pendingTorn.line} short; the writer recovered in ${segment.name} line 1.`);
      pendingTorn = undefined;
    }
    lines.forEach((bytes, index) => entries.push({ file: segment.name, line: index + 1, bytes, opensFile: index === 0 && position > 0 }));
    if (torn) {
      const tornLine = { file: segment.name, line: lines.length + 1, sha256: sha256(torn), bytes: torn.length };
      if (position === segments.length - 1) {
        report.tornEnd = {
          kind: 'torn',
          file: segment.name,
          line: tornLine.line,
          message: `${segment.name} line ${tornLine.line} is torn (${torn.length} bytes, cut short by a crash, or being written right now); every line before it is intact.`,
        };
      } else {
        pendingTorn = tornLine;
      }
    }
  }

  const records = entries.map((entry) => parseLine(entry.bytes.toString('utf8')));
  const digests = entries.map((entry) => sha256(entry.bytes));
  /** Whether entry `index` itself was changed (rather than the one before it): the next line's prev (or the head) no longer matches it. */
  const changedItself = (index: number): boolean => {
    const next = records[index + 1];
    if (next) return next.prev !== digests[index];
    if (index + 1 < entries.length) return true;
    return head !== undefined && head.seq === records[index]?.seq ? head.sha256 !== digests[index] : true;
  };
  let expectedSeq = 1;
  let expectedPrev = AUDIT_GENESIS;
  let last: { file: string; line: number; seq: number } | undefined;

  for (const [index, entry] of entries.entries()) {
    const { file, line } = entry;
    const record = records[index];
    if (!record) {
      return finish({ kind: 'tampered', file, line, message: `${file} line ${line} is not an audit event (it was changed, or text was inserted).` });
    }
    if (record.seq !== expectedSeq) {
      return finish(seqBreak(record.seq, expectedSeq, file, line, records.slice(index + 1, index + 1 + LOOKAHEAD), entry.opensFile, last));
    }
    if (record.prev !== expectedPrev) {
      const self = !last || changedItself(index);
      const changed = self ? { file, line, seq: record.seq } : last ?? { file, line, seq: record.seq };
      if (!self && entry.opensFile && last) {
        return finish({
          kind: 'tampered',
          file: changed.file,
          line: changed.line,
          seq: changed.seq,
          message: `${last.file} line ${last.line} (seq ${last.seq}) was changed: its SHA-256 is not the prev of ${file} line 1, which continues it.`,
        });
      }
      return finish({
        kind: 'tampered',
        file: changed.file,
        line: changed.line,
        seq: changed.seq,
        message: self
          ? `${file} line ${line} (seq ${record.seq}) was changed: ${last ? `its prev is not the SHA-256 of ${last.file} line ${last.line}` : `the first line of a chain has prev ${AUDIT_GENESIS.slice(0, 8)}…`}.`
          : `${changed.file} line ${changed.line} (seq ${changed.seq}) was changed: its SHA-256 is not the prev of the line after it.`,
      });
    }
    expectedPrev = digests[index] as string;
    expectedSeq = record.seq + 1;
    last = { file, line, seq: record.seq };
    report.events += 1;
    report.firstSeq ??= record.seq;
    report.lastSeq = record.seq;
    report.lastSha256 = expectedPrev;
    report.firstTime ??= record.time;
    report.lastTime = record.time;
    sessions.add(record.session);
  }

  const lastIndex = entries.length - 1;
  if (head && last) {
    if (head.seq > last.seq) {
      // The head is replaced only after a write: the line it names was once whole.
      if (report.tornEnd) {
        const torn = report.tornEnd;
        delete report.tornEnd;
        return finish({ kind: 'tampered', file: torn.file, line: torn.line, message: `${torn.file} line ${torn.line} was cut short, but ${headName(chain)} says seq ${head.seq} was written whole: the line was changed.` });
      }
      return finish({
        kind: 'deleted',
        file: last.file,
        line: last.line,
        seq: last.seq,
        message: `The chain ends at seq ${last.seq} (${last.file} line ${last.line}), but ${headName(chain)} says seq ${head.seq} was written: lines were deleted at the end.`,
      });
    }
    if (head.seq === last.seq && digests[lastIndex] !== head.sha256) {
      return finish({ kind: 'tampered', file: last.file, line: last.line, seq: last.seq, message: `${last.file} line ${last.line} (seq ${last.seq}) was changed: it does not match ${headName(chain)}.` });
    }
  } else if (head && !last && head.seq > 0) {
    return finish({ kind: 'deleted', file: segments[0]?.name ?? headName(chain), line: 1, message: `${headName(chain)} says seq ${head.seq} was written, but the chain has no whole line: lines were deleted.` });
  } else if (!head && last) {
    report.notes.push(`${headName(chain)} is missing: the last line (seq ${last.seq}) is checked only for its form.`);
  }
  return finish();
}

/** Why `seq` is not the one expected: lines deleted (none of the next lines has it) or moved. */
function seqBreak(
  seq: number,
  expected: number,
  file: string,
  line: number,
  following: ReadonlyArray<Parsed | undefined>,
  firstOfLaterFile: boolean,
  last: { file: string; line: number; seq: number } | undefined,
): ChainBreak {
  if (seq < expected) {
    return { kind: 'reordered', file, line, seq, message: `${file} line ${line} has seq ${seq}, which came already (seq ${expected} was next): lines were moved or repeated.` };
  }
  for (const record of following) {
    if (record?.seq === expected) {
      return { kind: 'reordered', file, line, seq, message: `${file} line ${line} has seq ${seq}, but seq ${expected} comes later: lines were moved.` };
    }
  }
  const missing = seq - expected === 1 ? `seq ${expected} is` : `seq ${expected}–${seq - 1} are`;
  if (firstOfLaterFile && last) {
    return { kind: 'rotation', file, line, seq, message: `${missing} missing between ${last.file} (ends at seq ${last.seq}) and ${file} (starts at seq ${seq}): lines or a file were deleted.` };
  }
  return { kind: 'deleted', file, line, seq, message: `${missing} missing before ${file} line ${line}: ${seq - expected === 1 ? 'a line was' : 'lines were'} deleted.` };
}
