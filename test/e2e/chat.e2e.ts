import assert from 'node:assert/strict';
import type { Browser, Frame, Page } from 'playwright-core';
import { ScriptedModelServer } from '../support/modelServer';
import { launchBrowser, openWorkbench, findWebviewFrame, runCommand, screenshot, waitForWorkbench } from '../runner/browser';
import { startCodeServer } from '../runner/codeServer';
import { copyFixtureWorkspace, repoRoot } from './fixture';

/**
 * The chat as a person uses it: in a real VS Code (code-server) in Chromium,
 * typing into the webview, watching the answer stream, pressing Stop,
 * reloading the window, and meeting an error.
 */
describe('chat view end to end', function () {
  this.timeout(180_000);
  let model: ScriptedModelServer;
  let stopServer: (() => Promise<void>) | undefined;
  let browser: Browser;
  let page: Page;

  before(async () => {
    model = await ScriptedModelServer.start({ models: ['test-model', 'other-model'] });
    const workspace = await copyFixtureWorkspace();
    const codeServer = await startCodeServer({
      workspace,
      extensionDevelopmentPath: repoRoot,
      userSettings: { 'tandem.baseUrl': model.baseUrl, 'tandem.model': 'test-model' },
    });
    stopServer = () => codeServer.stop();
    browser = await launchBrowser();
    page = await openWorkbench(browser, codeServer.workbenchUrl({ folder: workspace }));
  });

  after(async () => {
    await browser?.close();
    await stopServer?.();
    await model?.close();
  });

  async function chatFrame(): Promise<Frame> {
    await runCommand(page, 'Tandem: Focus Chat');
    return findWebviewFrame(page, '[data-testid="input"]', 60_000);
  }

  async function ask(frame: Frame, text: string): Promise<void> {
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill(text);
    await input.press('Enter');
  }

  it('streams a markdown answer with a highlighted code block', async () => {
    const frame = await chatFrame();
    await frame.locator('[data-testid="welcome"]').waitFor({ state: 'visible' });
    model.enqueue({
      kind: 'stream',
      tokensPerSecond: 300,
      text: 'Here is **add**:\n\n```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```\n\nIt returns the sum.',
    });
    await ask(frame, 'Write a TypeScript add function');
    const answer = frame.locator('[data-testid="message"][data-role="assistant"]').last();
    await answer.and(frame.locator('[data-state="done"]')).waitFor();
    await answer.locator('[data-testid="code-block"]').waitFor();
    assert.match(await answer.locator('[data-testid="code-block"]').innerText(), /return a \+ b;/);
    assert.equal(await answer.locator('strong').innerText(), 'add');
    // Highlighted: keywords are wrapped in highlight.js spans.
    assert.ok((await answer.locator('[data-testid="code-block"] .hljs-keyword').count()) > 0, 'code block is not highlighted');
    const request = model.chatRequests()[0];
    assert.ok(request, 'the model got no request');
    assert.equal((request.body as { model: string }).model, 'test-model');
    await screenshot(page, 'chat-answer');
  });

  it('stops mid-stream and keeps the partial answer', async () => {
    const frame = await chatFrame();
    model.enqueue({ kind: 'stream', text: 'This answer is long. '.repeat(400), tokensPerSecond: 40 });
    await ask(frame, 'Tell me something long');
    const answer = frame.locator('[data-testid="message"][data-role="assistant"]').last();
    await answer.and(frame.locator('[data-state="streaming"]')).waitFor();
    await answer.getByText('This answer is long.').first().waitFor();
    await frame.locator('[data-testid="stop"]').click();
    await answer.and(frame.locator('[data-state="stopped"]')).waitFor();
    const request = model.chatRequests().at(-1);
    assert.ok(request);
    await model.waitForClose(request);
    assert.equal(request.closedEarly, true, 'Stop did not abort the model request');
    assert.match(await answer.innerText(), /This answer is long\./);
    await frame.locator('[data-testid="send"]').waitFor();
    await screenshot(page, 'chat-stopped');
  });

  it('finds the chat in history after a window reload', async () => {
    // The old workbench stays visible until the page navigates: wait for the new page's load.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await waitForWorkbench(page);
    const frame = await chatFrame();
    await frame.locator('[data-testid="history-toggle"]').click();
    const item = frame.locator('[data-testid="history-item"]', { hasText: 'Write a TypeScript add function' });
    await item.waitFor();
    await item.click();
    await frame.locator('[data-testid="message"][data-role="assistant"]', { hasText: 'It returns the sum.' }).waitFor();
    await screenshot(page, 'chat-history-after-reload');
  });

  it('shows a clear message with a Set API Key action for a 401, keeping the chat usable', async () => {
    const frame = await chatFrame();
    await frame.locator('[data-testid="new-chat"]').click();
    model.enqueue({ kind: 'error', status: 401, body: { error: { message: 'Incorrect API key provided: sk-bad.', type: 'invalid_request_error', code: 'invalid_api_key' } } });
    await ask(frame, 'hello?');
    const error = frame.locator('[data-testid="error"]');
    await error.waitFor();
    assert.match(await error.innerText(), /API key/i);
    assert.match(await frame.locator('[data-testid="error-action"]').first().innerText(), /Set API Key/);
    await frame.locator('[data-testid="send"]').waitFor();
    await screenshot(page, 'chat-error-401');
  });

  it('reopens a long chat after a reload with its latest messages, and fetches the older ones as they are scrolled to', async () => {
    let frame = await chatFrame();
    await frame.locator('[data-testid="new-chat"]').click();
    // 7 questions with answers of ~7,000 characters: past the size a state carries whole, so a reload pages it.
    const answers = Array.from({ length: 7 }, (_, i) => `## Answer ${i}\n\n${`Paragraph of answer ${i}, long enough to need paging. `.repeat(130)}\n\nEnd of answer ${i}.`);
    for (const [i, text] of answers.entries()) {
      model.enqueue({ kind: 'stream', chunks: text.match(/[\s\S]{1,1000}/g) ?? [], chunkDelayMs: 2 });
      await ask(frame, `Long question ${i}`);
      await frame.locator('[data-testid="message"][data-role="assistant"][data-state="done"]', { hasText: `End of answer ${i}.` }).waitFor();
    }
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await waitForWorkbench(page);
    frame = await chatFrame();
    const messages = frame.locator('[data-testid="message"]');
    const lastAnswer = frame.locator('[data-testid="message"][data-role="assistant"]', { hasText: 'End of answer 6.' });
    await lastAnswer.waitFor();
    // Its last screen came from the webview's saved state before the extension answered, which then reconciled it.
    await frame.waitForFunction(() => performance.getEntriesByName('tandem:chat-reconciled').length > 0, undefined, { timeout: 30_000 });
    const [restored, reconciled] = await frame.evaluate(() => ['tandem:chat-restored', 'tandem:chat-reconciled'].map((name) => performance.getEntriesByName(name)[0]?.startTime ?? -1));
    assert.ok(restored !== undefined && reconciled !== undefined && restored >= 0 && restored <= reconciled, `shown from the saved state first: ${restored}, ${reconciled}`);
    assert.equal(await messages.count(), 14, 'every message has its place');
    const ids = await messages.evaluateAll((elements) => elements.map((element) => (element as HTMLElement).dataset.messageId));
    assert.equal(new Set(ids).size, 14, 'no message twice');
    assert.equal(await lastAnswer.count(), 1, 'the last answer once');
    assert.ok(await lastAnswer.isVisible());
    const transcript = frame.locator('[data-testid="transcript"]');
    const fromBottom = (): Promise<number> => transcript.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
    for (let tries = 0; tries < 50 && (await fromBottom()) > 32; tries++) await frame.waitForTimeout(100);
    assert.ok((await fromBottom()) <= 32, `it opens at its end: ${await transcript.evaluate((element) => JSON.stringify([element.scrollTop, element.scrollHeight, element.clientHeight, [...element.querySelectorAll('.message')].map((m) => Math.round(m.getBoundingClientRect().height))]))}`);
    assert.ok((await frame.locator('.message-stub').count()) > 0, 'the oldest ones arrive on demand');
    await screenshot(page, 'chat-long-restored');
    // Scrolling to the top brings the first question and answer; back down, the rest.
    const first = frame.locator('[data-testid="message"][data-role="assistant"]', { hasText: 'End of answer 0.' });
    for (let tries = 0; tries < 50 && (await first.count()) === 0; tries++) {
      await transcript.evaluate((element) => { element.scrollTop = 0; });
      await frame.waitForTimeout(100);
    }
    await first.waitFor();
    await frame.locator('[data-testid="message"][data-role="user"]', { hasText: 'Long question 0' }).waitFor();
    await screenshot(page, 'chat-long-restored-top');
    for (let tries = 0; tries < 100 && (await frame.locator('.message-stub').count()) > 0; tries++) {
      await transcript.evaluate((element) => { element.scrollTop += element.clientHeight; });
      await frame.waitForTimeout(100);
    }
    assert.equal(await frame.locator('.message-stub').count(), 0);
    assert.equal(await messages.count(), 14);
    await frame.locator('[data-testid="message"][data-role="assistant"]', { hasText: 'End of answer 1.' }).waitFor();
  });
});
