/**
 * Messages between the chat webview (media/chat) and the extension
 * (src/extension/chat). Both sides import this file; every message that
 * crosses is checked with `isFromWebview` / `isToWebview` where it arrives.
 */
import type { AgentStep, ApprovalPolicy, SandboxInfo } from './agentProtocol';
import { isRecord } from './guards';
import type { ChatError, DataBoundaryReport, ErrorAction, TokenUsage } from './protocol';
import type { ApprovalKind, ChatMode, ChatRole, ContextKind, StepAction } from './vocabulary';

export type { ChatMode, StepAction } from './vocabulary';

/** What the person is asked to decide for a step (buttons on its card). */
export interface StepApproval {
  kind: ApprovalKind;
  /** One sentence, e.g. "Run `npm test` in the workspace?" */
  prompt: string;
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

export type ServiceUiState = 'starting' | 'ready' | 'notConfigured' | 'restarting' | 'stopped';

export interface ChatViewState {
  chatId: string;
  title: string;
  messages: UiMessage[];
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
  | { type: 'stepAction'; messageId: string; stepId: string; action: StepAction; answer?: string };

// ---- extension → webview ----

export type ToWebview =
  | { type: 'state'; state: ChatViewState }
  | { type: 'delta'; chatId: string; messageId: string; text: string }
  | { type: 'messageUpdate'; chatId: string; message: UiMessage }
  | { type: 'chips'; chips: ChipView[] }
  | { type: 'focusInput'; text?: string }
  /** A step of a running agent answer started or changed (sent whole). */
  | { type: 'agentStep'; chatId: string; messageId: string; step: StepView };

const fromWebviewTypes = new Set<FromWebview['type']>([
  'ready', 'send', 'stop', 'newChat', 'openChat', 'deleteChat', 'removeChip', 'pickModel',
  'refreshModels', 'copyCode', 'insertCode', 'applyCode', 'errorAction', 'rendered', 'setMode', 'stepAction',
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
  return (stringFields[type] ?? []).every((field) => typeof value[field] === 'string');
}

const toWebviewTypes = new Set<ToWebview['type']>(['state', 'delta', 'messageUpdate', 'chips', 'focusInput', 'agentStep']);

export function isToWebview(value: unknown): value is ToWebview {
  return isRecord(value) && typeof value.type === 'string' && toWebviewTypes.has(value.type as ToWebview['type']);
}
