import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runCommand, screenshot } from '../runner/browser';
import { ScriptedModelServer } from '../support/modelServer';
import { openTandem, repoRoot, type TandemSession, focusChat } from './fixture';

const EVERYTHING = path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
/** server-everything serves each file of its docs folder as a resource (`demo://resource/static/document/<name>`). */
const ARCHITECTURE = path.join(path.dirname(EVERYTHING), 'docs/architecture.md');

/**
 * MCP in the chat as a person uses it, with server-everything as one of their
 * own MCP servers (one window for both):
 * - `@mcp`, keyboard only: `@` and `mcp` pick the kind, typing filters the
 *   servers' resources and prompts, Enter attaches one as a chip, Enter sends,
 *   and the model's request holds the resource's text;
 * - the approval card of an MCP tool call in an agent task: Approve, Reject,
 *   Allow for this task and Always allow everything/echo, reached with Tab;
 *   Always allow writes the person's user settings and the call runs.
 */
describe('MCP in the chat end to end', function () {
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
    if (this.currentTest?.state === 'failed') await screenshot(page, `mcp-chat-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
  });

  it('picks a resource of server-everything with @mcp, sees its chip, and sends its text to the model', async () => {
    // The server starts with the window's first use of MCP; the view shows when it is ready.
    await runCommand(page, 'Tandem: Show MCP Servers');
    const row = page.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^everything$/ }) });
    await row.filter({ hasText: /ready/ }).waitFor({ timeout: 90_000 });

    const frame = await focusChat(page);
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.pressSequentially('Summarise this: @');
    await frame.locator('[data-testid="picker"]').waitFor({ state: 'visible' });
    await input.pressSequentially('mcp');
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'Summarise this: @mcp:');
    await input.pressSequentially('architecture');
    const option = frame.locator('[data-testid="picker-option"]').filter({ hasText: 'architecture.md' }).first();
    await option.waitFor({ timeout: 30_000 });
    assert.match(await frame.locator('[data-testid="picker-option"] .picker-label').first().innerText(), /^everything: .*architecture\.md/);
    await screenshot(page, 'mcp-mention-picker');
    await input.press('Enter');

    const chip = frame.locator('[data-testid="chip"]').filter({ hasText: 'architecture.md' });
    await chip.waitFor();
    assert.match(await chip.locator('[data-testid="chip-tokens"]').innerText(), /^\d+$/);
    assert.equal(await input.inputValue(), 'Summarise this: ');
    await screenshot(page, 'mcp-mention-chip');

    model.enqueue({ kind: 'stream', text: 'It describes how the server is built.' });
    await input.press('Enter');
    await frame.locator('[data-testid="message"][data-role="assistant"]').last().and(frame.locator('[data-state="done"]')).waitFor();
    const sent = JSON.stringify(model.chatRequests()[0]?.body);
    // A line of the resource's own text (read from the package the server serves it from), and where it came from.
    const line = readFileSync(ARCHITECTURE, 'utf8').split('\n').find((text) => text.length > 60 && !/[`*|[\]\\"]/.test(text));
    assert.ok(line, 'a plain line of the resource to look for');
    assert.ok(sent.includes(line), 'the resource\'s text went to the model');
    assert.ok(sent.includes('mcp://everything/'), 'named by its server');
    await frame.locator('[data-testid="message"][data-role="user"]').last().locator('[data-testid="chip"]').filter({ hasText: 'architecture.md' }).waitFor();
    await screenshot(page, 'mcp-mention-sent');
  });

  it('asks with four buttons; Always allow, chosen with the keyboard, writes the user settings and the call runs', async () => {
    model.reset();
    const frame = await focusChat(page);
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
