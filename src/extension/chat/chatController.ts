import * as vscode from 'vscode';
import type { SandboxInfo } from '../../shared/agentProtocol';
import { errorMessage } from '../../shared/guards';
import { mergeReports } from '../../shared/boundaryWording';
import type { ChatMessage, ChatResult, ContextItem, DataBoundaryReport, ErrorAction } from '../../shared/protocol';
import { CHAT_BUDGET_TOKENS, mentionsIn, slashCommandOf } from '../../shared/mentions';
import { isChatMode, isErrorAction, isMentionKind, isSlashCommand, isStepAction, type MentionKind, type SlashCommand, type StepAction } from '../../shared/vocabulary';
import type { ChatMode, ChatViewState, FromWebview, ToWebview, UiMessage } from '../../shared/webviewProtocol';
import { AgentSession, applyAgentResult, describeRestore, finishSteps, markRestorableAfterRestore, showStepFiles } from '../agent/agentSession';
import type { ClientTools } from '../agent/clientTools';
import { AGENT_SECTION, approvalPolicy } from '../agent/settings';
import type { ServiceClient } from '../serviceClient';
import type { ChatStore, StoredChat } from './chatStore';
import type { ContextChips } from './contextChips';
import { insertIntoEditor } from './insertCode';
import { MentionService } from './mentions/mentionService';
import { toModelMessages } from './modelMessages';
import { answerLoad, pagedMessages, transcriptKey } from './chatPaging';
import { serviceUiState } from './serviceUiState';

/** Where the controller posts: the chat webview, when one is showing. */
export interface ChatViewPort {
  post(message: ToWebview): void;
}

export interface ChatActions {
  run(action: ErrorAction, model?: string): Promise<void>;
  /** "Apply" on a code block of `answer`: propose it as a reviewed change. */
  applyCode(code: string, languageId: string | undefined, answer: string): Promise<void>;
}

/** Agent mode: the editor-side tools, and where the mode is remembered. */
export interface ChatAgentDeps {
  tools: ClientTools;
  state: vscode.Memento;
}

const MODE_KEY = 'tandem.chatMode';

/** The right-click task each slash command runs (on the current selection or file). */
const SLASH_COMMAND_IDS: Record<SlashCommand, string> = {
  explain: 'tandem.explain',
  fix: 'tandem.fix',
  tests: 'tandem.generateTests',
  docs: 'tandem.addDocs',
};

/** Why the context of a question asked before a reload is not sent again with Retry. */
export const STALE_CONTEXT_REASON = 'attached before the window reloaded; not sent again (attach it again to include its current content)';

interface Running {
  chat: StoredChat;
  answer: UiMessage;
  cancel: vscode.CancellationTokenSource;
  agent?: AgentSession;
}

/**
 * One chat session at a time: sends questions to the service, streams the
 * answer into the webview as deltas (never the whole transcript per token),
 * keeps what arrived when an answer fails or is stopped, and saves history.
 */
export class ChatController implements vscode.Disposable {
  private port: ChatViewPort | undefined;
  private chat: StoredChat;
  private running: Running | undefined;
  private models: string[] = [];
  private mode: ChatMode;
  /** Context sent with each question, kept in memory for Retry (not persisted: it can be large). */
  private readonly sentContext = new Map<string, ContextItem[]>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The transcript the webview was last sent (`transcriptKey`); undefined until it asks with `ready`. */
  private postedTranscript: string | undefined;
  private readonly busyChanged = new vscode.EventEmitter<boolean>();
  readonly onDidChangeBusy = this.busyChanged.event;
  /** The `@` picker's kinds; `@codebase` is wired with `mentions.setCodebaseSearch`. */
  readonly mentions = new MentionService();

