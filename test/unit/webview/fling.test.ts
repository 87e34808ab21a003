/**
 * Scrolling a long chat faster than anyone reads (a fling, or the scroll bar
 * dragged from end to end): the answers it passes are not rendered on the
 * way, and the ones near where it stops render as soon as it slows down.
 */
import assert from 'node:assert/strict';
import { pagedMessages } from '../../../src/extension/chat/chatPaging';
import type { UiMessage } from '../../../src/shared/webviewProtocol';
import { seededRandom } from '../../support/random';
import { assistant, mountTestPage, user, viewState, type TestPage } from './env';
import { mountWithObservers, observer } from './fakeObservers';
import { randomMarkdown } from './markdownDocs';

const SCREEN_PX = 700;
const CHAT_PX = 400_000;
const FRAME_MS = 16;
/** Frames that prepare rendering at most: the markdown libraries' set-up, then one compiling grammars (the clock stands still). */
const PREPARING_FRAMES = 2;

function conversation(count: number): UiMessage[] {
  return Array.from({ length: count }, (_, i) => [user(`u${i}`, `Question ${i}?`), assistant(`a${i}`, randomMarkdown(300 + i, 30))]).flat();
}

const rendered = (page: TestPage, index: number): boolean => {
  const element = page.$(`[data-message-id="a${index}"]`);
  assert.ok(element, `answer ${index} is shown`);
  return element.querySelector('.markdown-placeholder') === null;
};

function eagerHtml(message: UiMessage): string {
  const page = mountTestPage();
  page.send({ type: 'state', state: viewState({ messages: [message] }) });
  return page.$('.markdown')?.innerHTML ?? '';
}

/** A long chat in a page whose clock and scroll position the test drives (jsdom has no layout); `paged`: as the extension sends a long chat (its tail, placeholders for the rest). */
function scrollablePage(messages: UiMessage[], paged = false): { page: TestPage; clock: { now: number }; scroll(top: number): void; near(from: number, to: number): void } {
  const clock = { now: 1000 };
  const page = mountWithObservers((window) => {
    window.performance.now = () => clock.now;
  });
  page.send({ type: 'state', state: viewState(paged ? pagedMessages(messages) : { messages }) });
  page.scheduler.flushAll();
  const transcript = page.$('[data-testid="transcript"]');
  assert.ok(transcript);
  Object.defineProperty(transcript, 'scrollHeight', { value: CHAT_PX, configurable: true });
  Object.defineProperty(transcript, 'clientHeight', { value: SCREEN_PX, configurable: true });
  Object.defineProperty(page.window, 'innerHeight', { value: SCREEN_PX, configurable: true });
  const index = (target: Element): number => Number((target as HTMLElement).dataset.messageId?.slice(1));
  return {
    page,
    clock,
    scroll(top) {
      transcript.scrollTop = top;
      transcript.dispatchEvent(new page.window.Event('scroll'));
    },
    near(from, to) {
      observer('100%').report((target) => index(target) >= from && index(target) <= to);
      observer('300%').report((target) => index(target) >= from - 4 && index(target) <= to + 4);
    },
  };
}

