/**
 * The header: chat title, model picker, New Chat and History buttons, the
 * history list (toggled), a one-line banner while the model service is
 * not ready, and in Agent mode a line with the approval policy, under
 * full-auto whether commands run sandboxed (or ask, and why), and the
 * task's token use and estimated cost. Parts are rebuilt only when their data changed, so an open
 * <select> or a focused history item is not disturbed by unrelated state.
 */
import type { ApprovalPolicy, SandboxInfo } from '../../src/shared/agentProtocol';
import type { ChatSummary, ChatViewState, FromWebview, ServiceUiState, UiMessage } from '../../src/shared/webviewProtocol';
import { isApprovalPolicy } from '../../src/shared/vocabulary';
import { usageText } from './agentData';
import type { Dom } from './dom';
import { icon } from './icons';
import { relativeTime } from './time';

const DEFAULT_SERVICE_MESSAGES: Record<Exclude<ServiceUiState, 'ready'>, string> = {
  starting: 'Starting the model service…',
  notConfigured: 'No model configured.',
  failed: 'The model cannot answer.',
  restarting: 'Model service restarting…',
  stopped: 'The model service is stopped.',
};

const POLICY_DETAILS: Record<ApprovalPolicy, string> = {
  ask: 'The agent asks before every edit and command (setting tandem.agent.approvalPolicy).',
  'auto-edit': 'The agent applies edits without asking and asks before commands (setting tandem.agent.approvalPolicy).',
  'full-auto': 'The agent edits and runs allowed commands without asking (setting tandem.agent.approvalPolicy).',
};

const SANDBOX_NAMES: Record<Exclude<SandboxInfo['kind'], 'none'>, string> = { bubblewrap: 'bubblewrap', seatbelt: 'Seatbelt' };

/** The header's sandbox line under full-auto: short text, and the longer story for its title. */
export function sandboxText(sandbox: SandboxInfo): { text: string; detail: string } {
  if (sandbox.kind === 'none') {
    const reason = sandbox.reason ? ` (${sandbox.reason})` : '';
    return {
      text: `No sandbox${reason}: commands ask`,
      detail: `Full auto runs commands without asking only inside an OS sandbox. There is none here${reason}, so every command asks first.`,
    };
  }
  const name = SANDBOX_NAMES[sandbox.kind];
  const network = sandbox.network
    ? 'They may use the network: the network is not sandboxed (setting tandem.agent.sandbox.allowNetwork).'
    : 'They have no network (setting tandem.agent.sandbox.allowNetwork).';
  return {
    text: `Sandbox: ${name}, ${sandbox.network ? 'network allowed' : 'no network'}`,
    detail: `Commands that run without asking run in an OS sandbox (${name}): they write only inside the workspace, never to .git or protected paths, and cannot read secrets. ${network}`,
  };
}

export class Header {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private readonly historyToggle: HTMLButtonElement;
  private readonly historyPanel: HTMLElement;
  private readonly historyList: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly agentBar: HTMLElement;
  private readonly policy: HTMLElement;
  private readonly sandbox: HTMLElement;
  private readonly usage: HTMLElement;
  private modelsKey = '';
  private historyKey = '';
  private history: ChatSummary[] = [];
  private chatId = '';

  constructor(
    private readonly dom: Dom,
    private readonly post: (message: FromWebview) => void,
    private readonly now: () => number,
  ) {
    this.title = dom.el('div', { class: 'chat-title', text: 'Tandem' });
    this.picker = dom.el('select', {
      class: 'model-picker',
      testid: 'model-picker',
      title: 'Model',
      label: 'Model',
      on: { change: () => this.post({ type: 'pickModel', model: this.picker.value }) },
    });
    this.historyToggle = dom.button('Chat history', {
      class: 'icon-button',
      testid: 'history-toggle',
      attrs: { 'aria-expanded': 'false', 'aria-controls': 'tandem-history' },
      onClick: () => this.toggleHistory(),
    }, [icon(dom, 'history')]);
    this.historyList = dom.el('ul', { class: 'history-list', attrs: { role: 'list' } });
    this.historyPanel = dom.el('div', { class: 'history-panel', attrs: { id: 'tandem-history', role: 'region', 'aria-label': 'Chat history' } }, [
      dom.el('div', { class: 'history-heading', text: 'Recent chats' }),
      this.historyList,
    ]);
    this.historyPanel.hidden = true;
    this.banner = dom.el('div', { class: 'service-banner', testid: 'service-banner', attrs: { role: 'status' } });
    this.banner.hidden = true;
    this.policy = dom.el('span', { class: 'agent-policy', testid: 'agent-policy' });
    this.sandbox = dom.el('span', { class: 'agent-sandbox', testid: 'agent-sandbox' });
    this.sandbox.hidden = true;
    this.usage = dom.el('span', { class: 'agent-usage', testid: 'agent-usage', attrs: { 'aria-live': 'off' } });
    this.agentBar = dom.el('div', { class: 'agent-bar', testid: 'agent-bar', attrs: { role: 'group', 'aria-label': 'Agent task' } }, [this.policy, this.sandbox, this.usage]);
    this.agentBar.hidden = true;
    this.element = dom.el('header', { class: 'chat-header' }, [
      dom.el('div', { class: 'header-row' }, [
        this.title,
        dom.el('div', { class: 'header-actions' }, [
          this.picker,
          dom.button('Refresh the model list', {
            class: 'icon-button',
            testid: 'refresh-models',
            onClick: () => this.post({ type: 'refreshModels' }),
          }, [icon(dom, 'refresh')]),
          dom.button('New chat', { class: 'icon-button', testid: 'new-chat', onClick: () => this.newChat() }, [icon(dom, 'add')]),
          this.historyToggle,
        ]),
      ]),
      this.agentBar,
      this.banner,
      this.historyPanel,
    ]);
  }

