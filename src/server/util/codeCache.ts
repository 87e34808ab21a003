/**
 * Loads one of the bin's bundles (dist/tandem-*.js) with V8's code cache, so a
 * subcommand does not parse and compile its bundle on every start: other tools
 * start `tandem apply-patch` once per edit, and compiling was about a fifth of
 * what the command costs beyond Node's own start (counted with callgrind).
 * Node 22 has `module.enableCompileCache()`; Node 20 (and VS Code's Electron)
 * do not, so this does the same for our own bundles only.
 *
 * The cache is a file beside the bundle (`<bundle>.<V8 version>.cache`), so it
 * is exactly as trusted as the bundle itself: whoever can write it can write
 * the bundle. (A cache in a shared temporary folder could be planted by
 * another user.) It is used only when it is a regular file (not a link), owned
 * by this user and writable by no one else, and it is written whole or not at
 * all. V8 itself checks only a cache's version and its source's length, so
 * the file also names the bundle it was made from (size, modification time
 * and inode): a rebuilt bundle of the same length does not run an older
 * bundle's code. (Not a hash of the source: node:crypto, and node:zlib with
 * the streams it loads, each cost more to load than hashing saves.) A cache
 * that does not fit, or that V8 rejects, is replaced; a folder we cannot write
 * (a system-wide install) just means no cache. `NODE_DISABLE_COMPILE_CACHE`
 * (Node's own switch) turns it off.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** Larger cache files are not read (a bundle's cache is a few times its size; ours are under 3 MB). */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** The file's first bytes: what it is and this layout's version, then the bundle's identity (see `identity`). */
const MAGIC = Buffer.from('TANDEMC2');
const HEADER_BYTES = MAGIC.length + 3 * 8;

export interface LoadedBundle {
  exports: unknown;
  /** The cache was read and V8 accepted it (nothing was compiled from the source). */
  usedCache: boolean;
  /** Writes the cache now, if one is due (none was used); at most once. Also runs when the process exits. */
  saveCache(): void;
}

export function cachePath(filename: string): string {
  return `${filename}.${process.versions.v8}.cache`;
}

/** The header naming the bundle a cache was made from: magic, size, modification time (ms, with its fraction), inode. */
function identity(stat: fs.Stats): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header.writeDoubleLE(stat.size, MAGIC.length);
  header.writeDoubleLE(stat.mtimeMs, MAGIC.length + 8);
  header.writeDoubleLE(stat.ino, MAGIC.length + 16);
  return header;
}

/** The cache data for the bundle with this `header`, if the file is safe to use (see above); undefined otherwise. */
function readCache(file: string, header: Buffer): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size <= HEADER_BYTES || stat.size > MAX_CACHE_BYTES) return undefined;
    if (process.getuid && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return undefined;
    const content = fs.readFileSync(fd);
    return content.subarray(0, HEADER_BYTES).equals(header) ? content.subarray(HEADER_BYTES) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Writes the cache whole or not at all (a temporary file renamed over it),
 * readable and writable by this user only. The data is made only once the
 * file could be created: in a folder we may not write, nothing is spent.
 */
function writeCache(file: string, header: Buffer, data: () => Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = fs.openSync(temporary, 'wx', 0o600);
    fs.writeFileSync(fd, Buffer.concat([header, data()]));
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temporary, file);
  } catch {
    // A folder we may not write, a full disk: the command runs the same without a cache.
    if (fd !== undefined) fs.closeSync(fd);
    try {
      fs.unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
  }
}

/** The bundle's source and the header its cache must carry, read from one open file. */
function readBundle(filename: string): { source: string; header: Buffer } {
  const fd = fs.openSync(filename, 'r');
  try {
    const header = identity(fs.fstatSync(fd));
    return { source: fs.readFileSync(fd, 'utf8'), header };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Runs the CommonJS bundle `file` in `dir` (the bin's own folder by default)
 * like require() would, from the code cache when there is a usable one. When
 * none was used, the cache is written when the process exits: by then it
 * holds every function the command ran, not only the bundle's top level.
 */
export function loadBundle(file: string, dir: string = __dirname): LoadedBundle {
  const filename = path.join(dir, file);
  const { source, header } = readBundle(filename);
  const cacheFile = cachePath(filename);
  const enabled = (process.env.NODE_DISABLE_COMPILE_CACHE ?? '') === '';
  const cachedData = enabled ? readCache(cacheFile, header) : undefined;
  // No import() in such a bundle: a script compiled here could run one only with an experimental vm option that
  // warns on stderr (scripts/build.mjs loads the language server, which needs it, with a plain require()).
  const script = new vm.Script(Module.wrap(source), { filename, ...(cachedData ? { cachedData } : {}) });
  const usedCache = cachedData !== undefined && script.cachedDataRejected !== true;

  const bundle = new Module(filename);
  bundle.filename = filename;
  // Seen in require.cache as if require() had loaded it (test/standalone/leanCli.test.ts lists what a command loads).
  require.cache[filename] = bundle;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  try {
    wrapper.call(bundle.exports, bundle.exports, Module.createRequire(filename), bundle, filename, dir);
  } catch (error) {
    delete require.cache[filename];
    throw error;
  }
  bundle.loaded = true;

  let due = enabled && !usedCache;
  const saveCache = (): void => {
    if (!due) return;
    due = false;
    process.off('exit', saveCache);
    writeCache(cacheFile, header, () => script.createCachedData());
  };
  if (due) process.on('exit', saveCache);
  return { exports: bundle.exports, usedCache, saveCache };
}

/** `require(dir/file)`, from the code cache: what the bin's lazy import of a subcommand's module becomes (scripts/build.mjs). */
export function requireBundle(file: string): unknown {
  return loadBundle(file).exports;
}
