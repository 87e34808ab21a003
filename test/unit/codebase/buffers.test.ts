import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodebaseIndex } from '../../../src/server/services/codebase/codebaseIndex';
import { FolderIndex } from '../../../src/server/services/codebase/folderIndex';
import { pick, seededRandom } from '../../support/random';

const temporaries: string[] = [];
after(() => {
  for (const dir of temporaries) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix = 'tandem-buffers-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaries.push(dir);
  return dir;
}

function write(root: string, relative: string, text: string): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const WORDS = 'parse render cache token stream buffer socket retry backoff queue worker config loader schema cursor widget ledger invoice payment route handler session'.split(' ');

function func(random: () => number, tag: string): string {
  const name = `${pick(random, WORDS)}${pick(random, WORDS).replace(/^./, (c) => c.toUpperCase())}${tag}`;
  return [`/** ${pick(random, WORDS)} the ${pick(random, WORDS)}. */`, `export function ${name}(${pick(random, WORDS)}: string): number {`, `  return ${pick(random, WORDS)}Count(${pick(random, WORDS)}) + 1;`, '}', ''].join('\n');
}

/** A small generated project (seeded). */
function project(seed: number, files = 12): string {
  const random = seededRandom(seed);
  const root = tempDir();
  for (let i = 0; i < files; i++) write(root, `src/m${i % 3}/file${i}.ts`, Array.from({ length: 2 + Math.floor(random() * 3) }, (_, f) => func(random, `d${i}x${f}`)).join('\n'));
  write(root, '.gitignore', 'dist/\n');
  return root;
}

async function built(roots: string[], options: ConstructorParameters<typeof CodebaseIndex>[0] = {}): Promise<CodebaseIndex> {
  const index = new CodebaseIndex({ debounceMs: 5, bufferDebounceMs: 60_000, ...options });
  await index.setRoots(roots);
  await index.idle();
  return index;
}

async function found(index: CodebaseIndex, query: string): Promise<string[]> {
  return (await index.search({ query, snippets: false })).results.map((hit) => hit.path);
}

/** What a person would see of `files` in the index: each file's chunks, and every hit (with its snippet) for each query, as sets. */
async function view(index: CodebaseIndex, root: string, files: readonly string[], queries: readonly string[]): Promise<unknown> {
  const folder = index.folderOf(path.join(root, 'x'));
  assert.ok(folder);
  const chunks = files.map((file) => [file, folder.chunksOf(file)]);
  const hits: unknown[] = [];
  for (const query of queries) {
    const results = (await index.search({ query, limit: 50, paths: [...files] })).results.map((hit) => JSON.stringify([hit.path, hit.startLine, hit.endLine, hit.symbol, hit.snippet]));
    hits.push([query, results.sort()]);
  }
  return { chunks, hits };
}

/** One random edit of `text`: a function added, lines deleted, a word replaced, text typed mid-line, everything replaced. */
function edit(random: () => number, text: string, step: number): string {
  const lines = text.split('\n');
  const at = Math.floor(random() * (lines.length + 1));
  switch (Math.floor(random() * 5)) {
    case 0:
      lines.splice(at, 0, ...func(random, `e${step}`).split('\n'));
      return lines.join('\n');
    case 1:
      lines.splice(at, 1 + Math.floor(random() * 4));
      return lines.join('\n');
    case 2:
      return text.replace(new RegExp(pick(random, WORDS), 'g'), pick(random, WORDS));
    case 3: {
      const offset = Math.floor(random() * (text.length + 1));
      return `${text.slice(0, offset)}${pick(random, WORDS)}T${step}${text.slice(offset)}`;
    }
    default:
      return random() < 0.2 ? '' : func(random, `r${step}`);
  }
}

describe('codebase index: open editor buffers', function () {
  this.timeout(120_000);

  it('random edit sequences to open buffers end with the index a fresh index of the final texts would be (generated)', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const random = seededRandom(seed * 31);
      const root = project(seed);
      const index = await built([root]);
      const edited = [`src/m${seed % 3}/file${seed % 12}.ts`, `src/m${(seed + 1) % 3}/file${(seed + 1) % 12}.ts`, `src/new${seed}.ts`];
      const texts = new Map(edited.map((file) => [file, file.startsWith('src/new') ? '' : readFileSync(path.join(root, file), 'utf8')]));
      const removedWords = new Set<string>();
      for (let step = 0; step < 40; step++) {
        const file = pick(random, edited);
        const before = texts.get(file) ?? '';
        const after = edit(random, before, step);
        for (const word of before.match(/\w+/g) ?? []) removedWords.add(word);
        texts.set(file, after);
        index.bufferChanged(path.join(root, file), after);
        // Sometimes the index catches up mid-way (a search, the debounce firing), sometimes not.
        if (random() < 0.25) await index.idle();
      }
      await index.idle();
      // A fresh index of a copy of the project whose files hold the final texts.
      const copy = tempDir('tandem-buffers-fresh-');
      cpSync(root, copy, { recursive: true });
      for (const [file, text] of texts) write(copy, file, text);
      const fresh = await built([copy]);
      const finalWords = [...texts.values()].flatMap((text) => text.match(/[A-Za-z]\w+/g) ?? []);
      const queries = [...new Set([...finalWords.slice(0, 15), ...[...removedWords].slice(0, 15), 'parse render', 'invoice'])];
      assert.deepEqual(await view(index, root, edited, queries), await view(fresh, copy, edited, queries), `seed ${seed}`);
      await index.dispose();
      await fresh.dispose();
    }
  });

  it('secret, ignored and skipped files are never indexed, whatever their buffer says (a plain file with the same text is)', async () => {
    const root = project(40);
    const index = await built([root]);
    const marker = 'zeppelinQuokka';
    const text = `export function ${marker}() { return '${marker}'; }\n`;
    for (const file of ['.env', '.env.local', 'config/credentials.json', 'keys/id_rsa', 'server.pem', '.ssh/config', 'dist/bundle.js', 'node_modules/pkg/index.js', '.git/hooks/pre-commit', 'image.png', 'app.min.js']) {
      index.bufferChanged(path.join(root, file), text);
    }
    await index.idle();
    assert.deepEqual(await found(index, marker), []);
    index.bufferChanged(path.join(root, 'src/plain.ts'), text);
    await index.idle();
    assert.deepEqual(await found(index, marker), ['src/plain.ts']);
    // A rule added later drops the buffer too.
    write(root, '.tandemignore', 'src/plain.ts\n');
    index.fileChanged(path.join(root, '.tandemignore'));
    await index.idle();
    assert.deepEqual(await found(index, marker), []);
    await index.dispose();
  });

  it('the buffer wins over the disk while open (a save or a disk change meanwhile), and closing gives the file back to the disk', async () => {
    const root = project(41);
    const index = await built([root]);
    const file = write(root, 'src/live.ts', 'export function alphaKumquat() {}\n');
    index.fileChanged(file);
    await index.idle();
    assert.deepEqual(await found(index, 'alphaKumquat'), ['src/live.ts']);
    index.bufferChanged(file, 'export function betaPersimmon() {}\n');
    await index.idle();
    assert.deepEqual(await found(index, 'alphaKumquat'), []);
    const result = await index.search({ query: 'betaPersimmon' });
    assert.deepEqual(
      result.results.map((hit) => [hit.path, hit.snippet]),
      [['src/live.ts', 'export function betaPersimmon() {}']],
    );
    write(root, 'src/live.ts', 'export function gammaRambutan() {}\n');
    index.fileChanged(file);
    await index.idle();
    assert.deepEqual(await found(index, 'gammaRambutan'), []);
    assert.deepEqual(await found(index, 'betaPersimmon'), ['src/live.ts']);
    index.bufferClosed(file);
    await index.idle();
    assert.deepEqual(await found(index, 'betaPersimmon'), []);
    assert.deepEqual(await found(index, 'gammaRambutan'), ['src/live.ts']);
    await index.dispose();
  });

  it('a new file not saved yet stays through a rebuild and goes when closed; its text is not stored as the disk', async () => {
    const root = project(42);
    const storage = tempDir('tandem-buffers-storage-');
    const index = await built([root], { storage });
    const unsaved = path.join(root, 'src/draft.ts');
    index.bufferChanged(unsaved, 'export function deltaLoquat() {}\n');
    const edited = path.join(root, 'src/m0/file0.ts');
    const disk = readFileSync(edited, 'utf8');
    index.bufferChanged(edited, `${disk}\nexport function epsilonTamarind() {}\n`);
    await index.idle();
    // A rebuild (the folders set again) stores the index; the buffers stay.
    await index.setRoots([root]);
    await index.idle();
    assert.deepEqual(await found(index, 'deltaLoquat'), ['src/draft.ts']);
    assert.deepEqual(await found(index, 'epsilonTamarind'), ['src/m0/file0.ts']);
    await index.dispose();
    // The next start (no editor yet) reads the disk: the buffers' texts were never taken for it.
    const next = await built([root], { storage });
    assert.deepEqual(await found(next, 'deltaLoquat'), []);
    assert.deepEqual(await found(next, 'epsilonTamarind'), []);
    next.bufferChanged(unsaved, 'export function deltaLoquat() {}\n');
    await next.idle();
    assert.deepEqual(await found(next, 'deltaLoquat'), ['src/draft.ts']);
    next.bufferClosed(unsaved);
    await next.idle();
    assert.deepEqual(await found(next, 'deltaLoquat'), []);
    await next.dispose();
  });

  it('a buffer being typed into is chunked again once typing pauses, not at every keystroke', async () => {
    const root = project(43);
    const original = FolderIndex.prototype.updateBuffer;
    let chunkings = 0;
    FolderIndex.prototype.updateBuffer = function (this: FolderIndex, relative: string, text: string): boolean {
      chunkings++;
      return original.call(this, relative, text);
    };
    try {
      let applied: () => void = () => undefined;
      const index = await built([root], { bufferDebounceMs: 30, onState: () => applied() });
      const file = path.join(root, 'src/typed.ts');
      let text = '';
      const word = 'export function zetaSoursop() {}\n';
      const settled = new Promise<void>((resolve) => (applied = resolve));
      for (const char of word) index.bufferChanged(file, (text += char));
      await settled;
      await index.idle();
      assert.equal(chunkings, 1, 'one chunking for the whole burst');
      assert.deepEqual(await found(index, 'zetaSoursop'), ['src/typed.ts']);
      await index.dispose();
    } finally {
      FolderIndex.prototype.updateBuffer = original;
    }
  });
});

