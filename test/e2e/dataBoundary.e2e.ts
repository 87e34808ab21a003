import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { findWebviewFrame, runCommand, screenshot } from '../runner/browser';
import { SecretFactory } from '../support/fakeSecrets';
import { ScriptedModelServer } from '../support/modelServer';
import { editorUi } from './editorUi';
import { openTandem, type TandemSession } from './fixture';

/**
 * The data boundary as a person meets it in a real VS Code (code-server) in
 * Chromium: a question about a file holding a GitHub token, with an AWS key
 * pasted into the question, is answered, and the answer says "2 secrets
 * redacted" while the scripted model received neither value; a question with
 * `.env` open names the file as not sent, under the answer; Refactor on
 * `.env` is refused with a clear message before anything is asked or sent.
 */
describe('data boundary end to end', function () {
  this.timeout(180_000);
  let model: ScriptedModelServer;
  let session: TandemSession;
  let page: Page;
  const secrets = new SecretFactory(77).all();
  const github = secrets.find((s) => s.kind === 'github-token')?.value ?? '';
  const aws = secrets.find((s) => s.kind === 'aws-access-key-id')?.value ?? '';
  const anthropic = secrets.find((s) => s.kind === 'anthropic-api-key')?.value ?? '';

  before(async () => {
    model = await ScriptedModelServer.start();
    session = await openTandem({ userSettings: { 'tandem.baseUrl': model.baseUrl, 'tandem.model': 'test-model' } });
    page = session.page;
    writeFileSync(path.join(session.workspace, 'src/config.ts'), `export const token = '${github}';\n`);
    writeFileSync(path.join(session.workspace, '.env'), `ANTHROPIC_API_KEY=${anthropic}\n`);
  });

  after(async () => {
    await session?.close();
    await model?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `boundary-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
    model.reset();
  });

  const { quickInput, openFile } = editorUi(() => page);
  const sentSoFar = (): string => JSON.stringify(model.requests.map((request) => request.body));

  async function ask(text: string): Promise<Locator> {
    await runCommand(page, 'Tandem: Focus Chat');
    const frame: Frame = await findWebviewFrame(page, '[data-testid="input"]', 60_000);
    const before = await frame.locator('[data-testid="message"][data-role="assistant"]').count();
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill(text);
    await input.press('Enter');
    const answer = frame.locator('[data-testid="message"][data-role="assistant"]').nth(before);
    await answer.and(frame.locator('[data-state="done"]')).waitFor();
    return answer;
  }

  it('says how many secrets were redacted, of which kinds, and the model never sees them', async () => {
    await openFile('src/config.ts');
    model.enqueue({ kind: 'stream', text: 'The token is read from config.ts.' });
    const answer = await ask(`Why is ${aws} rejected when config.ts is loaded?`);
    const line = await answer.locator('[data-testid="boundary-redacted"]').innerText();
    assert.match(line, /^2 secrets redacted: /);
    assert.match(line, /1 GitHub token/);
    assert.match(line, /1 AWS access key ID/);
    const sent = sentSoFar();
    assert.ok(sent.includes('[REDACTED:github-token]'), 'the chip went out, redacted');
    assert.ok(!sent.includes(github) && !sent.includes(aws), 'a secret reached the model');
    await screenshot(page, 'boundary-redacted');
  });

  it('a question with .env open names the file as not sent, under the answer', async () => {
    await openFile('.env');
    model.enqueue({ kind: 'stream', text: 'I cannot see that file.' });
    const answer = await ask('What is in this file?');
    assert.match(await answer.locator('[data-testid="boundary-refused"]').innerText(), /^Not sent: \.env — .*secrets file/);
    assert.ok(!sentSoFar().includes(anthropic));
    await screenshot(page, 'boundary-not-sent');
  });

  it('Refactor on .env is refused with a clear message, before asking what to change', async () => {
    await openFile('.env');
    const requests = model.requests.length;
    await runCommand(page, 'Tandem: Refactor…');
    await page.locator('.notifications-toasts .notification-toast-container', { hasText: /Tandem did not send this file to the model: \.env is a secrets file/ }).waitFor();
    assert.equal(await quickInput().isVisible(), false, 'it asked for an instruction first');
    assert.equal(model.requests.length, requests);
  });
});
