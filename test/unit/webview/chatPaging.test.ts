import assert from 'node:assert/strict';
import { answerLoad, pagedMessages, TAIL_MESSAGES } from '../../../src/extension/chat/chatPaging';
import { isFromWebview, MAX_PAGE_MESSAGES, type ChatViewState, type UiMessage } from '../../../src/shared/webviewProtocol';
import { assistant, mountTestPage, user, viewState, type TestPage } from './env';
import { mountWithObservers, observer } from './fakeObservers';
import { randomMarkdown } from './markdownDocs';

/** A conversation of `count` questions and answers with code, tables and lists. */
function conversation(count: number, seed = 1): UiMessage[] {
  return Array.from({ length: count }, (_, i) => [user(`u${i}`, `Question ${i}?`), assistant(`a${i}`, randomMarkdown(seed + i, 24))]).flat();
}

/** The state the extension posts for `messages` (a long chat: its tail and stubs). */
function hostState(messages: readonly UiMessage[], overrides: Partial<ChatViewState> = {}): ChatViewState {
  return viewState({ ...pagedMessages(messages), ...overrides });
}

/** Plays the extension: answers every `loadMessages` not answered yet, as ChatController does. Returns what was asked. */
function serve(page: TestPage, chat: readonly UiMessage[], chatId = 'chat-1', from = 0): Array<{ start: number; end: number }> {
  const asked = page.api.ofType('loadMessages').slice(from);
  for (const request of asked) {
    assert.ok(isFromWebview(request), `a valid request: ${JSON.stringify(request)}`);
    const reply = answerLoad({ id: chatId, messages: chat }, request.chatId, request.start, request.end);
    if (reply) page.send(reply);
  }
  page.scheduler.flushAll();
  return asked.map(({ start, end }) => ({ start, end }));
}

const pending = (page: TestPage): string[] => page.$$('.message-stub').map((element) => element.dataset.messageId ?? '');
const ids = (page: TestPage): string[] => page.$$('[data-testid="message"]').map((element) => element.dataset.messageId ?? '');

/** Messages at positions `from`..`to` of the chat are near the viewport (and within the far margin). */
function scrollTo(page: TestPage, chat: readonly UiMessage[], from: number, to: number): void {
  const near = new Set(chat.slice(from, to + 1).map((message) => message.id));
  const wide = new Set(chat.slice(Math.max(0, from - 8), to + 9).map((message) => message.id));
  observer('100%').report((target) => near.has((target as HTMLElement).dataset.messageId ?? ''));
  observer('300%').report((target) => wide.has((target as HTMLElement).dataset.messageId ?? ''));
  page.scheduler.flushAll();
}

/** Each answer's markdown as a chat small enough to render at once shows it. */
function eagerHtml(message: UiMessage): string {
  const page = mountTestPage();
  page.send({ type: 'state', state: viewState({ messages: [message] }) });
  return page.$(`[data-message-id="${message.id}"] .markdown`)?.innerHTML ?? '';
}