  constructor(
    private readonly service: ServiceClient,
    private readonly store: ChatStore,
    private readonly chips: ContextChips,
    private readonly actions: ChatActions,
    private readonly log: vscode.LogOutputChannel,
    private readonly agent: ChatAgentDeps,
  ) {
    this.chat = store.latest() ?? newChat();
    const mode = agent.state.get<unknown>(MODE_KEY);
    this.mode = isChatMode(mode) ? mode : 'ask';
    this.disposables.push(
      this.busyChanged,
      this.mentions,
      chips.onDidChange((list) => this.post({ type: 'chips', chips: list })),
      service.onDidChangeState(() => this.postStatus()),
      service.onDidChangeStatus(() => {
        this.postStatus();
        void this.refreshModels();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration(AGENT_SECTION) && this.postStatus()),
      agent.tools.onDidChangeSandbox(() => this.postStatus()),
    );
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  attach(port: ChatViewPort | undefined): void {
    this.port = port;
    this.postedTranscript = undefined;
  }

  async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A new or reloaded page has nothing yet.
        this.postedTranscript = undefined;
        this.postState();
        return this.refreshModels();
      case 'send':
        return this.send(message.text);
      case 'stop':
        return this.stop();
      case 'newChat':
        return this.newChat();
      case 'openChat':
        return this.openChat(message.chatId);
      case 'deleteChat':
        return this.deleteChat(message.chatId);
      case 'removeChip':
        return this.chips.remove(message.chipId);
      case 'pickModel':
        return this.actions.run('pickModel', message.model);
      case 'refreshModels':
        return this.refreshModels();
      case 'copyCode':
        await vscode.env.clipboard.writeText(message.code);
        return;
      case 'insertCode':
        return insertIntoEditor(message.code, message.languageId);
      case 'applyCode': {
        const answer = this.chat.messages.find((candidate) => candidate.id === message.messageId);
        return this.actions.applyCode(message.code, message.languageId, answer?.text ?? '');
      }
      case 'errorAction':
        if (!isErrorAction(message.action)) return; // From the webview: checked like every other word it sends.
        return message.action === 'retry' ? this.retry(message.messageId) : this.actions.run(message.action);
      case 'rendered':
        return;
      case 'setMode':
        return this.setMode(message.mode);
      case 'stepAction':
        return this.stepAction(message.messageId, message.stepId, message.action, message.answer);
      case 'mentionQuery':
        return this.mentionQuery(message.requestId, message.kind, message.query);
      case 'addMention':
        return this.addMention(message.kind, message.value);
      case 'slashCommand':
        return this.slashCommand(message.command);
      case 'loadMessages':
        return this.loadMessages(message.chatId, message.start, message.end);
    }
  }

  /** Older messages of the shown chat, as the webview scrolls up to them (another chat's: nothing). */
  private loadMessages(chatId: string, start: number, end: number): void {
    const page = answerLoad(this.chat, chatId, start, end);
    if (page) this.post(page);
  }

  private async mentionQuery(requestId: number, kind: MentionKind, query: string): Promise<void> {
    if (!isMentionKind(kind) || typeof query !== 'string') return;
    try {
      const choices = await this.mentions.options(kind, query);
      this.post({ type: 'mentionOptions', requestId, options: choices.options, ...(choices.note ? { note: choices.note } : {}) });
    } catch (error) {
      this.post({ type: 'mentionOptions', requestId, options: [], note: `Could not list them: ${errorMessage(error)}` });
    }
  }

  /** A pick from the `@` picker (or a mention typed out): its chip appears in the composer. */
  async addMention(kind: MentionKind, value: string): Promise<void> {
    if (!isMentionKind(kind) || typeof value !== 'string') return;
    if (this.mentions.atSend(kind)) {
      // What to search for is the question: read when it is sent; the chip says so meanwhile.
      const pending = await this.mentions.resolve(kind, value, '');
      this.chips.addMention(pending, (question) => this.mentions.resolve(kind, value, question));
      return;
    }
    this.chips.addMention(await this.mentions.resolve(kind, value));
  }

  /** `/explain` and the others: the right-click task, on the current selection or file. */
  async slashCommand(command: SlashCommand): Promise<void> {
    if (!isSlashCommand(command)) return;
    await vscode.commands.executeCommand(SLASH_COMMAND_IDS[command]);
  }

  async send(text: string): Promise<void> {
    if (this.running || !text.trim()) {
      return;
    }
    const command = slashCommandOf(text);
    if (command) {
      return this.slashCommand(command);
    }
    await this.attachTypedMentions(text);
    const { chips, items } = await this.chips.takeForSend(text);
    const question: UiMessage = { id: newId(), role: 'user', text, ...(chips.length ? { context: chips } : {}) };
    this.sentContext.set(question.id, items);
    this.chat.messages.push(question);
    await this.answer(this.chat, items);
  }

