import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DownloadError, downloadVerified, partPath, type DownloadOptions, type DownloadTarget } from '../../../src/server/services/modelDownload/download';
import type { DownloadProgress } from '../../../src/server/services/modelDownload/progress';
import { FileServer } from '../../support/fileServer';
import { seededRandom } from '../../support/random';

const SIZE = 96 * 1024 + 123;
const PLENTY = async (): Promise<{ bavail: number; bsize: number }> => ({ bavail: 1e12, bsize: 1 });

describe('model download (services/modelDownload)', () => {
  let server: FileServer;
  let dir: string;
  let body: Buffer;
  let target: DownloadTarget;

  beforeEach(async () => {
    body = randomBytes(SIZE);
    server = new FileServer(body);
    await server.listen();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-download-'));
    target = { url: server.url(), sizeBytes: SIZE, sha256: sha256(body), destination: path.join(dir, 'models', 'model.gguf') };
  });

  afterEach(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const options = (extra: DownloadOptions = {}): DownloadOptions => ({ statfs: PLENTY, retryDelayMs: 0, progressIntervalMs: 0, ...extra });

  /** After any outcome: the final path holds the verified file or nothing; a part is a prefix of the file. */
  async function assertConsistent(expectInstalled: boolean): Promise<void> {
    const final = await read(target.destination);
    if (expectInstalled) {
      assert.ok(final && final.equals(body), 'the installed file is the published one');
    } else {
      assert.equal(final, undefined, 'nothing at the final path');
    }
    const part = await read(partPath(target.destination));
    if (part) assert.ok(body.subarray(0, part.length).equals(part), `the part (${part.length} bytes) is a prefix of the file`);
  }

  async function expectFailure(reason: string, run: Promise<unknown>): Promise<DownloadError> {
    const error = await run.then(
      () => assert.fail(`expected ${reason}`),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof DownloadError, String(error));
    assert.equal(error.reason, reason, error.message);
    assert.ok(error.message.length > 10, 'says why');
    return error;
  }

  it('downloads, verifies and installs the file, reporting progress to the last byte', async () => {
    const reports: DownloadProgress[] = [];
    const outcome = await downloadVerified(target, options({ onProgress: (progress) => reports.push(progress) }));
    assert.deepEqual(outcome, { path: target.destination, alreadyPresent: false });
    await assertConsistent(true);
    assert.equal(await read(partPath(target.destination)), undefined, 'no part left');
    const downloading = reports.filter((report) => report.phase === 'downloading').map((report) => report.receivedBytes);
    assert.deepEqual(downloading, [...downloading].sort((a, b) => a - b), 'bytes only grow');
    assert.equal(downloading.at(-1), SIZE);
    assert.equal(reports.at(-1)?.phase, 'verifying');
    assert.ok(reports.every((report) => report.totalBytes === SIZE));
  });

  it('throttles progress reports to the interval', async () => {
    let clock = 0;
    const reports: DownloadProgress[] = [];
    // The clock runs 1 s per reading: every chunk is due. Then 0 ms per reading: only phase changes and the last byte.
    await downloadVerified(target, options({ progressIntervalMs: 500, now: () => (clock += 1000), onProgress: (progress) => reports.push(progress) }));
    const everyChunk = reports.filter((report) => report.phase === 'downloading').length;
    reports.length = 0;
    await fs.rm(target.destination);
    await downloadVerified(target, options({ progressIntervalMs: 500, now: () => clock, onProgress: (progress) => reports.push(progress) }));
    assert.deepEqual(reports.map((report) => report.phase), ['checking', 'downloading', 'downloading', 'verifying']);
    assert.ok(everyChunk > 2, `${everyChunk} reports when every chunk is due`);
  });

  it('resumes with a Range request after the connection is cut, at generated cut points', async () => {
    // A larger file: what a cut connection loses is what was still in the socket's buffers (tens of KB).
    const big = randomBytes(1024 * 1024);
    const bigServer = new FileServer(big);
    await bigServer.listen();
    const bigTarget: DownloadTarget = { url: bigServer.url(), sizeBytes: big.length, sha256: sha256(big), destination: target.destination };
    try {
      const random = seededRandom(15);
      const cuts = [1, 4096, big.length - 1, ...Array.from({ length: 20 }, () => 1 + Math.floor(random() * (big.length - 1)))];
      let resumed = 0;
      for (const cut of cuts) {
        await fs.rm(dir, { recursive: true, force: true });
        bigServer.requests.length = 0;
        bigServer.script((_request, index) => (index === 0 ? { kind: 'serve', cutAfter: cut } : { kind: 'serve' }));
        await downloadVerified(bigTarget, options());
        assert.ok((await read(bigTarget.destination))?.equals(big), `cut at ${cut}: the installed file is the published one`);
        assert.equal(await read(partPath(bigTarget.destination)), undefined);
        assert.equal(bigServer.requests.length, 2, `cut at ${cut}`);
        const range = bigServer.requests[1]?.range;
        const from = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1]) : 0;
        assert.ok(from <= cut, `cut at ${cut}: resumed from what arrived (${range})`);
        if (from > 0) resumed++;
      }
      assert.ok(resumed >= cuts.length / 2, `${resumed} of ${cuts.length} resumed rather than restarted`);
    } finally {
      await bigServer.close();
    }
  });

  it('resumes a part left by an earlier run, and a second cut too', async () => {
    await fs.mkdir(path.dirname(target.destination), { recursive: true });
    await fs.writeFile(partPath(target.destination), body.subarray(0, 10_000));
    server.script((_request, index) => (index === 0 ? { kind: 'serve', cutAfter: 30_000 } : { kind: 'serve' }));
    await downloadVerified(target, options());
    await assertConsistent(true);
    assert.equal(server.requests[0]?.range, 'bytes=10000-');
    assert.ok(Number(/\d+/.exec(server.requests[1]?.range ?? '')?.[0]) >= 10_000, 'the second resume keeps the earlier bytes');
  });

  it('starts over when the server ignores Range and answers 200', async () => {
    await fs.mkdir(path.dirname(target.destination), { recursive: true });
    await fs.writeFile(partPath(target.destination), body.subarray(0, 50_000));
    server.script(() => ({ kind: 'serve', ignoreRange: true }));
    await downloadVerified(target, options());
    await assertConsistent(true);
    assert.equal(server.requests.length, 1);
  });

  it('does not trust a 206 whose Content-Range does not continue the part: the whole file again', async () => {
    const wrongRanges = (start: number): string[] => [`bytes 0-${SIZE - 1}/${SIZE}`, `bytes ${start + 1}-${SIZE - 1}/${SIZE}`, `bytes ${start}-${SIZE - 2}/${SIZE}`, `bytes ${start}-${SIZE}/${SIZE + 1}`, 'bytes */*', 'garbage', ''];
    for (const contentRange of wrongRanges(20_000)) {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.mkdir(path.dirname(target.destination), { recursive: true });
      await fs.writeFile(partPath(target.destination), body.subarray(0, 20_000));
      server.requests.length = 0;
      server.script((request) => (request.range ? { kind: 'serve', contentRange } : { kind: 'serve' }));
      await downloadVerified(target, options());
      await assertConsistent(true);
      assert.deepEqual(server.requests.map((request) => request.range), ['bytes=20000-', undefined], `Content-Range ${JSON.stringify(contentRange)}`);
    }
  });

  it('deletes a file whose SHA-256 is wrong, and says so', async () => {
    const other = Buffer.from(body);
    flip(other, other.length >> 1);
    server.script(() => ({ kind: 'serve', body: other }));
    const error = await expectFailure('checksum', downloadVerified(target, options()));
    assert.match(error.message, /SHA-256/);
    await assertConsistent(false);
    assert.equal(await read(partPath(target.destination)), undefined, 'the bad part is deleted');
  });

  it('catches a corrupt part from an earlier run by the final hash', async () => {
    await fs.mkdir(path.dirname(target.destination), { recursive: true });
    const corrupt = Buffer.from(body.subarray(0, 30_000));
    flip(corrupt, 7);
    await fs.writeFile(partPath(target.destination), corrupt);
    await expectFailure('checksum', downloadVerified(target, options()));
    assert.equal(await read(target.destination), undefined);
    assert.equal(await read(partPath(target.destination)), undefined);
    await downloadVerified(target, options());
    await assertConsistent(true);
  });

  it('refuses a file of the wrong size: announced, longer than expected, or a part that is too long', async () => {
    server.script(() => ({ kind: 'serve', contentLength: SIZE + 1, body: Buffer.concat([body, Buffer.from('x')]) }));
    await expectFailure('size', downloadVerified(target, options()));
    await assertConsistent(false);

    server.script(() => ({ kind: 'serve', contentLength: null, body: Buffer.concat([body, Buffer.alloc(5000)]) }));
    await expectFailure('size', downloadVerified(target, options()));
    await assertConsistent(false);
    assert.equal(await read(partPath(target.destination)), undefined, 'an overlong part is deleted');

    server.script(() => ({ kind: 'serve' }));
    await fs.writeFile(partPath(target.destination), Buffer.concat([body, Buffer.from('tail')]));
    await downloadVerified(target, options());
    await assertConsistent(true);
  });

  it('gives up on a server whose file is shorter than published, without looping', async () => {
    const short = body.subarray(0, SIZE - 100);
    server.script(() => ({ kind: 'serve', body: short, contentLength: null }));
    const error = await expectFailure('network', downloadVerified(target, options({ maxAttempts: 3 })));
    assert.match(error.message, /bytes/);
    assert.ok(server.requests.length <= 8, `${server.requests.length} requests`);
    await assertConsistent(false);
  });

  it('fails on 404 at once and on 5xx after its retries; nothing installed', async () => {
    for (const [status, reason, requests] of [
      [404, 'notFound', 1],
      [410, 'notFound', 1],
      [403, 'http', 1],
      [500, 'http', 3],
      [503, 'http', 3],
    ] as const) {
      server.requests.length = 0;
      server.script(() => ({ kind: 'status', status }));
      const error = await expectFailure(reason, downloadVerified(target, options({ maxAttempts: 3 })));
      assert.match(error.message, new RegExp(String(status)));
      assert.equal(server.requests.length, requests, `HTTP ${status}`);
      await assertConsistent(false);
    }
  });

  it('follows redirects up to the cap and refuses loops, long chains and insecure hops', async () => {
    server.script((request) => {
      const hop = Number(/\/hop(\d+)/.exec(request.path)?.[1] ?? -1);
      return hop >= 0 && hop < 3 ? { kind: 'redirect', location: `/hop${hop + 1}` } : { kind: 'serve' };
    });
    await downloadVerified({ ...target, url: server.url('/hop0') }, options());
    await assertConsistent(true);
    await fs.rm(target.destination);

    for (const status of [301, 302, 303, 307, 308]) {
      server.script((request) => ({ kind: 'redirect', status, location: request.path === '/a' ? '/b' : '/a' }));
      await expectFailure('redirects', downloadVerified({ ...target, url: server.url('/a') }, options()));
    }
    server.script((request) => ({ kind: 'redirect', location: `${request.path}x` }));
    await expectFailure('redirects', downloadVerified({ ...target, url: server.url('/long') }, options({ maxRedirects: 4 })));
    assert.ok(server.requests.filter((request) => request.path.startsWith('/long')).length <= 5);

    for (const location of ['http://example.com/model.gguf', 'ftp://127.0.0.1/model.gguf', 'file:///etc/passwd', 'http://localhost/model.gguf']) {
      server.script(() => ({ kind: 'redirect', location }));
      await expectFailure('insecure', downloadVerified(target, options()));
    }
    await assertConsistent(false);
  });

  it('refuses plain http anywhere but 127.0.0.1 before connecting', async () => {
    await expectFailure('insecure', downloadVerified({ ...target, url: 'http://example.com/model.gguf' }, options()));
    await expectFailure('invalid', downloadVerified({ ...target, url: 'not a url' }, options()));
  });

  it('checks free disk space first: the remaining bytes plus a margin', async () => {
    const margin = 1000;
    const statfs = (free: number) => async () => ({ bavail: BigInt(free), bsize: 1n });
    const error = await expectFailure('diskSpace', downloadVerified(target, options({ statfs: statfs(SIZE + margin - 1), marginBytes: margin })));
    assert.match(error.message, /MB/);
    assert.equal(server.requests.length, 0, 'nothing requested');
    assert.equal(await read(partPath(target.destination)), undefined, 'nothing written');

    // A part on disk lowers what is needed.
    await fs.writeFile(partPath(target.destination), body.subarray(0, 40_000));
    await downloadVerified(target, options({ statfs: statfs(SIZE - 40_000 + margin), marginBytes: margin }));
    await assertConsistent(true);
  });

  it('goes ahead when the file system cannot tell its free space', async () => {
    await downloadVerified(target, options({ statfs: async () => Promise.reject(new Error('ENOSYS')) }));
    await assertConsistent(true);
  });

  it('leaves only a resumable part when cancelled at generated points, and the next run resumes it', async () => {
    const random = seededRandom(1515);
    const points = Array.from({ length: 12 }, () => Math.floor(random() * SIZE));
    for (const point of points) {
      await fs.rm(dir, { recursive: true, force: true });
      server.requests.length = 0;
      server.script((_request, index) => (index === 0 ? { kind: 'serve', holdAfter: point } : { kind: 'serve' }));
      const controller = new AbortController();
      const held = once(server, 'held');
      const running = downloadVerified(target, options({ signal: controller.signal }));
      await held;
      controller.abort();
      await expectFailure('cancelled', running);
      await assertConsistent(false);
      await downloadVerified(target, options());
      await assertConsistent(true);
    }
  });

  it('cancelled before it starts, or while retrying: nothing requested after the abort', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectFailure('cancelled', downloadVerified(target, options({ signal: controller.signal })));
    assert.equal(server.requests.length, 0);

    const retrying = new AbortController();
    server.script(() => ({ kind: 'status', status: 503 }));
    const requested = once(server, 'request');
    const running = downloadVerified(target, options({ signal: retrying.signal, retryDelayMs: 60_000 }));
    await requested;
    retrying.abort();
    await expectFailure('cancelled', running);
    assert.equal(server.requests.length, 1);
  });

  it('installs nothing without a published hash', async () => {
    await expectFailure('unverified', downloadVerified({ ...target, sha256: undefined }, options()));
    assert.equal(server.requests.length, 0);
    await assertConsistent(false);
  });

  it('keeps a verified file already in place, and replaces one that is not the published file', async () => {
    await downloadVerified(target, options());
    server.requests.length = 0;
    assert.deepEqual(await downloadVerified(target, options()), { path: target.destination, alreadyPresent: true });
    assert.equal(server.requests.length, 0);

    const tampered = Buffer.from(body);
    flip(tampered, 0);
    await fs.writeFile(target.destination, tampered);
    assert.deepEqual(await downloadVerified(target, options()), { path: target.destination, alreadyPresent: false });
    await assertConsistent(true);
  });
});

function flip(data: Buffer, at: number): void {
  data.writeUInt8(data.readUInt8(at) ^ 0xff, at);
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function read(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch {
    return undefined;
  }
}
