/**
 * A jsdom page for webview tests. Nothing is put on Node's globals: the chat
 * code takes its document from the root element, and other unit tests in the
 * same mocha process must not see a `window`.
 */
import { JSDOM } from 'jsdom';
import { mountChat, type ChatApp } from '../../../media/chat/app';
import { ManualScheduler } from '../../../media/chat/scheduler';
import type { VsCodeApiLike } from '../../../media/chat/vscodeApi';
import type { ChatViewState, FromWebview, ToWebview, UiMessage } from '../../../src/shared/webviewProtocol';

export class FakeVsCodeApi implements VsCodeApiLike {
  readonly posted: FromWebview[] = [];
  state: unknown;

  postMessage(message: FromWebview): void {
    this.posted.push(message);
  }

  getState(): unknown {
    return this.state;
  }

  setState(state: unknown): void {
    this.state = state;
  }

  ofType<T extends FromWebview['type']>(type: T): Extract<FromWebview, { type: T }>[] {
    return this.posted.filter((message): message is Extract<FromWebview, { type: T }> => message.type === type);
  }
}

export interface TestPage {
  dom: JSDOM;
  window: JSDOM['window'];
  document: Document;
  root: HTMLElement;
  api: FakeVsCodeApi;
  scheduler: ManualScheduler;
  app: ChatApp;
  send(message: ToWebview): void;
  $(selector: string): HTMLElement | null;
  $$(selector: string): HTMLElement[];
}

export function createDocument(): JSDOM {
  return new JSDOM('<!DOCTYPE html><html><body><div id="root"></div></body></html>');
}

/** `beforeMount`: e.g. to give the window an API jsdom lacks. */
export function mountTestPage(apiState?: unknown, beforeMount?: (window: JSDOM['window']) => void): TestPage {
  const dom = createDocument();
  beforeMount?.(dom.window);
  const document = dom.window.document;
  const root = document.getElementById('root') as HTMLElement;
  const api = new FakeVsCodeApi();
  api.state = apiState;
  const scheduler = new ManualScheduler();
  const app = mountChat(root, api, { scheduler, now: () => Date.UTC(2025, 0, 10, 12, 0, 0) });
  return {
    dom,
    window: dom.window,
    document,
    root,
    api,
    scheduler,
    app,
    send: (message) => app.receive(message),
    $: (selector) => root.querySelector<HTMLElement>(selector),
    $$: (selector) => Array.from(root.querySelectorAll<HTMLElement>(selector)),
  };
}

export function viewState(overrides: Partial<ChatViewState> = {}): ChatViewState {
  return {
    chatId: 'chat-1',
    title: 'Test chat',
    messages: [],
    busy: false,
    chips: [],
    history: [],
    models: ['gpt-4.1', 'qwen2.5-coder:7b'],
    model: 'gpt-4.1',
    service: 'ready',
    mode: 'ask',
    policy: 'ask',
    ...overrides,
  };
}

export function user(id: string, text: string, extra: Partial<UiMessage> = {}): UiMessage {
  return { id, role: 'user', text, ...extra };
}

export function assistant(id: string, text: string, extra: Partial<UiMessage> = {}): UiMessage {
  return { id, role: 'assistant', text, ...extra };
}

/** Splits a text into chunks of pseudo-random sizes (deterministic per seed), like a token stream. */
export function chunks(text: string, seed = 1, maxSize = 7): string[] {
  const out: string[] = [];
  let state = seed;
  let index = 0;
  while (index < text.length) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const size = 1 + (state % maxSize);
    out.push(text.slice(index, index + size));
    index += size;
  }
  return out;
}