  /** Mentions written out in the question (`@problems`, `@file:src/app.ts`) without the picker are attached too. */
  private async attachTypedMentions(text: string): Promise<void> {
    const attached = new Set(this.chips.chips().filter((chip) => !chip.implicit).map((chip) => chip.kind));
    for (const mention of mentionsIn(text)) {
      if (attached.has(mention.kind) && !mention.argument) continue;
      if (this.mentions.hasOptions(mention.kind) && !mention.argument && mention.kind !== 'problems') continue;
      await this.addMention(mention.kind, mention.argument || (mention.kind === 'problems' ? 'file' : ''));
      attached.add(mention.kind);
    }
  }

  stop(): void {
    this.running?.cancel.cancel();
  }

  /** Ask (answers only) or Agent (plans and uses tools); remembered for the workspace. */
  async setMode(mode: ChatMode): Promise<void> {
    if (!isChatMode(mode)) return;
    this.mode = mode;
    await this.agent.state.update(MODE_KEY, mode);
    this.postStatus();
  }

  /** A button on a step card of an agent answer. */
  async stepAction(messageId: string, stepId: string, action: StepAction, answer?: string): Promise<void> {
    if (!isStepAction(action) || (answer !== undefined && typeof answer !== 'string')) {
      return; // The webview renders model output: never trust what it sends.
    }
    const running = this.running?.answer.id === messageId ? this.running : undefined;
    if (action === 'restore') {
      return this.restore(messageId, stepId);
    }
    if (running?.agent) {
      return running.agent.stepAction(stepId, action, answer);
    }
    if (action === 'review') {
      const message = this.chat.messages.find((candidate) => candidate.id === messageId);
      return showStepFiles(message?.steps?.find((step) => step.id === stepId));
    }
  }

  /** "Restore to here": the files go back to when the step started (after a confirmation); later checkpoints are gone. */
  private async restore(messageId: string, stepId: string): Promise<void> {
    const running = this.running?.answer.id === messageId ? this.running : undefined;
    const chat = running ? running.chat : this.chat;
    const message = chat.messages.find((candidate) => candidate.id === messageId);
    const stepOrder = message?.steps?.map((step) => step.id) ?? [];
    const outcome = await this.agent.tools.restore(messageId, stepId, { confirm: true, stepOrder });
    if (!outcome) return;
    if (this.running?.answer.id === messageId) this.stop();
    const remaining = await this.agent.tools.checkpointedSteps(messageId);
    // The session (if still there) must not flag restored steps again; the answer's steps are the same objects.
    running?.agent?.checkpointsRestored(remaining);
    const changed = markRestorableAfterRestore(message, remaining);
    for (const step of changed) this.post({ type: 'agentStep', chatId: chat.id, messageId, step: { ...step } });
    // A running answer is saved when it ends.
    if ((running || changed.length) && this.running?.answer.id !== messageId) await this.store.save(chat);
    void vscode.window.showInformationMessage(describeRestore(outcome));
  }

  focusInput(): void {
    this.post({ type: 'focusInput' });
  }

  async newChat(): Promise<void> {
    this.stop();
    if (this.chat.messages.length > 0) {
      this.chat = newChat();
    }
    this.postState();
    this.post({ type: 'focusInput' });
  }

  async openChat(chatId: string): Promise<void> {
    const chat = this.store.get(chatId);
    if (!chat || chat.id === this.chat.id) {
      return;
    }
    this.stop();
    this.chat = { ...chat, messages: [...chat.messages] };
    this.postState();
  }

  async deleteChat(chatId: string): Promise<void> {
    if (this.running?.chat.id === chatId) {
      this.stop();
    }
    await this.store.delete(chatId);
    if (this.chat.id === chatId) {
      this.chat = newChat();
    }
    this.postState();
  }

