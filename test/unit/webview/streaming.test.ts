import assert from 'node:assert/strict';
import { assistant, chunks, mountTestPage, user, viewState, type TestPage } from './env';

const ANSWER = [
  'Here is **add**, with notes.',
  '',
  '```ts',
  'export function add(a: number, b: number): number {',
  '',
  '  return a + b;',
  '}',
  '```',
  '',
  '1. First point',
  '',
  '   More about it.',
  '',
  '2. Second point',
  '',
  '> A quote',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  'Done: see https://example.com.',
].join('\n');

function answerView(page: TestPage, id = 'a1'): HTMLElement {
  const element = page.$(`[data-testid="message"][data-message-id="${id}"]`);
  assert.ok(element, `message ${id} is shown`);
  return element;
}

function startStreaming(page: TestPage): void {
  page.send({
    type: 'state',
    state: viewState({ busy: true, messages: [user('u1', 'Write add'), assistant('a1', '', { streaming: true })] }),
  });
}

describe('webview streaming', () => {
  it('renders streamed deltas like the whole answer at once, keeping finished blocks', () => {
    const page = mountTestPage();
    startStreaming(page);
    const parts = chunks(ANSWER, 7, 5);
    let kept: Element[] = [];
    parts.forEach((text, index) => {
      page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a1', text });
      if (index % 3 === 2) {
        page.scheduler.flush();
        // Every finished block seen so far must be the very same node, still in place.
        const blocks = Array.from(answerView(page).querySelectorAll('.md-block:not(.md-tail)'));
        assert.deepEqual(blocks.slice(0, kept.length), kept, `finished blocks were re-rendered after delta ${index}`);
        kept = blocks;
      }
    });
    assert.ok(kept.length >= 4, 'the answer was split into blocks while streaming');
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a1', ANSWER) });
    const streamed = answerView(page);
    assert.equal(streamed.dataset.state, 'done');
    for (const block of kept) {
      assert.ok(block.isConnected, 'finished blocks survive the end of the stream');
    }

    const once = mountTestPage();
    once.send({ type: 'state', state: viewState({ messages: [user('u1', 'Write add'), assistant('a1', ANSWER)] }) });
    const whole = answerView(once);
    assert.equal(streamed.querySelector('.markdown')?.innerHTML, whole.querySelector('.markdown')?.innerHTML);
    assert.equal(streamed.querySelectorAll('[data-testid="code-block"] .hljs-keyword').length > 0, true);
    assert.equal(streamed.querySelector('[data-testid="code-block"] code')?.textContent, 'export function add(a: number, b: number): number {\n\n  return a + b;\n}\n');
  });

  it('renders at most once per frame', () => {
    const page = mountTestPage();
    startStreaming(page);
    // Every frame the opened chat needs (its last screen is then complete).
    page.scheduler.flushAll();
    for (const text of ['Hello', ', ', 'world', '.']) {
      page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a1', text });
    }
    assert.equal(answerView(page).querySelector('.markdown')?.textContent, '', 'nothing rendered before the frame');
    assert.equal(page.scheduler.pending, 1, 'one coalesced render task');
    page.scheduler.flush();
    assert.equal(answerView(page).querySelector('.markdown')?.textContent?.trim(), 'Hello, world.');
  });

  it('posts rendered once, after the first text reached the DOM', () => {
    const page = mountTestPage();
    startStreaming(page);
    page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a1', text: 'Hi' });
    assert.deepEqual(page.api.ofType('rendered'), []);
    page.scheduler.flush();
    page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a1', text: ' there' });
    page.scheduler.flush();
    assert.deepEqual(page.api.ofType('rendered'), [{ type: 'rendered', messageId: 'a1', chars: 2 }]);
  });

  it('ignores deltas for another chat', () => {
    const page = mountTestPage();
    startStreaming(page);
    page.send({ type: 'delta', chatId: 'other', messageId: 'a1', text: 'nope' });
    page.scheduler.flush();
    assert.equal(answerView(page).querySelector('.markdown')?.textContent, '');
  });

  it('leaves earlier messages untouched while a new answer streams', () => {
    const page = mountTestPage();
    const first = [user('u1', 'q1'), assistant('a1', 'First answer.\n\nWith two blocks.')];
    page.send({ type: 'state', state: viewState({ messages: first }) });
    const firstAnswer = answerView(page);
    const firstBlocks = Array.from(firstAnswer.querySelectorAll('.md-block'));
    page.send({ type: 'state', state: viewState({ busy: true, messages: [...first, user('u2', 'q2'), assistant('a2', '', { streaming: true })] }) });
    page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a2', text: 'Second answer.' });
    page.scheduler.flush();
    // A state in the middle of the stream (e.g. the model list arrived) with the same text.
    const midBlocks = Array.from(answerView(page, 'a2').querySelectorAll('.md-block'));
    page.send({
      type: 'state',
      state: viewState({ busy: true, models: ['m'], messages: [...first, user('u2', 'q2'), assistant('a2', 'Second answer.', { streaming: true })] }),
    });
    assert.equal(answerView(page), firstAnswer);
    assert.deepEqual(Array.from(firstAnswer.querySelectorAll('.md-block')), firstBlocks);
    assert.deepEqual(Array.from(answerView(page, 'a2').querySelectorAll('.md-block')), midBlocks);
  });

  it('does not append text twice when a snapshot ran ahead of its delta', () => {
    const page = mountTestPage();
    startStreaming(page);
    page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a1', text: 'One ' });
    // The extension updates the message (clearing a notice) with the new text, then posts the delta.
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a1', 'One two ', { streaming: true }) });
    page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a1', text: 'two ' });
    page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a1', text: 'three' });
    page.scheduler.flush();
    assert.equal(answerView(page).querySelector('.markdown')?.textContent?.trim(), 'One two three');
  });

  it('re-renders a message whose text was replaced, and shows notice and Stopped', () => {
    const page = mountTestPage();
    startStreaming(page);
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a1', '', { streaming: true, notice: 'Rate limited; retrying in 2 s' }) });
    assert.equal(answerView(page).querySelector('.notice')?.textContent, 'Rate limited; retrying in 2 s');
    page.send({ type: 'delta', chatId: 'chat-1', messageId: 'a1', text: 'Partial' });
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a1', 'Partial', { stopped: true }) });
    const view = answerView(page);
    assert.equal(view.dataset.state, 'stopped');
    assert.equal(view.querySelector('.notice'), null);
    assert.equal(view.querySelector('.stopped')?.textContent, 'Stopped');
    assert.equal(view.querySelector('.markdown')?.textContent?.trim(), 'Partial', 'the tail is final without waiting for a frame');
    page.send({ type: 'messageUpdate', chatId: 'chat-1', message: assistant('a1', 'Different') });
    assert.equal(answerView(page).querySelector('.markdown')?.textContent?.trim(), 'Different');
  });
});
