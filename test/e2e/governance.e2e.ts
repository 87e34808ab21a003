import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { findWebviewFrame, runCommand, screenshot } from '../runner/browser';
import { SecretFactory } from '../support/fakeSecrets';
import { ScriptedModelServer } from '../support/modelServer';
import { editorUi } from './editorUi';
import { openTandem, repoRoot, type TandemSession, focusChat } from './fixture';

/**
 * Issue 12's governance story in ONE session of a real VS Code (code-server)
 * in Chromium: a chat question with `.env` attached (and an AWS key pasted),
 * Explain on `.env`, a Refactor of a file holding a fake AWS key with one
 * change accepted and one rejected, an agent task with one command approved
 * and one rejected. Then: the scripted model never received a secret, the
 * trail verifies with the `tandem` bin and records all of it, the Audit
 * Trail view and the provenance gutter show it, and one byte changed in the
 * log makes `tandem audit verify` fail at that line.
 *
 * The steps share the session and build on each other, in order.
 */
describe('governance end to end (one session)', function () {
  this.timeout(300_000);
  let model: ScriptedModelServer;
  let session: TandemSession;
  let page: Page;
  let auditDir: string;
  const secrets = new SecretFactory(1212).all();
  const awsKey = secrets.find((s) => s.kind === 'aws-access-key-id')?.value ?? '';
  const anthropic = secrets.find((s) => s.kind === 'anthropic-api-key')?.value ?? '';
  // Matches no redaction rule: only the path rule can keep it in.
  const envPassword = 'governance-env-password-5e0c1d';
  const markers = [awsKey, anthropic, envPassword];

  const billing = [
    '// Billing helpers.',
    `const AWS_ACCESS_KEY_ID = '${awsKey}';`,
    '',
    'export function total(prices: readonly number[]): number {',
    '  let sum = 0;',
    '  for (const price of prices) sum += price;',
    '  return sum;',
    '}',
    '',
    'export function describe(amount: number): string {',
    "  return 'Total: ' + amount;",
    '}',
    '',
    'export function region(): string {',
    "  return AWS_ACCESS_KEY_ID ? 'eu-west-1' : 'none';",
    '}',
    '',
  ].join('\n');
  const accepted = ['  // An empty list totals 0.', '  if (prices.length === 0) return 0;'];
  const rejected = '  return `Total: ${amount.toFixed(2)}`;';

  before(async () => {
    assert.ok(awsKey && anthropic, 'the secret factory lost a kind');
    model = await ScriptedModelServer.start({ models: ['test-model'] });
    auditDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-governance-'));
    session = await openTandem({
      userSettings: {
        'tandem.baseUrl': model.baseUrl,
        'tandem.model': 'test-model',
        'tandem.audit.directory': auditDir,
        'tandem.agent.approvalPolicy': 'ask',
      },
    });
    page = session.page;
    writeFileSync(path.join(session.workspace, 'src/billing.ts'), billing);
    writeFileSync(path.join(session.workspace, '.env'), `ANTHROPIC_API_KEY=${anthropic}\nDB_PASSWORD=${envPassword}\n`);
  });

  after(async () => {
    await session?.close();
    await model?.close();
    if (auditDir) rmSync(auditDir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `governance-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
  });

  const { editorPart, activeTab, quickInput, notification, openFile } = editorUi(() => page);
  /** Everything the model server received: every request's headers and body. */
  const received = (): string => JSON.stringify(model.requests.map((request) => [request.headers, request.body]));

  async function send(frame: Frame, text: string): Promise<Locator> {
    const before = await frame.locator('[data-testid="message"][data-role="assistant"]').count();
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill(text);
    await input.press('Enter');
    return frame.locator('[data-testid="message"][data-role="assistant"]').nth(before);
  }

  interface AuditEvent {
    seq: number;
    type: string;
    actor: string;
    [field: string]: unknown;
  }

  function auditFiles(): string[] {
    return readdirSync(auditDir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
  }

  function readEvents(): AuditEvent[] {
    return auditFiles().flatMap((name) =>
      readFileSync(path.join(auditDir, name), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as AuditEvent),
    );
  }

  /** The trail is written asynchronously (about once a second): wait until it holds what `until` wants. */
  async function eventsWhen(until: (events: AuditEvent[]) => boolean, what: string): Promise<AuditEvent[]> {
    for (const deadline = Date.now() + 15_000; ; ) {
      const events = readEvents();
      if (until(events)) return events;
      if (Date.now() > deadline) throw new Error(`the audit trail never held ${what}; it has: ${events.map((e) => e.type).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function verify(): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [path.join(repoRoot, 'dist', 'server.js'), 'audit', 'verify', '--dir', auditDir], { timeout: 30_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      });
    });
  }

  it('1. a chat question with .env attached: answered, .env named as not sent, the pasted key redacted', async () => {
    await openFile('.env');
    const frame = await focusChat(page);
    // The active file is attached as a chip, marked as not to be sent before anything is asked.
    const chip = frame.locator('[data-testid="chip"].excluded', { hasText: '.env' }).first();
    await chip.waitFor({ timeout: 10_000 });
    assert.match(await chip.innerText(), /not sent/);
    model.enqueue({ kind: 'stream', text: 'I cannot see that file, and the key you pasted was redacted.' });
    const requests = model.chatRequests().length;
    const answer = await send(frame, `Which of these is used for ${awsKey}?`);
    await answer.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    assert.equal(model.chatRequests().length, requests + 1, 'the question itself is asked');
    assert.match(await answer.locator('[data-testid="boundary-refused"]').innerText(), /^Not sent: \.env — .*secrets file/);
    assert.match(await answer.locator('[data-testid="boundary-redacted"]').innerText(), /^1 secret redacted$/);
    for (const marker of markers) assert.ok(!received().includes(marker), 'a secret reached the model');
    console.log(`      screenshot: ${await screenshot(page, 'governance-chat-env')}`);
  });

  it('2. Explain on .env is refused before anything is sent, with a clear message', async () => {
    await openFile('.env');
    const requests = model.requests.length;
    await runCommand(page, 'Tandem: Explain');
    await notification(/Tandem did not send this file to the model: \.env is a secrets file/).waitFor();
    // The toast slides in: shoot it once it is fully shown.
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.notifications-toasts .notification-toast')).some((toast) => toast.textContent?.includes('did not send this file') && getComputedStyle(toast).opacity === '1'),
    );
    console.log(`      screenshot: ${await screenshot(page, 'governance-explain-env')}`);
    assert.equal(model.requests.length, requests, 'Explain on .env sent a request');
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('3. Refactor of a file with an AWS key: two changes proposed, one accepted, one rejected', async () => {
    await openFile('src/billing.ts');
    const reply = [
      'src/billing.ts',
      '<<<<<<< SEARCH',
      '  let sum = 0;',
      '=======',
      ...accepted,
      '  let sum = 0;',
      '>>>>>>> REPLACE',
      '',
      'src/billing.ts',
      '<<<<<<< SEARCH',
      "  return 'Total: ' + amount;",
      '=======',
      rejected,
      '>>>>>>> REPLACE',
      '',
    ].join('\n');
    model.enqueue({ kind: 'stream', text: reply, tokensPerSecond: 400 });
    const requests = model.chatRequests().length;
    await runCommand(page, 'Tandem: Refactor…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Tandem: Refactor billing.ts' }).waitFor();
    await quickInput().fill('Guard total against an empty list; format amounts with two decimals');
    await quickInput().press('Enter');
    await activeTab().filter({ hasText: 'billing.ts ↔ Tandem proposal' }).waitFor({ timeout: 60_000 });
    await notification(/Tandem: Refactoring /).waitFor({ state: 'detached' });
    const sent = JSON.stringify(model.chatRequests()[requests]?.body);
    assert.ok(sent.includes('[REDACTED:aws-access-key-id]'), 'the file went out with its key replaced');
    assert.ok(!sent.includes(awsKey));

    const proposalSide = editorPart().locator('.monaco-diff-editor .editor.modified');
    /** Decides one change from the hover on its line: the links Accept / Reject it alone. */
    const decideChange = async (lineText: string, link: 'Accept' | 'Reject', shot?: string): Promise<void> => {
      await page.mouse.move(0, 0);
      await proposalSide.locator('.view-line', { hasText: lineText }).locator(':scope > span').first().hover();
      const hover = page.locator('.monaco-hover', { hasText: 'Tandem proposal' });
      await hover.waitFor();
      if (shot) console.log(`      screenshot: ${await screenshot(page, shot)}`);
      await hover.locator('a', { hasText: new RegExp(`^\\W*${link} \\(`) }).first().click();
      await page.mouse.move(0, 0);
      // Gone before the next change is hovered: a hover still showing this change would answer that wait, and its link would decide this change again.
      await hover.waitFor({ state: 'hidden' });
    };
    await decideChange('if (prices.length === 0)', 'Accept', 'governance-refactor-review');
    // Accepted: the change is in the document, the left side of the diff.
    await editorPart().locator('.monaco-diff-editor .editor.original .view-line', { hasText: 'if (prices.length === 0)' }).waitFor();
    await decideChange('toFixed(2)', 'Reject');
    // Both decided: the review closes, the file holds the accepted change only.
    await page.locator('.part.editor .tabs-container .tab', { hasText: 'Tandem proposal' }).waitFor({ state: 'detached' });
    await page.locator('.part.editor .tabs-container .tab.active.dirty', { hasText: 'billing.ts' }).waitFor();
    await page.keyboard.press('Control+S');
    await page.locator('.part.editor .tabs-container .tab.active:not(.dirty)', { hasText: 'billing.ts' }).waitFor();
    const expected = billing.replace('  let sum = 0;', [...accepted, '  let sum = 0;'].join('\n'));
    for (const deadline = Date.now() + 10_000; readFileSync(path.join(session.workspace, 'src/billing.ts'), 'utf8') !== expected && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(readFileSync(path.join(session.workspace, 'src/billing.ts'), 'utf8'), expected);
  });

  it('4. an agent task with one command approved and one rejected', async () => {
    const frame = await focusChat(page);
    await frame.locator('[data-testid="new-chat"]').click();
    await frame.locator('[data-testid="mode-switch"] [data-mode="agent"]').click();
    await frame.locator('[data-testid="agent-bar"]').waitFor({ state: 'visible' });
    assert.equal(await frame.locator('[data-testid="agent-policy"]').innerText(), 'Approval: ask');
    model.enqueue(
      { kind: 'stream', text: '', toolCalls: [{ name: 'run_command', arguments: JSON.stringify({ command: 'echo governance-approved', why: 'Check the shell' }) }] },
      { kind: 'stream', text: '', toolCalls: [{ name: 'run_command', arguments: JSON.stringify({ command: 'echo governance-rejected', why: 'Once more' }) }] },
      { kind: 'stream', text: '', toolCalls: [{ name: 'finish', arguments: JSON.stringify({ summary: 'Ran one command; the other was not allowed.', verification: 'echo ran' }) }] },
    );
    const answer = await send(frame, 'Run two echo commands');
    const waiting = (command: string): Locator => answer.locator('[data-testid="step-card"]', { has: frame.locator('[data-testid="step-approve"]') }).filter({ hasText: command });
    await waiting('echo governance-approved').waitFor({ timeout: 60_000 });
    await waiting('echo governance-approved').locator('[data-testid="step-approve"]').click();
    await waiting('echo governance-rejected').waitFor({ timeout: 60_000 });
    await waiting('echo governance-rejected').locator('[data-testid="step-reject"]').click();
    await answer.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    assert.match(await answer.innerText(), /Ran one command; the other was not allowed\./);
    assert.match(await answer.locator('[data-testid="step-card"]', { hasText: 'echo governance-rejected' }).locator('[data-testid="step-status"]').innerText(), /Rejected/i);
    console.log(`      screenshot: ${await screenshot(page, 'governance-agent-done')}`);
  });

  it('5a. the model never received a secret marker', () => {
    assert.ok(model.chatRequests().length >= 5, 'chat, refactor and three agent turns');
    const all = received();
    for (const marker of markers) assert.ok(!all.includes(marker), `a secret marker reached the model (${marker.slice(0, 6)}…)`);
  });

  it('5b. the Audit Trail view shows the requests, proposal, decisions, write and commands', async () => {
    // The view asks the service to write what it holds first.
    await runCommand(page, 'Tandem: Show Audit Trail');
    const frame = await findWebviewFrame(page, '[data-testid="chain-state"]');
    await frame.locator('[data-testid="chain-state"][data-state="intact"]').waitFor({ timeout: 30_000 });
    await frame.locator('tr.event[data-type="agent.command"]').first().waitFor();
    const types = await frame.locator('tr.event').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.type ?? ''));
    const count = (type: string): number => types.filter((t) => t === type).length;
    assert.ok(count('model.request') >= 5, `model.request rows: ${count('model.request')}`);
    assert.equal(count('proposal'), 1);
    assert.equal(count('decision'), 2);
    assert.ok(count('write') >= 1);
    assert.equal(count('agent.command'), 2);
    assert.ok(types.indexOf('agent.command') < types.indexOf('proposal'), 'newest first');
    const commandRows = await frame.locator('tr.event[data-type="agent.command"]').allInnerTexts();
    assert.ok(commandRows.some((row) => row.includes('echo governance-approved')) && commandRows.some((row) => row.includes('echo governance-rejected')), commandRows.join('\n'));
    console.log(`      screenshot: ${await screenshot(page, 'governance-audit-trail')}`);

    // Filtered by the refactored file: its proposal, both decisions and the write, and no command.
    await frame.getByRole('textbox', { name: 'File' }).fill('src/billing.ts');
    await frame.locator('button', { hasText: 'Filter' }).click();
    await frame.locator('tr.event[data-type="agent.command"]').first().waitFor({ state: 'detached' });
    const decisions = await frame.locator('tr.event[data-type="decision"]').allInnerTexts();
    assert.equal(decisions.length, 2);
    assert.ok(decisions.some((row) => /accepted/.test(row)) && decisions.some((row) => /rejected/.test(row)), decisions.join('\n'));
    for (const type of ['proposal', 'write']) assert.equal(await frame.locator(`tr.event[data-type="${type}"]`).count(), 1, type);
    console.log(`      screenshot: ${await screenshot(page, 'governance-audit-trail-billing')}`);
  });

  it('5c. the trail verifies with the tandem bin and records the whole session', async () => {
    const events = await eventsWhen((all) => all.filter((e) => e.type === 'agent.command').length === 2 && all.some((e) => e.type === 'write'), 'the write and both commands');
    const { code, out } = await verify();
    assert.equal(code, 0, out);
    assert.match(out, /intact/);

    const requests = events.filter((e) => e.type === 'model.request');
    const chat = requests.find((e) => e.purpose === 'chat');
    assert.ok(chat, 'no chat request');
    assert.deepEqual(chat.withheld, ['.env']);
    assert.deepEqual(chat.redactions, [{ kind: 'aws-access-key-id', count: 1 }]);
    assert.equal(chat.actor, 'person');
    const edit = requests.find((e) => e.purpose === 'edit');
    assert.ok(edit, 'no edit request');
    assert.deepEqual(edit.redactions, [{ kind: 'aws-access-key-id', count: 1 }]);

    const proposal = events.find((e) => e.type === 'proposal');
    assert.ok(proposal, 'no proposal');
    assert.equal(proposal.origin, 'refactor');
    assert.equal(proposal.request, edit.request, 'the proposal names the request it came from');
    assert.match(String(proposal.diff), /\+ {2}if \(prices\.length === 0\) return 0;/);

    const decisions = events.filter((e) => e.type === 'decision');
    assert.equal(decisions.length, 2, JSON.stringify(decisions));
    const yes = decisions.find((e) => e.decision === 'accepted');
    const no = decisions.find((e) => e.decision === 'rejected');
    assert.ok(yes && no, JSON.stringify(decisions));
    for (const decision of [yes, no]) {
      assert.equal(decision.actor, 'person');
      assert.equal(decision.proposal, proposal.proposal);
      assert.equal(decision.path, 'src/billing.ts');
      assert.equal(decision.scope, 'change');
    }
    assert.deepEqual(yes.hunks, [0]);
    assert.deepEqual(no.hunks, [1]);

    const write = events.find((e) => e.type === 'write' && e.path === 'src/billing.ts');
    assert.ok(write, 'no write of src/billing.ts');
    assert.equal(write.actor, 'person');
    assert.notEqual(write.sha256Before, write.sha256After);

    const commands = events.filter((e) => e.type === 'agent.command');
    const ran = commands.find((e) => e.command === 'echo governance-approved');
    const refused = commands.find((e) => e.command === 'echo governance-rejected');
    assert.ok(ran && refused, JSON.stringify(commands));
    assert.equal(ran.actor, 'person');
    assert.equal(ran.approved, true);
    assert.equal(ran.exitCode, 0);
    assert.equal(typeof (ran.output as { sha256?: unknown } | undefined)?.sha256, 'string');
    assert.equal(refused.actor, 'person');
    assert.equal(refused.approved, false);
    assert.equal(refused.exitCode, undefined, 'the rejected command ran');

    // No secret value in the trail either: it may sit in a shared compliance folder.
    const holding = events.filter((event) => markers.some((marker) => JSON.stringify(event).includes(marker))).map((event) => `${event.type} (seq ${event.seq})`);
    assert.deepEqual(holding, [], 'events holding a secret value');
  });

  it('5d. the provenance gutter marks the accepted change’s lines, not the rejected one’s', async () => {
    await runCommand(page, 'View: Close All Editors');
    await openFile('src/billing.ts');
    await runCommand(page, 'Tandem: Show AI Provenance');
    await notification(/2 lines of src\/billing\.ts came from 1 change Tandem applied/).waitFor();
    const marks = editorPart().locator('.monaco-editor .glyph-margin-widgets .cgmr, .monaco-editor .margin-view-overlays .cgmr');
    await marks.first().waitFor();
    // The line each mark sits on, by its vertical position.
    const markedLines = await editorPart()
      .locator('.monaco-editor')
      .first()
      .evaluate((editor) => {
        // Other glyphs share the margin (a code action's light bulb): the provenance mark is its icon.
        const tops = Array.from(editor.querySelectorAll<HTMLElement>('.glyph-margin-widgets .cgmr, .margin-view-overlays .cgmr'))
          .filter((mark) => getComputedStyle(mark).backgroundImage.includes('ai-line'))
          .map((mark) => Math.round(mark.getBoundingClientRect().top));
        return Array.from(editor.querySelectorAll<HTMLElement>('.view-lines > .view-line'))
          .filter((line) => tops.some((top) => Math.abs(Math.round(line.getBoundingClientRect().top) - top) <= 2))
          .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '));
      });
    assert.deepEqual([...markedLines].sort(), [...accepted].sort());
    console.log(`      screenshot: ${await screenshot(page, 'governance-provenance-gutter')}`);
  });

  it('5e. one byte changed in the log: verify exits 1 naming that line', async () => {
    const [first] = auditFiles();
    assert.ok(first, 'no audit file');
    const file = path.join(auditDir, first);
    const lines = readFileSync(file, 'utf8').split('\n');
    const index = lines.findIndex((line) => line.includes('"type":"decision"') && line.includes('"decision":"rejected"'));
    assert.ok(index >= 0, 'no rejected decision in the first file');
    // One byte, in place: the service may still be appending to this file.
    const at = Buffer.byteLength(lines.slice(0, index).join('\n') + '\n') + Buffer.from(lines[index] ?? '').indexOf('"rejected"') + 1;
    const fd = openSync(file, 'r+');
    try {
      writeSync(fd, 'R', at);
    } finally {
      closeSync(fd);
    }
    const { code, out } = await verify();
    assert.equal(code, 1, out);
    assert.match(out, new RegExp(`BROKEN at ${first.replace(/\./g, '\\.')} line ${index + 1} \\(seq \\d+\\) \\[tampered\\]`));
  });
});
