import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { runCommand, screenshot } from '../runner/browser';
import { openTandem, TANDEM_ACTIVITY, type TandemSession } from './fixture';

/** The harness itself: a real VS Code workbench with Tandem, seen through a browser. */
describe('workbench with Tandem', function () {
  let session: TandemSession;

  before(async () => {
    session = await openTandem();
  });

  after(async () => {
    await session?.close();
  });

  it('shows the sample workspace with the Tandem activity bar entry', async () => {
    const { page } = session;
    assert.match(await page.title(), /tandem-sample/);
    assert.ok(await page.locator(TANDEM_ACTIVITY).isVisible(), 'no Tandem entry in the activity bar');
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'README.md' }).waitFor();
  });

  it('opens a file of the sample workspace in an editor', async () => {
    const { page } = session;
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^src$/ }).click();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'math.ts' }).click();
    await page.locator('.tabs-container .tab.active', { hasText: 'math.ts' }).waitFor();
    await page.locator('.monaco-editor .view-lines', { hasText: 'export function average' }).waitFor();
    const file = await screenshot(page, 'workbench');
    assert.ok(existsSync(file));
  });
});
