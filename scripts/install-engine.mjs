#!/usr/bin/env node
// Installs the built-in model's engine (node-llama-cpp) into scripts/engine/node_modules,
// with only this machine's CPU binary package. It is kept apart from the root install
// because node-llama-cpp lists every platform's binaries as optional dependencies, and npm
// would fetch the CUDA and Vulkan ones too (~640 MB on Linux x64); `--omit=optional` at the
// root would also drop esbuild's own binary. Versions come from scripts/engine's lock file.
//
// Run by `npm install` / `npm ci` (postinstall). Idempotent and quick when already
// installed. A failure is reported, not fatal: everything but the built-in model works
// without the engine. TANDEM_SKIP_ENGINE=1 skips it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const engineDir = join(dirname(fileURLToPath(import.meta.url)), 'engine');
const { dependencies } = JSON.parse(readFileSync(join(engineDir, 'package.json'), 'utf8'));
const version = dependencies['node-llama-cpp'];

/** The CPU-only binary package for a platform (GPU variants are left to platform builds). */
export function binaryPackage(platform, arch) {
  const names = {
    'linux-x64': 'linux-x64',
    'linux-arm64': 'linux-arm64',
    'linux-arm': 'linux-armv7l',
    'darwin-arm64': 'mac-arm64-metal',
    'darwin-x64': 'mac-x64',
    'win32-x64': 'win-x64',
    'win32-arm64': 'win-arm64',
  };
  const name = names[`${platform}-${arch}`];
  return name ? `@node-llama-cpp/${name}` : undefined;
}

function installed(pkg) {
  try {
    const manifest = JSON.parse(readFileSync(join(engineDir, 'node_modules', pkg, 'package.json'), 'utf8'));
    return manifest.version === version;
  } catch {
    return false;
  }
}

function main() {
  if (process.env.TANDEM_SKIP_ENGINE === '1') {
    console.log('[install-engine] skipped (TANDEM_SKIP_ENGINE=1)');
    return 0;
  }
  const pkg = binaryPackage(process.platform, process.arch);
  if (!pkg) {
    console.warn(`[install-engine] no prebuilt engine for ${process.platform}-${process.arch}; the built-in model will be unavailable`);
    return 0;
  }
  if (installed('node-llama-cpp') && installed(pkg) && existsSync(join(engineDir, 'node_modules', '.package-lock.json'))) {
    return 0;
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // --no-save keeps the lock file as committed; --ignore-scripts: node-llama-cpp's
  // postinstall only test-loads the binary, and Tandem does that itself when it loads.
  const args = ['install', '--omit=optional', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${version}`];
  console.log(`[install-engine] npm ${args.join(' ')} (in scripts/engine)`);
  const result = spawnSync(npm, args, { cwd: engineDir, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.warn('[install-engine] the engine could not be installed; the built-in model will be unavailable');
    return process.env.CI ? 1 : 0;
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main();
}
