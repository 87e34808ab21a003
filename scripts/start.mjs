#!/usr/bin/env node
// `npm start`: try Tandem in a real VS Code in your browser.
// Builds, makes sure code-server is installed, opens a temporary copy of the
// sample workspace (test/fixtures/workspace) with Tandem as a development
// extension, prints the URL, and runs until Ctrl+C.
// With nothing configured (no OPENAI_BASE_URL / OPENAI_API_KEY, no --demo),
// Tandem uses its built-in model when it was downloaded before, and otherwise
// offers to download it. The built-in model is kept in .tandem-run/models, so it
// outlives each run's fresh code-server profile.
//
//   npm start                     port 3000 (or $PORT), bound to 127.0.0.1
//   npm start -- --demo           also a scripted model (no real model needed);
//   TANDEM_DEMO=1 npm start       same
//   npm start -- --port 4000
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const demo = argv.includes('--demo') || process.env.TANDEM_DEMO === '1';
const portArg = argv.indexOf('--port');
const port = Number(portArg >= 0 ? argv[portArg + 1] : (process.env.PORT ?? 3000));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Not a port: ${portArg >= 0 ? argv[portArg + 1] : process.env.PORT}`);
  process.exit(2);
}

function step(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[start] ${command} ${args.join(' ')} failed`);
    process.exit(1);
  }
}

/** Starts the scripted model server; resolves with its base URL (its first stdout line). */
function startDemoModel() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/modelServerCli.ts', '--demo', '--models', 'tandem-demo'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'], // its request log (stderr) is worth seeing
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the demo model server did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the demo model server exited (code ${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ baseUrl: line.trim(), stop: () => child.kill('SIGTERM') });
    });
  });
}

/** The extension's global storage in a code-server profile (VS Code's layout: User/globalStorage/<publisher>.<name>). */
const EXTENSION_ID = 'tandem-dev.tandem';

/**
 * Points the fresh profile's models folder at .tandem-run/models before the
 * window opens (the extension activates with the window). Says which model
 * Tandem will find there.
 */
async function shareBuiltInModels(userDataDir) {
  const { catalogue, modelForMemory, formatBytes } = await tsImport('../src/shared/embeddedCatalogue.ts', import.meta.url);
  const shared = path.join(root, '.tandem-run', 'models');
  mkdirSync(shared, { recursive: true });
  const storage = path.join(userDataDir, 'User', 'globalStorage', EXTENSION_ID);
  mkdirSync(storage, { recursive: true });
  const link = path.join(storage, 'models');
  if (!existsSync(link)) symlinkSync(shared, link, 'dir');
  const models = catalogue(process.env);
  const present = models.find((model) => {
    const file = path.join(shared, model.fileName);
    return existsSync(file) && statSync(file).size === model.sizeBytes;
  });
  if (present) return `Built-in model: ${path.relative(process.cwd(), path.join(shared, present.fileName))} (used when nothing else is configured)`;
  const offered = modelForMemory(os.totalmem(), models);
  return `No built-in model yet: Tandem offers ${offered.label} (${formatBytes(offered.sizeBytes)} download) when no model is configured`;
}

async function main() {
  step(process.execPath, ['scripts/build.mjs', '--no-tests']);
  step('bash', ['scripts/install-test-deps.sh']);
  const { startCodeServer, CODE_SERVER_VERSION } = await tsImport('../test/runner/codeServer.ts', import.meta.url);
  const { copyFixtureWorkspace } = await tsImport('../test/runner/workspace.ts', import.meta.url);

  const model = demo ? await startDemoModel() : undefined;
  const workspace = await copyFixtureWorkspace();
  const logDir = path.join(root, '.tandem-run');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, 'code-server.log');
  const log = createWriteStream(logFile);

  const server = await startCodeServer({
    workspace,
    extensionDevelopmentPath: root,
    port,
    userSettings: model ? { 'tandem.baseUrl': model.baseUrl, 'tandem.model': 'tandem-demo' } : {},
    log: (line) => log.write(`${line}\n`),
  });
  const builtIn = model ? '' : `${await shareBuiltInModels(server.userDataDir)}\n`;

  const shutdown = async () => {
    console.log('\n[start] stopping');
    await server.stop();
    model?.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  console.log(`
Tandem is running in code-server ${CODE_SERVER_VERSION} (VS Code 1.100.3), workspace: ${workspace}
${model ? `Demo model: ${model.baseUrl} (scripted answers, no real model)\n` : builtIn}
Open this URL in a browser (exactly this host: the extension is addressed by it):

  ${server.workbenchUrl()}

Server log: ${path.relative(process.cwd(), logFile)}. After rebuilding (npm run build),
run "Developer: Reload Window" to load the new code. Ctrl+C to stop.
`);
}

main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