  /** `sameTranscript`: the state leaves out the messages, so the task's usage stays as shown. */
  render(state: ChatViewState, sameTranscript = false): void {
    this.title.textContent = state.title || 'Tandem';
    this.title.title = state.title;
    this.chatId = state.chatId;
    this.renderModels(state.models, state.model);
    this.history = state.history;
    if (!this.historyPanel.hidden) {
      this.renderHistory();
    }
    const ready = state.service === 'ready';
    this.banner.hidden = ready;
    this.banner.textContent = state.service === 'ready' ? '' : (state.serviceMessage ?? DEFAULT_SERVICE_MESSAGES[state.service]);
    this.banner.dataset.service = state.service;
    this.renderAgent(state, sameTranscript);
  }

  /** Usage of the task in progress (from a messageUpdate of the latest answer). */
  showUsage(message: UiMessage): void {
    const usage = usageText(message.usage, message.costUsd);
    if (usage) {
      this.usage.textContent = usage.text;
      this.usage.title = usage.detail;
      this.usage.hidden = false;
    }
  }

  private renderAgent(state: ChatViewState, sameTranscript: boolean): void {
    this.agentBar.hidden = state.mode !== 'agent';
    const policy = isApprovalPolicy(state.policy) ? state.policy : 'ask';
    this.policy.textContent = `Approval: ${policy}`;
    this.policy.title = POLICY_DETAILS[policy];
    // Only full-auto runs commands without asking; under the other policies every command asks anyway.
    const sandbox = policy === 'full-auto' && state.sandbox ? sandboxText(state.sandbox) : undefined;
    this.sandbox.hidden = !sandbox;
    this.sandbox.textContent = sandbox?.text ?? '';
    this.sandbox.title = sandbox?.detail ?? '';
    this.sandbox.dataset.sandbox = state.sandbox?.kind ?? '';
    if (sameTranscript) {
      return;
    }
    // The task's use: the latest answer's (a new task starts with none).
    const last = [...state.messages].reverse().find((message) => message.role === 'assistant');
    const usage = last ? usageText(last.usage, last.costUsd) : undefined;
    this.usage.textContent = usage?.text ?? '';
    this.usage.title = usage?.detail ?? '';
    this.usage.hidden = !usage;
  }

  get historyOpen(): boolean {
    return !this.historyPanel.hidden;
  }

  toggleHistory(open = this.historyPanel.hidden): void {
    this.historyPanel.hidden = !open;
    this.historyToggle.setAttribute('aria-expanded', String(open));
    this.historyToggle.classList.toggle('active', open);
    if (open) {
      this.renderHistory();
      this.historyList.querySelector<HTMLElement>('.history-open')?.focus();
    }
  }

  private newChat(): void {
    this.toggleHistory(false);
    this.post({ type: 'newChat' });
  }

  private renderModels(models: readonly string[], model: string): void {
    // The current model is shown even when the endpoint did not list it (e.g. listing failed).
    const options = model && !models.includes(model) ? [model, ...models] : [...models];
    const key = JSON.stringify([options, model]);
    if (key === this.modelsKey) {
      return;
    }
    this.modelsKey = key;
    const { dom } = this;
    if (options.length === 0) {
      dom.replaceChildren(this.picker, [dom.el('option', { text: 'No model', attrs: { value: '' } })]);
      this.picker.disabled = true;
      return;
    }
    this.picker.disabled = false;
    dom.replaceChildren(this.picker, options.map((id) => dom.el('option', { text: id, attrs: { value: id } })));
    if (!model) {
      dom.append(this.picker, [dom.el('option', { text: 'Choose a model…', attrs: { value: '', disabled: '' } })]);
    }
    this.picker.value = model;
    this.picker.title = model ? `Model: ${model}` : 'Choose a model';
  }

  private renderHistory(): void {
    const now = this.now();
    // Relative times change with the clock, so the minute is part of the key.
    const key = JSON.stringify([this.history, this.chatId, Math.floor(now / 60_000)]);
    if (key === this.historyKey) {
      return;
    }
    this.historyKey = key;
    const { dom } = this;
    if (this.history.length === 0) {
      dom.replaceChildren(this.historyList, [dom.el('li', { class: 'history-empty muted', text: 'No saved chats yet.' })]);
      return;
    }
    dom.replaceChildren(this.historyList, this.history.map((chat) => this.renderHistoryItem(chat, now)));
  }

  private renderHistoryItem(chat: ChatSummary, now: number): HTMLElement {
    const { dom } = this;
    const title = chat.title || 'Untitled chat';
    const current = chat.id === this.chatId;
    const item = dom.el('li', {
      class: `history-item${current ? ' current' : ''}`,
      testid: 'history-item',
      attrs: { 'data-chat-id': chat.id },
      on: {
        click: () => {
          this.toggleHistory(false);
          this.post({ type: 'openChat', chatId: chat.id });
        },
      },
    }, [
      dom.button(`Open “${title}”`, { class: 'history-open', ...(current ? { attrs: { 'aria-current': 'true' } } : {}) }, [
        dom.el('span', { class: 'history-title', text: title }),
        dom.el('span', { class: 'history-time muted', text: relativeTime(chat.updatedAt, now) }),
      ]),
      dom.button(`Delete “${title}”`, {
        class: 'icon-button history-delete',
        testid: 'history-delete',
        onClick: (event) => {
          // The row itself opens the chat.
          event.stopPropagation();
          this.post({ type: 'deleteChat', chatId: chat.id });
        },
      }, [icon(dom, 'trash')]),
    ]);
    return item;
  }
}
