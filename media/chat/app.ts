/**
 * Wires the chat view: builds the DOM under `root`, routes messages from the
 * extension to the parts, and posts the person's actions back. Exported as
 * `mountChat` so unit tests can run it under jsdom with a fake host API and a
 * hand-driven frame scheduler.
 */
import { isToWebview, type ChatViewState, type FromWebview, type ToWebview } from '../../src/shared/webviewProtocol';
import { isRecord } from '../../src/shared/guards';
import { estimateTokens } from '../../src/shared/mentions';
import { isChatMode, isChatRole, isMentionKind } from '../../src/shared/vocabulary';
import { sanitizeStep } from './agentData';
import { Composer } from './composer';
import { Dom } from './dom';
import { Header } from './header';
import { warmUpHighlighter } from './languages';
import { createMarkdownRenderer } from './markdown';
import { animationFrameScheduler, type FrameScheduler } from './scheduler';
import { mark, Transcript } from './transcript';
import { persistState, readPersistedState, type VsCodeApiLike } from './vscodeApi';

/**
 * Longest a grammar's compiling ahead waits for an idle moment: while an
 * answer streams there may be none, and a grammar compiled ahead costs its
 * own short task instead of lengthening a frame that renders its first block.
 */
const WARM_UP_TIMEOUT_MS = 500;

export interface MountOptions {
  /** Defaults to batching on requestAnimationFrame. */
  scheduler?: FrameScheduler;
  /** Clock for relative times in the history list. */
  now?: () => number;
}

export interface ChatApp {
  /** Handles one message from the extension (what the window `message` listener calls). */
  receive(data: unknown): void;
  dispose(): void;
}

export function mountChat(root: HTMLElement, api: VsCodeApiLike, options: MountOptions = {}): ChatApp {
  const dom = new Dom(root.ownerDocument);
  const win = dom.win;
  const scheduler = options.scheduler ?? animationFrameScheduler((callback) => win.requestAnimationFrame(callback));
  const post = (message: FromWebview): void => api.postMessage(message);
  const header = new Header(dom, post, options.now ?? (() => Date.now()));
  const transcript = new Transcript(dom, createMarkdownRenderer(dom), scheduler, post);
  const composer = new Composer(dom, api, (mode) => transcript.showMode(mode));
  const removeChip = (chip: { id: string }): void => post({ type: 'removeChip', chipId: chip.id });

  root.classList.add('tandem-chat');
  root.replaceChildren(header.element, transcript.element, composer.element);

  /** Keeps the last screen in the saved state (after a transcript or a finished answer changed it; cleared for an empty chat). */
  const saveTranscript = (): void => persistState(api, { transcript: transcript.saved() });

  /** The history's tokens for the budget line, from the last state that carried the transcript. */
  let historyTokens = 0;
  const renderState = (state: ChatViewState): void => {
    // A status change leaves out the transcript this chat shows already; the extension never sends one for another chat.
    const same = state.sameTranscript === true;
    if (same && state.chatId !== transcript.displayedChatId) {
      return;
    }
    header.render(state, same);
    if (!same) {
      transcript.render(state);
      saveTranscript();
      const olderTokens = (state.older ?? []).reduce((sum, stub) => sum + stub.tokens, 0);
      historyTokens = state.messages.reduce((sum, message) => sum + estimateTokens(message.text), olderTokens);
    }
    composer.setBusy(state.busy);
    composer.setMode(isChatMode(state.mode) ? state.mode : 'ask');
    composer.setChips(state.chips, removeChip);
    const budget = isRecord(state.budget) && Number.isSafeInteger(state.budget.tokens) && state.budget.tokens > 0 ? state.budget : undefined;
    const unavailable = Array.isArray(state.unavailableMentions) ? state.unavailableMentions.filter(isMentionKind) : [];
    composer.setBudget(budget, historyTokens, unavailable);
  };

  const receive = (data: unknown): void => {
    if (!isToWebview(data) || !isWellFormed(data)) {
      return;
    }
    switch (data.type) {
      case 'state':
        renderState(data.state);
        return;
      case 'delta':
        transcript.delta(data.chatId, data.messageId, data.text);
        return;
      case 'messageUpdate':
        transcript.messageUpdate(data.chatId, data.message);
        if (!data.message.streaming && data.chatId === transcript.displayedChatId) {
          saveTranscript();
        }
        if (data.chatId === transcript.displayedChatId && transcript.isLatest(data.message.id)) {
          header.showUsage(data.message);
        }
        return;
      case 'agentStep': {
        // Model-influenced: only a checked copy is rendered.
        const step = sanitizeStep(data.step);
        if (step) {
          transcript.agentStep(data.chatId, data.messageId, step);
        }
        return;
      }
      case 'chips':
        composer.setChips(data.chips, removeChip);
        return;
      case 'focusInput':
        composer.focus(data.text);
        return;
      case 'mentionOptions':
        composer.mentionOptions(data.requestId, data.options, data.note);
        return;
      case 'messages':
        transcript.messagesPage(data.chatId, data.messages);
        return;
    }
  };

  const onMessage = (event: MessageEvent): void => receive(event.data);
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && header.historyOpen) {
      header.toggleHistory(false);
      composer.focus();
    }
  };
  win.addEventListener('message', onMessage);
  root.addEventListener('keydown', onKeyDown);
  mark(win, 'tandem:ready');
  post({ type: 'ready' });
  // Shown while the extension prepares its answer to `ready`, which reconciles it. In the coming frame, not in the
  // task that ran the script: together they took 50-100 ms. (The extension's state arriving first makes it moot:
  // restore() shows nothing once a chat is shown.)
  const saved = readPersistedState(api).transcript;
  if (saved) {
    scheduler.schedule(() => transcript.restore(saved));
  }
  const requestIdle = win.requestIdleCallback?.bind(win);
  if (requestIdle) {
    warmUpHighlighter((callback) => requestIdle(callback, { timeout: WARM_UP_TIMEOUT_MS }));
  }

  return {
    receive,
    dispose() {
      win.removeEventListener('message', onMessage);
      root.removeEventListener('keydown', onKeyDown);
      root.replaceChildren();
    },
  };
}