  async refreshModels(): Promise<void> {
    if (this.service.state !== 'ready' || this.service.status?.state !== 'ready') {
      return;
    }
    try {
      const result = await this.service.listModels();
      this.models = result.models.map((model) => model.id).sort();
      if (result.error) {
        this.log.warn(`Could not list models: ${result.error.message}`);
      }
    } catch (error) {
      this.log.warn(`Could not list models: ${errorMessage(error)}`);
    }
    this.postStatus();
  }

  /** Answers the last question of `chat` again, dropping the failed answer. */
  private async retry(messageId: string): Promise<void> {
    if (this.running) {
      return;
    }
    const index = this.chat.messages.findIndex((message) => message.id === messageId);
    if (index < 0 || this.chat.messages[index]?.role !== 'assistant') {
      return;
    }
    this.chat.messages.splice(index, 1);
    const question = this.chat.messages[index - 1];
    const context = question && this.sentContext.get(question.id);
    // After a reload the sent context is gone: its chips are named as not sent again, never silently dropped or re-read.
    await this.answer(this.chat, context ?? [], context === undefined ? staleChips(question) : undefined);
  }

  private async answer(chat: StoredChat, context: ContextItem[], stale?: DataBoundaryReport): Promise<void> {
    const messages = toModelMessages(chat.messages);
    // Chips the editor kept back (a .env, an ignored file) are named under the answer too, not only struck out.
    const keptBack = mergeReports(keptBackChips(chat.messages.at(-1)), stale);
    const answer: UiMessage = { id: newId(), role: 'assistant', text: '', streaming: true };
    chat.messages.push(answer);
    const cancel = new vscode.CancellationTokenSource();
    const agent = this.mode === 'agent' ? this.agentSession(chat, answer) : undefined;
    this.running = { chat, answer, cancel, ...(agent ? { agent } : {}) };
    this.busyChanged.fire(true);
    this.postState();
    try {
      if (agent) {
        applyAgentResult(answer, await agent.run(messages, cancel.token));
      } else {
        applyChatResult(answer, await this.chatRequest(chat, answer, messages, context, keptBack?.refused.map((item) => item.item) ?? [], cancel.token));
      }
      const boundary = mergeReports(answer.boundary, keptBack);
      if (boundary) answer.boundary = boundary;
    } catch (error) {
      if (cancel.token.isCancellationRequested) {
        answer.stopped = true;
      } else {
        const reason = errorMessage(error);
        this.log.error(`Chat request failed: ${reason}`);
        answer.error = {
          kind: 'unknown',
          message: `The model service stopped while answering (${reason}). What arrived is kept; it has been restarted, so you can retry.`,
          action: 'retry',
        };
      }
    } finally {
      if (agent) finishSteps(answer);
      delete answer.streaming;
      delete answer.notice;
      this.running = undefined;
      cancel.dispose();
      this.busyChanged.fire(false);
    }
    await this.store.save(chat);
    this.postMessage(chat, answer);
    this.postState();
  }

  /** `withheld`: the chips kept back here, named (never their text) so the service's audit trail records them. */
  private chatRequest(chat: StoredChat, answer: UiMessage, messages: ChatMessage[], context: ContextItem[], withheld: string[], token: vscode.CancellationToken): Promise<ChatResult> {
    return this.service.chat({ streamId: answer.id, messages, context, ...(withheld.length > 0 ? { withheld } : {}) }, token, {
      onDelta: (text) => this.delta(chat, answer, text),
      onNotice: (notice) => {
        answer.notice = notice.message;
        this.postMessage(chat, answer);
      },
    });
  }

  private agentSession(chat: StoredChat, answer: UiMessage): AgentSession {
    return new AgentSession(this.service, this.agent.tools, answer, {
      delta: (text) => this.delta(chat, answer, text, false),
      messageChanged: () => this.postMessage(chat, answer),
      stepChanged: (step) => this.post({ type: 'agentStep', chatId: chat.id, messageId: answer.id, step: { ...step } }),
    });
  }

  /** Streams a delta to the webview (`append`: add it to the answer's text here, else the caller has). */
  private delta(chat: StoredChat, answer: UiMessage, text: string, append = true): void {
    if (append) answer.text += text;
    this.post({ type: 'delta', chatId: chat.id, messageId: answer.id, text });
    if (answer.notice) {
      // After the delta: the update carries the whole text, which now includes it.
      delete answer.notice;
      this.postMessage(chat, answer);
    }
  }

