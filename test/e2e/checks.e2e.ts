import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SecretFactory } from '../support/fakeSecrets';
import { ScriptedModelServer } from '../support/modelServer';
import { runCommand, screenshot } from '../runner/browser';
import { editorUi } from './editorUi';
import { openTandem, type TandemSession, focusChat } from './fixture';

/**
 * The checks on a proposal as a person sees them in a real VS Code: a
 * Refactor whose proposal writes an AWS key and a SQL query built by
 * concatenation opens with the verdict in the diff's title and the status
 * bar, both findings squiggled on the proposal side, listed in the Problems
 * panel and under the file in the Proposed Changes view; Accept asks once
 * more, and Cancel leaves the file as it was. An agent's edit shows the
 * finding on its step card, and the fixed edit says the checks passed.
 * Screenshots to look at.
 */
describe('checks on a proposal end to end', function () {
  this.timeout(240_000);
  let model: ScriptedModelServer;
  let session: TandemSession;
  let page: Page;

  before(async () => {
    model = await ScriptedModelServer.start();
    session = await openTandem({
      // The agent's edits land unasked: its test looks at the step cards, not at a review.
      userSettings: { 'tandem.baseUrl': model.baseUrl, 'tandem.model': 'test-model', 'tandem.agent.approvalPolicy': 'auto-edit' },
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await model?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, 'checks-failed');
  });

  const { editorPart, activeTab, quickInput, openFile, selectLines } = editorUi(() => page);
  const proposalSide = (): Locator => editorPart().locator('.monaco-diff-editor .editor.modified');

  it('shows the verdict and both findings on the review, and asks once more on Accept', async () => {
    const relative = 'src/math.ts';
    const before = readFileSync(path.join(session.workspace, relative), 'utf8');
    const lines = before.split('\n');
    const first = lines.indexOf('  let sum = 0;') + 1;
    const last = lines.indexOf('  return sum / values.length;') + 1;
    assert.ok(first > 0 && last > first, 'the sample workspace changed: average() not found');
    // Made at run time: no key is written in the test's source.
    const [key] = new SecretFactory(2026).all().filter((secret) => secret.kind === 'aws-access-key-id');
    assert.ok(key);
    const replacement = [
      '  const AWS_ACCESS_KEY_ID = "' + key.value + '";',
      ...lines.slice(first - 1, last - 1),
      '  db.query("SELECT * FROM scores WHERE total = " + sum);',
      lines[last - 1] ?? '',
    ].join('\n');

    await openFile(relative);
    await selectLines(first, last);
    await runCommand(page, 'Tandem: Refactor…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Tandem: Refactor selection' }).waitFor();
    model.enqueue({ kind: 'stream', text: `\`\`\`ts\n${replacement}\n\`\`\``, tokensPerSecond: 400 });
    await quickInput().fill('Store the total and use the cloud key');
    await quickInput().press('Enter');

    // The verdict is in the diff's title and in the status bar.
    await activeTab().filter({ hasText: 'math.ts ↔ Tandem proposal · 2 security findings' }).waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: '2 security findings' }).first().waitFor();
    // Both findings squiggled on the proposal side (red: high severity).
    await proposalSide().locator('.squiggly-error').nth(1).waitFor();

    // Listed under the file in the Proposed Changes view, after the verdict.
    const activity = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="Tandem"]') });
    if (!(await activity.evaluate((item) => item.classList.contains('checked')))) await activity.click();
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Proposed Changes' }) });
    await view.locator('.monaco-list-row', { hasText: '2 security findings' }).waitFor();
    await view.locator('.monaco-list-row', { hasText: 'secret-introduced (high)' }).waitFor();
    const sqlRow = view.locator('.monaco-list-row', { hasText: 'sql-injection (high)' });
    await sqlRow.waitFor();
    assert.match(await sqlRow.innerText(), /line \d+ · SQL built from values/);

    // And in the Problems panel, from "Tandem checks", never with the key.
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const problems = page.locator('.markers-panel');
    await problems.locator('.monaco-list-row', { hasText: 'Use a parameterised query' }).waitFor();
    await problems.locator('.monaco-list-row', { hasText: 'Tandem checks' }).first().waitFor();
    assert.ok(!(await problems.innerText()).includes(key.value), 'the Problems panel shows the key');
    await screenshot(page, 'checks-review-findings');

    // Accept asks once more; Cancel leaves the file as it was.
    await editorPart().locator(`.editor-actions .action-label[aria-label^="Accept Proposed File"]`).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: '2 high-severity security findings' }).waitFor();
    assert.match(await dialog.innerText(), /sql-injection at src\/math\.ts:\d+ — SQL built from values/);
    await screenshot(page, 'checks-accept-anyway');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await activeTab().filter({ hasText: 'Tandem proposal' }).waitFor();
    assert.equal(readFileSync(path.join(session.workspace, relative), 'utf8'), before);

    await runCommand(page, 'Tandem: Reject All Proposed Changes');
    await page.locator('.part.editor .tabs-container .tab', { hasText: 'Tandem proposal' }).waitFor({ state: 'detached' });
    await page.locator('.statusbar-item', { hasText: '2 security findings' }).first().waitFor({ state: 'detached' });
  });

  it('shows the finding on the agent’s step card, and the checks passing once the agent fixed it', async () => {
    const frame = await focusChat(page);
    const agent = frame.locator('[data-testid="mode-switch"] [data-mode="agent"]');
    await agent.click();
    await frame.locator('[data-testid="agent-bar"]').waitFor({ state: 'visible', timeout: 10_000 });
    const relative = 'src/users.ts';
    const risky = 'export function find(db: { query(sql: string): unknown }, id: string): unknown {\n  return db.query("SELECT * FROM users WHERE id = " + id);\n}\n';
    const patch = `*** Begin Patch\n*** Update File: ${relative}\n@@\n-  return db.query("SELECT * FROM users WHERE id = " + id);\n+  return db.query("SELECT * FROM users WHERE id = ?", [id]);\n*** End Patch`;
    const call = (name: string, args: Record<string, unknown>) => ({ kind: 'stream' as const, text: '', toolCalls: [{ name, arguments: JSON.stringify(args) }] });
    model.enqueue(call('create_file', { path: relative, content: risky }));
    model.enqueue(call('apply_patch', { patch }));
    model.enqueue(call('finish', { summary: 'Added find() with a parameterised query.', verification: 'The security checks passed on the fix.' }));
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill('Add a user lookup by id');
    await input.press('Enter');
    const answer = frame.locator('[data-testid="message"][data-role="assistant"]').last();
    await answer.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    const verdicts = await answer.locator('[data-testid="step-verdict"]').allInnerTexts();
    assert.deepEqual(verdicts.map((text) => text.trim()), ['1 security finding', '1 check passed']);
    const finding = answer.locator('[data-testid="step-finding"]');
    assert.equal(await finding.count(), 1);
    assert.match(await finding.innerText(), /sql-injection\s+src\/users\.ts:2\s+SQL built from values/);
    assert.match(readFileSync(path.join(session.workspace, relative), 'utf8'), /WHERE id = \?", \[id\]/);
    await screenshot(page, 'checks-agent-step-cards');
  });
});