describe('webview paging of long chats', function () {
  // 60-answer conversations rendered under jsdom: a generous safety limit, not a timing goal.
  this.timeout(120_000);
  const chat = conversation(60);

  it('opens with the latest messages and a placeholder of about its size for each older one, asking for nothing yet', () => {
    const state = hostState(chat);
    assert.equal(state.messages.length, TAIL_MESSAGES);
    assert.ok(JSON.stringify(state).length < JSON.stringify(viewState({ messages: chat })).length / 5, 'the state is a fraction of the chat');
    const page = mountWithObservers();
    page.send({ type: 'state', state });
    assert.deepEqual(ids(page), chat.map((message) => message.id), 'every message has its place, in order');
    assert.deepEqual(pending(page), chat.slice(0, -TAIL_MESSAGES).map((message) => message.id));
    for (const element of page.$$('.message-stub[data-role="assistant"] .markdown-placeholder')) {
      assert.ok(Number.parseInt(element.style.height, 10) > 18, 'an older answer holds about its height');
    }
    assert.equal(page.api.ofType('loadMessages').length, 0);
    assert.equal(page.$('[data-testid="welcome"]')?.hidden, true);
  });

  it('scrolling to the top asks for each older message once, in pages of at most MAX_PAGE_MESSAGES, and shows them as rendering them at once would', () => {
    const page = mountWithObservers();
    page.send({ type: 'state', state: hostState(chat) });
    let served = 0;
    const asked: Array<{ start: number; end: number }> = [];
    for (let top = chat.length - TAIL_MESSAGES - 2; top >= -4; top -= 5) {
      scrollTo(page, chat, Math.max(0, top), top + 4);
      const more = serve(page, chat, 'chat-1', served);
      served += more.length;
      asked.push(...more);
      for (let index = Math.max(0, top); index <= top + 4; index++) {
        assert.ok(!pending(page).includes(chat[index]?.id ?? ''), `message ${index} arrived when it came near`);
      }
    }
    assert.deepEqual(pending(page), []);
    const count = new Map<number, number>();
    for (const { start, end } of asked) {
      assert.ok(end - start >= 1 && end - start <= MAX_PAGE_MESSAGES, `page ${start}..${end}`);
      for (let index = start; index < end; index++) count.set(index, (count.get(index) ?? 0) + 1);
    }
    assert.ok([...count.values()].every((times) => times === 1), 'no message asked for twice');
    assert.ok(asked.length <= Math.ceil((chat.length - TAIL_MESSAGES) / 5) + 1, `${asked.length} requests`);
    assert.deepEqual(ids(page), chat.map((message) => message.id));
    scrollTo(page, chat, 0, 3);
    for (const message of chat.slice(0, 4)) {
      const element = page.$(`[data-message-id="${message.id}"]`);
      if (message.role === 'assistant') assert.equal(element?.querySelector('.markdown')?.innerHTML, eagerHtml(message), message.id);
      else assert.equal(element?.querySelector('.message-body')?.textContent, message.text);
    }
  });

  it('later states keep what arrived: asking, streaming and finishing an answer never re-asks or drops older messages', () => {
    const page = mountWithObservers();
    const asked = [...chat, user('u60', 'One more?')];
    page.send({ type: 'state', state: hostState(chat) });
    scrollTo(page, chat, 40, 49);
    serve(page, chat);
    const loaded = page.$('[data-message-id="a22"]');
    assert.ok(loaded && !loaded.classList.contains('message-stub'));
    const requests = page.api.ofType('loadMessages').length;
    const streaming = [...asked, assistant('a60', '', { streaming: true })];
    page.send({ type: 'state', state: hostState(streaming, { busy: true }) });
    page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a60', text: 'Done.' });
    const finished = [...asked, assistant('a60', 'Done.')];
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a60', 'Done.') });
    page.send({ type: 'state', state: hostState(finished) });
    page.scheduler.flushAll();
    assert.equal(page.$('[data-message-id="a22"]'), loaded, 'a loaded message keeps its DOM');
    assert.deepEqual(ids(page), finished.map((message) => message.id));
    // Messages that left the state's tail stay as they were shown, not placeholders again.
    assert.ok(!pending(page).includes('a55'));
    assert.equal(page.api.ofType('loadMessages').length, requests);
    assert.equal(page.$('[data-message-id="a60"] .markdown')?.textContent?.trim(), 'Done.');
  });

  it('ignores pages for another chat, unknown ids, wrong roles and malformed stubs', () => {
    const page = mountWithObservers();
    page.send({ type: 'state', state: hostState(chat) });
    const before = pending(page);
    page.send({ type: 'messages', chatId: 'other', start: 0, messages: chat.slice(0, 5) });
    page.send({ type: 'messages', chatId: 'chat-1', start: 0, messages: [assistant('nope', 'x'), assistant('u0', 'a role it does not have')] });
    page.send({ type: 'messages', chatId: 'chat-1', start: -1, messages: 'no' as unknown as UiMessage[] });
    page.send({ type: 'messages', chatId: 'chat-1', start: 0.5, messages: chat.slice(0, 2) });
    // A step of an older answer not loaded yet (a restore): its page will carry it; the placeholder stays one.
    page.send({ type: 'agentStep', chatId: 'chat-1', messageId: 'a3', step: { id: 's1', turn: 0, tool: 'read_file', title: 'Read a file', status: 'done' } });
    page.scheduler.flushAll();
    assert.deepEqual(pending(page), before);
    assert.equal(page.$('[data-message-id="a3"] [data-testid="step-card"]'), null);
    assert.equal(page.$('[data-message-id="nope"]'), null);
    for (const stub of [{ id: 1, role: 'user', rows: 1, tokens: 1 }, { id: 'x', role: 'robot', rows: 1, tokens: 1 }, { id: 'x', role: 'user', rows: -1, tokens: 1 }, { id: 'x', role: 'user', rows: 1, tokens: 1.5 }]) {
      page.send({ type: 'state', state: { ...hostState(chat), chatId: 'chat-2', older: [stub] } as unknown as ChatViewState });
      assert.deepEqual(pending(page), before, `state with stub ${JSON.stringify(stub)} is ignored`);
    }
  });

  it('a page that arrives after another chat was opened is ignored', () => {
    const page = mountWithObservers();
    page.send({ type: 'state', state: hostState(chat) });
    scrollTo(page, chat, 45, 49);
    const other = conversation(50, 300).map((message) => ({ ...message, id: `b-${message.id}` }));
    page.send({ type: 'state', state: hostState(other, { chatId: 'chat-2' }) });
    serve(page, chat);
    assert.deepEqual(ids(page), other.map((message) => message.id));
    assert.equal(pending(page).length, other.length - TAIL_MESSAGES);
  });

  it('without IntersectionObserver, asks for every older message at once, page by page', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: hostState(chat) });
    page.scheduler.flushAll();
    const asked = serve(page, chat);
    assert.ok(asked.every(({ start, end }) => end - start <= MAX_PAGE_MESSAGES));
    assert.deepEqual(pending(page), []);
  });

  it('a status change without the transcript keeps every message as shown, the streaming one too, and the budget line', () => {
    const page = mountWithObservers();
    const asked = [...chat, user('u60', 'One more?'), assistant('a60', '', { streaming: true })];
    const budget = { tokens: 24_000, source: 'default' as const };
    page.send({ type: 'state', state: hostState(asked, { busy: true, budget }) });
    page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a60', text: 'Half of it' });
    page.scheduler.flushAll();
    const before = page.$$('[data-testid="message"]');
    const budgetLine = page.$('[data-testid="budget"]')?.textContent;
    assert.match(budgetLine ?? '', /k \/ 24k/);
    for (const service of ['restarting', 'ready'] as const) {
      page.send({ type: 'state', state: viewState({ busy: true, budget, service, sameTranscript: true, models: ['another'] }) });
      page.scheduler.flushAll();
      assert.deepEqual(page.$$('[data-testid="message"]'), before, 'the same elements, in order');
      assert.equal(page.$('[data-message-id="a60"] .markdown')?.textContent?.trim(), 'Half of it');
      assert.equal(page.$('[data-testid="budget"]')?.textContent, budgetLine);
    }
    assert.equal(page.$('[data-testid="service-banner"]')?.hidden, true);
    // One for a chat it does not show is dropped (the extension sends the transcript when its chat changes).
    page.send({ type: 'state', state: viewState({ chatId: 'chat-9', title: 'Other', sameTranscript: true }) });
    assert.deepEqual(page.$$('[data-testid="message"]'), before);
  });

  it('a short chat comes whole and shows as before: no placeholders, no requests', () => {
    const short = conversation(3, 40);
    assert.equal(pagedMessages(short).older, undefined);
    const page = mountWithObservers();
    page.send({ type: 'state', state: hostState(short) });
    page.scheduler.flushAll();
    assert.deepEqual(pending(page), []);
    assert.equal(page.$$('.markdown-placeholder').length, 0);
    assert.equal(page.api.ofType('loadMessages').length, 0);
  });
});
