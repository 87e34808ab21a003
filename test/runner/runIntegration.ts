/**
 * Runs the integration suite (out/test/integration, built by the caller) in
 * the Node extension host of a real VS Code 1.100.3 served by code-server and
 * opened in headless Chromium. The suite writes its report to files whose
 * paths it receives in the environment; we follow its log as it runs, wait
 * for the report, and exit with the number of failures.
 *
 *   node --import tsx test/runner/runIntegration.ts
 *   env: TANDEM_TEST_GREP=<pattern>              only matching tests
 *        TANDEM_INTEGRATION_TIMEOUT_MS=<ms>       overall bound (default 5 min)
 *        TANDEM_STAGE_JSON=<file>                 copy of the summary (scripts/test.mjs)
 */
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, openWorkbench, screenshot } from './browser';
import { startCodeServer, type CodeServer } from './codeServer';
import type { TestSummary } from './specJsonReporter';
import { copyFixtureWorkspace, repoRoot } from './workspace';

const resultsDir = path.join(repoRoot, 'test-results', 'integration');
const reportFile = path.join(resultsDir, 'report.json');
const logFile = path.join(resultsDir, 'report.log');
const serverLogFile = path.join(resultsDir, 'code-server.log');
const browserLogFile = path.join(resultsDir, 'browser.log');
const suiteEntry = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');

async function main(): Promise<number> {
  const timeoutMs = Number(process.env.TANDEM_INTEGRATION_TIMEOUT_MS ?? 5 * 60_000);
  if (!existsSync(suiteEntry)) {
    throw new Error(`${path.relative(repoRoot, suiteEntry)} is missing: run \`node scripts/build.mjs\` first`);
  }
  await rm(resultsDir, { recursive: true, force: true });
  await mkdir(resultsDir, { recursive: true });
  const serverLog = createWriteStream(serverLogFile);
  const browserLog = createWriteStream(browserLogFile);

  const workspace = await copyFixtureWorkspace();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer({
      workspace,
      extensionDevelopmentPath: repoRoot,
      log: (line) => serverLog.write(`${line}\n`),
      env: {
        TANDEM_TEST_REPORT: reportFile,
        TANDEM_TEST_LOG: logFile,
        TANDEM_TEST_WORKSPACE: workspace,
        // The smoke test checks this arrives: proof the host inherits our env.
        TANDEM_HARNESS_PROBE: 'from-the-runner',
      },
    });
    console.log(`[integration] VS Code (code-server) at ${server.baseUrl}, workspace ${workspace}`);
    browser = await launchBrowser();
    const page = await openWorkbench(browser, server.workbenchUrl({ extensionTestsPath: suiteEntry }), (line) => browserLog.write(`${line}\n`));
    const summary = await followReport(timeoutMs).catch(async (error: unknown) => {
      await screenshot(page, 'integration-timeout').catch(() => undefined);
      throw error;
    });
    printFailuresMissingFromLog(summary);
    if (process.env.TANDEM_STAGE_JSON) {
      await copyFile(reportFile, process.env.TANDEM_STAGE_JSON);
    }
    return summary.failures;
  } catch (error) {
    console.error(`[integration] ${error instanceof Error ? error.message : String(error)}`);
    await printTail(serverLogFile, 'code-server log');
    await printTail(browserLogFile, 'browser errors');
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    serverLog.end();
    browserLog.end();
  }
}

/**
 * Prints the suite's log as it grows and resolves with the report once it
 * exists. The suite runs in another process tree, so watching its files is
 * the only signal; we check often, up to the overall bound.
 */
async function followReport(timeoutMs: number): Promise<TestSummary> {
  const deadline = Date.now() + timeoutMs;
  let printed = 0;
  const printNew = async (): Promise<void> => {
    if (!existsSync(logFile)) {
      return;
    }
    const handle = await open(logFile, 'r');
    try {
      const { size } = await handle.stat();
      if (size > printed) {
        const buffer = Buffer.alloc(size - printed);
        await handle.read(buffer, 0, buffer.length, printed);
        process.stdout.write(buffer);
        printed = size;
      }
    } finally {
      await handle.close();
    }
  };
  for (;;) {
    const done = existsSync(reportFile);
    await printNew();
    if (done) {
      return JSON.parse(await readFile(reportFile, 'utf8')) as TestSummary;
    }
    if (Date.now() > deadline) {
      throw new Error(`no report from the extension host within ${timeoutMs} ms (${reportFile})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Failures the suite reported without a log line, e.g. a test file that failed to load. */
function printFailuresMissingFromLog(summary: TestSummary): void {
  if (existsSync(logFile)) {
    return;
  }
  for (const test of summary.tests.filter((t) => t.state === 'failed')) {
    console.error(`✖ ${test.fullTitle}\n${test.err?.stack ?? test.err?.message ?? ''}`);
  }
}

async function printTail(file: string, title: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.trimEnd().split('\n').slice(-40);
  if (lines.join('').length > 0) {
    console.error(`--- last lines of ${title} (${path.relative(repoRoot, file)}) ---\n${lines.join('\n')}`);
  }
}

main().then(
  (failures) => process.exit(Math.min(failures, 255)),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
