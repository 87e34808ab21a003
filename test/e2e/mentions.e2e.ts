import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { findWebviewFrame, runCommand, screenshot, waitForWorkbench } from '../runner/browser';
import { ScriptedModelServer } from '../support/modelServer';
import { openTandem, type TandemSession } from './fixture';

/**
 * `@` mentions as a person uses them, keyboard only: `@` opens the picker,
 * typing filters, Enter picks the kind, then the file; the chip shows its
 * size in tokens and the budget line the prompt's; Enter sends and the
 * model gets the file. `/` offers the four tasks.
 */
describe('chat @-mentions end to end', function () {
  this.timeout(180_000);
  let model: ScriptedModelServer;
  let session: TandemSession;
  let page: Page;
  const MARK = 'E2E-MENTION-MARK-3318';

  before(async () => {
    model = await ScriptedModelServer.start();
    session = await openTandem({ userSettings: { 'tandem.baseUrl': model.baseUrl, 'tandem.model': 'test-model', 'tandem.maxRetries': 0 } });
    page = session.page;
    writeFileSync(path.join(session.workspace, 'src/inventory.ts'), `// ${MARK}\nexport const stock = new Map<string, number>();\n`);
    writeFileSync(path.join(session.workspace, '.env'), 'API_TOKEN=never-listed\n');
  });

  after(async () => {
    await session?.close();
    await model?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `mentions-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
    model.reset();
  });

  async function chatFrame(): Promise<Frame> {
    await runCommand(page, 'Tandem: Focus Chat');
    return findWebviewFrame(page, '[data-testid="input"]', 60_000);
  }

  const options = (frame: Frame): Locator => frame.locator('[data-testid="picker-option"]');

  it('types @, picks @file and a file with the keyboard, sees the chip with its token size, and sends it', async () => {
    const frame = await chatFrame();
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.pressSequentially('What does this hold? @');
    await frame.locator('[data-testid="picker"]').waitFor({ state: 'visible' });
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(await frame.locator('[data-testid="picker-option"] .picker-label').allInnerTexts(), ['@file', '@folder', '@symbol', '@problems', '@changes', '@terminal', '@codebase', '@mcp']);
    await input.pressSequentially('fi');
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'What does this hold? @file:');
    await input.pressSequentially('invent');
    await options(frame).filter({ hasText: 'inventory.ts' }).first().waitFor();
    assert.equal(await options(frame).first().locator('.picker-label').innerText(), 'inventory.ts');
    await screenshot(page, 'mentions-picker');
    await input.press('Enter');

    const chip = frame.locator('[data-testid="chip"]').filter({ hasText: 'inventory.ts' });
    await chip.waitFor();
    assert.match(await chip.locator('[data-testid="chip-tokens"]').innerText(), /^\d+$/);
    assert.equal(await input.inputValue(), 'What does this hold? ');
    const budget = frame.locator('[data-testid="budget"]');
    await budget.waitFor({ state: 'visible' });
    assert.match(await budget.innerText(), /^≈ \d+(\.\d)?k? \/ 24k tokens$/);
    await screenshot(page, 'mentions-chip');

    model.enqueue({ kind: 'stream', text: 'A map of stock counts.' });
    await input.press('Enter');
    const answer = frame.locator('[data-testid="message"][data-role="assistant"]').last();
    await answer.and(frame.locator('[data-state="done"]')).waitFor();
    const sent = JSON.stringify(model.chatRequests()[0]?.body);
    assert.ok(sent.includes(MARK), 'the picked file went to the model');
    assert.ok(sent.includes('File `src/inventory.ts`'));
    // The sent question keeps its chip in the transcript.
    await frame.locator('[data-testid="message"][data-role="user"]').last().locator('[data-testid="chip"]').filter({ hasText: 'inventory.ts' }).waitFor();
  });

  it('the file picker never lists a secrets file; Escape closes it', async () => {
    const frame = await chatFrame();
    const input = frame.locator('[data-testid="input"]');
    await input.fill('');
    await input.pressSequentially('@file:.env');
    await frame.locator('[data-testid="picker-status"]').filter({ hasText: /No workspace file matches/ }).waitFor();
    assert.equal(await options(frame).filter({ hasText: '.env' }).count(), 0);
    await input.press('Escape');
    await frame.locator('[data-testid="picker"]').waitFor({ state: 'hidden' });
    await input.fill('');
  });

  it('/ at the start offers the four tasks', async () => {
    const frame = await chatFrame();
    const input = frame.locator('[data-testid="input"]');
    await input.pressSequentially('/');
    await frame.locator('[data-testid="picker"]').waitFor({ state: 'visible' });
    assert.deepEqual(await frame.locator('[data-testid="picker-option"] .picker-label').allInnerTexts(), ['/explain', '/fix', '/tests', '/docs']);
    await screenshot(page, 'mentions-slash');
    await input.press('Escape');
    await input.fill('');
  });

  it('after a reload the question keeps its chip as sent, and Retry says its context was not sent again', async () => {
    let frame = await chatFrame();
    await frame.locator('[data-testid="new-chat"]').click();
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.pressSequentially('@file:inventory');
    await options(frame).filter({ hasText: 'inventory.ts' }).first().waitFor();
    await input.press('Enter');
    await frame.locator('[data-testid="chip"]').filter({ hasText: 'inventory.ts' }).waitFor();
    model.enqueue({ kind: 'error', status: 500, body: { error: { message: 'overloaded' } } });
    await input.pressSequentially('Summarise it');
    await input.press('Enter');
    await frame.locator('[data-testid="error-action"]').filter({ hasText: /retry/i }).waitFor();

    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await waitForWorkbench(page);
    frame = await chatFrame();
    const question = frame.locator('[data-testid="message"][data-role="user"]').last();
    await question.locator('[data-testid="chip"]').filter({ hasText: 'inventory.ts' }).waitFor();
    model.enqueue({ kind: 'stream', text: 'Without the file I can only guess.' });
    await frame.locator('[data-testid="error-action"]').filter({ hasText: /retry/i }).click();
    const refused = frame.locator('[data-testid="boundary-refused"]').filter({ hasText: 'attached before the window reloaded' });
    await refused.waitFor();
    assert.match(await refused.innerText(), /Not sent: src\/inventory\.ts/);
    assert.ok(!JSON.stringify(model.chatRequests().at(-1)?.body).includes(MARK), 'the stale file was not sent again');
    await screenshot(page, 'mentions-retry-after-reload');
  });
});
