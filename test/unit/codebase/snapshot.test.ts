import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { CodebaseIndex } from '../../../src/server/services/codebase/codebaseIndex';
import { MINISEARCH_OPTIONS } from '../../../src/server/services/codebase/folderIndex';
import { assemble, toPlainInSlices } from '../../../src/server/services/codebase/plainIndex';
import { snapshotPath, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../../../src/server/services/codebase/snapshot';
import { TimeSlice } from '../../../src/server/util/timeSlice';
import { pick, seededRandom } from '../../support/random';

const temporaries: string[] = [];
after(() => {
  for (const dir of temporaries) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaries.push(dir);
  return dir;
}

const WORDS = 'parse render cache token stream buffer socket retry backoff queue worker config loader schema index cursor widget ledger invoice payment route handler session'.split(' ');

/** A workspace of `files` TypeScript files of a few functions each, named from WORDS (seeded). */
function generated(seed: number, files: number, functions = 4): { root: string; words: () => string } {
  const random = seededRandom(seed);
  const word = (): string => pick(random, WORDS);
  const root = tempDir('tandem-snapshot-ws-');
  for (let i = 0; i < files; i++) {
    const lines: string[] = [];
    for (let f = 0; f < functions; f++) {
      const name = `${word()}${word().replace(/^./, (c) => c.toUpperCase())}${i}x${f}`;
      lines.push(`/** ${word()} the ${word()} of a ${word()}. */`, `export function ${name}(${word()}: string): number {`, `  return ${word()}Count(${word()}) + ${f};`, '}', '');
    }
    const file = path.join(root, 'src', `${word()}${i % 9}`, `${word()}${i}.ts`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, lines.join('\n'));
  }
  return { root, words: word };
}

async function built(root: string, options: ConstructorParameters<typeof CodebaseIndex>[0] = {}): Promise<CodebaseIndex> {
  const index = new CodebaseIndex({ debounceMs: 5, ...options });
  await index.setRoots([root]);
  await index.idle();
  return index;
}

async function answers(index: CodebaseIndex, queries: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const query of queries) out.push((await index.search({ query, limit: 10, snippets: false })).results);
  return out;
}

function realRootOf(index: CodebaseIndex): string {
  const folder = index.hits('parse render cache token stream buffer socket retry', 1)[0]?.folder;
  assert.ok(folder, 'the index has files');
  return folder.boundary.realRoot;
}

/** Changes a file's text without changing its size or modification time: only an index that was loaded, not rebuilt, still has the old text. */
function changeBehindTheIndex(file: string, from: string, to: string): void {
  assert.equal(from.length, to.length);
  const before = statSync(file);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from));
  writeFileSync(file, text.replace(from, to));
  utimesSync(file, before.atime, before.mtime);
}

function rechecksum(text: string): string {
  const newline = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, newline)) as Record<string, unknown>;
  const body = text.slice(newline + 1);
  header.sha256 = createHash('sha256').update(body).digest('hex');
  return `${JSON.stringify(header)}\n${body}`;
}

function withHeader(text: string, change: (header: Record<string, unknown>) => void): string {
  const newline = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, newline)) as Record<string, unknown>;
  change(header);
  return `${JSON.stringify(header)}${text.slice(newline)}`;
}

function bodyLines(text: string): { header: string; lines: string[] } {
  const [header = '', ...lines] = text.split('\n');
  return { header, lines };
}

