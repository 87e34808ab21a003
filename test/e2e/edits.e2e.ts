import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { ScriptedModelServer, type RecordedRequest } from '../support/modelServer';
import { findWebviewFrame, runCommand, screenshot } from '../runner/browser';
import { editorUi } from './editorUi';
import { openTandem, type TandemSession } from './fixture';

/**
 * The edit features as a person uses them, in a real VS Code (code-server)
 * in Chromium: Refactor… from the editor's context menu, Fix with Tandem from
 * a Quick Fix, Apply on a chat code block, and a refused proposal. Every
 * proposal opens as a diff that the person accepts or rejects with the
 * editor title buttons; the file on disk is checked after saving.
 */
describe('edits end to end', function () {
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
      },
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await model?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await screenshot(page, `edits-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
    }
    // A reply a failed test left queued would answer the next test's request.
    model.reset();
    await cleanUp();
  });

  // ---- what a person sees and does ----

  const file = (relative: string): string => path.join(session.workspace, relative);
  const readDisk = (relative: string): string => readFileSync(file(relative), 'utf8');
  const { editorPart, activeTab, quickInput, notification, openFile, selectLines } = editorUi(() => page);
  const diffEditor = (): Locator => editorPart().locator('.monaco-diff-editor');
  const proposalSide = (): Locator => diffEditor().locator('.editor.modified .view-lines');
  const titleButton = (label: string): Locator => editorPart().locator(`.editor-actions .action-label[aria-label^="${label}"]`);

  /** The text of the active plain editor as rendered, line by line (a short file shows whole). */
  async function editorText(): Promise<string> {
    const lines = editorPart().locator('.monaco-editor .view-lines').first();
    await lines.waitFor();
    // Monaco positions its line elements absolutely, not necessarily in order.
    return lines.evaluate((element) =>
      Array.from(element.querySelectorAll<HTMLElement>(':scope > .view-line'))
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
        .join('\n'),
    );
  }

  /** A line of the active editor, by its text (the span holding the text, so a click lands on it). */
  function lineText(text: string): Locator {
    return editorPart().locator('.monaco-editor .view-line', { hasText: text }).first().locator(':scope > span');
  }

  /** Waits for the review diff with `text` on its proposal side (and for the task's progress notification to go). */
  async function waitForDiff(name: string, text: string): Promise<void> {
    await activeTab().filter({ hasText: `${name} ↔ Tandem proposal` }).waitFor({ timeout: 60_000 });
    await proposalSide().filter({ hasText: text }).waitFor();
    await notification(/Tandem: (Refactoring|Fixing|Editing) /).waitFor({ state: 'detached' });
  }

  /** Clicks an editor title button of the review diff; the diff closes once the file is decided. */
  async function decide(label: 'Accept File' | 'Reject File'): Promise<void> {
    const title = label === 'Accept File' ? 'Accept Proposed File' : 'Reject Proposed File';
    await titleButton(title).click();
    await page.locator('.part.editor .tabs-container .tab', { hasText: 'Tandem proposal' }).waitFor({ state: 'detached' });
  }

  /** Ctrl+S in the active editor (which has unsaved changes); resolves once `relative` on disk reads `expected`. */
  async function saveAndCheck(relative: string, expected: string): Promise<void> {
    const name = path.basename(relative);
    await page.locator('.part.editor .tabs-container .tab.active.dirty', { hasText: name }).waitFor();
    await editorPart().locator('.monaco-editor .view-lines').first().click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+S');
    await page.locator('.part.editor .tabs-container .tab.active:not(.dirty)', { hasText: name }).waitFor();
    // The tab may look saved a moment before the server has written the file.
    for (const deadline = Date.now() + 10_000; readDisk(relative) !== expected && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(readDisk(relative), expected);
  }

  /** The review's line hint ("✓ Ctrl+Alt+Y  ✗ Ctrl+Alt+N"), a decoration after a changed line's text. */
  async function waitForLineHint(): Promise<void> {
    const hint = await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.monaco-diff-editor .editor.modified .view-line span')).find((span) =>
        `${span.textContent} ${getComputedStyle(span, '::after').content}`.includes('✓ Ctrl+Alt+Y'),
      ),
    );
    const overflow = await hint.evaluate((span) => {
      const editor = (span as Element).closest('.editor.modified')?.querySelector('.overflow-guard');
      return editor ? Math.round((span as Element).getBoundingClientRect().right - editor.getBoundingClientRect().right) : 0;
    });
    if (overflow > 0) {
      console.log(`      (the line hint is cut off: it ends ${overflow} px beyond the proposal side)`);
    }
  }

  function userPrompt(request: RecordedRequest): string {
    const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
    return messages.filter((message) => message.role === 'user').map((message) => message.content).join('\n');
  }

  /** Rejects leftover reviews, dismisses notifications and closes every editor without saving. */
  async function cleanUp(): Promise<void> {
    await page.keyboard.press('Escape');
    if ((await page.locator('.part.editor .tabs-container .tab', { hasText: 'Tandem proposal' }).count()) > 0) {
      await runCommand(page, 'Tandem: Reject All Proposed Changes');
    }
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'View: Close All Editors');
    const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
    await page.locator('.part.editor .editor-group-watermark').or(dontSave).first().waitFor();
    if (await dontSave.isVisible()) {
      await dontSave.click();
    }
    await page.locator('.part.editor .tabs-container .tab').first().waitFor({ state: 'detached' });
  }

  // ---- the features ----

  it('refactors a selection from the editor context menu, accepted with the title button', async () => {
    const before = readDisk('src/math.ts');
    const lines = before.split('\n');
    const first = lines.indexOf('  let sum = 0;') + 1;
    const last = lines.indexOf('  return sum / values.length;') + 1;
    assert.ok(first > 0 && last > first, 'the sample workspace changed: average() not found');
    const selected = lines.slice(first - 1, last).join('\n');
    const replacement = ['  if (values.length === 0) {', '    return 0;', '  }', ...lines.slice(first - 1, last)].join('\n');
    const instruction = 'Return 0 for an empty list instead of NaN';

    await openFile('src/math.ts');
    await selectLines(first, last);
    await lineText('sum += value').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Tandem', exact: true }).hover();
    const refactor = page.getByRole('menuitem', { name: 'Refactor…', exact: true });
    await refactor.waitFor();
    await screenshot(page, 'edits-context-menu');
    await refactor.click();

    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Tandem: Refactor selection' }).waitFor();
    model.enqueue({ kind: 'stream', text: `\`\`\`ts\n${replacement}\n\`\`\``, tokensPerSecond: 400 });
    await quickInput().fill(instruction);
    await quickInput().press('Enter');

    const request = await model.waitForRequest((r) => JSON.stringify(r.body ?? '').includes(instruction), 30_000);
    const prompt = userPrompt(request);
    assert.match(prompt, new RegExp(`Instruction: ${instruction}`));
    assert.ok(prompt.includes(`The selected lines (${first}–${last} of src/math.ts)`), `no selection in the prompt:\n${prompt}`);
    assert.ok(prompt.includes(selected), `the selected code is not in the prompt:\n${prompt}`);

    await waitForDiff('math.ts', 'if (values.length === 0) {');
    await waitForLineHint();
    await screenshot(page, 'edits-refactor-diff');
    // The Tandem activity (its badge counts the files to review) shows the Proposed Changes view.
    const activity = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="Tandem"]') });
    if (!(await activity.evaluate((item) => item.classList.contains('checked')))) {
      await activity.click();
    }
    await findWebviewFrame(page, '[data-testid="input"]'); // the chat above it, rendered for the screenshot
    const row = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Proposed Changes' }) }).locator('.monaco-list-row', { hasText: 'math.ts' });
    await row.waitFor();
    assert.match(await row.innerText(), /\+3\s+−0/);
    await screenshot(page, 'edits-proposed-changes-view');

    await decide('Accept File');
    assert.ok((await editorText()).includes('if (values.length === 0) {'), 'the accepted change is not in the editor');
    await saveAndCheck('src/math.ts', [...lines.slice(0, first - 1), replacement, ...lines.slice(last)].join('\n'));
  });

  it('fixes a TypeScript error from the Quick Fix menu', async () => {
    writeFileSync(file('src/broken.ts'), "/** A number. */\nexport const n: number = 'x';\n");
    await openFile('src/broken.ts');
    // TypeScript's server starts on demand; the squiggle shows once it has checked the file.
    const squiggle = editorPart().locator('.squiggly-error').first();
    await squiggle.waitFor({ timeout: 120_000 });
    const box = await squiggle.boundingBox();
    assert.ok(box, 'the squiggle has no box');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Fix with Tandem' });
    await fix.waitFor();
    await screenshot(page, 'edits-quick-fix');

    model.enqueue({ kind: 'stream', text: "src/broken.ts\n<<<<<<< SEARCH\nexport const n: number = 'x';\n=======\nexport const n: number = 0;\n>>>>>>> REPLACE\n", tokensPerSecond: 400 });
    const requests = model.chatRequests().length;
    // The menu ignores clicks until the pointer has moved over it.
    const row = await fix.boundingBox();
    assert.ok(row);
    await page.mouse.move(row.x + row.width / 2, row.y + row.height / 2);
    await fix.click();
    const request = await model.waitForRequest((r) => model.chatRequests().indexOf(r) >= requests, 30_000);
    assert.match(userPrompt(request), /Type 'string' is not assignable to type 'number'/);

    await waitForDiff('broken.ts', 'export const n: number = 0;');
    await waitForLineHint();
    await screenshot(page, 'edits-fix-diff');
    // The hover on a changed line offers the same decisions as links.
    await proposalSide().locator('.view-line', { hasText: 'export const n' }).locator(':scope > span').hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Tandem proposal' });
    await hover.waitFor();
    assert.match(await hover.innerText(), /Accept \(Ctrl\+Alt\+Y\)[\s\S]*Reject \(Ctrl\+Alt\+N\)[\s\S]*Accept File[\s\S]*Reject File/);
    await screenshot(page, 'edits-fix-hover');
    await page.mouse.move(0, 0);
    await decide('Accept File');
    assert.match(await editorText(), /export const n: number = 0;/);
    await editorPart().locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 60_000 });
    await saveAndCheck('src/broken.ts', '/** A number. */\nexport const n: number = 0;\n');
  });

  it('applies a chat code block: rejected first, then accepted', async () => {
    const before = readDisk('src/math.ts');
    const after = before.replace('/** Adds two numbers. */', '/** Adds two numbers (a + b). */');
    assert.notEqual(after, before);
    await openFile('src/math.ts');
    await runCommand(page, 'Tandem: Focus Chat');
    const frame = await findWebviewFrame(page, '[data-testid="input"]', 60_000);
    model.enqueue({ kind: 'stream', text: `Update \`src/math.ts\`:\n\n\`\`\`ts\n${after.trimEnd()}\n\`\`\`\n`, tokensPerSecond: 2000 });
    await ask(frame, 'Make the comment of add say what it returns');
    const answer = frame.locator('[data-testid="message"][data-role="assistant"]').last();
    await answer.and(frame.locator('[data-state="done"]')).waitFor();
    const apply = answer.locator('[data-testid="apply-code"]');

    await apply.click();
    await waitForDiff('math.ts', 'Adds two numbers (a + b).');
    await waitForLineHint();
    await screenshot(page, 'edits-apply-diff');
    await decide('Reject File');
    assert.equal(readDisk('src/math.ts'), before);
    assert.ok((await editorText()).includes('/** Adds two numbers. */'));
    assert.equal(await activeTab().evaluate((tab) => tab.classList.contains('dirty')), false, 'math.ts is dirty after Reject');

    await apply.click();
    await waitForDiff('math.ts', 'Adds two numbers (a + b).');
    await decide('Accept File');
    assert.ok((await editorText()).includes('/** Adds two numbers (a + b). */'));
    await saveAndCheck('src/math.ts', after);
  });

  it('says why a proposal that elides code was not applied, and leaves the file alone', async () => {
    const before = readDisk('src/math.ts');
    const lines = before.split('\n');
    const first = lines.indexOf('  let [a, b] = [0, 1];') + 1;
    const last = first + 4;
    assert.equal(lines[last - 1], '  return a;');
    await openFile('src/math.ts');
    await selectLines(first, last);
    await page.keyboard.press('Control+I');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Tandem: Edit selection' }).waitFor();
    model.enqueue({ kind: 'stream', text: '```ts\n  if (n < 0) {\n    throw new RangeError(`n must be >= 0, got ${n}`);\n  }\n  // ... existing code ...\n```' });
    await quickInput().fill('Throw for a negative n');
    await quickInput().press('Enter');

    const warning = notification('Tandem did not apply the proposal:');
    // Once faded in, so the screenshot shows it whole.
    await warning.locator('.notification-toast.notification-fade-in-done').waitFor({ timeout: 60_000 });
    await notification('Tandem: Editing math.ts').waitFor({ state: 'detached' });
    await screenshot(page, 'edits-refused');
    const text = await warning.locator('.notification-list-item-message').innerText();
    assert.match(text, /^Tandem did not apply the proposal: .*placeholder “\/\/ \.\.\. existing code \.\.\.”/);
    assert.ok(await warning.locator('.monaco-button', { hasText: 'Show Details' }).isVisible(), 'no Show Details button');
    assert.equal(await page.locator('.part.editor .tabs-container .tab', { hasText: 'Tandem proposal' }).count(), 0, 'a diff opened for a refused proposal');
    assert.equal(await activeTab().evaluate((tab) => tab.classList.contains('dirty')), false, 'math.ts was changed');
    assert.equal(readDisk('src/math.ts'), before);
  });

  async function ask(frame: Frame, text: string): Promise<void> {
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill(text);
    await input.press('Enter');
  }
});
