#!/usr/bin/env node
// Bundles the three products with esbuild: the extension (VS Code host), the
// model service (the `tandem` bin, a bundle per subcommand, and the metrics and codebase index worker threads), and the webviews (chat, audit trail,
// metrics); plus the integration test suite that runs inside a real VS Code extension host.
// Usage: node scripts/build.mjs [--production] [--watch] [--no-tests]
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = !production && !args.has('--no-tests');

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
};

/**
 * The MCP SDK's client imports its Ajv validator even when it is given another one: the extension
 * gives its own (src/extension/mcp/connection.ts), so a stub takes Ajv's place (130 KB less).
 * @type {import('esbuild').Plugin}
 */
const withoutAjv = {
  name: 'mcp-without-ajv',
  setup(build) {
    build.onResolve({ filter: /validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}@modelcontextprotocol${path.sep}sdk${path.sep}`) ? { path: path.join(root, 'src/extension/mcp/noAjv.ts') } : undefined,
    );
  },
};

/**
 * The `tandem` bin (dist/server.js, from src/server/main.ts) is only the command line: each subcommand's
 * module, which main.ts imports lazily, is a bundle of its own beside it, loaded when that subcommand runs.
 * So `tandem apply-patch`, which other tools start once per edit, never reads the language server, the
 * openai SDK or the MCP SDK (test/standalone/leanCli.test.ts checks what each subcommand loads).
 */
const SUBCOMMAND_BUNDLES = [
  // Not through the code cache: the language server import()s ES modules (the built-in model's engine), and in a
  // script compiled with a cache that needs vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, which warns on stderr.
  { entry: 'src/server/server.ts', outfile: 'dist/tandem-lsp.js', codeCache: false },
  // Minified in every build (its source map still names the sources): other tools start it once per edit, and
  // V8 compiles a smaller file faster (about a quarter of what loading this bundle costs, counted with callgrind).
  { entry: 'src/server/edits/applyPatchCommand.ts', outfile: 'dist/tandem-apply-patch.js', minify: true, codeCache: true },
  { entry: 'src/server/services/audit/command.ts', outfile: 'dist/tandem-audit.js', codeCache: true },
  { entry: 'src/server/services/metrics/command.ts', outfile: 'dist/tandem-metrics.js', codeCache: true },
];

/**
 * Keeps main.ts's lazy imports of the subcommand modules out of dist/server.js: each becomes a load
 * of its bundle, beside dist/server.js, through V8's code cache (src/server/util/codeCache.ts) where
 * the bundle allows it, else a plain require(). A lazy import with no bundle above fails the build rather than quietly pulling that module (and all it imports) into every start of the bin.
 * @type {import('esbuild').Plugin}
 */
const subcommandBundles = {
  name: 'tandem-subcommand-bundles',
  setup(build) {
    const main = path.join(root, 'src/server/main.ts');
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.importer !== main || args.kind !== 'dynamic-import') return undefined;
      const source = `${path.relative(root, path.resolve(args.resolveDir, args.path)).split(path.sep).join('/')}.ts`;
      const bundle = SUBCOMMAND_BUNDLES.find((candidate) => candidate.entry === source);
      if (!bundle) return { errors: [{ text: `main.ts imports ${args.path} lazily but it has no bundle of its own: add it to SUBCOMMAND_BUNDLES` }] };
      const file = path.posix.relative('dist', bundle.outfile);
      return bundle.codeCache ? { path: file, namespace: 'tandem-bundle' } : { path: `./${file}`, external: true };
    });
    // The bundle is loaded through the code cache (src/server/util/codeCache.ts) rather than a plain require().
    build.onLoad({ filter: /.*/, namespace: 'tandem-bundle' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(path.join(root, 'src/server/util/codeCache.ts'))}).requireBundle(${JSON.stringify(args.path)});`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [withoutAjv],
  },
  {
    ...common,
    entryPoints: ['src/server/main.ts'],
    outfile: 'dist/server.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [subcommandBundles],
    // A bundle loaded with import() goes through Node's ESM loader, which first scans the whole file for its
    // exports (in a profile, the largest cost of `tandem apply-patch` after the split): require() it instead.
    supported: { 'dynamic-import': false },
  },
  ...SUBCOMMAND_BUNDLES.map(({ entry, outfile, minify }) => ({ ...common, entryPoints: [entry], outfile, platform: 'node', format: 'cjs', target: 'node20', ...(minify ? { minify } : {}) })),
  {
    // The worker thread the service and `tandem metrics` start for a large trail (src/server/services/metrics/parallel.ts finds it beside its own bundle).
    ...common,
    entryPoints: ['src/server/services/metrics/worker.ts'],
    outfile: 'dist/metricsWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The worker thread that hosts the codebase index (src/server/services/codebase/indexThread.ts finds it beside dist/tandem-lsp.js).
    ...common,
    entryPoints: ['src/server/services/codebase/indexWorker.ts'],
    outfile: 'dist/indexWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The built-in model's engine process (src/server/providers/embedded/hostEnv.ts finds it beside dist/tandem-lsp.js).
    ...common,
    entryPoints: ['src/server/providers/embedded/hostProcess.ts'],
    outfile: 'dist/embeddedHost.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: { chat: 'media/chat/main.ts', audit: 'media/audit/main.ts', metrics: 'media/metrics/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
];

/** index.ts plus every *.test.ts under the suite folder, each its own bundle next to index.js. */
function integrationEntries() {
  const suiteDir = 'test/integration/suite';
  const entries = { index: `${suiteDir}/index.ts` };
  for (const file of readdirSync(path.join(root, suiteDir), { recursive: true })) {
    const relative = String(file).split(path.sep).join('/');
    if (relative.endsWith('.test.ts')) {
      entries[relative.slice(0, -'.ts'.length)] = `${suiteDir}/${relative}`;
    }
  }
  return entries;
}

if (withTests) {
  // Start clean so a deleted or renamed test does not keep running from a stale bundle.
  rmSync(path.join(root, 'out', 'test', 'integration'), { recursive: true, force: true });
  builds.push({
    ...common,
    sourcemap: 'inline',
    entryPoints: integrationEntries(),
    outdir: 'out/test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
}

/**
 * Node reads the package.json nearest to a script it runs (for its "type"), and ours is 40 KB of VS Code
 * contributions: this one-line file stops that search in dist/ (about 1 % of a `tandem apply-patch` run,
 * counted with callgrind). Shipped in the VSIX beside the bundles.
 */
const DIST_PACKAGE_JSON = 'dist/package.json';

async function main() {
  await mkdir(path.join(root, 'dist'), { recursive: true });
  if (watch) {
    for (const options of builds) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
    }
    console.log('[build] watching for changes');
    return;
  }
  const started = Date.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  await writeFile(path.join(root, 'dist', '.build-info.json'), JSON.stringify({ production, builtAt: new Date().toISOString() }));
  await writeFile(path.join(root, DIST_PACKAGE_JSON), `${JSON.stringify({ type: 'commonjs' })}\n`);
  console.log(`[build] ${builds.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
