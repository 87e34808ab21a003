import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runCommand, screenshot } from '../runner/browser';
import { ScriptedModelServer } from '../support/modelServer';
import { copyFixtureWorkspace, openTandem, type TandemSession } from './fixture';

/**
 * The sparkle in the Source Control title: a repository that uses
 * Conventional Commits, a staged change; pressing it streams the message
 * into the commit box.
 */
describe('commit message end to end', function () {
  this.timeout(180_000);
  let model: ScriptedModelServer;
  let session: TandemSession;
  let page: Page;

  before(async () => {
    model = await ScriptedModelServer.start();
    const workspace = await copyFixtureWorkspace();
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=t@example.org', ...args], { cwd: workspace, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'feat: sample project');
    git('commit', '-q', '--allow-empty', '-m', 'fix(todo): keep ids unique');
    git('commit', '-q', '--allow-empty', '-m', 'docs: readme');
    const math = path.join(workspace, 'src/math.ts');
    writeFileSync(math, `${'export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));\n'}`, { flag: 'a' });
    git('add', 'src/math.ts');
    session = await openTandem({ workspace, userSettings: { 'tandem.baseUrl': model.baseUrl, 'tandem.model': 'test-model' } });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await model?.close();
  });

  it('writes a conventional message for the staged diff into the Source Control input box', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Source Control"]').click();
    // The sparkle is in the view's title bar (shown on hover); the palette runs the same command.
    await page.locator('.monaco-action-bar .action-label[aria-label^="Write Commit Message"]').waitFor({ state: 'attached', timeout: 60_000 });
    await page.locator('.scm-editor').first().waitFor();
    // Two different icons side by side: the sparkle writes the message, the tag adds the provenance trailer.
    const iconOf = (label: string): Promise<string | null> => page.locator(`.monaco-action-bar .action-label[aria-label^="${label}"]`).first().getAttribute('class');
    assert.match((await iconOf('Write Commit Message')) ?? '', /codicon-sparkle/);
    assert.match((await iconOf('Add AI Provenance to Commit Message')) ?? '', /codicon-tag/);
    model.enqueue({ kind: 'stream', text: 'feat(math): add clamp\n\nClamp a number between two bounds.', tokensPerSecond: 200 });
    await runCommand(page, 'Tandem: Write Commit Message');
    const box = page.locator('.scm-editor .view-lines');
    await box.filter({ hasText: 'feat(math): add clamp' }).waitFor({ timeout: 30_000 });
    await page.locator('.scm-editor .view-lines').filter({ hasText: 'Clamp a number' }).waitFor();
    const sent = JSON.stringify(model.chatRequests().at(-1)?.body);
    assert.match(sent, /Math\.max\(lo, x\)/, 'the staged diff went to the model');
    assert.match(sent, /Conventional Commits/);
    await screenshot(page, 'commit-message');
  });
});
