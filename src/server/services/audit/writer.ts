/**
 * Appends events to one chain of an audit folder (files.ts): every line
 * carries the SHA-256 of the line before it, across files and sessions.
 *
 * Appending never waits and never touches the disk: the line is made and
 * chained at once (so order and `prev` are fixed when the event happens),
 * then written with the others of the moment, at most `flushMs` later (or
 * sooner when much is waiting), one write at a time, in order. A crash loses
 * what was not yet written; earlier lines are never rewritten. A line cut
 * short by a crash (no newline at the end of the last file) is left as it is;
 * the next writer starts a new file whose first line (`audit.recovered`)
 * names the torn bytes, so verification can tell a crash from tampering.
 *
 * One writer per chain: a lock file names the process; a second service on
 * the same folder writes the next chain number instead.
 */
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, rename, writeFile, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AUDIT_GENESIS, AUDIT_SCHEMA_VERSION } from '../../../shared/audit';
import { errorMessage, isRecord } from '../../../shared/guards';
import { headName, listChains, lockName, segmentName, type Head } from './files';
import { sha256 } from './hash';

export interface WriterOptions {
  /** A file is closed and the next one started before it would exceed this (default 8 MiB). */
  maxFileBytes?: number;
  /** Most time a line waits in memory before it is written (default 200 ms). */
  flushMs?: number;
  /** Write at once when this much waits (default 256 KiB). */
  flushBytes?: number;
  /** A write failed, or the chain's end could not be read; said once per distinct problem. */
  onProblem?: (message: string) => void;
  /** For tests: the host and process named in the lock, and how a process is checked for life. */
  host?: string;
  pid?: number;
  isAlive?: (pid: number) => boolean;
  /** Chains to try before giving up (default 64). */
  maxChains?: number;
}

/** The fields of one event: everything but `v`, `seq` and `prev`, which the writer adds. */
export type LineFields = Record<string, unknown> & { time: string };

interface PendingLine {
  text: string;
  seq: number;
  sha256: string;
}

/** Where the chain ended when it was opened. */
interface ChainEnd {
  seq: number;
  sha256: string;
  /** The file to append to, its size and its number of lines. */
  segment: number;
  size: number;
  lines: number;
  /** A torn last line found at the end (the writer then starts a new file). */
  torn?: { file: string; line: number; bytes: number; sha256: string };
}

const DEFAULTS = { maxFileBytes: 8 * 1024 * 1024, flushMs: 200, flushBytes: 256 * 1024, maxChains: 64 };

export class ChainWriter {
  private pending: PendingLine[] = [];
  private pendingBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private handle: FileHandle | undefined;
  private closed = false;
  private written: { seq: number; sha256: string; file: string; line: number } | undefined;
  private headWritten = 0;
  private readonly problems = new Set<string>();
  private readonly maxFileBytes: number;
  private readonly flushMs: number;
  private readonly flushBytes: number;

  private constructor(
    readonly dir: string,
    readonly chain: number,
    private segment: number,
    private size: number,
    private lines: number,
    private seq: number,
    private sha: string,
    private readonly options: WriterOptions,
  ) {
    this.maxFileBytes = options.maxFileBytes ?? DEFAULTS.maxFileBytes;
    this.flushMs = options.flushMs ?? DEFAULTS.flushMs;
    this.flushBytes = options.flushBytes ?? DEFAULTS.flushBytes;
  }

