/**
 * Headless Debian Chromium driven by playwright-core, and helpers for the
 * VS Code workbench that code-server serves. Playwright cannot download its
 * own browsers here, so we always use the system Chromium.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { repoRoot } from './workspace';

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * Opens the workbench and waits until VS Code has rendered it. Page errors are
 * forwarded to `log` because they are otherwise invisible in a headless run.
 */
export async function openWorkbench(browser: Browser, url: string, log?: (line: string) => void): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(30_000);
  if (log) {
    page.on('pageerror', (error) => log(`[page error] ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') {
        log(`[console] ${message.text()}`);
      }
    });
  }
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await waitForWorkbench(page);
  return page;
}

/** The workbench is usable once its shell and status bar are on screen. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

export type FramePredicate = (frame: Frame) => boolean | Promise<boolean>;

/**
 * Finds the webview frame holding `selector` (or satisfying `predicate`).
 * Webviews are iframes inside iframes that load after the view opens, and a
 * frame's DOM changing fires no page event, so this re-checks every frame on
 * frame events and at a short interval, up to `timeoutMs`.
 */
export async function findWebviewFrame(page: Page, target: string | FramePredicate, timeoutMs = 30_000): Promise<Frame> {
  const matches: FramePredicate = typeof target === 'string' ? async (frame) => (await frame.locator(target).count()) > 0 : target;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame.isDetached()) {
        continue;
      }
      try {
        if (await matches(frame)) {
          return frame;
        }
      } catch {
        // The frame navigated or detached while we looked: try the others.
      }
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new Error(`No webview frame matched ${typeof target === 'string' ? target : 'the predicate'} within ${timeoutMs} ms`);
    }
    await Promise.race([
      page.waitForEvent('framenavigated', { timeout: left }).catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, Math.min(250, left))),
    ]);
  }
}

/**
 * Runs a command from the Command Palette by its full title, e.g. "Tandem: Focus Chat".
 * The palette lists the commands known when it opens, and an extension's are
 * known only once the extension host has registered it, so a missing row
 * means: close, reopen and look again, up to `timeoutMs`.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Click the row whose label is exactly the title: Enter would run whatever
  // is highlighted, which may be a recently used command that also matches.
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
    .first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    try {
      // A key pressed while the workbench is (re)loading is lost: press it again.
      await input.waitFor({ state: 'visible', timeout: Math.max(1_000, Math.min(5_000, deadline - Date.now())) });
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new Error(`The Command Palette did not open within ${timeoutMs} ms`, { cause: error });
      }
      continue;
    }
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: Math.max(1_000, Math.min(3_000, deadline - Date.now())) });
      break;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() >= deadline) {
        throw new Error(`Command "${title}" is not in the Command Palette after ${timeoutMs} ms`, { cause: error });
      }
    }
  }
  await row.click();
  // Not "palette hidden": the command may open a quick pick of its own.
  await row.waitFor({ state: 'hidden' });
}

/** Saves `test-results/screenshots/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