/** `isToWebview` checks the type tag; this checks the fields each handler relies on. */
function isWellFormed(message: ToWebview): boolean {
  switch (message.type) {
    case 'state': {
      const state: unknown = message.state;
      return isRecord(state) && typeof state.chatId === 'string' && Array.isArray(state.messages) && state.messages.every(isUiMessage)
        && (state.older === undefined || (Array.isArray(state.older) && state.older.every(isMessageStub)))
        && (state.sameTranscript === undefined || typeof state.sameTranscript === 'boolean')
        && Array.isArray(state.chips) && Array.isArray(state.history) && Array.isArray(state.models) && typeof state.model === 'string';
    }
    case 'messages':
      return typeof message.chatId === 'string' && Number.isSafeInteger(message.start) && Array.isArray(message.messages) && message.messages.every(isUiMessage);
    case 'delta':
      return typeof message.chatId === 'string' && typeof message.messageId === 'string' && typeof message.text === 'string';
    case 'messageUpdate':
      return typeof message.chatId === 'string' && isUiMessage(message.message);
    case 'chips':
      return Array.isArray(message.chips);
    case 'focusInput':
      return message.text === undefined || typeof message.text === 'string';
    case 'agentStep':
      return typeof message.chatId === 'string' && typeof message.messageId === 'string' && isRecord(message.step);
    case 'mentionOptions':
      return Number.isSafeInteger(message.requestId) && Array.isArray(message.options) && (message.note === undefined || typeof message.note === 'string');
    default:
      return false;
  }
}

function isMessageStub(value: unknown): boolean {
  return isRecord(value) && typeof value.id === 'string' && isChatRole(value.role)
    && Number.isSafeInteger(value.rows) && (value.rows as number) >= 0 && Number.isSafeInteger(value.tokens) && (value.tokens as number) >= 0;
}

function isUiMessage(value: unknown): boolean {
  return isRecord(value) && typeof value.id === 'string' && isChatRole(value.role) && typeof value.text === 'string';
}
