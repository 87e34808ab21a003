/**
 * Messages between the chat webview (media/chat) and the extension
 * (src/extension/chat). Both sides import this file; every message that
 * crosses is checked with `isFromWebview` / `isToWebview` where it arrives.
 */
import type { AgentStep, ApprovalPolicy, SandboxInfo } from './agentProtocol';
import { isRecord } from './guards';
import type { ChatError, DataBoundaryReport, ErrorAction, TokenUsage } from './protocol';
import { isMentionKind, isSlashCommand, type ApprovalKind, type ChatMode, type ChatRole, type ContextKind, type MentionKind, type SlashCommand, type StepAction } from './vocabulary';

export type { ChatMode, MentionKind, SlashCommand, StepAction } from './vocabulary';

/** What the person is asked to decide for a step (buttons on its card). */
export interface StepApproval {
  kind: ApprovalKind;
  /** One sentence, e.g. "Run `npm test` in the workspace?" */
  prompt: string;
  /**
   * Kind `mcp`: the `server/tool` an "Always allow" button would add to the person's
   * `tandem.mcp.alwaysAllow`; absent when it cannot be allowed permanently (a repository's server).
   */
  alwaysAllow?: string;
}

/** An agent step as its card shows it: the service's step and what only the extension knows of it. */
export interface StepView extends AgentStep {
  /** Set while the step waits for the person. */
  approval?: StepApproval;
  /**
   * The files can be put back as they were when this step started (a checkpoint
   * exists at or after it): the card offers "Restore to here". The extension
   * takes the checkpoints, so only it sets this.
   */
  checkpoint?: boolean;
}

export type ChipKind = ContextKind;

/** A context chip as the webview shows it. */
export interface ChipView {
  id: string;
  kind: ChipKind;
  /** Short label, e.g. "app.ts" or "app.ts:12-30". */
  label: string;
  /** Tooltip, e.g. the workspace-relative path. */
  detail: string;
  /** The active editor's file, attached automatically until removed. */
  implicit: boolean;
  /** Not sent to the model, and why (a secrets file, an ignored file, a link out of the workspace). */
  excluded?: string;
  /** Estimated size of what it sends, in tokens (characters / 4); absent for a chip that sends nothing. */
  tokens?: number;
  /** Parts left out (files of a folder past the budget, secret files of a diff), named for the person. */
  notes?: string[];
}

/** One choice in the `@` picker after a kind was chosen (a file, a folder, a symbol). */
export interface MentionOption {
  /** What `addMention` sends back (a path, or a symbol's `path#line#name`). */
  value: string;
  label: string;
  detail?: string;
}

/** The prompt budget the composer shows before sending. */
export interface PromptBudget {
  tokens: number;
  /** `model`: the model's context window is known; `default`: Tandem's chat budget. */
  source: 'model' | 'default';
}

export interface UiMessage {
  id: string;
  role: ChatRole;
  /** Markdown (assistant) or plain text (user). */
  text: string;
  /** Chips that were attached when the question was sent. */
  context?: ChipView[];
  /** Set while the answer is streaming. */
  streaming?: boolean;
  /** The answer ended in an error (its partial text is kept). */
  error?: ChatError;
  /** The person pressed Stop. */
  stopped?: boolean;
  /** A transient notice, e.g. "retrying in 4 s". */
  notice?: string;
  /** Agent answers: the steps, in order (kept in history). */
  steps?: StepView[];
  /** Agent answers: tokens used by the task so far, and the estimated cost. */
  usage?: TokenUsage;
  costUsd?: number;
  /**
   * Answers: what the data boundary did to the request ("2 secrets redacted: …",
   * files not sent and why); absent when it did nothing.
   */
  boundary?: DataBoundaryReport;
}

export interface ChatSummary {
  id: string;
  title: string;
  updatedAt: number;
  messageCount: number;
}

