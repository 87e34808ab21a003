/**
 * What an E2E test needs to drive Tandem as a person would: a real VS Code
 * (code-server) with Tandem as a development extension, a copy of the sample
 * workspace, and a headless Chromium page on the workbench.
 *
 * Point Tandem at a scripted model by passing e.g.
 * `userSettings: { 'tandem.baseUrl': model.baseUrl, 'tandem.model': 'test-model' }`.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { findWebviewFrame, launchBrowser, openWorkbench, runCommand } from '../runner/browser';
import { startCodeServer, type CodeServer } from '../runner/codeServer';
import { copyFixtureWorkspace, repoRoot } from '../runner/workspace';

export { copyFixtureWorkspace, repoRoot };

export interface TandemSession {
  codeServer: CodeServer;
  browser: Browser;
  page: Page;
  workspace: string;
  /** Closes the browser and kills code-server's process group; safe to call twice. */
  close(): Promise<void>;
}

export interface TandemSessionOptions {
  userSettings?: Record<string, unknown>;
  /** Reaches the extension host (and so Tandem's model service), e.g. OPENAI_API_KEY. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to a fresh copy of test/fixtures/workspace. */
  workspace?: string;
}

/** The activity bar entry of Tandem's view container. */
export const TANDEM_ACTIVITY = '.activitybar .action-item a[aria-label^="Tandem"]';

let sessions = 0;

/** Starts everything; code-server and browser output go to test-results/e2e/session-<n>.log. */
export async function openTandem(options: TandemSessionOptions = {}): Promise<TandemSession> {
  const logDir = path.join(repoRoot, 'test-results', 'e2e');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, `session-${++sessions}.log`));
  const write = (line: string): void => void log.write(`${line}\n`);

  const workspace = options.workspace ?? (await copyFixtureWorkspace());
  const codeServer = await startCodeServer({ workspace, extensionDevelopmentPath: repoRoot, userSettings: options.userSettings, env: options.env, log: write });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await openWorkbench(browser, codeServer.workbenchUrl(), write);
    // Tandem's view container appears once the extension host has registered
    // the development extension; before that its commands are unknown.
    await page.locator(TANDEM_ACTIVITY).waitFor({ state: 'visible', timeout: 60_000 });
    let closing: Promise<void> | undefined;
    const openBrowser = browser;
    return {
      codeServer,
      browser,
      page,
      workspace,
      close: () =>
        (closing ??= (async () => {
          await openBrowser.close().catch(() => undefined);
          await codeServer.stop();
          log.end();
        })()),
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await codeServer.stop();
    log.end();
    throw error;
  }
}

/** Focuses Tandem's chat view (the command a person would run) and answers its webview frame once the composer is there. */
export async function focusChat(page: Page): Promise<Frame> {
  await runCommand(page, 'Tandem: Focus Chat');
  return findWebviewFrame(page, '[data-testid="input"]', 60_000);
}

/** Types a question into the chat and sends it with Enter; answers the assistant's message once it is done. */
export async function askInChat(frame: Frame, question: string, timeout = 60_000): Promise<Locator> {
  const input = frame.locator('[data-testid="input"]');
  await input.click();
  await input.fill(question);
  await input.press('Enter');
  const answer = frame.locator('[data-testid="message"][data-role="assistant"]').last();
  await answer.and(frame.locator('[data-state="done"]')).waitFor({ timeout });
  return answer;
}
