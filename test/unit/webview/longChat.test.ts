import assert from 'node:assert/strict';
import type { UiMessage } from '../../../src/shared/webviewProtocol';
import { assistant, mountTestPage, user, viewState, type TestPage } from './env';
import { mountWithObservers, observer } from './fakeObservers';
import { randomMarkdown } from './markdownDocs';

/** A conversation of `count` questions and answers with code, tables and lists. */
function conversation(count: number, seed = 1): UiMessage[] {
  return Array.from({ length: count }, (_, i) => [user(`u${i}`, `Question ${i}?`), assistant(`a${i}`, randomMarkdown(seed + i, 24))]).flat();
}

function answer(page: TestPage, index: number): HTMLElement {
  const element = page.$(`[data-message-id="a${index}"]`);
  assert.ok(element, `answer ${index} is shown`);
  return element;
}

const rendered = (element: HTMLElement): boolean => element.querySelector('.markdown-placeholder') === null;

/** Each answer's markdown as a chat small enough to render at once shows it. */
function eagerHtml(messages: UiMessage[], id: string): string {
  const page = mountTestPage();
  const message = messages.find((candidate) => candidate.id === id);
  assert.ok(message);
  page.send({ type: 'state', state: viewState({ messages: [message] }) });
  return page.$(`[data-message-id="${id}"] .markdown`)?.innerHTML ?? '';
}

/** Answers `from`..`to` are near the viewport, `from - margin`..`to + margin` within the far margin. */
function scrollTo(page: TestPage, from: number, to: number, margin = 4): void {
  const index = (target: Element): number => Number((target as HTMLElement).dataset.messageId?.slice(1));
  observer('100%').report((target) => index(target) >= from && index(target) <= to);
  observer('300%').report((target) => index(target) >= from - margin && index(target) <= to + margin);
  page.scheduler.flushAll();
}

describe('webview long chats', function () {
  // Conversations of 60 generated answers rendered under jsdom: a generous safety limit, not a timing goal.
  this.timeout(120_000);
  const messages = conversation(60);

  it('opens a long chat with placeholders and renders the answers near the viewport, the same as rendering them at once', () => {
    const page = mountWithObservers();
    page.send({ type: 'state', state: viewState({ messages }) });
    const answers = page.$$('[data-testid="message"][data-role="assistant"]');
    assert.equal(answers.length, 60);
    assert.equal(answers.filter(rendered).length, 0, 'nothing rendered before the observer says what is near');
    for (const element of answers) {
      const placeholder = element.querySelector<HTMLElement>('.markdown-placeholder');
      assert.ok(placeholder && Number.parseInt(placeholder.style.height, 10) > 0, 'each placeholder holds about the answer\'s height');
    }
    assert.equal(page.$$('[data-role="user"]').length, 60, 'questions (plain text) are all there');

    scrollTo(page, 57, 59);
    assert.deepEqual(answers.filter(rendered).map((element) => element.dataset.messageId), ['a57', 'a58', 'a59']);
    for (const index of [57, 58, 59]) {
      assert.equal(answer(page, index).querySelector('.markdown')?.innerHTML, eagerHtml(messages, `a${index}`), `answer ${index}`);
    }
  });

  it('renders a very long answer over several frames, ending in the same DOM', () => {
    const huge = assistant('a0', Array.from({ length: 12 }, (_, i) => randomMarkdown(500 + i, 30)).join('\n\n'));
    const chat = [user('u0', 'Everything?'), huge, ...conversation(30, 900).map((message, i) => ({ ...message, id: `${message.id}x${i}` }))];
    const page = mountWithObservers();
    page.send({ type: 'state', state: viewState({ messages: chat }) });
    observer('100%').report((target) => (target as HTMLElement).dataset.messageId === 'a0');
    let frames = 0;
    while (!rendered(answer(page, 0)) && frames < 1000) {
      page.scheduler.flush();
      frames++;
    }
    assert.ok(frames > 1, `a ${huge.text.length}-character answer takes more than one frame (took ${frames})`);
    assert.equal(answer(page, 0).querySelector('.markdown')?.innerHTML, eagerHtml(chat, 'a0'));
  });

  it('drops answers far from the viewport and renders them again when it comes back: memory stays bounded', () => {
    const page = mountWithObservers();
    page.send({ type: 'state', state: viewState({ messages }) });
    let most = 0;
    // Scroll from the bottom to the top and back, three answers per screen.
    const positions = [...Array.from({ length: 10 }, (_, i) => 57 - i * 6), ...Array.from({ length: 10 }, (_, i) => 3 + i * 6)];
    for (const top of positions) {
      scrollTo(page, top, top + 2);
      const count = page.$$('[data-role="assistant"]').filter(rendered).length;
      most = Math.max(most, count);
      for (let index = top; index <= top + 2; index++) {
        assert.ok(rendered(answer(page, index)), `answer ${index} is rendered when near the viewport`);
      }
    }
    assert.ok(most <= 3 + 2 * 4, `at most the answers within the far margin stay rendered (saw ${most} of 60)`);
    for (const index of [0, 30, 59]) {
      scrollTo(page, index, index);
      assert.equal(answer(page, index).querySelector('.markdown')?.innerHTML, eagerHtml(messages, `a${index}`), `answer ${index} after being dropped`);
    }
  });

  it('streams a new answer at the end of a long chat as usual, and never drops it while it streams', () => {
    const page = mountWithObservers();
    const asked = [...messages, user('u60', 'One more?')];
    page.send({ type: 'state', state: viewState({ messages: asked }) });
    scrollTo(page, 57, 59);
    page.send({ type: 'state', state: viewState({ busy: true, messages: [...asked, assistant('a60', '', { streaming: true })] }) });
    const text = randomMarkdown(77, 20);
    for (const chunk of text.match(/[\s\S]{1,9}/g) ?? []) {
      page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a60', text: chunk });
      page.scheduler.flush();
      // Even when told it is far away, the streaming answer keeps its DOM.
      observer('300%').report(() => false);
    }
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a60', text) });
    assert.ok(rendered(answer(page, 60)));
    assert.equal(answer(page, 60).querySelector('.markdown')?.innerHTML, eagerHtml([assistant('a60', text)], 'a60'));
  });

  it('renders a short chat at once, as before', () => {
    const page = mountWithObservers();
    const short = conversation(3, 40);
    page.send({ type: 'state', state: viewState({ messages: short }) });
    assert.equal(page.$$('[data-role="assistant"]').filter(rendered).length, 3);
    assert.equal(page.$$('.markdown-placeholder').length, 0);
  });
});
