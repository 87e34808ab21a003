import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { runCommand, screenshot } from '../runner/browser';
import { TEST_CATALOGUE_ENV } from '../../src/shared/embeddedCatalogue';
import { requireEngine } from '../support/embeddedEngine';
import { FileServer } from '../support/fileServer';
import { tinyGguf } from '../support/tinyGguf';
import { openTandem, type TandemSession, focusChat, askInChat } from './fixture';

/**
 * A new user with nothing configured, as a person meets it: the chat's "no
 * model" answer offers the built-in model, the download asks first, shows
 * bytes, speed and time left in a notification with Cancel, and resumes on the
 * next try; once installed, the chat answers with it and the status bar names
 * it as built-in. The catalogue is one entry served from 127.0.0.1
 * (TANDEM_TEST_BUILTIN_MODEL, test only): a tiny generated GGUF (random
 * weights: its answers are gibberish), large enough to be cut mid-download.
 */
describe('built-in model end to end', function () {
  this.timeout(240_000);
  const body = tinyGguf({ embedding: 256, layers: 2, feedForward: 512, seed: 7 });
  const MB = /\d+(?:\.\d)? MB/.source;
  const fileName = 'tandem-fake-model.gguf';
  let files: FileServer;
  let session: TandemSession;
  let modelFile: string;

  const notification = (text: string | RegExp): Locator => session.page.locator('.notifications-toasts .notification-toast-container', { hasText: text });
  const dialog = (): Locator => session.page.locator('.monaco-dialog-box');

  before(async () => {
    files = new FileServer(body);
    await files.listen();
    const entry = { url: files.url('/fake.gguf'), sizeBytes: body.length, sha256: createHash('sha256').update(body).digest('hex'), fileName };
    session = await openTandem({ env: { [TEST_CATALOGUE_ENV]: JSON.stringify(entry), OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    modelFile = path.join(session.codeServer.userDataDir, 'User', 'globalStorage', 'tandem-dev.tandem', 'models', fileName);
  });

  after(async () => {
    await session?.close();
    await files?.close();
  });

  it('offers "Use a built-in model (N MB download)" next to Set API Key when nothing is configured', async () => {
    const frame = await focusChat(session.page);
    const input = frame.locator('[data-testid="input"]');
    await input.click();
    await input.fill('How do I read a file in Node?');
    await input.press('Enter');
    const error = frame.locator('[data-testid="error"]');
    await error.waitFor();
    assert.match(await error.innerText(), /No model service is configured/);
    assert.match(await frame.locator('[data-testid="error-offer"]').innerText(), new RegExp(`^Use a built-in model \\(${MB} download\\)$`));
    assert.equal(await frame.locator('[data-testid="error-action"]').innerText(), 'Set API Key');
    await screenshot(session.page, 'builtin-model-offer');
  });

  it('asks, then shows the download in a notification with bytes, speed and time left; Cancel leaves a part', async () => {
    files.script((_request, index) => (index === 0 ? { kind: 'serve', bytesPerSecond: 512 * 1024, holdAfter: 2 * 1024 * 1024 } : { kind: 'serve' }));
    const frame = await focusChat(session.page);
    await frame.locator('[data-testid="error-offer"]').click();
    await dialog().getByText(new RegExp(`^Download Test model \\(${MB}\\)\\?$`)).waitFor();
    await screenshot(session.page, 'builtin-model-confirm');
    const held = once(files, 'held');
    await dialog().locator('.monaco-button', { hasText: 'Download' }).click();
    const progress = notification(new RegExp(`${MB} of ${MB} · \\d+ KB/s · \\d+ s left`));
    await progress.locator('.notification-toast.notification-fade-in-done').waitFor({ timeout: 60_000 });
    await screenshot(session.page, 'builtin-model-progress');
    await held;
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await notification(/Download paused/).waitFor();
    const part = await fs.stat(`${modelFile}.part`);
    assert.ok(part.size > 0 && part.size <= 2 * 1024 * 1024, `${part.size} bytes kept`);
    await assert.rejects(fs.stat(modelFile), 'nothing that looks complete');
  });

  it('resumes from the part on the next try and verifies the model', async () => {
    const kept = (await fs.stat(`${modelFile}.part`)).size;
    await runCommand(session.page, 'Tandem: Use Built-in Model');
    await dialog().getByText(/already there; the download continues from there/).waitFor();
    await dialog().locator('.monaco-button', { hasText: 'Download' }).click();
    // Shown, not still fading in over the notifications before it.
    await notification(/Built-in model ready/).locator('.notification-toast.notification-fade-in-done').waitFor({ timeout: 60_000 });
    await screenshot(session.page, 'builtin-model-ready');
    assert.equal(files.requests.at(-1)?.range, `bytes=${kept}-`);
    assert.ok((await fs.readFile(modelFile)).equals(body));
    await assert.rejects(fs.stat(`${modelFile}.part`));
  });

  it('answers in the chat with the downloaded model, and the status bar shows it as built-in', async function () {
    requireEngine(this);
    const answer = await askInChat(await focusChat(session.page), 'Write a TypeScript add function', 90_000);
    assert.equal(await answer.locator('[data-testid="error"]').count(), 0, await answer.innerText());
    assert.ok((await answer.innerText()).trim().length > 0, 'some text streamed');
    await session.page.locator('.statusbar-item', { hasText: 'tandem-fake-model (built-in)' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(session.page, 'builtin-model-answer');
  });
});
