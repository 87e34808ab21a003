/**
 * What each `tandem` subcommand loads: the bin (dist/server.js) is only the
 * command line, and a subcommand loads its own bundle and nothing else, so
 * `tandem apply-patch`, which other tools start once per edit, never loads
 * the language server or the openai, MCP or OpenTelemetry SDKs (issue 16:
 * loading them made each call about twice Node's own start-up). The loaded
 * files come from `require.cache` at exit; the heavy packages are found in a
 * development build by esbuild's `// node_modules/<package>/` comments (a
 * production build has none: those checks are skipped on one).
 * Needs `node scripts/build.mjs` first.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'dist');
const serverJs = path.join(dist, 'server.js');

/** Packages only the language server may load. */
const HEAVY_PACKAGES = ['openai', 'vscode-languageserver', 'vscode-jsonrpc', '@modelcontextprotocol/sdk', '@opentelemetry/', '@secretlint/', 're2js', 'minisearch'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every JavaScript file the process loaded, relative to dist/. */
  loaded: string[];
}

/**
 * `node dist/server.js ...args` as the bin runs it, with an exit hook that reports `require.cache`
 * on fd 3. The bundles load each other with require(), so that is every file of ours it ran.
 */
function run(args: readonly string[], stdin: string | ((child: ChildProcess) => void) = ''): Promise<Run> {
  const probe = [
    `process.argv.splice(1, 0, ${JSON.stringify(serverJs)});`,
    `process.on('exit', () => require('node:fs').writeSync(3, JSON.stringify(Object.keys(require.cache))));`,
    `require(${JSON.stringify(serverJs)});`,
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', probe, '--', ...args], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: { ...process.env, TANDEM_AUDIT: 'off' } });
    let stdout = '';
    let stderr = '';
    let loaded = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const report = child.stdio[3];
    assert.ok(report && 'setEncoding' in report);
    report.setEncoding('utf8').on('data', (text: string) => (loaded += text));
    child.on('error', reject);
    child.on('close', (code) => {
      if (loaded === '') {
        reject(new Error(`tandem ${args.join(' ')} exited (${code}) without reporting what it loaded: ${stderr}`));
        return;
      }
      const files = (JSON.parse(loaded) as string[]).map((file) => path.relative(dist, file).split(path.sep).join('/'));
      resolve({ code, stdout, stderr, loaded: files.sort() });
    });
    if (typeof stdin === 'string') child.stdin?.end(stdin);
    else stdin(child);
  });
}

/** Whether dist/ is a development build, whose bundles name their modules in comments. */
function developmentBuild(): boolean {
  try {
    return (JSON.parse(readFileSync(path.join(dist, '.build-info.json'), 'utf8')) as { production?: unknown }).production === false;
  } catch {
    return false;
  }
}

/** The heavy packages a built file contains, by esbuild's module comments (`// ../node_modules/openai/index.mjs`); [] in a production build. */
function heavyPackagesIn(file: string): string[] {
  if (!developmentBuild()) return [];
  const comments = readFileSync(path.join(dist, file), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('// ') && line.includes('node_modules/'));
  return HEAVY_PACKAGES.filter((name) => comments.some((line) => line.includes(`node_modules/${name}`)));
}