  private postMessage(chat: StoredChat, message: UiMessage): void {
    this.post({ type: 'messageUpdate', chatId: chat.id, message: { ...message } });
  }

  /** A long chat's state carries its latest messages only: the webview asks for older ones as they come into view. */
  private postState(): void {
    if (!this.port) return;
    const { messages, older } = pagedMessages(this.chat.messages);
    this.postedTranscript = transcriptKey(this.chat);
    this.post({ type: 'state', state: { ...this.viewState(false), messages, ...(older ? { older } : {}) } });
  }

  /** A change of status, models, mode or policy: the state without the transcript when the webview has it already. */
  private postStatus(): void {
    if (!this.port) return;
    if (this.postedTranscript === undefined || this.postedTranscript !== transcriptKey(this.chat)) {
      this.postState();
      return;
    }
    this.post({ type: 'state', state: { ...this.viewState(false), sameTranscript: true } });
  }

  private post(message: ToWebview): void {
    this.port?.post(message);
  }

  /** The whole state (`withMessages` false: without the transcript, which the caller adds). */
  viewState(withMessages = true): ChatViewState {
    const service = serviceUiState(this.service.state, this.service.status);
    const model = this.service.status?.model ?? '';
    return {
      chatId: this.chat.id,
      title: this.chat.messages.length ? this.chat.title || 'Chat' : 'New chat',
      messages: withMessages ? this.chat.messages.map((message) => ({ ...message })) : [],
      busy: this.running !== undefined,
      chips: this.chips.chips(),
      history: this.store.list(),
      models: model && !this.models.includes(model) ? [model, ...this.models] : this.models,
      model,
      service: service.state,
      ...(service.message ? { serviceMessage: service.message } : {}),
      mode: this.mode,
      policy: approvalPolicy(),
      // The built-in model's context is known (the service assembles to it); OpenAI-compatible endpoints do not report theirs.
      budget: this.service.status?.embedded?.promptTokens ? { tokens: this.service.status.embedded.promptTokens, source: 'model' } : { tokens: CHAT_BUDGET_TOKENS, source: 'default' },
      ...(this.mentions.unavailable().length > 0 ? { unavailableMentions: this.mentions.unavailable() } : {}),
      ...sandboxState(this.mode === 'agent' ? this.agent.tools.currentSandbox : undefined),
    };
  }

  dispose(): void {
    this.stop();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** The header's sandbox line: only in Agent mode, once the check has ended. */
function sandboxState(sandbox: SandboxInfo | undefined): Pick<ChatViewState, 'sandbox'> {
  return sandbox ? { sandbox } : {};
}

/** The excluded chips of the question, as refusals. */
function keptBackChips(question: UiMessage | undefined): DataBoundaryReport | undefined {
  const refused = (question?.role === 'user' ? (question.context ?? []) : []).flatMap((chip) => (chip.excluded ? [{ item: chip.detail.replace(/^Current file: /, ''), reason: chip.excluded }] : []));
  return refused.length > 0 ? { redactions: [], refused } : undefined;
}

/** The chips of a question asked before a reload, which Retry does not send again. */
function staleChips(question: UiMessage | undefined): DataBoundaryReport | undefined {
  const refused = (question?.role === 'user' ? (question.context ?? []) : []).flatMap((chip) => (chip.excluded ? [] : [{ item: chip.detail.replace(/^Current file: /, ''), reason: STALE_CONTEXT_REASON }]));
  return refused.length > 0 ? { redactions: [], refused } : undefined;
}

function applyChatResult(answer: UiMessage, result: ChatResult): void {
  answer.text = result.text;
  if (result.boundary) {
    answer.boundary = result.boundary;
  }
  if (result.finishReason === 'cancelled') {
    answer.stopped = true;
  }
  if (result.error) {
    answer.error = result.error;
  }
}

function newChat(): StoredChat {
  const now = Date.now();
  return { id: newId(), title: '', createdAt: now, updatedAt: now, messages: [] };
}

function newId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
