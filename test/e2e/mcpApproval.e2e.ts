import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { findWebviewFrame, runCommand, screenshot } from '../runner/browser';
import { ScriptedModelServer } from '../support/modelServer';
import { openTandem, repoRoot, type TandemSession } from './fixture';

const EVERYTHING = path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

/**
 * The approval card of an MCP tool call in an agent task, with
 * server-everything as one of the person's own servers: Approve, Reject,
 * Allow for this task and Always allow everything/echo, reached with Tab;
 * Always allow writes the person's user settings and the call runs.
 */
describe('MCP approval card end to end', function () {
  this.timeout(180_000);
  let model: ScriptedModelServer;
  let session: TandemSession;
  let page: Page;

  before(async () => {
    model = await ScriptedModelServer.start();
    session = await openTandem({
      userSettings: {
        'tandem.baseUrl': model.baseUrl,
        'tandem.model': 'test-model',
        'tandem.maxRetries': 0,
        'tandem.mcp.servers': { everything: { command: process.execPath, args: [EVERYTHING] } },
      },
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await model?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `mcp-approval-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
  });

  async function chatFrame(): Promise<Frame> {
    await runCommand(page, 'Tandem: Focus Chat');
    return findWebviewFrame(page, '[data-testid="input"]', 60_000);
  }

  it('asks with four buttons; Always allow, chosen with the keyboard, writes the user settings and the call runs', async () => {
    const frame = await chatFrame();
    await frame.locator('[data-testid="mode-switch"] [data-mode="agent"]').click();
    await frame.locator('[data-testid="agent-bar"]').waitFor({ state: 'visible', timeout: 10_000 });
    model.enqueue({ kind: 'stream', text: '', toolCalls: [{ name: 'mcp__everything__echo', arguments: JSON.stringify({ message: 'hello through the card' }) }] });
    model.enqueue({ kind: 'stream', text: '', toolCalls: [{ name: 'finish', arguments: JSON.stringify({ summary: 'Echoed it.', verification: 'the tool answered' }) }] });
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill('Echo something through MCP');
    await input.press('Enter');

    const answer = frame.locator('[data-testid="message"][data-role="assistant"]').last();
    const card = answer.locator('[data-testid="step-card"]').filter({ has: frame.locator('[data-testid="step-always-allow"]') });
    // The server starts with the task (bounded wait in the extension), then the card asks.
    await card.waitFor({ timeout: 90_000 });
    const labels = await card.locator('.step-approval button').allInnerTexts();
    assert.deepEqual(labels.map((label) => label.trim()), ['Approve', 'Reject', 'Allow for this task', 'Always allow everything/echo']);
    assert.match(await card.locator('[data-testid="step-prompt"]').innerText(), /tool echo of MCP server everything/);
    await screenshot(page, 'mcp-approval-card');

    // Keyboard only: from Approve, Tab three times reaches Always allow; Enter presses it.
    await card.locator('[data-testid="step-approve"]').focus();
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Tab');
    assert.equal(await frame.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid), 'step-always-allow');
    await page.keyboard.press('Enter');

    await answer.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    assert.match(await answer.innerText(), /Echoed it\./);
    const toolMessages = (model.chatRequests()[1]?.body as { messages: Array<{ role: string; content: unknown }> }).messages.filter((message) => message.role === 'tool');
    assert.deepEqual(toolMessages.map((message) => message.content), ['Echo: hello through the card']);
    // The person's own settings file holds the entry: the extension writes it before it runs the call.
    assert.match(readFileSync(session.codeServer.settingsFile, 'utf8'), /"tandem\.mcp\.alwaysAllow":\s*\[\s*"everything\/echo"\s*\]/);
    await screenshot(page, 'mcp-approval-done');
  });
});
