import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { ScriptedModelServer } from '../support/modelServer';
import { findWebviewFrame, runCommand, screenshot } from '../runner/browser';
import { editorUi } from './editorUi';
import { openTandem, type TandemSession } from './fixture';

/**
 * The audit trail as a person reads it in a real VS Code (code-server) in
 * Chromium: after a Refactor is accepted and saved, Tandem: Show Audit Trail
 * shows the chain intact and the proposal, decision and write at the top;
 * the proposal opens its recorded diff; Tandem: Show AI Provenance marks the
 * lines the refactor wrote, with a hover naming the model and the approval.
 * Then a line of the log is changed on disk and the view says where.
 */
describe('audit trail end to end', function () {
  this.timeout(240_000);
  let model: ScriptedModelServer;
  let session: TandemSession;
  let page: Page;
  let auditDir: string;

  before(async () => {
    model = await ScriptedModelServer.start();
    auditDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-audit-'));
    session = await openTandem({
      userSettings: {
        'tandem.baseUrl': model.baseUrl,
        'tandem.model': 'test-model',
        'tandem.audit.directory': auditDir,
      },
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await model?.close();
    rmSync(auditDir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `audit-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
  });

  const { editorPart, activeTab, quickInput, notification, openFile, selectLines } = editorUi(() => page);

  async function auditFrame(): Promise<Frame> {
    return findWebviewFrame(page, '[data-testid="chain-state"]');
  }

  it('shows the accepted refactor in the Audit Trail, its diff, and the lines it wrote', async () => {
    const relative = 'src/math.ts';
    const before = readFileSync(path.join(session.workspace, relative), 'utf8');
    const lines = before.split('\n');
    const first = lines.indexOf('  let sum = 0;') + 1;
    const last = lines.indexOf('  return sum / values.length;') + 1;
    assert.ok(first > 0 && last > first, 'the sample workspace changed: average() not found');
    const replacement = ['  if (values.length === 0) {', '    return 0;', '  }', ...lines.slice(first - 1, last)].join('\n');

    // A Refactor, accepted with the title button and saved.
    await openFile(relative);
    await selectLines(first, last);
    model.enqueue({ kind: 'stream', text: `\`\`\`ts\n${replacement}\n\`\`\``, tokensPerSecond: 400 });
    await runCommand(page, 'Tandem: Refactor…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Tandem: Refactor selection' }).waitFor();
    await quickInput().fill('Return 0 for an empty list');
    await quickInput().press('Enter');
    await activeTab().filter({ hasText: 'math.ts ↔ Tandem proposal' }).waitFor({ timeout: 60_000 });
    await notification(/Tandem: Refactoring /).waitFor({ state: 'detached' });
    await editorPart().locator('.editor-actions .action-label[aria-label^="Accept Proposed File"]').click();
    await page.locator('.part.editor .tabs-container .tab', { hasText: 'Tandem proposal' }).waitFor({ state: 'detached' });
    await page.locator('.part.editor .tabs-container .tab.active.dirty', { hasText: 'math.ts' }).waitFor();
    await page.keyboard.press('Control+S');
    await page.locator('.part.editor .tabs-container .tab.active:not(.dirty)', { hasText: 'math.ts' }).waitFor();

    // The Audit Trail: the chain intact on top, the newest events the write, decision and proposal.
    await runCommand(page, 'Tandem: Show Audit Trail');
    const frame = await auditFrame();
    await frame.locator('[data-testid="chain-state"][data-state="intact"]').waitFor({ timeout: 30_000 });
    await frame.locator('tr.event[data-type="write"]').first().waitFor();
    const types = await frame.locator('tr.event').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.type));
    for (const type of ['session.start', 'model.request', 'proposal', 'decision', 'write']) assert.ok(types.includes(type), `no ${type} row in ${types.join(', ')}`);
    assert.ok(types.indexOf('write') < types.indexOf('proposal'), 'newest first');
    assert.match((await frame.locator('[data-testid="chain-state"]').innerText()) ?? '', /Chain intact/);
    console.log(`      screenshot: ${await screenshot(page, 'audit-trail-view')}`);

    // Filtered to proposals and checks: the proposal and, newer, the checks its review ran (security; the
    // project's checks, which the sample project's `npm test` makes ask, end when the review does).
    await frame.locator('select').selectOption('proposals');
    await frame.locator('tr.event[data-type="write"]').waitFor({ state: 'detached' });
    const filtered = await frame.locator('tr.event').evaluateAll((rows) => rows.map((row) => [(row as HTMLElement).dataset.type ?? '', row.textContent ?? '']));
    assert.equal(filtered.at(-1)?.[0], 'proposal', JSON.stringify(filtered));
    assert.ok(filtered.slice(0, -1).every(([type]) => type === 'checks'), JSON.stringify(filtered));
    assert.ok(filtered.some(([type, text]) => type === 'checks' && /security checks on p-.*: no findings/.test(text ?? '')), JSON.stringify(filtered));

    // The proposal opens its recorded diff, read-only.
    await frame.locator('[data-testid="open-diff"]').first().click();
    await activeTab().filter({ hasText: /math\.ts \(proposal .*, as recorded\)/ }).waitFor();
    // Excerpts are plain text: no false errors from the language server.
    await page.locator('.statusbar-item', { hasText: 'Plain Text' }).first().waitFor();
    await editorPart().locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: 'if (values.length === 0) {' }).waitFor();
    console.log(`      screenshot: ${await screenshot(page, 'audit-proposal-diff')}`);

    // Provenance: the refactor's three new lines are marked; the hover says where they came from.
    await page.locator('.part.editor .tabs-container .tab', { hasText: /^math\.ts/ }).first().click();
    await runCommand(page, 'Tandem: Show AI Provenance');
    await notification(/3 lines of src\/math\.ts came from 1 change Tandem applied/).waitFor();
    const marks = editorPart().locator('.monaco-editor .glyph-margin-widgets .cgmr, .monaco-editor .margin-view-overlays .cgmr');
    await marks.first().waitFor();
    // Other glyphs share the margin (a code action's light bulb): count the provenance marks by their icon.
    const provenanceMarks = await editorPart().evaluate(
        (part) =>
          Array.from(part.querySelectorAll<HTMLElement>('.monaco-editor .glyph-margin-widgets .cgmr, .monaco-editor .margin-view-overlays .cgmr')).filter((mark) =>
            getComputedStyle(mark).backgroundImage.includes('ai-line'),
          ).length,
      );
    assert.equal(provenanceMarks, 3);
    // Click first (the refactor's selection goes), then rest the mouse on a marked line.
    const marked = editorPart().locator('.monaco-editor .view-line', { hasText: 'return 0;' }).first().locator(':scope > span');
    await marked.click();
    await marked.hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Written by Tandem' });
    await hover.waitFor();
    // The hover fades in: shoot it once it is opaque.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.monaco-hover')).some((element) => element.textContent?.includes('Written by Tandem') && getComputedStyle(element).opacity === '1'));
    const hoverText = await hover.innerText();
    assert.match(hoverText, /Refactor/);
    assert.match(hoverText, /test-model/);
    assert.match(hoverText, /you \(reviewed\)/);
    console.log(`      screenshot: ${await screenshot(page, 'audit-provenance-gutter')}`);
    await page.keyboard.press('Escape');

    // A line of the log changed on disk: the view names it.
    const [log] = readdirSync(auditDir).filter((name) => name.endsWith('.jsonl'));
    assert.ok(log, 'no audit file');
    const file = path.join(auditDir, log);
    const written = readFileSync(file, 'utf8').split('\n');
    const target = written.findIndex((line) => line.includes('"type":"proposal"'));
    written[target] = (written[target] ?? '').replace('"origin":"refactor"', '"origin":"refactor "');
    writeFileSync(file, written.join('\n'));
    await runCommand(page, 'Tandem: Show Audit Trail');
    const again = await auditFrame();
    await again.locator('button', { hasText: 'Clear' }).click();
    const broken = again.locator('[data-testid="chain-state"][data-state="broken"]');
    await broken.waitFor({ timeout: 30_000 });
    assert.match(await broken.innerText(), new RegExp(`broken at ${log.replace('.', '\\.')} line ${target + 1}`));
    console.log(`      screenshot: ${await screenshot(page, 'audit-trail-broken')}`);
  });
});