describe('webview long chats: scrolling faster than anyone reads', function () {
  this.timeout(120_000);
  // Over 40,000 characters: a long chat, rendered near the viewport only.
  const messages = conversation(30);

  it('renders nothing while a fling passes, then the answers where it stops, as rendering them at once would (15 generated flings)', () => {
    const random = seededRandom(16);
    for (let run = 0; run < 15; run++) {
      const { page, clock, scroll, near } = scrollablePage(messages);
      // Up from the end, between 1.2 and 6 screens per frame (the benchmark scrolls one screen per frame).
      const perFrame = SCREEN_PX * (1.2 + random() * 4.8) * (FRAME_MS / 100) * 1.1;
      const frames = 3 + Math.floor(random() * 8);
      let top = CHAT_PX - SCREEN_PX;
      let at = 0;
      for (let frame = 0; frame < frames; frame++) {
        clock.now += FRAME_MS;
        top -= perFrame;
        scroll(top);
        page.scheduler.flush();
        // From the third event on it is a fling: what comes near from then on waits.
        if (frame >= 2) {
          at = 2 + Math.floor(random() * 24);
          near(at, at + 1);
          page.scheduler.flush();
          for (let index = 0; index < 30; index++) {
            assert.equal(rendered(page, index), false, `run ${run}, frame ${frame}: answer ${index} waits while the chat flies by (${Math.round(perFrame)} px a frame)`);
          }
        }
      }
      // It stopped: within the speed's window, the answers near the viewport render.
      clock.now += 101;
      page.scheduler.flushAll();
      for (const index of [at, at + 1]) {
        assert.equal(page.$(`[data-message-id="a${index}"] .markdown`)?.innerHTML, eagerHtml(messages[index * 2 + 1] as UiMessage), `run ${run}: answer ${index} where it stopped`);
      }
      const passed = Array.from({ length: 30 }, (_, index) => index).filter((index) => index !== at && index !== at + 1 && rendered(page, index));
      assert.deepEqual(passed, [], `run ${run}: answers it only passed stay unrendered`);
    }
  });

  it('asks for no older messages while a fling passes their placeholders, then for those where it stops (15 generated flings)', () => {
    const random = seededRandom(7);
    for (let run = 0; run < 15; run++) {
      const { page, clock, scroll, near } = scrollablePage(messages, true);
      assert.ok(page.$$('.message-stub').length > 20, 'a paged chat: older messages are placeholders');
      const frames = 3 + Math.floor(random() * 8);
      let top = CHAT_PX - SCREEN_PX;
      let at = 0;
      for (let frame = 0; frame < frames; frame++) {
        clock.now += FRAME_MS;
        top -= SCREEN_PX * (1.5 + random() * 3);
        scroll(top);
        if (frame >= 2) {
          at = Math.floor(random() * 20);
          near(at, at + 1);
        }
        page.scheduler.flush();
      }
      assert.deepEqual(page.api.ofType('loadMessages'), [], `run ${run}: nothing asked for during the fling`);
      clock.now += 101;
      page.scheduler.flushAll();
      const asked = page.api.ofType('loadMessages');
      assert.equal(asked.length, 1, `run ${run}: one page, where it stopped`);
      const request = asked[0];
      // Messages 2*at+1 (the question) .. 2*at+3 (the next answer) are the ones near.
      assert.ok(request && request.start <= at * 2 && request.end >= at * 2 + 4 && request.end <= at * 2 + 4, `run ${run}: the page above the placeholders near ${at}: ${JSON.stringify(request)}`);
    }
  });

  it('renders at once while scrolling at reading speed, after one jump (scroll anchoring, a click in the scroll bar) and at the bottom (15 generated scrolls)', () => {
    const random = seededRandom(61);
    for (let run = 0; run < 15; run++) {
      const { page, clock, scroll, near } = scrollablePage(messages);
      const kind = run % 3;
      let top = CHAT_PX - SCREEN_PX;
      const frames = 3 + Math.floor(random() * 10);
      for (let frame = 0; frame < frames; frame++) {
        clock.now += FRAME_MS;
        if (kind === 0) {
          // Slower than a screen per 100 ms: up to half of it.
          top -= SCREEN_PX * random() * 0.5 * (FRAME_MS / 100);
        } else if (kind === 1) {
          // Fast, but down to the end: following the bottom is never a fling.
          top = Math.min(CHAT_PX - SCREEN_PX, top - SCREEN_PX * 4 + SCREEN_PX * 8 * (frame / frames));
          if (frame === frames - 1) top = CHAT_PX - SCREEN_PX;
        } else {
          // One jump of many screens among slow steps.
          top -= frame === Math.floor(frames / 2) ? SCREEN_PX * (2 + random() * 20) : SCREEN_PX * random() * 0.5 * (FRAME_MS / 100);
        }
        scroll(top);
      }
      const at = 2 + Math.floor(random() * 24);
      near(at, at + 1);
      // The next frame, or the one after those that prepare it (the markdown libraries' set-up, grammars to compile):
      // with the clock stopped, a fling would defer them for good.
      for (let frame = 0; frame < PREPARING_FRAMES + 1 && !(rendered(page, at) && rendered(page, at + 1)); frame++) page.scheduler.flush();
      assert.ok(rendered(page, at) && rendered(page, at + 1), `run ${run} (${['reading speed', 'to the bottom', 'one jump'][kind]}): answers ${at} and ${at + 1} render in the next frame that renders`);
    }
  });
});
