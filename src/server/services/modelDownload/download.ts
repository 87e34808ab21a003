/**
 * Downloads one large file whose size and SHA-256 are known in advance, so
 * that the final path holds either nothing or exactly those bytes:
 *
 * - bytes go to `<file>.part`; the final name appears only by an atomic rename
 *   after the size and the SHA-256 matched (a failed check deletes the part);
 * - an interrupted download resumes with an HTTP Range request from the part's
 *   length (the final hash covers the part's earlier bytes too); a server that
 *   answers 200 to a Range request restarts it, a 206 whose Content-Range does
 *   not continue the part is not trusted (the whole file comes again);
 * - free disk space is checked before any byte is written;
 * - cancelling (the AbortSignal) leaves only the resumable part;
 * - redirects (Hugging Face sends downloads to its CDN) are followed a few
 *   times; every hop must be https (plain http only to 127.0.0.1, for tests).
 *
 * No `vscode` here: the service runs it for any editor (tandem/embedded/download).
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EmbeddedDownloadFailure } from '../../../shared/embeddedProtocol';
import { sleep } from '../../util/abort';
import { ProgressMeter, type DownloadProgress } from './progress';

export interface DownloadTarget {
  url: string;
  sizeBytes: number;
  /** Lower-case hex; `undefined`: no published hash, so nothing is installed. */
  sha256: string | undefined;
  /** The final path; its folder is created when missing. */
  destination: string;
}

/** What `fs.statfs` answers that the check needs (tests inject their own). */
export type StatFs = (directory: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  statfs?: StatFs;
  /** Room left free beyond the remaining bytes (the engine, logs, the rest of the disk's users). */
  marginBytes?: number;
  maxRedirects?: number;
  /** Failed attempts in a row (without a byte of progress) before giving up. */
  maxAttempts?: number;
  /** Backoff between attempts: this times the attempt number. */
  retryDelayMs?: number;
  /** A connection that sends nothing for this long is dropped (and resumed). */
  idleTimeoutMs?: number;
  progressIntervalMs?: number;
  now?: () => number;
}

export interface DownloadOutcome {
  path: string;
  alreadyPresent: boolean;
}

