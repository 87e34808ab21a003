import assert from 'node:assert/strict';
import { screenshot } from '../runner/browser';
import { ModelFolder, requireEngine } from '../support/embeddedEngine';
import { askInChat, focusChat, openTandem, type TandemSession } from './fixture';

/**
 * The built-in model as a person sees it: no endpoint, no key, only
 * `tandem.embedded.modelPath` naming a GGUF (a tiny generated one: its answer
 * is gibberish). The question is answered in the chat view and the status
 * bar names the model as built-in (screenshot `embedded-chat`).
 */
describe('the built-in model end to end', function () {
  this.timeout(180_000);
  const models = new ModelFolder();
  let session: TandemSession | undefined;

  before(async function () {
    requireEngine(this);
    session = await openTandem({ userSettings: { 'tandem.embedded.modelPath': models.write('tiny-coder.gguf') } });
  });

  after(async () => {
    await session?.close();
    models.dispose();
  });

  it('answers in the chat view, and the status bar shows the built-in model', async () => {
    const page = session?.page;
    assert.ok(page);
    const answer = await askInChat(await focusChat(page), 'Write a TypeScript add function', 90_000);
    assert.equal(await answer.locator('[data-testid="error"]').count(), 0, await answer.innerText());
    await page.locator('.statusbar-item', { hasText: 'tiny-coder (built-in)' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'embedded-chat');
  });
});
