#!/usr/bin/env node
// `npm run package:platform -- --target linux-x64`: a platform-specific VSIX that ships the
// built-in model's engine (node-llama-cpp and this platform's CPU binary) next to the
// universal bundles, the way rust-analyzer ships its server. The universal VSIX
// (`npm run package`) stays engine-free and under 3 MB; VS Code's marketplace serves each
// platform its own VSIX. Each platform VSIX must stay under 15 MB.
//
// The engine's versions come from scripts/engine/package-lock.json. The JavaScript side is
// taken from scripts/engine/node_modules (installed by scripts/install-engine.mjs); the
// target's binary package is fetched with `npm pack`, which checks the registry's
// published integrity hash against the lock file's. What a platform VSIX leaves out of
// node-llama-cpp: the llama.cpp sources (only needed to compile llama.cpp, which Tandem
// never does: `build: "never"`), type declarations and source maps.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const engineDir = path.join(root, 'scripts', 'engine');
const MAX_BYTES = 15 * 1024 * 1024;

/** VS Code's target names → node-llama-cpp's CPU binary package. */
export const TARGETS = {
  'linux-x64': '@node-llama-cpp/linux-x64',
  'linux-arm64': '@node-llama-cpp/linux-arm64',
  'linux-armhf': '@node-llama-cpp/linux-armv7l',
  'darwin-arm64': '@node-llama-cpp/mac-arm64-metal',
  'darwin-x64': '@node-llama-cpp/mac-x64',
  'win32-x64': '@node-llama-cpp/win-x64',
  'win32-arm64': '@node-llama-cpp/win-arm64',
};

/** Files of the engine a packaged extension never reads. */
export function isLeftOut(relative) {
  const posix = relative.split(path.sep).join('/');
  return (
    posix.startsWith('node-llama-cpp/llama/gitRelease.bundle') ||
    posix.startsWith('node-llama-cpp/llama/llama.cpp/') ||
    posix.endsWith('.d.ts') ||
    posix.endsWith('.map') ||
    posix.endsWith('.md') && !/(^|\/)license/i.test(posix)
  );
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
  }
  return result.stdout;
}

/**
 * The version and integrity a package must have: the lock file's entry, or, for a binary
 * package of another platform (npm leaves those out of a lock made elsewhere), the
 * engine's version and the integrity the registry publishes for it.
 */
function locked(name) {
  const lock = JSON.parse(readFileSync(path.join(engineDir, 'package-lock.json'), 'utf8'));
  const entry = lock.packages[`node_modules/${name}`];
  if (entry?.version && entry.integrity) {
    return entry;
  }
  const version = lock.packages['node_modules/node-llama-cpp']?.version;
  if (!name.startsWith('@node-llama-cpp/') || !version) {
    throw new Error(`${name} is not in scripts/engine/package-lock.json`);
  }
  const integrity = run('npm', ['view', `${name}@${version}`, 'dist.integrity'], engineDir).trim();
  if (!integrity) {
    throw new Error(`${name}@${version} is not in the registry`);
  }
  return { version, integrity };
}

function copyEngineModules(into) {
  const from = path.join(engineDir, 'node_modules');
  if (!existsSync(path.join(from, 'node-llama-cpp', 'package.json'))) {
    throw new Error('The engine is not installed: run `node scripts/install-engine.mjs` first.');
  }
  for (const entry of readdirSync(from)) {
    // The host's own binary package is replaced by the target's; npm's bookkeeping is not shipped.
    if (entry === '@node-llama-cpp' || entry === '.bin' || entry.startsWith('.')) {
      continue;
    }
    cpSync(path.join(from, entry), path.join(into, entry), {
      recursive: true,
      filter: (source) => !isLeftOut(path.relative(from, source)),
    });
  }
}

function fetchBinary(pkg, into, scratch) {
  const { version, integrity } = locked(pkg);
  const out = JSON.parse(run('npm', ['pack', `${pkg}@${version}`, '--json', '--pack-destination', scratch], scratch));
  if (out[0]?.integrity !== integrity) {
    throw new Error(`${pkg}@${version}: integrity ${out[0]?.integrity} does not match the lock file's ${integrity}`);
  }
  const target = path.join(into, ...pkg.split('/'));
  mkdirSync(target, { recursive: true });
  run('tar', ['-xzf', path.join(scratch, out[0].filename), '-C', target, '--strip-components=1'], scratch);
}

function bytesOf(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? bytesOf(full) : statSync(full).size;
  }
  return total;
}

function main() {
  const argv = process.argv.slice(2);
  const target = argv[argv.indexOf('--target') + 1];
  if (!argv.includes('--target') || !TARGETS[target]) {
    console.error(`usage: npm run package:platform -- --target <${Object.keys(TARGETS).join('|')}>`);
    return 2;
  }
  run(process.execPath, ['scripts/build.mjs', '--production'], root);

  const stage = mkdtempSync(path.join(tmpdir(), 'tandem-vsix-'));
  const scratch = mkdtempSync(path.join(tmpdir(), 'tandem-pack-'));
  try {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore']) {
      if (existsSync(path.join(root, file))) {
        cpSync(path.join(root, file), path.join(stage, file));
      }
    }
    cpSync(path.join(root, 'dist'), path.join(stage, 'dist'), { recursive: true });
    cpSync(path.join(root, 'media', 'icons'), path.join(stage, 'media', 'icons'), { recursive: true });
    const modules = path.join(stage, 'node_modules');
    copyEngineModules(modules);
    fetchBinary(TARGETS[target], modules, scratch);
    // vsce ships node_modules only for the manifest's dependencies (found with `npm list`):
    // at run time the engine is the only one, the rest is bundled into dist/.
    const manifest = JSON.parse(readFileSync(path.join(stage, 'package.json'), 'utf8'));
    manifest.dependencies = { 'node-llama-cpp': locked('node-llama-cpp').version };
    delete manifest.devDependencies;
    delete manifest.scripts;
    writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // The universal allow-list plus the engine.
    writeFileSync(path.join(stage, '.vscodeignore'), `${readFileSync(path.join(stage, '.vscodeignore'), 'utf8')}!node_modules/**\n`);
    console.log(`[package:platform] engine: ${(bytesOf(modules) / 1e6).toFixed(1)} MB unpacked`);

    const out = path.join(root, 'dist-vsix', `tandem-${target}.vsix`);
    mkdirSync(path.dirname(out), { recursive: true });
    const vsce = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
    run(vsce, ['package', '--target', target, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '-o', out], stage);
    const size = statSync(out).size;
    console.log(`[package:platform] ${path.relative(root, out)}: ${size.toLocaleString('en-US')} bytes (${(size / 1024 / 1024).toFixed(2)} MiB; limit 15 MiB)`);
    return size <= MAX_BYTES ? 0 : 1;
  } finally {
    rmSync(stage, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = main();
  } catch (error) {
    console.error(`[package:platform] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