export class DownloadError extends Error {
  constructor(
    readonly reason: EmbeddedDownloadFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export const DEFAULT_MARGIN_BYTES = 256 * 1024 ** 2;
const DEFAULTS = { maxRedirects: 5, maxAttempts: 4, retryDelayMs: 1_000, idleTimeoutMs: 30_000, progressIntervalMs: 250 };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function partPath(destination: string): string {
  return `${destination}.part`;
}

export async function downloadVerified(target: DownloadTarget, options: DownloadOptions = {}): Promise<DownloadOutcome> {
  return new Download(target, options).run();
}

class Download {
  private readonly part: string;
  private readonly meter: ProgressMeter;
  private readonly signal: AbortSignal | undefined;

  constructor(
    private readonly target: DownloadTarget,
    private readonly options: DownloadOptions,
  ) {
    this.part = partPath(target.destination);
    this.signal = options.signal;
    this.meter = new ProgressMeter(target.sizeBytes, options.onProgress, options.progressIntervalMs ?? DEFAULTS.progressIntervalMs, options.now ?? Date.now);
  }

  async run(): Promise<DownloadOutcome> {
    const { sha256, destination } = this.target;
    if (!sha256) {
      throw new DownloadError('unverified', 'This model has no published SHA-256 to check it against, so Tandem does not install it.');
    }
    checkUrl(this.target.url);
    await fs.mkdir(path.dirname(destination), { recursive: true });
    if (await this.alreadyInstalled(sha256)) {
      return { path: destination, alreadyPresent: true };
    }
    const maxAttempts = this.options.maxAttempts ?? DEFAULTS.maxAttempts;
    let failures = 0;
    let noRange = false;
    // Only bytes beyond the furthest point reached count as progress: a server that
    // keeps cutting at the same place, or restarts, must not retry forever.
    let furthest = await sizeOf(this.part);
    for (;;) {
      this.throwIfCancelled();
      try {
        await this.attempt(noRange);
        return await this.install(sha256);
      } catch (error) {
        if (this.signal?.aborted) throw cancelled();
        if (error instanceof RangeMismatch) {
          // The server's partial answers cannot be trusted: the whole file, from the start.
          noRange = true;
          await fs.rm(this.part, { force: true });
        } else if (!(error instanceof DownloadError && isRetryable(error))) {
          throw error;
        }
        const reached = await sizeOf(this.part);
        failures = reached > furthest ? 1 : failures + 1;
        furthest = Math.max(furthest, reached);
        if (failures >= maxAttempts) {
          throw error instanceof DownloadError ? error : new DownloadError('http', 'The download server keeps sending partial answers that do not fit together.');
        }
        await sleep((this.options.retryDelayMs ?? DEFAULTS.retryDelayMs) * failures, this.signal);
      }
    }
  }

  /** A file already at the destination counts only when it is exactly the pinned one. */
  private async alreadyInstalled(sha256: string): Promise<boolean> {
    if ((await sizeOf(this.target.destination)) !== this.target.sizeBytes) {
      await fs.rm(this.target.destination, { force: true });
      return false;
    }
    this.meter.report('verifying', this.target.sizeBytes);
    const digest = (await this.hashFile(this.target.destination, this.target.sizeBytes)).digest('hex');
    if (digest === sha256) return true;
    await fs.rm(this.target.destination, { force: true });
    return false;
  }

  /** One connection's worth: when it returns, the part holds every byte (else it throws). */
  private async attempt(noRange: boolean): Promise<void> {
    const total = this.target.sizeBytes;
    let start = await sizeOf(this.part);
    if (start > total) {
      await fs.rm(this.part, { force: true });
      start = 0;
    }
    this.meter.report('checking', start);
    if (start === total) return;
    await this.checkDiskSpace(total - start);
    const response = await this.get(start > 0 && !noRange ? { Range: `bytes=${start}-` } : {});
    const status = response.statusCode ?? 0;
    try {
      if (status === 206 && start > 0 && !noRange) {
        if (!contentRangeFits(response.headers['content-range'], start, total)) throw new RangeMismatch();
        expectLength(response, total - start);
      } else if (status === 200) {
        expectLength(response, total);
        if (start > 0) {
          // The server ignored the Range header: the whole file comes again.
          await fs.truncate(this.part, 0);
          await this.checkDiskSpace(total);
          start = 0;
        }
      } else if (status === 416) {
        throw new RangeMismatch();
      } else {
        throw statusError(status);
      }
    } catch (error) {
      response.destroy();
      throw error;
    }
    await this.receive(response, start);
  }

  /**
   * Appends the body to the part chunk by chunk, each written before the next
   * is read: whatever stops it (cancel, a cut, a stall) leaves exactly the
   * bytes received so far, for the next attempt to continue from.
   */
  private async receive(response: http.IncomingMessage, start: number): Promise<void> {
    const total = this.target.sizeBytes;
    let received = start;
    this.meter.restart();
    this.meter.report('downloading', received);
    const part = await fs.open(this.part, 'a');
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        if (received + chunk.length > total) {
          await part.close().catch(() => undefined);
          await fs.rm(this.part, { force: true });
          throw new DownloadError('size', `The server sent more than the expected ${total} bytes: this is not the published file.`);
        }
        await writeAll(part, chunk);
        received += chunk.length;
        this.meter.report('downloading', received);
      }
    } catch (error) {
      response.destroy();
      if (this.signal?.aborted) throw cancelled();
      if (error instanceof DownloadError) throw error;
      throw new DownloadError('network', `The connection broke after ${received} of ${total} bytes; the download resumes from there.`);
    } finally {
      await part.close().catch(() => undefined);
    }
    if (this.signal?.aborted) throw cancelled();
    if (received < total) {
      throw new DownloadError('network', `The connection ended after ${received} of ${total} bytes; the download resumes from there.`);
    }
  }