/**
 * An older message of a long chat whose content the state leaves out: the
 * webview holds its place (about `rows` lines of 80 characters) and asks for
 * it with `loadMessages` as it nears the viewport.
 */
export interface MessageStub {
  id: string;
  role: ChatRole;
  rows: number;
  /** Its estimated size in tokens (for the composer's budget line). */
  tokens: number;
}

/** Most messages one `loadMessages` may ask for (the extension never sends more). */
export const MAX_PAGE_MESSAGES = 20;

/** Lines of about 80 characters `text` wraps to: both sides size a placeholder with it. */
export function estimateRows(text: string): number {
  let rows = 0;
  for (let start = 0; start <= text.length;) {
    const end = text.indexOf('\n', start);
    rows += Math.max(1, Math.ceil(((end === -1 ? text.length : end) - start) / 80));
    if (end === -1) {
      break;
    }
    start = end + 1;
  }
  return rows;
}

/** `failed`: a model is chosen but cannot answer (the message says why). */
export type ServiceUiState = 'starting' | 'ready' | 'notConfigured' | 'failed' | 'restarting' | 'stopped';

export interface ChatViewState {
  chatId: string;
  title: string;
  /** The chat's messages, or in a long chat its latest ones (the earlier ones are `older`). */
  messages: UiMessage[];
  /** A long chat: the messages before `messages`, in order, without their content. */
  older?: MessageStub[];
  /**
   * The transcript is the one already shown (a change of service status, model
   * list or mode): `messages` is empty and the webview keeps what it has.
   */
  sameTranscript?: boolean;
  busy: boolean;
  chips: ChipView[];
  history: ChatSummary[];
  models: string[];
  model: string;
  service: ServiceUiState;
  /** One line for the header when the service is not ready, e.g. "No model configured". */
  serviceMessage?: string;
  mode: ChatMode;
  /** The agent's approval policy (shown in the header in Agent mode). */
  policy: ApprovalPolicy;
  /** Agent mode: the sandbox commands run in without asking (absent while it is being checked). */
  sandbox?: SandboxInfo;
  /** The whole prompt's budget (history, context and question); absent from older hosts. */
  budget?: PromptBudget;
  /** Mention kinds the `@` picker offers but cannot attach yet (shown as coming), e.g. `codebase` before retrieval is there. */
  unavailableMentions?: MentionKind[];
}

// ---- webview → extension ----

export type FromWebview =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'newChat' }
  | { type: 'openChat'; chatId: string }
  | { type: 'deleteChat'; chatId: string }
  | { type: 'removeChip'; chipId: string }
  | { type: 'pickModel'; model: string }
  | { type: 'refreshModels' }
  | { type: 'copyCode'; code: string }
  | { type: 'insertCode'; code: string; languageId?: string }
  /** "Apply" on a code block of an answer: becomes a proposal to review. */
  | { type: 'applyCode'; code: string; messageId: string; languageId?: string }
  | { type: 'errorAction'; action: ErrorAction; messageId: string }
  | { type: 'rendered'; messageId: string; chars: number }
  | { type: 'setMode'; mode: ChatMode }
  /** A button on a step card. `restore`: "Restore to here" (the extension confirms first). */
  | { type: 'stepAction'; messageId: string; stepId: string; action: StepAction; answer?: string }
  /** The `@` picker wants choices of `kind` matching `query`; answered by `mentionOptions` with the same `requestId`. */
  | { type: 'mentionQuery'; requestId: number; kind: MentionKind; query: string }
  /** A pick: attach `kind` (with `value` from a `mentionOptions` answer, or '' for a kind without one). */
  | { type: 'addMention'; kind: MentionKind; value: string }
  /** `/explain` and the others: run that task on the current selection or file. */
  | { type: 'slashCommand'; command: SlashCommand }
  /** Older messages of a long chat, by position [start, end): answered by `messages` (at most MAX_PAGE_MESSAGES). */
  | { type: 'loadMessages'; chatId: string; start: number; end: number };