/** One LSP message with its header. */
function frame(message: object): string {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

describe('tandem subcommands load only what they need (built bin)', function () {
  this.timeout(30_000);
  let work: string;

  before(() => {
    assert.ok(existsSync(serverJs), `${serverJs} is missing: run "node scripts/build.mjs" first`);
    work = mkdtempSync(path.join(os.tmpdir(), 'tandem-lean-cli-'));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the bin is the command line alone: small, with the engine and the packages in the bundles it loads', () => {
    // 8 KB in a development build today; the edit engine alone is 140 KB.
    const size = statSync(serverJs).size;
    assert.ok(size < 48 * 1024, `dist/server.js is ${size} bytes: main.ts imports a subcommand's module statically`);
    assert.deepEqual(heavyPackagesIn('server.js'), []);
  });

  it('the language server bundle is where the heavy packages are (so their absence elsewhere means something)', function () {
    if (!developmentBuild()) this.skip();
    const found = heavyPackagesIn('tandem-lsp.js');
    assert.ok(found.includes('openai') && found.includes('vscode-languageserver'), `tandem-lsp.js names only ${found.join(', ')} in its module comments`);
  });

  it('help, version and usage errors load the bin alone, with their exit codes', async () => {
    const cases: Array<{ args: string[]; code: number; stream: 'stdout' | 'stderr'; text: RegExp }> = [
      { args: ['--help'], code: 0, stream: 'stdout', text: /tandem apply-patch/ },
      { args: ['help'], code: 0, stream: 'stdout', text: /tandem apply-patch/ },
      { args: ['--version'], code: 0, stream: 'stdout', text: /^\d+\.\d+\.\d+\n$/ },
      { args: [], code: 2, stream: 'stderr', text: /No command given/ },
      { args: ['frobnicate'], code: 2, stream: 'stderr', text: /Unknown command/ },
    ];
    for (const { args, code, stream, text } of cases) {
      const result = await run(args);
      assert.equal(result.code, code, `tandem ${args.join(' ')}: ${result.stderr}`);
      assert.match(result[stream], text, `tandem ${args.join(' ')}`);
      assert.deepEqual(result.loaded, ['server.js'], `tandem ${args.join(' ')}`);
    }
  });

  it('apply-patch loads its own bundle only, and applies the patch', async () => {
    const dir = mkdtempSync(path.join(work, 'apply-'));
    writeFileSync(path.join(dir, 'a.txt'), 'one\ntwo\n');
    const patch = '*** Begin Patch\n*** Update File: a.txt\n@@\n one\n-two\n+2\n*** End Patch\n';
    const cases: Array<{ args: string[]; code: number }> = [
      { args: ['apply-patch', '--help'], code: 0 },
      { args: ['apply-patch', '--frobnicate'], code: 2 },
      { args: ['apply-patch', '--cwd', dir, '--dry-run'], code: 0 },
      { args: ['apply-patch', '--cwd', dir], code: 0 },
      // Applied already: the hunk no longer matches, a refusal.
      { args: ['apply-patch', '--cwd', dir], code: 1 },
    ];
    for (const { args, code } of cases) {
      const result = await run(args, patch);
      assert.equal(result.code, code, `tandem ${args.join(' ')}: ${result.stderr}`);
      assert.deepEqual(result.loaded, ['server.js', 'tandem-apply-patch.js'], `tandem ${args.join(' ')}`);
    }
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'one\n2\n');
    assert.deepEqual(heavyPackagesIn('tandem-apply-patch.js'), []);
  });

  it('audit and metrics load their own bundles only', async () => {
    const trail = mkdtempSync(path.join(work, 'audit-'));
    const cases: Array<{ args: string[]; bundle: string }> = [
      { args: ['audit', 'verify', '--dir', trail], bundle: 'tandem-audit.js' },
      { args: ['audit', 'export', '--dir', trail], bundle: 'tandem-audit.js' },
      { args: ['metrics', '--dir', trail, '--json'], bundle: 'tandem-metrics.js' },
    ];
    for (const { args, bundle } of cases) {
      const result = await run(args);
      assert.notEqual(result.code, null, `tandem ${args.join(' ')} was killed`);
      assert.deepEqual(result.loaded, ['server.js', bundle], `tandem ${args.join(' ')}: ${result.stderr}`);
      assert.deepEqual(heavyPackagesIn(bundle), [], bundle);
    }
  });

  it('apply-patch, audit and metrics start from a code cache beside their bundle, written by their first run', async () => {
    const trail = mkdtempSync(path.join(work, 'cache-audit-'));
    const cases: Array<{ args: string[]; bundle: string; text: RegExp }> = [
      { args: ['apply-patch', '--help'], bundle: 'tandem-apply-patch.js', text: /Usage: tandem apply-patch/ },
      { args: ['audit', 'verify', '--dir', trail], bundle: 'tandem-audit.js', text: /./ },
      { args: ['metrics', '--dir', trail, '--json'], bundle: 'tandem-metrics.js', text: /./ },
    ];
    for (const { args, bundle, text } of cases) {
      // A script compiled with a cache cannot import() without an experimental option (src/server/util/codeCache.ts).
      assert.doesNotMatch(readFileSync(path.join(dist, bundle), 'utf8'), /\bimport\(/, `${bundle} must not import(): it is loaded through the code cache`);
      const cache = path.join(dist, `${bundle}.${process.versions.v8}.cache`);
      rmSync(cache, { force: true });
      const first = await run(args);
      assert.ok(existsSync(cache), `tandem ${args.join(' ')} wrote no cache: ${first.stderr}`);
      if (process.platform !== 'win32') assert.equal(statSync(cache).mode & 0o777, 0o600);
      const written = statSync(cache).mtimeMs;
      const second = await run(args);
      assert.equal(second.code, first.code, `tandem ${args.join(' ')}: ${second.stderr}`);
      assert.equal(second.stdout, first.stdout);
      assert.match(`${second.stdout}${second.stderr}`, text);
      assert.equal(statSync(cache).mtimeMs, written, `tandem ${args.join(' ')} did not use its cache (it wrote it again)`);
    }
  });

  it('lsp --stdio loads the language server bundle and answers initialize', async () => {
    const result = await run(['lsp', '--stdio'], (child) => {
      let answer = '';
      child.stdout?.on('data', (data: Buffer) => {
        answer += data.toString();
        if (answer.includes('"id":1,')) child.stdin?.end(`${frame({ id: 2, method: 'shutdown' })}${frame({ method: 'exit' })}`);
      });
      child.stdin?.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
    });
    assert.match(result.stdout, /"serverInfo":\{"name":"tandem"/);
    assert.deepEqual(result.loaded, ['server.js', 'tandem-lsp.js']);
  });
});