  /**
   * Size and SHA-256 of the whole part as it is on disk (bytes from an earlier
   * run included: nothing is trusted from memory), then the atomic rename. A
   * mismatch deletes the part.
   */
  private async install(sha256: string): Promise<DownloadOutcome> {
    const { sizeBytes, destination } = this.target;
    this.meter.report('verifying', sizeBytes);
    const size = await sizeOf(this.part);
    if (size !== sizeBytes) {
      await fs.rm(this.part, { force: true });
      throw new DownloadError('size', `The downloaded file has ${size} bytes, not the published ${sizeBytes}; it was deleted.`);
    }
    const digest = (await this.hashFile(this.part, sizeBytes)).digest('hex');
    if (digest !== sha256) {
      await fs.rm(this.part, { force: true });
      throw new DownloadError('checksum', `The downloaded file's SHA-256 (${digest.slice(0, 12)}…) is not the published one (${sha256.slice(0, 12)}…); it was deleted. Try again later, or from another network.`);
    }
    this.throwIfCancelled();
    const handle = await fs.open(this.part, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(this.part, destination);
    return { path: destination, alreadyPresent: false };
  }

  private async hashFile(file: string, length: number): Promise<Hash> {
    const hash = createHash('sha256');
    if (length === 0) return hash;
    try {
      const hashing = new Writable({
        write: (chunk: Buffer, _encoding, callback) => {
          hash.update(chunk);
          callback();
        },
      });
      await pipeline(createReadStream(file, { start: 0, end: length - 1 }), hashing, ...(this.signal ? [{ signal: this.signal }] : []));
    } catch (error) {
      if (this.signal?.aborted) throw cancelled();
      throw error;
    }
    return hash;
  }

  private async checkDiskSpace(remaining: number): Promise<void> {
    const statfs = this.options.statfs ?? fs.statfs;
    // A file system that cannot tell (statfs fails) is not a reason to refuse: the write itself would fail.
    const stats = await statfs(path.dirname(this.target.destination)).catch(() => undefined);
    if (!stats) return;
    const free = Number(stats.bavail) * Number(stats.bsize);
    const needed = remaining + (this.options.marginBytes ?? DEFAULT_MARGIN_BYTES);
    if (free < needed) {
      throw new DownloadError('diskSpace', `Not enough free disk space: the download needs ${megabytes(needed)} MB (with room to spare) and ${megabytes(free)} MB are free.`);
    }
  }

  /** GET with redirects followed; the same headers on every hop. */
  private async get(headers: Record<string, string>): Promise<http.IncomingMessage> {
    const maxRedirects = this.options.maxRedirects ?? DEFAULTS.maxRedirects;
    const seen = new Set<string>();
    let url = this.target.url;
    for (let hop = 0; ; hop++) {
      checkUrl(url);
      if (seen.has(url)) throw new DownloadError('redirects', 'The download address redirects in a loop.');
      seen.add(url);
      const response = await this.request(url, headers);
      const status = response.statusCode ?? 0;
      if (!REDIRECTS.has(status)) return response;
      response.resume();
      const location = response.headers.location;
      if (!location) throw new DownloadError('http', `The download server answered ${status} without saying where to go.`);
      if (hop >= maxRedirects) throw new DownloadError('redirects', `The download address redirected more than ${maxRedirects} times.`);
      url = new URL(location, url).toString();
    }
  }

  private request(url: string, headers: Record<string, string>): Promise<http.IncomingMessage> {
    this.throwIfCancelled();
    const parsed = new URL(url);
    const client = parsed.protocol === 'https:' ? https : http;
    const idleMs = this.options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs;
    return new Promise((resolve, reject) => {
      const request = client.get(parsed, { headers: { 'User-Agent': 'tandem', ...headers }, ...(this.signal ? { signal: this.signal } : {}) }, (response) => {
        // Until the body is piped (after the disk check), a broken connection must not be an unhandled 'error'.
        response.on('error', () => undefined);
        resolve(response);
      });
      request.setTimeout(idleMs, () => request.destroy(new Error(`no data for ${idleMs} ms`)));
      request.on('error', (error) => reject(this.signal?.aborted ? cancelled() : new DownloadError('network', `Could not reach the download server: ${error.message}`)));
    });
  }

  private throwIfCancelled(): void {
    if (this.signal?.aborted) throw cancelled();
  }
}

/** A 206 that does not continue the part (or a 416): internal, turns into a restart without Range. */
class RangeMismatch extends Error {}

/** https everywhere; plain http only to this machine's 127.0.0.1 (the tests' servers). */
function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DownloadError('invalid', `Not a download address: ${url}`);
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1')) return;
  throw new DownloadError('insecure', `Tandem downloads models over https only, not from ${parsed.protocol}//${parsed.host}.`);
}

function contentRangeFits(header: string | undefined, start: number, total: number): boolean {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return false;
  return Number(match[1]) === start && Number(match[2]) === total - 1 && (match[3] === '*' || Number(match[3]) === total);
}

function expectLength(response: http.IncomingMessage, expected: number): void {
  const header = response.headers['content-length'];
  if (header !== undefined && Number(header) !== expected) {
    throw new DownloadError('size', `The server announced ${header} bytes where ${expected} were expected: this is not the published file.`);
  }
}

function statusError(status: number): DownloadError {
  if (status === 404 || status === 410) return new DownloadError('notFound', `The model is no longer at its download address (HTTP ${status}).`);
  return new DownloadError('http', `The download server answered HTTP ${status}.`);
}

function isRetryable(error: DownloadError): boolean {
  return error.reason === 'network' || (error.reason === 'http' && /HTTP 5\d\d/.test(error.message));
}

function cancelled(): DownloadError {
  return new DownloadError('cancelled', 'The download was cancelled; it resumes where it stopped next time.');
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0;
  }
}

async function writeAll(file: FileHandle, chunk: Buffer): Promise<void> {
  for (let offset = 0; offset < chunk.length; ) {
    offset += (await file.write(chunk, offset)).bytesWritten;
  }
}

function megabytes(bytes: number): number {
  return Math.ceil(bytes / 1024 ** 2);
}
