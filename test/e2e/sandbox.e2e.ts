import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshot } from '../runner/browser';
import { ScriptedModelServer } from '../support/modelServer';
import { openTandem, type TandemSession, focusChat } from './fixture';

/**
 * Full auto in the real UI: the header says commands run in the sandbox, an
 * allowed command runs without a question, its output shows on the step card
 * and in the read-only Tandem Agent terminal, and a command that is not
 * plain still waits for the person.
 */
describe('full auto with the sandbox, end to end', function () {
  this.timeout(180_000);
  let model: ScriptedModelServer;
  let session: TandemSession;
  let page: Page;

  before(async () => {
    model = await ScriptedModelServer.start({ models: ['test-model'] });
    session = await openTandem({ userSettings: { 'tandem.baseUrl': model.baseUrl, 'tandem.model': 'test-model', 'tandem.agent.approvalPolicy': 'full-auto' } });
    page = session.page;
  });
  after(async () => {
    await session?.close();
    await model?.close();
  });

  it('runs an allowed command unasked in bubblewrap, shows it in the Tandem Agent terminal, and asks for one that is not plain', async () => {
    const frame = await focusChat(page);
    await frame.locator('[data-testid="mode-switch"] [data-mode="agent"]').click();
    const bar = frame.locator('[data-testid="agent-bar"]');
    await bar.waitFor({ state: 'visible', timeout: 10_000 });
    const sandbox = frame.locator('[data-testid="agent-sandbox"]');
    await frame.locator('[data-testid="agent-sandbox"]:has-text("Sandbox: bubblewrap, no network")').waitFor({ timeout: 30_000 });
    assert.match((await sandbox.getAttribute('title')) ?? '', /bubblewrap/i);
    model.enqueue({ kind: 'stream', text: '', toolCalls: [{ name: 'run_command', arguments: JSON.stringify({ command: 'ls src', why: 'See the sources' }) }] });
    model.enqueue({ kind: 'stream', text: '', toolCalls: [{ name: 'run_command', arguments: JSON.stringify({ command: 'ls src > listing.txt', why: 'Keep the listing' }) }] });
    model.enqueue({ kind: 'stream', text: '', toolCalls: [{ name: 'finish', arguments: JSON.stringify({ summary: 'Listed the sources.', verification: 'ls printed math.ts' }) }] });
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill('List the sources');
    await input.press('Enter');
    const answer = frame.locator('[data-testid="message"][data-role="assistant"]').last();
    // The redirection makes the second command wait for the person; the first ran without a question.
    const approve = answer.locator('[data-testid="step-approve"]');
    await approve.waitFor({ timeout: 60_000 });
    const cards = answer.locator('[data-testid="step-card"]');
    assert.equal(await cards.count(), 2);
    assert.match(await cards.first().innerText(), /Done/);
    assert.match(await cards.nth(1).innerText(), /redirects output/);
    await page.locator('.terminal-tab, .single-terminal-tab, [aria-label*="Tandem Agent"]').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'agent-full-auto-sandbox');
    await answer.locator('[data-testid="step-reject"]').click();
    await answer.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    assert.match(await answer.innerText(), /Listed the sources/);
    await screenshot(page, 'agent-full-auto-done');
  });
});
