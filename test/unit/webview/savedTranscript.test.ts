import assert from 'node:assert/strict';
import { BlockSplitter } from '../../../media/chat/blocks';
import { MAX_SAVED_CHARS, readSaved, shapeSaved, type SavedTranscript } from '../../../media/chat/savedTranscript';
import { pagedMessages } from '../../../src/extension/chat/chatPaging';
import type { UiMessage } from '../../../src/shared/webviewProtocol';
import { pick, seededRandom } from '../../support/random';
import { assistant, mountTestPage, user, viewState, type TestPage } from './env';
import { FakeIntersectionObserver, observer } from './fakeObservers';
import { randomMarkdown } from './markdownDocs';

const FORBIDDEN = 'script, iframe, img, svg, math, style, object, embed, form, input, button:not(.code-action), textarea, select';
const HOSTILE_TEXT = ['<script>alert(1)</script>', '<img src=x onerror="alert(1)">', '[x](javascript:alert(1))', '<svg onload=alert(1)>', '"><b onmouseover=alert(1)>'];

/** A conversation of `count` questions and answers; answer sizes vary from a line to a long answer. */
function conversation(count: number, seed: number): UiMessage[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => [
    user(`u${i}`, `${pick(r, ['Why?', 'Explain this', ...HOSTILE_TEXT])} ${i}`),
    assistant(`a${i}`, randomMarkdown(seed * 1000 + i, pick(r, [1, 6, 24, 120, 400]))),
  ]).flat();
}

function shape(chatId: string, messages: readonly UiMessage[]): SavedTranscript | undefined {
  return shapeSaved(chatId, [...messages].reverse());
}

/** Block starts of `text` as the streaming renderer cuts it. */
function blockStarts(text: string): Set<number> {
  const starts = new Set([0]);
  let offset = 0;
  for (const block of new BlockSplitter().push(text)) {
    offset += block.length;
    starts.add(offset);
  }
  return starts;
}

/** A view opened with `state` saved, after its first frame (which shows a saved transcript). */
function mountRestored(state: unknown, observers: boolean): TestPage {
  const page = mountUnframed(state, observers);
  page.scheduler.flush();
  return page;
}

function mountUnframed(state: unknown, observers: boolean): TestPage {
  FakeIntersectionObserver.all = [];
  return mountTestPage(state, observers ? (window) => {
    (window as unknown as { IntersectionObserver: unknown }).IntersectionObserver = FakeIntersectionObserver;
  } : undefined);
}

/** Every message in view is near the viewport (what a short transcript at its end shows). */
function allNear(page: TestPage): void {
  if (FakeIntersectionObserver.all.length > 0) {
    observer('100%').report(() => true);
    observer('300%').report(() => true);
  }
  page.scheduler.flushAll();
}

const ids = (page: TestPage): string[] => page.$$('[data-testid="message"]').map((element) => element.dataset.messageId ?? '');
const normalised = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

function assertSafe(root: Element, context: string): void {
  const bad = Array.from(root.querySelectorAll(FORBIDDEN)).find((element) => !element.closest('.code-toolbar')) ?? null;
  assert.equal(bad, null, `${context}: forbidden element ${bad?.outerHTML ?? ''}`);
  for (const element of Array.from(root.querySelectorAll('*'))) {
    for (const name of element.getAttributeNames()) {
      assert.ok(!name.toLowerCase().startsWith('on'), `${context}: event handler ${name} on ${element.tagName}`);
      assert.ok(!/^\s*(?:javascript|vbscript|data):/i.test(element.getAttribute(name) ?? ''), `${context}: ${name} on ${element.tagName}`);
    }
  }
}

/** The answer's text as rendering it alone at once shows it. */
function eagerText(message: UiMessage): string {
  const page = mountTestPage();
  page.send({ type: 'state', state: viewState({ messages: [message] }) });
  return normalised(page.$(`[data-message-id="${message.id}"] .message-body`)?.textContent);
}

