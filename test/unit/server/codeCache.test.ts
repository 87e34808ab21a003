import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { cachePath, loadBundle } from '../../../src/server/util/codeCache';
import { seededRandom } from '../../support/random';

/**
 * V8 keeps what it compiled in memory, and a second compile of the same source
 * and file name in one process takes that and never reads the cache data: so
 * whether a cache file is used (or damaged) is seen only in a fresh process.
 * This driver loads one bundle there and reports.
 */
const DRIVER = `
const { loadBundle } = require('./codeCache.js');
const [dir, file, call] = process.argv.slice(2);
const loaded = loadBundle(file, dir);
const value = call ? loaded.exports[call]('there') : loaded.exports;
process.stdout.write(JSON.stringify({ usedCache: loaded.usedCache, value }));
`;

/**
 * The bin loads its subcommand bundles through V8's code cache: a cache must
 * never run code other than the bundle's own (a rebuilt bundle, a damaged or
 * planted file), must never stop the command from running, and is written
 * whole or not at all.
 */
describe('code cache for the bin’s bundles', () => {
  let dir: string;
  let count = 0;
  let tools: string;

  before(() => {
    tools = mkdtempSync(path.join(os.tmpdir(), 'tandem-code-cache-driver-'));
    buildSync({ entryPoints: [path.resolve(__dirname, '../../../src/server/util/codeCache.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: path.join(tools, 'codeCache.js'), logLevel: 'error' });
    writeFileSync(path.join(tools, 'driver.js'), DRIVER);
  });
  after(() => rmSync(tools, { recursive: true, force: true }));

  /** Loads `file` in a fresh process (which writes the cache at its exit when it used none). */
  function fresh(file: string, call?: string): { usedCache: boolean; value: unknown } {
    const run = spawnSync(process.execPath, [path.join(tools, 'driver.js'), dir, file, ...(call ? [call] : [])], { encoding: 'utf8', env: { ...process.env } });
    assert.equal(run.status, 0, `the driver failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as { usedCache: boolean; value: unknown };
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-code-cache-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.NODE_DISABLE_COMPILE_CACHE;
  });

  /** A bundle file with a unique name (require.cache is per path); returns its name. */
  function bundle(source: string): string {
    const file = `bundle${++count}.js`;
    writeFileSync(path.join(dir, file), source);
    return file;
  }

  /** Loads and writes the cache at once (as the process's exit would). */
  function loadAndSave(file: string): ReturnType<typeof loadBundle> {
    const loaded = loadBundle(file, dir);
    loaded.saveCache();
    return loaded;
  }

  const SOURCE = `
    const helper = require('./helper.js');
    function greet(name) { return helper.prefix + name; }
    module.exports = { greet, file: __filename, dir: __dirname, sep: require('node:path').sep };
  `;

  it('runs a bundle as require() would, then from its cache with the same result', () => {
    writeFileSync(path.join(dir, 'helper.js'), "exports.prefix = 'hello ';");
    const file = bundle(SOURCE);
    const loaded = loadBundle(file, dir);
    const exports = loaded.exports as { greet(name: string): string; file: string; dir: string; sep: string };
    assert.equal(exports.greet('you'), 'hello you');
    assert.equal(exports.file, path.join(dir, file));
    assert.equal(exports.dir, dir);
    assert.equal(exports.sep, path.sep);
    assert.ok(require.cache[path.join(dir, file)], 'listed in require.cache like a required module');
    loaded.saveCache();

    const cache = cachePath(path.join(dir, file));
    const written = statSync(cache);
    if (process.platform !== 'win32') assert.equal(written.mode & 0o777, 0o600, 'readable and writable by this user only');
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
    assert.deepEqual(fresh(file, 'greet'), { usedCache: true, value: 'hello there' });
    assert.equal(statSync(cache).mtimeMs, written.mtimeMs, 'a cache that was used is not written again');
  });

  it('writes the cache when a fresh process exits, and the next one uses it', () => {
    const file = bundle(SOURCE.replace("require('./helper.js')", "({ prefix: 'hi ' })"));
    assert.deepEqual(fresh(file, 'greet'), { usedCache: false, value: 'hi there' });
    assert.deepEqual(fresh(file, 'greet'), { usedCache: true, value: 'hi there' });
  });

  it('never runs an older build’s code from the cache, even when the new bundle has the same length', () => {
    const file = bundle("module.exports = 'built first';");
    assert.deepEqual(fresh(file), { usedCache: false, value: 'built first' });
    assert.deepEqual(fresh(file), { usedCache: true, value: 'built first' });
    writeFileSync(path.join(dir, file), "module.exports = 'built again';");
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(dir, file), later, later);
    assert.deepEqual(fresh(file), { usedCache: false, value: 'built again' });
    assert.deepEqual(fresh(file), { usedCache: true, value: 'built again' }, 'the cache is replaced by one for the new bundle');
  });

  it('ignores a damaged, truncated or foreign cache file and still runs the bundle (25 generated files)', () => {
    const random = seededRandom(1616);
    const file = bundle(SOURCE.replace("require('./helper.js')", "({ prefix: 'hi ' })"));
    const other = bundle(SOURCE.replace("require('./helper.js')", "({ prefix: 'no ' })"));
    loadAndSave(file);
    loadAndSave(other);
    const cache = cachePath(path.join(dir, file));
    const valid = readFileSync(cache);
    const foreign = readFileSync(cachePath(path.join(dir, other)));
    const HEADER = 32;
    for (let round = 0; round < 25; round++) {
      const kind = round % 5;
      let content: Buffer;
      if (kind === 0) {
        // A byte of the header (magic, bundle size, time, inode) changed.
        content = Buffer.from(valid);
        const at = Math.floor(random() * HEADER);
        content[at] = (content[at] ?? 0) ^ (1 + Math.floor(random() * 255));
      } else if (kind === 1) {
        content = valid.subarray(0, Math.floor(random() * valid.length));
      } else if (kind === 2) {
        content = Buffer.from(Array.from({ length: Math.floor(random() * 4096) }, () => Math.floor(random() * 256)));
      } else if (kind === 3) {
        // Another bundle's cache (another source of the same length).
        content = foreign;
      } else {
        content = Buffer.concat([valid.subarray(0, HEADER), Buffer.from('not a V8 cache at all')]);
      }
      writeFileSync(cache, content, { mode: 0o600 });
      assert.deepEqual(fresh(file, 'greet'), { usedCache: false, value: 'hi there' }, `round ${round} (kind ${kind})`);
    }
    assert.deepEqual(fresh(file, 'greet'), { usedCache: true, value: 'hi there' }, 'a damaged cache is replaced by a good one');
  });

  it('does not use a cache that someone else could have written: a link, writable by others, another owner', function () {
    if (process.platform === 'win32') this.skip();
    const file = bundle(SOURCE.replace("require('./helper.js')", "({ prefix: 'hey ' })"));
    loadAndSave(file);
    const cache = cachePath(path.join(dir, file));
    const good = path.join(dir, 'good.cache');
    copyFileSync(cache, good);
    assert.equal(fresh(file, 'greet').usedCache, true, 'the good cache is used');
    const cases: Array<[string, () => void]> = [
      ['writable by the group', () => chmodSync(cache, 0o620)],
      ['writable by everyone', () => chmodSync(cache, 0o606)],
      [
        'a symbolic link to a good cache',
        () => {
          rmSync(cache);
          symlinkSync(good, cache);
        },
      ],
    ];
    if (process.getuid?.() === 0) cases.push(['owned by another user', () => chownSync(cache, 65534, 65534)]);
    for (const [label, make] of cases) {
      rmSync(cache, { force: true });
      copyFileSync(good, cache);
      chmodSync(cache, 0o600);
      make();
      // Each process that used no cache writes a fresh one: set the case up again before every check.
      assert.deepEqual(fresh(file, 'greet'), { usedCache: false, value: 'hey there' }, label);
    }
  });

  it('runs without a cache where none can be written, and when Node’s switch turns caching off', () => {
    const file = bundle('module.exports = 40 + 2;');
    const cache = cachePath(path.join(dir, file));
    mkdirSync(cache);
    assert.deepEqual(fresh(file), { usedCache: false, value: 42 });
    assert.ok(statSync(cache).isDirectory());
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.endsWith('.tmp')),
      [],
    );
    rmSync(cache, { recursive: true });

    process.env.NODE_DISABLE_COMPILE_CACHE = '1';
    assert.deepEqual(fresh(file), { usedCache: false, value: 42 });
    assert.throws(() => statSync(cache), 'nothing written with caching off');
    delete process.env.NODE_DISABLE_COMPILE_CACHE;
    assert.deepEqual(fresh(file), { usedCache: false, value: 42 });
    process.env.NODE_DISABLE_COMPILE_CACHE = '1';
    assert.deepEqual(fresh(file), { usedCache: false, value: 42 }, 'an existing cache is not read with caching off');
  });

  it('passes a bundle’s error on and does not list it as loaded', () => {
    const file = bundle("throw new Error('broken bundle');");
    assert.throws(() => loadBundle(file, dir), /broken bundle/);
    assert.equal(require.cache[path.join(dir, file)], undefined);
  });
});
