import assert from 'node:assert/strict';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { runCommand, screenshot } from '../runner/browser';
import { openTandem, repoRoot, type TandemSession } from './fixture';

/**
 * The MCP Servers view with two of the person's own servers (they start
 * without asking): server-everything, ready with its tools, and the broken
 * fixture server, which crashes at start and is shown as failed with its
 * stderr and a Restart action.
 */
/**
 * Opens a tree row and waits until it is open. The view may expand it itself
 * while the test looks (a failed server opens on its own once its children
 * arrive), so a click is only made on a row seen closed, and the result is
 * awaited rather than assumed: a click racing the view's own expansion would
 * close it again.
 */
async function expand(row: Locator): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt++) {
    if ((await row.getAttribute('aria-expanded')) === 'true') return;
    await row.click();
    try {
      await row.and(row.page().locator('[aria-expanded="true"]')).waitFor({ timeout: 3_000 });
      return;
    } catch {
      // Closed again by a redraw: look and try once more.
    }
  }
  assert.equal(await row.getAttribute('aria-expanded'), 'true', 'the row opens');
}

describe('MCP Servers view end to end', function () {
  this.timeout(180_000);
  let session: TandemSession;
  let page: Page;

  before(async () => {
    const node = process.execPath;
    session = await openTandem({
      userSettings: {
        'tandem.mcp.servers': {
          // In this order in the view: the failed one above, so both fit once the ready one shows its tools.
          crashy: { command: node, args: [path.join(repoRoot, 'test/fixtures/mcp/broken-server.mjs'), 'crash-at-start'] },
          everything: { command: node, args: [path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js')] },
        },
      },
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
  });

  it('shows a crashed server as failed with its stderr and Restart, and a ready server with its tools', async () => {
    await runCommand(page, 'Tandem: Show MCP Servers');
    const row = (name: string) => page.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
    const crashy = row('crashy');
    await crashy.filter({ hasText: 'failed' }).waitFor({ timeout: 60_000 });
    // A failed server opens with its reason and stderr; the row was first drawn while it started (no children yet).
    await expand(crashy);
    try {
      await page.locator('.monaco-list-row', { hasText: /exited with code 3/ }).waitFor({ timeout: 15_000 });
      await page.locator('.monaco-list-row', { hasText: 'cannot open config file /nonexistent' }).waitFor({ timeout: 15_000 });
    } catch (error) {
      await screenshot(page, 'mcp-servers-failure');
      throw error;
    }
    const everything = row('everything');
    await everything.filter({ hasText: /ready · \d+ tools/ }).waitFor({ timeout: 60_000 });
    await expand(everything);
    // Its tools under it (the list is long; the first ones are in view).
    await row('echo').waitFor();
    // The inline actions show on hover (and for the selected row): Restart is one of the crashed server's.
    await crashy.hover();
    const restart = crashy.locator('.action-label[aria-label^="Restart MCP Server"]');
    await restart.waitFor({ state: 'visible' });
    assert.equal(await restart.count(), 1);
    // Room for the view in the screenshot: the chat above it collapsed.
    await page.locator('.pane-header', { has: page.locator('h3.title', { hasText: /^chat$/i }) }).first().click();
    await row('echo').waitFor();
    await crashy.hover();
    await screenshot(page, 'mcp-servers');
  });
});