describe('webview saved transcript (the last screen on reopen)', function () {
  // Generated conversations rendered under jsdom: a generous safety limit, not a timing goal.
  this.timeout(120_000);

  it('keeps the newest messages in order within the cap, the oldest of them an answer cut at a block boundary when it does not fit whole', () => {
    let cut = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const chat = conversation(1 + (seed % 7), seed);
      const saved = shape(`chat-${seed}`, chat);
      const last = chat[chat.length - 1] as UiMessage;
      if (!saved) {
        // Only when even the newest answer's last block is over the cap.
        const blocks = [...blockStarts(last.text)];
        assert.ok(JSON.stringify(last.text.slice(Math.max(...blocks))).length > MAX_SAVED_CHARS / 2, `seed ${seed}: nothing kept`);
        continue;
      }
      assert.ok(JSON.stringify(saved).length <= MAX_SAVED_CHARS, `seed ${seed}: ${JSON.stringify(saved).length} characters`);
      const tail = chat.slice(chat.length - saved.messages.length);
      assert.deepEqual(saved.messages.map((m) => m.id), tail.map((m) => m.id), `seed ${seed}: the newest messages, in order`);
      saved.messages.forEach((message, index) => {
        const original = tail[index] as UiMessage;
        if (message.omitted === undefined) {
          assert.equal(message.text, original.text, `seed ${seed}: whole`);
          return;
        }
        cut++;
        assert.equal(index, 0, `seed ${seed}: only the oldest message kept is cut`);
        assert.equal(message.role, 'assistant');
        assert.equal(message.omitted + message.text.length, original.text.length);
        assert.ok(original.text.endsWith(message.text), `seed ${seed}: its end`);
        assert.ok(blockStarts(original.text).has(message.omitted), `seed ${seed}: cut where a block starts`);
      });
      assert.deepEqual(readSaved(JSON.parse(JSON.stringify(saved))), saved, `seed ${seed}: reads back as saved`);
    }
    assert.ok(cut > 0, 'some answers were long enough to be cut');
  });

  it('reads back only well-formed saved transcripts under the cap (mutated ones are dropped)', () => {
    const good = shape('chat-1', conversation(3, 4)) as SavedTranscript;
    const mutations: Array<(value: Record<string, unknown>) => unknown> = [
      (v) => ({ ...v, chatId: 7 }),
      (v) => ({ ...v, chatId: 'x'.repeat(201) }),
      (v) => ({ ...v, messages: 'nope' }),
      (v) => ({ ...v, messages: [] }),
      (v) => ({ ...v, messages: [...good.messages, good.messages[0]] }),
      (v) => ({ ...v, messages: [{ id: 'm', role: 'system', text: 'x' }] }),
      (v) => ({ ...v, messages: [{ id: 'm', role: 'assistant', text: 5 }] }),
      (v) => ({ ...v, messages: [{ id: 3, role: 'assistant', text: 'x' }] }),
      (v) => ({ ...v, messages: [{ id: 'm', role: 'user', text: 'x', omitted: 4 }] }),
      (v) => ({ ...v, messages: [{ id: 'm', role: 'assistant', text: 'x', omitted: -1 }] }),
      (v) => ({ ...v, messages: [{ id: 'm', role: 'assistant', text: 'x', omitted: 1.5 }] }),
      (v) => ({ ...v, messages: [{ id: 'm', role: 'assistant', text: 'x'.repeat(MAX_SAVED_CHARS) }] }),
      () => null,
      () => 'a string',
      () => [good],
    ];
    for (const [index, mutate] of mutations.entries()) {
      assert.equal(readSaved(mutate({ ...good })), undefined, `mutation ${index}`);
    }
    const extra = readSaved({ ...good, html: '<b>x</b>', messages: good.messages.map((m) => ({ ...m, html: '<script>' })) });
    assert.deepEqual(extra, good, 'fields the view does not use are not kept');
  });

  for (const observers of [false, true]) {
    it(`shows the saved last screen before the extension answers, through the sanitiser${observers ? ' (rendered near the viewport)' : ''}`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const chat = conversation(2 + (seed % 4), seed + 100);
        const saved = shape('chat-1', chat);
        if (!saved) continue;
        // A saved state with hostile text (whatever wrote it): markdown goes through the renderer, questions are text.
        const page = mountRestored({ draft: 'half a question', transcript: saved }, observers);
        allNear(page);
        assert.deepEqual(ids(page), saved.messages.map((m) => m.id), `seed ${seed}: shown before any state`);
        assert.equal(page.api.ofType('ready').length, 1);
        assertSafe(page.$('[data-testid="transcript"]') as HTMLElement, `seed ${seed}`);
        for (const message of saved.messages.filter((m) => m.role === 'user')) {
          const body = page.$(`[data-message-id="${message.id}"] .message-body`);
          assert.equal(body?.textContent, message.text, 'a question as plain text');
          assert.equal(body?.children.length, 0);
        }
        const last = saved.messages[saved.messages.length - 1] as SavedTranscript['messages'][number];
        const lastBlock = normalised(last.text.split(/\n\s*\n/).filter((block) => block.trim()).pop()).slice(0, 10);
        assert.ok(normalised(page.$(`[data-message-id="${last.id}"]`)?.textContent).length > 0 || lastBlock === '', `seed ${seed}: the last message shows`);
        assert.equal((page.$('[data-testid="input"]') as HTMLTextAreaElement | null)?.value, 'half a question', 'the draft is kept beside it');
      }
    });

    it(`reconciles with the extension's transcript: no duplicates, the extension's text wins, unchanged answers keep their DOM${observers ? ' (rendered near the viewport)' : ''}`, () => {
      for (let seed = 1; seed <= 16; seed++) {
        const chat = conversation(3 + (seed % 40), seed + 200);
        const saved = shape('chat-1', chat);
        if (!saved) continue;
        const r = seededRandom(seed);
        // The saved copy may be behind the extension's: an answer that changed since, a message deleted, one added.
        const stale = structuredClone(saved);
        const changed = pick(r, stale.messages);
        if (changed.omitted === undefined) changed.text = `${changed.text.slice(0, Math.floor(changed.text.length / 2))}\n\nOld draft of the answer.`;
        stale.messages.unshift({ id: 'deleted-1', role: 'user', text: 'A question since deleted' });
        const current = r() < 0.5 ? [...chat, assistant('new-1', 'A newer answer.')] : chat;
        const page = mountRestored({ transcript: stale }, observers);
        allNear(page);
        const keptElement = page.$(`[data-message-id="${saved.messages[saved.messages.length - 1]?.id ?? ''}"]`);
        page.send({ type: 'state', state: viewState(pagedMessages(current)) });
        allNear(page);
        const shown = ids(page);
        assert.equal(new Set(shown).size, shown.length, `seed ${seed}: no message twice`);
        assert.deepEqual(shown, current.map((m) => m.id), `seed ${seed}: the extension's messages, in order`);
        if (keptElement && saved.messages.every((m) => m.omitted === undefined) && current === chat && changed.id !== keptElement.dataset.messageId) {
          assert.equal(page.$(`[data-message-id="${keptElement.dataset.messageId ?? ''}"]`), keptElement, `seed ${seed}: the last message's view is the one shown before`);
        }
        for (const message of current.slice(-3)) {
          const element = page.$(`[data-message-id="${message.id}"]`);
          if (!element || element.classList.contains('message-stub')) continue;
          const text = message.role === 'user' ? message.text : eagerText(message);
          const body = message.role === 'user' ? element.querySelector('.message-body')?.textContent : normalised(element.querySelector('.message-body')?.textContent);
          assert.equal(body, text, `seed ${seed}: ${message.id} shows the extension's text`);
        }
        assertSafe(page.$('[data-testid="transcript"]') as HTMLElement, `seed ${seed}`);
      }
    });
  }

  it('an answer saved with its end only keeps that end on screen and renders its start above it', () => {
    const long = assistant('a-long', Array.from({ length: 60 }, (_, i) => randomMarkdown(900 + i, 6)).join('\n\n'));
    const chat = [user('u0', 'Tell me everything'), long];
    const saved = shape('chat-1', chat) as SavedTranscript;
    assert.equal(saved.messages.length, 1);
    assert.ok((saved.messages[0]?.omitted ?? 0) > 0, 'cut');
    const page = mountRestored({ transcript: saved }, true);
    allNear(page);
    const endBlocks = page.$$('[data-message-id="a-long"] .markdown .md-block:not(.md-tail)');
    const endLast = endBlocks[endBlocks.length - 1];
    assert.ok(endLast && endLast.isConnected, 'its end is shown');
    page.send({ type: 'state', state: viewState(pagedMessages(chat)) });
    allNear(page);
    assert.ok(endLast.isConnected, 'the end shown before stays (no redraw of the last screen)');
    assert.equal(normalised(page.$('[data-message-id="a-long"] .message-body')?.textContent), eagerText(long), 'the whole answer, start then end');
    assert.deepEqual(ids(page), ['u0', 'a-long']);
    // What it keeps now is the end again, within the cap.
    const again = readSaved((page.api.state as { transcript?: unknown }).transcript);
    assert.ok(again && JSON.stringify(again).length <= MAX_SAVED_CHARS && again.messages[0]?.omitted === saved.messages[0]?.omitted);
  });

  it('an answer saved with its end only that the extension no longer has as such renders anew from its text', () => {
    const long = assistant('a-long', Array.from({ length: 60 }, (_, i) => randomMarkdown(700 + i, 6)).join('\n\n'));
    const saved = shape('chat-1', [long]) as SavedTranscript;
    const page = mountRestored({ transcript: saved }, false);
    const replaced = assistant('a-long', 'Regenerated: a short answer.');
    page.send({ type: 'state', state: viewState({ messages: [replaced] }) });
    page.scheduler.flushAll();
    assert.equal(normalised(page.$('[data-message-id="a-long"] .message-body')?.textContent), 'Regenerated: a short answer.');
  });

  it('is saved after each transcript and finished answer, cleared for an empty chat and replaced for another chat, and keeps the draft', () => {
    const page = mountRestored(undefined, false);
    const chat = conversation(4, 7);
    page.send({ type: 'state', state: viewState(pagedMessages(chat)) });
    const state = (): { draft?: string; transcript?: SavedTranscript } => page.api.state as { draft?: string; transcript?: SavedTranscript };
    assert.equal(readSaved(state().transcript)?.chatId, 'chat-1');
    const input = page.$('[data-testid="input"]') as HTMLTextAreaElement;
    input.value = 'typing';
    input.dispatchEvent(new page.window.Event('input'));
    assert.equal(state().draft, 'typing');
    assert.ok(state().transcript, 'typing keeps the transcript');
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a-next', 'Streaming…', { streaming: true }) });
    assert.ok(!readSaved(state().transcript)?.messages.some((m) => m.id === 'a-next'), 'not saved while it streams');
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a-next', 'Done now.') });
    assert.equal(readSaved(state().transcript)?.messages.at(-1)?.text, 'Done now.');
    page.send({ type: 'state', state: viewState({ chatId: 'chat-2', messages: [] }) });
    assert.equal(state().transcript, undefined, 'a new chat clears it');
    assert.equal(state().draft, 'typing');
    page.send({ type: 'state', state: viewState({ chatId: 'chat-3', messages: [user('q', 'Other chat')] }) });
    assert.equal(readSaved(state().transcript)?.chatId, 'chat-3');
  });

  it('what the saved state leaves out (a question\'s chips, an answer\'s error) appears once the extension\'s copy arrives', () => {
    const chip = { id: 'c1', kind: 'file' as const, label: 'inventory.ts', detail: 'src/inventory.ts', implicit: false, tokens: 12 };
    const chat = [user('u0', 'Summarise it', { context: [chip] }), assistant('a0', 'Partial answer', { error: { kind: 'server', message: 'overloaded', action: 'retry' } })];
    const saved = shape('chat-1', chat) as SavedTranscript;
    assert.deepEqual(Object.keys(saved.messages[0] ?? {}).sort(), ['id', 'role', 'text'], 'no chips kept');
    const page = mountRestored({ transcript: saved }, false);
    assert.equal(page.$$('[data-testid="chip"]').length, 0);
    page.send({ type: 'state', state: viewState({ messages: chat }) });
    page.scheduler.flushAll();
    assert.deepEqual(page.$$('[data-message-id="u0"] [data-testid="chip"]').map((element) => normalised(element.textContent).includes('inventory.ts')), [true]);
    assert.equal(page.$$('[data-message-id="a0"] [data-testid="error"]').length, 1);
    page.send({ type: 'state', state: viewState({ messages: chat }) });
    assert.equal(page.$$('[data-message-id="u0"] [data-testid="chip"]').length, 1, 'not twice');
  });

  it('shows the saved screen in the first frame, not in the task that runs the script, and not at all once the extension\'s state is in', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const chat = conversation(2 + (seed % 4), seed);
      const saved = shape('chat-1', chat) as SavedTranscript;
      const page = mountUnframed({ transcript: saved }, false);
      assert.deepEqual(ids(page), [], `seed ${seed}: nothing rendered while the script runs`);
      if (seed % 2 === 0) {
        page.scheduler.flush();
        assert.deepEqual(ids(page), saved.messages.map((m) => m.id), `seed ${seed}: the saved screen in the first frame`);
      }
      // The extension's state, before or after that frame: its messages once each, whatever was restored.
      const current = seed % 3 === 0 ? [...chat, user('u-new', 'A newer question')] : chat;
      page.send({ type: 'state', state: viewState({ messages: current }) });
      page.scheduler.flushAll();
      assert.deepEqual(ids(page), current.map((m) => m.id), `seed ${seed}: the extension's messages, once each`);
    }
  });

  it('a different chat from the extension replaces the restored one entirely', () => {
    const saved = shape('chat-1', conversation(3, 9)) as SavedTranscript;
    const page = mountRestored({ transcript: saved }, false);
    page.send({ type: 'state', state: viewState({ chatId: 'chat-2', messages: [user('x1', 'Hello')] }) });
    assert.deepEqual(ids(page), ['x1']);
  });
});