// ---- extension → webview ----

export type ToWebview =
  | { type: 'state'; state: ChatViewState }
  | { type: 'delta'; chatId: string; messageId: string; text: string }
  | { type: 'messageUpdate'; chatId: string; message: UiMessage }
  | { type: 'chips'; chips: ChipView[] }
  | { type: 'focusInput'; text?: string }
  /** A step of a running agent answer started or changed (sent whole). */
  | { type: 'agentStep'; chatId: string; messageId: string; step: StepView }
  /** Choices for the `@` picker (at most `MAX_MENTION_OPTIONS`); `note` says why there are none, e.g. "No git repository". */
  | { type: 'mentionOptions'; requestId: number; options: MentionOption[]; note?: string }
  /** Older messages a `loadMessages` asked for; `start` is the position of the first. */
  | { type: 'messages'; chatId: string; start: number; messages: UiMessage[] };

/** Most choices the picker shows at once (the extension caps its answers here too). */
export const MAX_MENTION_OPTIONS = 50;
/** Longest query the extension searches for (longer ones are cut). */
export const MAX_MENTION_QUERY = 200;

const fromWebviewTypes = new Set<FromWebview['type']>([
  'ready', 'send', 'stop', 'newChat', 'openChat', 'deleteChat', 'removeChip', 'pickModel',
  'refreshModels', 'copyCode', 'insertCode', 'applyCode', 'errorAction', 'rendered', 'setMode', 'stepAction',
  'mentionQuery', 'addMention', 'slashCommand', 'loadMessages',
]);

const stringFields: Partial<Record<FromWebview['type'], readonly string[]>> = {
  send: ['text'],
  openChat: ['chatId'],
  deleteChat: ['chatId'],
  removeChip: ['chipId'],
  pickModel: ['model'],
  copyCode: ['code'],
  insertCode: ['code'],
  applyCode: ['code', 'messageId'],
  errorAction: ['action', 'messageId'],
  rendered: ['messageId'],
  setMode: ['mode'],
  stepAction: ['messageId', 'stepId', 'action'],
  mentionQuery: ['kind', 'query'],
  addMention: ['kind', 'value'],
  slashCommand: ['command'],
  loadMessages: ['chatId'],
};

/** Checks of the words and numbers a message carries, beyond its string fields. */
const extraChecks: Partial<Record<FromWebview['type'], (value: Record<string, unknown>) => boolean>> = {
  mentionQuery: (value) => isMentionKind(value.kind) && Number.isSafeInteger(value.requestId) && (value.query as string).length <= MAX_MENTION_QUERY,
  addMention: (value) => isMentionKind(value.kind) && (value.value as string).length <= 4096,
  slashCommand: (value) => isSlashCommand(value.command),
  loadMessages: (value) =>
    Number.isSafeInteger(value.start) && Number.isSafeInteger(value.end) && (value.start as number) >= 0
    && (value.end as number) > (value.start as number) && (value.end as number) - (value.start as number) <= MAX_PAGE_MESSAGES
    && (value.chatId as string).length <= 200,
};

/** Validates a message posted by the webview (it is untrusted input: it renders model output). */
export function isFromWebview(value: unknown): value is FromWebview {
  if (!isRecord(value) || typeof value.type !== 'string') {
    return false;
  }
  const type = value.type as FromWebview['type'];
  if (!fromWebviewTypes.has(type)) {
    return false;
  }
  return (stringFields[type] ?? []).every((field) => typeof value[field] === 'string') && (extraChecks[type]?.(value) ?? true);
}

const toWebviewTypes = new Set<ToWebview['type']>(['state', 'delta', 'messageUpdate', 'chips', 'focusInput', 'agentStep', 'mentionOptions', 'messages']);

export function isToWebview(value: unknown): value is ToWebview {
  return isRecord(value) && typeof value.type === 'string' && toWebviewTypes.has(value.type as ToWebview['type']);
}