  /**
   * Takes the first chain of `dir` no other live process writes (creating
   * the folder, private to the user, when it does not exist) and continues it
   * after its last whole line. Writes `audit.recovered` first when the chain
   * ended in a torn line.
   */
  static async open(dir: string, session: string, options: WriterOptions = {}): Promise<ChainWriter> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const maxChains = options.maxChains ?? DEFAULTS.maxChains;
    for (let chain = 1; chain <= maxChains; chain++) {
      if (!acquireLock(dir, chain, session, options)) continue;
      try {
        const end = findEnd(dir, chain);
        const writer = new ChainWriter(dir, chain, end.segment, end.size, end.lines, end.seq, end.sha256, options);
        if (end.torn) {
          options.onProblem?.(`The audit trail in ${dir} ended in a torn line (${end.torn.file} line ${end.torn.line}, a crash while writing); it goes on in a new file after an audit.recovered event.`);
          writer.append({ time: new Date().toISOString(), session, type: 'audit.recovered', actor: 'service', torn: end.torn });
          await writer.flush();
        }
        return writer;
      } catch (error) {
        releaseLock(dir, chain);
        throw error;
      }
    }
    throw new Error(`every chain of ${dir} up to ${maxChains} is being written by another process`);
  }

  /** The sequence number of the last line appended (written or not). */
  get lastSeq(): number {
    return this.seq;
  }

  /** The last line on disk, as far as this writer knows. */
  get lastWritten(): { seq: number; sha256: string } | undefined {
    return this.written && { seq: this.written.seq, sha256: this.written.sha256 };
  }

  /** Lines appended but not written yet. */
  get waiting(): number {
    return this.pending.length;
  }

  /** What went wrong last, if anything (a failed write loses the lines of that write; the chain shows the gap). */
  get problem(): string | undefined {
    return [...this.problems].at(-1);
  }

  /**
   * Chains and buffers one line; returns its sequence number (0 once closed).
   * `fields` must be JSON and must not have `v`, `seq` or `prev`.
   */
  append(fields: LineFields): number {
    if (this.closed) return 0;
    const seq = this.seq + 1;
    const body = JSON.stringify(fields);
    // {"v":1,"seq":N, …fields…, "prev":"…"}: the envelope's numbers first, the link to the line before last.
    const text = `{"v":${AUDIT_SCHEMA_VERSION},"seq":${seq},${body.slice(1, -1)},"prev":"${this.sha}"}`;
    const digest = sha256(text);
    this.seq = seq;
    this.sha = digest;
    this.pending.push({ text, seq, sha256: digest });
    this.pendingBytes += text.length + 1;
    if (this.pendingBytes >= this.flushBytes) {
      void this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      // The writer alone never keeps the service alive; shutdown flushes.
      this.timer.unref?.();
    }
    return seq;
  }

  /** Writes everything appended so far; resolves once it is on disk (or its write failed). */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const run = this.writing.then(() => this.drain());
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** Flushes, closes the file and gives the chain up for the next writer. Appends after this are dropped. */
  async close(): Promise<void> {
    if (this.closed) return this.writing;
    const flushed = this.flush();
    this.closed = true;
    try {
      await flushed;
    } finally {
      await this.handle?.close().catch(() => undefined);
      this.handle = undefined;
      releaseLock(this.dir, this.chain);
    }
  }

  private async drain(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let index = 0;
    while (index < batch.length) {
      const first = batch[index];
      if (!first) break;
      if (this.size > 0 && this.size + Buffer.byteLength(first.text) + 1 > this.maxFileBytes) await this.rotate();
      // As many lines as fit the current file (at least one: a line larger than a file gets a file of its own).
      const parts: string[] = [];
      let bytes = 0;
      let end = index;
      for (; end < batch.length; end++) {
        const line = batch[end];
        if (!line) break;
        const size = Buffer.byteLength(line.text) + 1;
        if (parts.length > 0 && this.size + bytes + size > this.maxFileBytes) break;
        parts.push(line.text);
        bytes += size;
      }
      const last = batch[end - 1];
      try {
        await this.writeAll(`${parts.join('\n')}\n`);
        this.size += bytes;
        this.lines += parts.length;
        if (last) this.written = { seq: last.seq, sha256: last.sha256, file: segmentName(this.chain, this.segment), line: this.lines };
      } catch (error) {
        this.report(`Could not write the audit trail to ${this.dir}: ${errorMessage(error)} (${parts.length} event(s) lost).`);
        await this.handle?.close().catch(() => undefined);
        this.handle = undefined;
      }
      index = end;
    }
    await this.writeHead();
  }

  private async rotate(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    this.segment += 1;
    this.size = 0;
    this.lines = 0;
  }

  private async writeAll(text: string): Promise<void> {
    this.handle ??= await open(path.join(this.dir, segmentName(this.chain, this.segment)), 'a', 0o600);
    const buffer = Buffer.from(text);
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset);
      offset += bytesWritten;
    }
  }

  /** The head names the last line written; replaced whole (rename), so it is never half-written. */
  private async writeHead(): Promise<void> {
    const written = this.written;
    if (!written || written.seq === this.headWritten) return;
    const head: Head = { chain: this.chain, seq: written.seq, sha256: written.sha256, file: written.file, line: written.line, time: new Date().toISOString() };
    const file = path.join(this.dir, headName(this.chain));
    try {
      await writeFile(`${file}.tmp`, `${JSON.stringify(head)}\n`, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      this.headWritten = written.seq;
    } catch (error) {
      this.report(`Could not update ${file}: ${errorMessage(error)}.`);
    }
  }

  private report(message: string): void {
    if (this.problems.has(message)) return;
    this.problems.add(message);
    this.options.onProblem?.(message);
  }
}

