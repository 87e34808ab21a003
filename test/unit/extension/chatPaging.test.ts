import assert from 'node:assert/strict';
import { answerLoad, messagePage, pagedMessages, TAIL_MESSAGES, transcriptKey, WHOLE_CHAT_CHARS } from '../../../src/extension/chat/chatPaging';
import { estimateRows, isFromWebview, MAX_PAGE_MESSAGES, type UiMessage } from '../../../src/shared/webviewProtocol';
import { pick, seededRandom } from '../../support/random';

function chat(count: number, chars = 2_000): UiMessage[] {
  return Array.from({ length: count }, (_, i) => ({ id: `m${i}`, role: i % 2 ? 'assistant' : 'user', text: `${i} `.padEnd(chars, 'x') }) as UiMessage);
}

/** What the controller does with a message from the webview: validate, then answer for the shown chat `c`. */
function answer(all: readonly UiMessage[], message: unknown): UiMessage[] | undefined {
  if (!isFromWebview(message) || message.type !== 'loadMessages') return undefined;
  const reply = answerLoad({ id: 'c', messages: all }, message.chatId, message.start, message.end);
  if (message.chatId !== 'c') assert.equal(reply, undefined, 'nothing for another chat');
  return reply?.messages ?? [];
}

describe('chat paging: what the extension sends', () => {
  it('sends a short chat whole, and a long one as its last messages plus stubs of the rest, in order', () => {
    const short = chat(8, 1_000);
    assert.deepEqual(pagedMessages(short), { messages: short });
    const long = chat(200);
    const paged = pagedMessages(long);
    assert.deepEqual(paged.messages, long.slice(-TAIL_MESSAGES));
    assert.deepEqual(paged.older?.map((stub) => stub.id), long.slice(0, -TAIL_MESSAGES).map((message) => message.id));
    assert.ok(paged.older?.every((stub, i) => stub.role === long[i]?.role && stub.rows === estimateRows(long[i]?.text ?? '') && stub.tokens === 500));
    assert.ok(JSON.stringify(paged).length < WHOLE_CHAT_CHARS, 'the state stays small however long the chat');
    // Copies: the chat changing later does not alter a posted state.
    (long.at(-1) as UiMessage).text += 'more';
    assert.notEqual(paged.messages.at(-1)?.text, long.at(-1)?.text);
  });

  it('the transcript key changes with every change a status-only state would hide', () => {
    const base = { id: 'c', messages: chat(30) };
    const key = transcriptKey(base);
    assert.equal(transcriptKey({ id: 'c', messages: chat(30) }), key, 'same chat, same key');
    const last = (messages: UiMessage[]): UiMessage => messages.at(-1) as UiMessage;
    const changes: Array<(c: { id: string; messages: UiMessage[] }) => void> = [
      (c) => { c.id = 'd'; },
      (c) => { c.messages.push({ id: 'q', role: 'user', text: 'more?' }); },
      (c) => { c.messages.pop(); },
      (c) => { c.messages.splice(-1, 1, { ...last(c.messages), id: 'retried' }); },
      (c) => { last(c.messages).text += 'delta'; },
      (c) => { last(c.messages).streaming = true; },
      (c) => { last(c.messages).stopped = true; },
      (c) => { last(c.messages).error = { kind: 'auth', message: 'x' }; },
      (c) => { last(c.messages).steps = []; },
      (c) => { c.messages.length = 0; },
    ];
    for (const change of changes) {
      const changed = { id: 'c', messages: chat(30) };
      change(changed);
      assert.notEqual(transcriptKey(changed), key, change.toString());
    }
  });

  it('a valid request gets exactly the messages asked for', () => {
    const all = chat(100);
    const random = seededRandom(16);
    for (let i = 0; i < 500; i++) {
      const start = Math.floor(random() * 120);
      const end = start + 1 + Math.floor(random() * MAX_PAGE_MESSAGES);
      const page = answer(all, { type: 'loadMessages', chatId: 'c', start, end });
      assert.deepEqual(page, all.slice(start, end), `${start}..${end}`);
      assert.deepEqual(answer(all, { type: 'loadMessages', chatId: 'another', start, end }), [], 'another chat: nothing');
    }
  });

  it('hostile or malformed requests are refused or clamped: never an exception, never more than asked or than a page', () => {
    const all = chat(100);
    const random = seededRandom(61);
    const numbers: unknown[] = [-1, -0, 0, 1, 5, 99, 100, 101, 2 ** 31, 2 ** 53, Number.MAX_VALUE, -Infinity, Infinity, NaN, 0.5, 3.7, -2.5, '3', null, undefined, {}, [4], true, 10n];
    const chatIds: unknown[] = ['c', '', 'x'.repeat(201), 7, null, undefined, { toString: 'c' }];
    for (let i = 0; i < 3_000; i++) {
      const any = (items: unknown[]): unknown => items[Math.floor(random() * items.length)];
      const message: Record<string, unknown> = { type: pick(random, ['loadMessages', 'loadmessages', 'messages']), chatId: any(chatIds), start: any(numbers), end: any(numbers) };
      if (random() < 0.1) delete message[pick(random, ['chatId', 'start', 'end'])];
      if (random() < 0.05) message.__proto__ = { start: 1, end: 2 };
      const valid = isFromWebview(message);
      const { start, end } = message;
      const shown = message.chatId === 'c';
      const sane = typeof start === 'number' && typeof end === 'number' && Number.isSafeInteger(start) && Number.isSafeInteger(end)
        && start >= 0 && end > start && end - start <= MAX_PAGE_MESSAGES && typeof message.chatId === 'string' && message.chatId.length <= 200 && message.type === 'loadMessages';
      assert.equal(valid, sane, JSON.stringify(message, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)));
      const page = answer(all, message);
      if (!valid) {
        assert.equal(page, undefined);
        continue;
      }
      assert.ok(page && page.length <= Math.min((end as number) - (start as number), MAX_PAGE_MESSAGES));
      assert.deepEqual(page, shown ? all.slice(start as number, end as number) : []);
    }
  });

  it('messagePage on its own clamps whatever it is given', () => {
    const all = chat(30);
    const cases: Array<[unknown, unknown, UiMessage[]]> = [
      [-5, 3, all.slice(0, 3)],
      [0, 1_000_000, all.slice(0, MAX_PAGE_MESSAGES)],
      [25, 2 ** 53 - 1, all.slice(25)],
      [30, 40, []],
      [10, 5, []],
      [1.5, 4, []],
      [0, NaN, []],
      ['0', '4', []],
    ];
    for (const [start, end, expected] of cases) assert.deepEqual(messagePage(all, start, end), expected, `${String(start)}..${String(end)}`);
    assert.deepEqual(messagePage([], 0, 20), []);
  });
});
