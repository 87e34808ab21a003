import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { ChatStore, titleFrom, type StoredChat } from '../../../src/extension/chat/chatStore';
import { toModelMessages } from '../../../src/extension/chat/modelMessages';
import type { UiMessage } from '../../../src/shared/webviewProtocol';

class MemoryMemento implements vscode.Memento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (structuredClone(this.values.get(key)) as T) : defaultValue;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, structuredClone(value));
  }
}

function chat(id: string, messages: UiMessage[]): StoredChat {
  return { id, title: '', createdAt: 1, updatedAt: 1, messages };
}

const question: UiMessage = { id: 'q', role: 'user', text: 'How do I   reverse\na list in Python?' };

describe('chat history store', () => {
  it('survives a reload: a new store on the same memento lists the saved chat, newest first', async () => {
    const memento = new MemoryMemento();
    const first = new ChatStore(memento);
    await first.save(chat('a', [question]));
    await first.save(chat('b', [{ id: 'q2', role: 'user', text: 'second' }]));
    const reloaded = new ChatStore(memento);
    assert.deepEqual(reloaded.list().map((summary) => summary.id), ['b', 'a']);
    assert.equal(reloaded.latest()?.id, 'b');
    assert.equal(reloaded.get('a')?.title, 'How do I reverse a list in Python?');
  });

  it('stores an answer that was still streaming as stopped, without transient notices', async () => {
    const memento = new MemoryMemento();
    const store = new ChatStore(memento);
    await store.save(chat('a', [question, { id: 'r', role: 'assistant', text: 'Use rev', streaming: true, notice: 'retrying' }]));
    const saved = new ChatStore(memento).get('a')?.messages[1];
    assert.equal(saved?.streaming, undefined);
    assert.equal(saved?.stopped, true);
    assert.equal(saved?.notice, undefined);
    assert.equal(saved?.text, 'Use rev');
  });

  it('ignores corrupt stored data instead of failing activation', () => {
    const memento = new MemoryMemento();
    memento.values.set('tandem.chats.v1', [{ id: 1 }, 'junk', chat('ok', [question])]);
    assert.deepEqual(new ChatStore(memento).list().map((summary) => summary.id), ['ok']);
  });

  it('deletes a chat and hides empty chats from the list', async () => {
    const store = new ChatStore(new MemoryMemento());
    await store.save(chat('a', [question]));
    await store.save(chat('empty', []));
    assert.deepEqual(store.list().map((summary) => summary.id), ['a']);
    await store.delete('a');
    assert.deepEqual(store.list(), []);
  });

  it('titles a chat by its first question, shortened', () => {
    assert.equal(titleFrom([]), 'New chat');
    const long = titleFrom([{ id: 'x', role: 'user', text: 'x'.repeat(200) }]);
    assert.equal(long.length, 60);
    assert.ok(long.endsWith('…'));
  });
});

describe('conversation sent to the model', () => {
  it('keeps partial answers and drops answers that failed before any text', () => {
    const messages = toModelMessages([
      question,
      { id: 'r1', role: 'assistant', text: '', error: { kind: 'auth', message: 'bad key' } },
      { id: 'q2', role: 'user', text: 'again' },
      { id: 'r2', role: 'assistant', text: 'Use reversed()', stopped: true },
    ]);
    assert.deepEqual(messages, [
      { role: 'user', content: question.text },
      { role: 'user', content: 'again' },
      { role: 'assistant', content: 'Use reversed()' },
    ]);
  });
});