/** The end of chain `chain` of `dir`: the last whole line's number and hash, and where to append. */
function findEnd(dir: string, chain: number): ChainEnd {
  const segments = listChains(dir).get(chain) ?? [];
  const last = segments.at(-1);
  if (!last) return { seq: 0, sha256: AUDIT_GENESIS, segment: 1, size: 0, lines: 0 };
  const bytes = readFileSync(last.path);
  const lastNewline = bytes.lastIndexOf(0x0a);
  const lines = countNewlines(bytes);
  let torn: ChainEnd['torn'];
  if (lastNewline < bytes.length - 1) {
    const tornBytes = bytes.subarray(lastNewline + 1);
    torn = { file: last.name, line: lines + 1, bytes: tornBytes.length, sha256: sha256(tornBytes) };
  }
  // The last whole line: in this file, else in the one before (a file may hold nothing but a torn line).
  let whole = lastLine(bytes.subarray(0, lastNewline + 1));
  for (let i = segments.length - 2; whole === undefined && i >= 0; i--) {
    const segment = segments[i];
    if (segment) whole = lastLine(readFileSync(segment.path));
  }
  const end = whole === undefined ? { seq: 0, sha256: AUDIT_GENESIS } : { seq: seqOf(whole), sha256: sha256(whole) };
  if (torn) return { ...end, segment: last.index + 1, size: 0, lines: 0, torn };
  return { ...end, segment: last.index, size: bytes.length, lines };
}

/** The last line of whole lines (`bytes` ends in a newline or is empty). */
function lastLine(bytes: Buffer): Buffer | undefined {
  if (bytes.length === 0) return undefined;
  const end = bytes.length - 1;
  const start = bytes.lastIndexOf(0x0a, end - 1) + 1;
  return bytes.subarray(start, end);
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}

/** The `seq` of a line; a line that is not an event (tampered) still lets the chain go on, numbered from its position. */
function seqOf(line: Buffer): number {
  try {
    const parsed: unknown = JSON.parse(line.toString('utf8'));
    if (isRecord(parsed) && typeof parsed.seq === 'number' && Number.isSafeInteger(parsed.seq)) return parsed.seq;
  } catch {
    // fall through
  }
  const match = /"seq":(\d{1,15})/.exec(line.toString('utf8'));
  return match ? Number(match[1]) : 0;
}

// ---- the lock ----

interface LockOwner {
  pid: number;
  host: string;
  session: string;
  since: string;
}

function acquireLock(dir: string, chain: number, session: string, options: WriterOptions): boolean {
  const file = path.join(dir, lockName(chain));
  const owner: LockOwner = { pid: options.pid ?? process.pid, host: options.host ?? os.hostname(), session, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    if (!isStale(file, owner, options.isAlive ?? processAlive)) return false;
    try {
      unlinkSync(file);
    } catch {
      // Someone else cleared it first; try again.
    }
  }
  return false;
}

/** A lock left behind by a process of this host that is gone (a crash), or one that is not a lock at all. */
function isStale(file: string, self: LockOwner, isAlive: (pid: number) => boolean): boolean {
  let held: unknown;
  try {
    held = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Empty or cut short (a crash while it was written): but give a writer that is creating it a moment.
    return Date.now() - safeMtime(file) > 10_000;
  }
  if (!isRecord(held) || typeof held.pid !== 'number' || typeof held.host !== 'string') return true;
  // Another machine's process cannot be checked from here: its chain is left to it.
  if (held.host !== self.host) return false;
  if (held.pid === self.pid) return false;
  return !isAlive(held.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isCode(error, 'ESRCH');
  }
}

function safeMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function releaseLock(dir: string, chain: number): void {
  try {
    unlinkSync(path.join(dir, lockName(chain)));
  } catch {
    // Already gone.
  }
}

function isCode(error: unknown, code: string): boolean {
  return isRecord(error) && error.code === code;
}