describe('codebase index: workspace folders added and removed', function () {
  this.timeout(60_000);

  it('random sequences of folder sets: a folder is searched exactly while it is in the workspace (generated)', async () => {
    const random = seededRandom(5);
    const markers = ['kiwiAardvark', 'limeBadger', 'plumCheetah', 'pearDingo'];
    const folders = markers.map((marker, i) => {
      const root = tempDir(`tandem-folders-${i}-`);
      write(root, `lib/marker${i}.ts`, `export function ${marker}() { return ${i}; }\n`);
      write(root, 'lib/common.ts', `export function sharedHelper() { return ${i}; }\n`);
      return root;
    });
    const index = await built([]);
    for (let step = 0; step < 14; step++) {
      const chosen = folders.filter(() => random() < 0.5);
      await index.setRoots(chosen);
      await index.idle();
      for (const [i, root] of folders.entries()) {
        assert.deepEqual(await found(index, markers[i] ?? ''), chosen.includes(root) ? [`lib/marker${i}.ts`] : [], `step ${step}, folder ${i}`);
      }
      assert.equal(index.state().files, chosen.length * 2);
      assert.equal((await index.search({ query: 'sharedHelper', limit: 10 })).results.length, chosen.length);
    }
    await index.dispose();
  });

  it('a buffer of a folder added later is indexed once that folder is', async () => {
    const first = project(50);
    const second = project(51);
    const index = await built([first]);
    index.bufferChanged(path.join(second, 'src/late.ts'), 'export function sigmaMangosteen() {}\n');
    await index.idle();
    assert.deepEqual(await found(index, 'sigmaMangosteen'), []);
    await index.setRoots([first, second]);
    await index.idle();
    assert.deepEqual(await found(index, 'sigmaMangosteen'), ['src/late.ts']);
    await index.dispose();
  });
});