describe('stored codebase index (snapshot)', function () {
  this.timeout(120_000);

  it('the index made in time slices is exactly what MiniSearch toJSON() gives (generated indexes, with discarded chunks)', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const random = seededRandom(seed);
      // No vacuum behind the test's back: the index is read while it does not change (FolderIndex.toPlain vacuums first).
      const search = new MiniSearch({ ...MINISEARCH_OPTIONS, autoVacuum: false });
      const count = 1 + Math.floor(random() * 400);
      for (let id = 1; id <= count; id++) {
        const text = Array.from({ length: 1 + Math.floor(random() * 30) }, () => `${pick(random, WORDS)}${random() < 0.3 ? Math.floor(random() * 50) : ''}`).join(' ');
        search.add({ id, file: `src/${pick(random, WORDS)}.ts`, start: id, end: id + 3, symbol: random() < 0.5 ? pick(random, WORDS) : '', text });
      }
      for (let id = 1; id <= count; id++) if (random() < 0.2) search.discard(id);
      if (random() < 0.5) await search.vacuum();
      // A zero-length slice hands back at every check: the most interleaving.
      const plain = await toPlainInSlices(search, new TimeSlice(0));
      assert.ok(plain, 'MiniSearch internals as expected');
      assert.deepEqual(JSON.parse(JSON.stringify(assemble(plain))), JSON.parse(JSON.stringify(search.toJSON())), `seed ${seed}`);
    }
  });

  it('persist and load round trip: the loaded index answers every query exactly as the one that was stored (generated workspaces)', async () => {
    for (const seed of [3, 4, 5]) {
      const { root, words } = generated(seed, 60 + seed * 20);
      const storage = tempDir('tandem-snapshot-storage-');
      const first = await built(root, { storage });
      const queries = Array.from({ length: 25 }, () => `${words()} ${words()}`).concat(['parse', 'renderCache', 'socket retry backoff']);
      const expected = await answers(first, queries);
      const realRoot = realRootOf(first);
      await first.dispose();
      assert.ok(statSync(snapshotPath(storage, realRoot)).size > 0);
      const logs: string[] = [];
      const second = await built(root, { storage, onLog: (message) => logs.push(message) });
      assert.deepEqual(logs, []);
      assert.deepEqual(await answers(second, queries), expected, `seed ${seed}`);
      await second.dispose();
    }
  });

  it('a large index (over the 8,000 chunks once kept in memory only) is stored and loaded, not rebuilt', async () => {
    const { root } = generated(21, 1_700, 5);
    const storage = tempDir('tandem-snapshot-storage-');
    const first = await built(root, { storage });
    assert.ok(first.state().chunks > 8_000, `${first.state().chunks} chunks`);
    const realRoot = realRootOf(first);
    await first.dispose();
    const file = readdirSync(path.join(root, 'src'), { recursive: true, withFileTypes: true }).find((entry) => entry.isFile());
    assert.ok(file);
    const absolute = path.join(file.parentPath, file.name);
    const name = /export function (\w+)/.exec(readFileSync(absolute, 'utf8'))?.[1] ?? '';
    changeBehindTheIndex(absolute, name, 'q'.repeat(name.length));
    const second = await built(root, { storage });
    assert.ok((await second.search({ query: name, snippets: false })).results.some((hit) => hit.path === path.relative(root, absolute)), 'the stored index (old text) was loaded');
    assert.ok(statSync(snapshotPath(storage, realRoot)).size > 1_000_000);
    await second.dispose();
  });

  describe('a store that is corrupted, truncated or of another version is discarded with one log line and the folder indexed afresh', () => {
    /** Mutations of a valid store's text; all must be refused. */
    function mutations(text: string, seed: number): Array<[string, string]> {
      const random = seededRandom(seed);
      const { header, lines } = bodyLines(text);
      const out: Array<[string, string]> = [];
      for (let i = 0; i < 8; i++) {
        const at = Math.floor(random() * text.length);
        out.push([`truncated at ${at}`, text.slice(0, at)]);
      }
      for (let i = 0; i < 6; i++) {
        const at = header.length + 1 + Math.floor(random() * (text.length - header.length - 1));
        const code = text.charCodeAt(at);
        out.push([`byte ${at} changed`, text.slice(0, at) + String.fromCharCode(code === 48 ? 49 : 48) + text.slice(at + 1)]);
      }
      out.push(['empty', ''], ['only the header', header], ['header and a newline', `${header}\n`], ['not JSON', '\u0000\u0001garbage\n{'], ['a JSON array', '[1,2,3]\n[]']);
      for (const [name, change] of [
        ['another version', (h: Record<string, unknown>) => (h.version = SNAPSHOT_VERSION + 1)],
        ['version 1', (h: Record<string, unknown>) => (h.version = 1)],
        ['a version string', (h: Record<string, unknown>) => (h.version = String(SNAPSHOT_VERSION))],
        ['another chunker', (h: Record<string, unknown>) => (h.chunker = -1)],
        ['another format', (h: Record<string, unknown>) => (h.format = `${SNAPSHOT_FORMAT}.old`)],
        ['another folder', (h: Record<string, unknown>) => (h.root = '/somewhere/else')],
        ['a wrong line count', (h: Record<string, unknown>) => (h.lines = Number(h.lines) + 1)],
        ['no line count', (h: Record<string, unknown>) => delete h.lines],
        ['no checksum', (h: Record<string, unknown>) => delete h.sha256],
      ] as const) {
        out.push([`header: ${name}`, withHeader(text, change)]);
      }
      // Structural changes with the checksum (and line count) made to match: the shapes are checked too.
      const structural = (name: string, body: string[]): void => {
        out.push([`${name} (checksum made to match)`, rechecksum(withHeader(`${header}\n${body.join('\n')}`, (h) => (h.lines = body.length)))]);
      };
      const pickLine = (): number => 1 + Math.floor(random() * (lines.length - 1));
      structural('a line dropped', lines.filter((_, i) => i !== pickLine()));
      structural('a line doubled', lines.flatMap((line, i) => (i === 1 ? [line, line] : [line])));
      structural('lines out of order', [lines[0] ?? '', ...lines.slice(1).reverse()]);
      structural('the first line gone', lines.slice(1));
      for (const garbage of ['null', '{}', '"x"', '[1,2]', '["terms"]', '["terms",[[1,2]]]', '["docs",[["a"]]]', '["files",[["/etc/passwd",1,1,[1]]]]', '["files",[["../out.ts",1,1,[1]]]]', '["files",[["a.ts",1,1,[99999999]]]]', '["nope",[]]']) {
        const body = [...lines];
        body[pickLine()] = garbage;
        structural(`a line replaced by ${garbage}`, body);
      }
      const first = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
      structural('counts changed', [JSON.stringify({ ...first, counts: { files: 0, docs: 0, terms: 0 } }), ...lines.slice(1)]);
      structural('meta missing', [JSON.stringify({ ...first, meta: undefined }), ...lines.slice(1)]);
      return out;
    }

    it('every mutation (generated) is refused, never a crash; the rebuilt store is valid again', async () => {
      const { root } = generated(8, 40);
      const storage = tempDir('tandem-snapshot-storage-');
      const reference = await built(root, { storage });
      const queries = ['parse token', 'socket', 'invoice payment handler'];
      const expected = await answers(reference, queries);
      const file = snapshotPath(storage, realRootOf(reference));
      await reference.dispose();
      const valid = readFileSync(file, 'utf8');
      const cases = mutations(valid, 99);
      assert.ok(cases.length > 40);
      for (const [name, text] of cases) {
        writeFileSync(file, text);
        const logs: string[] = [];
        const index = await built(root, { storage, onLog: (message) => logs.push(message) });
        assert.equal(logs.length, 1, `${name}: ${logs.join(' | ')}`);
        assert.match(logs[0] ?? '', /is not used .*indexing it again/, name);
        assert.deepEqual(await answers(index, queries), expected, name);
        await index.dispose();
        // Written again, valid: the next start loads it without a word.
        const again: string[] = [];
        const next = await built(root, { storage, onLog: (message) => again.push(message) });
        assert.deepEqual(again, [], name);
        await next.dispose();
      }
    });
  });

  it('writes atomically: a temporary file renamed into place (no temporary left), readable by its owner only; stale temporaries of a stopped service are removed', async () => {
    const { root } = generated(2, 20);
    const storage = tempDir('tandem-snapshot-storage-');
    const index = await built(root, { storage });
    const file = snapshotPath(storage, realRootOf(index));
    await index.dispose();
    assert.deepEqual(
      readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp')),
      [],
    );
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
    // Left by a service that stopped mid-write an hour ago, and one being written now by another.
    const stale = `${file}.12345.1.tmp`;
    const fresh = `${file}.12346.2.tmp`;
    writeFileSync(stale, 'partial');
    writeFileSync(fresh, 'partial');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, hourAgo, hourAgo);
    // Something to store again.
    writeFileSync(path.join(root, 'src', 'added.ts'), 'export function addedLater() {}\n');
    const again = await built(root, { storage });
    await again.dispose();
    assert.deepEqual(
      readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp')),
      [path.basename(fresh)],
    );
  });
});
