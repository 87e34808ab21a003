import assert from 'node:assert/strict';
import type { ChipView } from '../../../src/shared/webviewProtocol';
import { assistant, mountTestPage, user, viewState, type TestPage } from './env';

function press(page: TestPage, init: KeyboardEventInit): KeyboardEvent {
  const input = page.$('[data-testid="input"]') as HTMLTextAreaElement;
  const event = new page.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init });
  input.dispatchEvent(event);
  return event;
}

function type(page: TestPage, text: string): HTMLTextAreaElement {
  const input = page.$('[data-testid="input"]') as HTMLTextAreaElement;
  input.value = text;
  input.dispatchEvent(new page.window.Event('input', { bubbles: true }));
  return input;
}

function click(page: TestPage, element: Element | null | undefined): void {
  assert.ok(element, 'element to click exists');
  element.dispatchEvent(new page.window.MouseEvent('click', { bubbles: true, cancelable: true }));
}

const fileChip: ChipView = { id: 'c1', kind: 'file', label: 'app.ts', detail: 'src/app.ts', implicit: true };
const selectionChip: ChipView = { id: 'c2', kind: 'selection', label: 'util.ts:3-9', detail: 'src/util.ts, lines 3–9', implicit: false };
const chips = [fileChip, selectionChip];

describe('webview chat view', () => {
  it('says ready, then shows the welcome for an empty chat', () => {
    const page = mountTestPage();
    assert.deepEqual(page.api.posted, [{ type: 'ready' }]);
    page.send({ type: 'state', state: viewState() });
    assert.equal(page.$('[data-testid="welcome"]')?.hidden, false);
    const log = page.$('[data-testid="transcript"]');
    assert.equal(log?.getAttribute('role'), 'log');
    assert.equal(log?.getAttribute('aria-live'), 'polite');
    page.send({ type: 'state', state: viewState({ messages: [user('u1', 'hi')] }) });
    assert.equal(page.$('[data-testid="welcome"]')?.hidden, true);
  });

  it('sends on Enter, not on Shift+Enter, not while composing, not when empty', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState() });
    const input = type(page, 'first line');
    assert.equal(press(page, { shiftKey: true }).defaultPrevented, false, 'Shift+Enter inserts a newline');
    assert.equal(press(page, { isComposing: true }).defaultPrevented, false, 'IME composition is not interrupted');
    assert.deepEqual(page.api.ofType('send'), []);
    type(page, 'Explain this\nplease  \n');
    assert.equal(press(page, {}).defaultPrevented, true);
    assert.deepEqual(page.api.ofType('send'), [{ type: 'send', text: 'Explain this\nplease' }]);
    assert.equal(input.value, '');
    type(page, '   \n  ');
    press(page, {});
    assert.equal(page.api.ofType('send').length, 1, 'whitespace is not sent');
  });

  it('keeps the draft in webview state and restores it', () => {
    const page = mountTestPage();
    type(page, 'half a question');
    assert.deepEqual(page.api.state, { draft: 'half a question' });
    const again = mountTestPage({ draft: 'half a question' });
    assert.equal((again.$('[data-testid="input"]') as HTMLTextAreaElement).value, 'half a question');
  });

  it('turns Send into Stop while busy; Stop posts stop and Enter does not send', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState({ busy: true, messages: [user('u1', 'q'), assistant('a1', '', { streaming: true })] }) });
    assert.equal(page.$('[data-testid="send"]'), null);
    const stop = page.$('[data-testid="stop"]');
    assert.equal(stop?.getAttribute('aria-label'), 'Stop');
    type(page, 'next question');
    press(page, {});
    assert.deepEqual(page.api.ofType('send'), []);
    click(page, stop);
    assert.deepEqual(page.api.ofType('stop'), [{ type: 'stop' }]);
    page.send({ type: 'state', state: viewState({ busy: false, messages: [user('u1', 'q'), assistant('a1', 'x', { stopped: true })] }) });
    assert.ok(page.$('[data-testid="send"]'));
    assert.equal(page.$('[data-testid="message"][data-message-id="a1"]')?.dataset.state, 'stopped');
    click(page, page.$('[data-testid="send"]'));
    assert.deepEqual(page.api.ofType('send'), [{ type: 'send', text: 'next question' }]);
  });

  it('shows an error with its action button, keeping the partial answer', () => {
    const page = mountTestPage();
    const failed = assistant('a1', 'Partial answer', {
      error: { kind: 'auth', message: 'The API key was rejected (401).', status: 401, action: 'setApiKey' },
    });
    page.send({ type: 'state', state: viewState({ messages: [user('u1', 'q'), failed] }) });
    const message = page.$('[data-testid="message"][data-message-id="a1"]');
    assert.equal(message?.dataset.state, 'error');
    assert.match(message?.textContent ?? '', /Partial answer/);
    assert.match(page.$('[data-testid="error"]')?.textContent ?? '', /API key was rejected/);
    const action = page.$('[data-testid="error-action"]');
    assert.equal(action?.textContent, 'Set API Key');
    click(page, action);
    assert.deepEqual(page.api.ofType('errorAction'), [{ type: 'errorAction', action: 'setApiKey', messageId: 'a1' }]);
  });

  it('offers the available models for modelNotFound', () => {
    const page = mountTestPage();
    const failed = assistant('a1', '', {
      error: { kind: 'modelNotFound', message: 'Model "gpt-9" not found.', action: 'pickModel', availableModels: ['gpt-4.1', 'gpt-4o'] },
    });
    page.send({ type: 'state', state: viewState({ messages: [user('u1', 'q'), failed] }) });
    assert.equal(page.$('[data-testid="error-action"]')?.textContent, 'Choose Model');
    const choices = page.$$('[data-testid="model-choice"]');
    assert.deepEqual(choices.map((button) => button.textContent), ['gpt-4.1', 'gpt-4o']);
    click(page, choices[1]);
    assert.deepEqual(page.api.ofType('pickModel'), [{ type: 'pickModel', model: 'gpt-4o' }]);
  });

  it('renders chips from a chips message; × posts removeChip', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState() });
    page.send({ type: 'chips', chips });
    const rendered = page.$$('[data-testid="chip"]');
    assert.deepEqual(rendered.map((chip) => chip.textContent), ['app.ts', 'util.ts:3-9']);
    const [file, selection] = rendered;
    assert.ok(file?.classList.contains('implicit'));
    assert.match(file?.title ?? '', /src\/app\.ts/);
    assert.equal(selection?.title, 'src/util.ts, lines 3–9');
    click(page, selection?.querySelector('[data-testid="chip-remove"]'));
    assert.deepEqual(page.api.ofType('removeChip'), [{ type: 'removeChip', chipId: 'c2' }]);
    page.send({ type: 'chips', chips: [] });
    assert.equal(page.$$('[data-testid="chip"]').length, 0);
  });

  it('marks a chip that is not sent (a secrets file) and says why', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState() });
    page.send({ type: 'chips', chips: [{ id: 'implicit', kind: 'file', label: '.env', detail: '.env', implicit: true, excluded: '.env is a secrets file' }] });
    const [chip] = page.$$('[data-testid="chip"]');
    assert.ok(chip?.classList.contains('excluded'));
    assert.equal(chip?.textContent, '.envnot sent');
    assert.match(chip?.title ?? '', /not sent to the model \(\.env is a secrets file\)/);
  });

  it('shows a question as plain text with the chips it was sent with', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState({ messages: [user('u1', '**not bold**\n  <b>x</b>', { context: [selectionChip] })] }) });
    const message = page.$('[data-testid="message"][data-role="user"]');
    assert.equal(message?.querySelector('.message-body')?.textContent, '**not bold**\n  <b>x</b>');
    assert.equal(message?.querySelector('strong, b'), null);
    assert.equal(message?.querySelectorAll('[data-testid="chip"]').length, 1);
    assert.equal(message?.querySelector('[data-testid="chip-remove"]'), null, 'sent chips are read-only');
  });

  it('lists history; opening and deleting post the right messages', () => {
    const page = mountTestPage();
    const now = Date.UTC(2025, 0, 10, 12, 0, 0);
    const history = [
      { id: 'chat-1', title: 'Current', updatedAt: now - 5 * 60_000, messageCount: 2 },
      { id: 'chat-0', title: 'Write a TypeScript add function', updatedAt: now - 26 * 3600_000, messageCount: 4 },
    ];
    page.send({ type: 'state', state: viewState({ history }) });
    assert.equal(page.$$('[data-testid="history-item"]').length, 0, 'closed until toggled');
    click(page, page.$('[data-testid="history-toggle"]'));
    const items = page.$$('[data-testid="history-item"]');
    assert.deepEqual(items.map((item) => item.dataset.chatId), ['chat-1', 'chat-0']);
    const [current, older] = items;
    assert.match(current?.textContent ?? '', /Current.*5 min ago/);
    assert.match(older?.textContent ?? '', /yesterday/);
    click(page, older?.querySelector('[data-testid="history-delete"]'));
    assert.deepEqual(page.api.ofType('deleteChat'), [{ type: 'deleteChat', chatId: 'chat-0' }]);
    assert.deepEqual(page.api.ofType('openChat'), [], 'delete does not also open');
    click(page, older?.querySelector('.history-title'));
    assert.deepEqual(page.api.ofType('openChat'), [{ type: 'openChat', chatId: 'chat-0' }]);
    assert.equal(page.$$('[data-testid="history-item"]').every((item) => !item.isConnected || item.closest('[hidden]')), true, 'the list closes');
  });

  it('has a model picker, refresh, new chat and a service banner', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState({ models: ['a', 'b'], model: 'custom', service: 'restarting', serviceMessage: 'Model service restarting…' }) });
    const picker = page.$('[data-testid="model-picker"]') as HTMLSelectElement;
    assert.deepEqual(Array.from(picker.options).map((option) => option.value), ['custom', 'a', 'b']);
    assert.equal(picker.value, 'custom');
    picker.value = 'b';
    picker.dispatchEvent(new page.window.Event('change', { bubbles: true }));
    assert.deepEqual(page.api.ofType('pickModel'), [{ type: 'pickModel', model: 'b' }]);
    click(page, page.$('[data-testid="refresh-models"]'));
    assert.deepEqual(page.api.ofType('refreshModels'), [{ type: 'refreshModels' }]);
    click(page, page.$('[data-testid="new-chat"]'));
    assert.deepEqual(page.api.ofType('newChat'), [{ type: 'newChat' }]);
    const banner = page.$('[data-testid="service-banner"]');
    assert.equal(banner?.hidden, false);
    assert.equal(banner?.textContent, 'Model service restarting…');
    page.send({ type: 'state', state: viewState() });
    assert.equal(banner?.hidden, true);
  });

  it('copies and inserts code blocks through the host', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState({ messages: [user('u1', 'q'), assistant('a1', '```py\nprint(1)\n```')] }) });
    const copy = page.$('[data-testid="copy-code"]');
    click(page, copy);
    assert.deepEqual(page.api.ofType('copyCode'), [{ type: 'copyCode', code: 'print(1)\n' }]);
    assert.equal(copy?.textContent, 'Copied');
    click(page, page.$('[data-testid="insert-code"]'));
    assert.deepEqual(page.api.ofType('insertCode'), [{ type: 'insertCode', code: 'print(1)\n', languageId: 'python' }]);
  });

  it('focuses the input on focusInput, with text if given', () => {
    const page = mountTestPage();
    page.send({ type: 'focusInput', text: 'Explain `add`' });
    const input = page.$('[data-testid="input"]') as HTMLTextAreaElement;
    assert.equal(input.value, 'Explain `add`');
    assert.equal(page.document.activeElement, input);
    assert.deepEqual(page.api.state, { draft: 'Explain `add`' });
  });

  it('ignores malformed messages', () => {
    const page = mountTestPage();
    for (const junk of [null, 'state', { type: 'nope' }, { type: 'state' }, { type: 'state', state: { chatId: 1 } }, { type: 'delta', chatId: 'c' }, { type: 'chips', chips: 'x' }]) {
      page.app.receive(junk);
    }
    page.window.dispatchEvent(new page.window.MessageEvent('message', { data: { type: 'state', state: viewState({ title: 'Via postMessage' }) } }));
    assert.equal(page.$('.chat-title')?.textContent, 'Via postMessage');
  });

  it('switching chats replaces the transcript; the same chat keeps message DOM', () => {
    const page = mountTestPage();
    const messages = [user('u1', 'q'), assistant('a1', 'Answer.')];
    page.send({ type: 'state', state: viewState({ messages }) });
    const node = page.$('[data-message-id="a1"]');
    page.send({ type: 'state', state: viewState({ messages, title: 'Renamed' }) });
    assert.equal(page.$('[data-message-id="a1"]'), node);
    page.send({ type: 'state', state: viewState({ chatId: 'chat-2', messages: [user('u9', 'other')] }) });
    assert.equal(page.$('[data-message-id="a1"]'), null);
    assert.ok(page.$('[data-message-id="u9"]'));
  });

  it('gives controls accessible names', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState({ chips, messages: [user('u1', 'q'), assistant('a1', '```js\nx\n```')] }) });
    for (const button of page.$$('button')) {
      assert.ok(button.getAttribute('aria-label'), `button without aria-label: ${button.outerHTML.slice(0, 80)}`);
      assert.ok(button.title, `button without title: ${button.outerHTML.slice(0, 80)}`);
    }
  });
});
