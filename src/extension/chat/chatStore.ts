import type * as vscode from 'vscode';
import { isChatRole } from '../../shared/vocabulary';
import type { ChatSummary, UiMessage } from '../../shared/webviewProtocol';

export interface StoredChat {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: UiMessage[];
}

const STATE_KEY = 'tandem.chats.v1';
const MAX_CHATS = 100;
const TITLE_LENGTH = 60;

/**
 * Chat history for this workspace, kept in workspaceState so it survives a
 * window reload. Only finished messages are written: a message that was
 * streaming when the window went away is stored as stopped.
 */
export class ChatStore {
  private chats: StoredChat[];

  constructor(private readonly memento: vscode.Memento) {
    this.chats = readChats(memento.get<unknown>(STATE_KEY));
  }

  list(): ChatSummary[] {
    return [...this.chats]
      .filter((chat) => chat.messages.length > 0)
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((chat) => ({ id: chat.id, title: chat.title, updatedAt: chat.updatedAt, messageCount: chat.messages.length }));
  }

  get(id: string): StoredChat | undefined {
    return this.chats.find((chat) => chat.id === id);
  }

  /** The most recently used chat, to reopen after a reload. */
  latest(): StoredChat | undefined {
    return this.chats.reduce<StoredChat | undefined>((best, chat) => (!best || chat.updatedAt > best.updatedAt ? chat : best), undefined);
  }

  async save(chat: StoredChat): Promise<void> {
    const stored: StoredChat = {
      ...chat,
      title: chat.title || titleFrom(chat.messages),
      updatedAt: Date.now(),
      messages: chat.messages.map(finishedCopy),
    };
    this.chats = [stored, ...this.chats.filter((existing) => existing.id !== chat.id)]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, MAX_CHATS);
    await this.memento.update(STATE_KEY, this.chats);
  }

  async delete(id: string): Promise<void> {
    this.chats = this.chats.filter((chat) => chat.id !== id);
    await this.memento.update(STATE_KEY, this.chats);
  }
}

export function titleFrom(messages: readonly UiMessage[]): string {
  const first = messages.find((message) => message.role === 'user');
  if (!first) {
    return 'New chat';
  }
  const line = first.text.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

function finishedCopy(message: UiMessage): UiMessage {
  const copy: UiMessage = { ...message };
  delete copy.notice;
  if (copy.streaming) {
    delete copy.streaming;
    copy.stopped = true;
  }
  return copy;
}

function readChats(value: unknown): StoredChat[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter(isStoredChat);
}

function isStoredChat(value: unknown): value is StoredChat {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const chat = value as Partial<StoredChat>;
  return (
    typeof chat.id === 'string' &&
    typeof chat.title === 'string' &&
    typeof chat.updatedAt === 'number' &&
    Array.isArray(chat.messages) &&
    chat.messages.every((message) => typeof message?.id === 'string' && typeof message.text === 'string' && isChatRole(message.role))
  );
}
