/**
 * The custom LSP messages between the Tandem extension (client) and the model
 * service (language server). Declared once here and imported by both sides;
 * documented in docs/protocol.md, whose every payload field name
 * test/unit/protocolDoc.test.ts checks. Types are plain JSON: no class instances.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { EditOutcome } from './edits';
import type { ChatRole, CompletionEventKind, CompletionTemplate, ContextKind, DiagnosticSeverity, EditTask, ErrorAction } from './vocabulary';

export type { ChatRole, CompletionTemplate, EditTask, ErrorAction } from './vocabulary';

/** The settings section the service pulls with workspace/configuration. */
export const CONFIG_SECTION = 'tandem';

/** Settings as the service sees them after the client's answer and the environment fallback. */
export interface TandemSettings {
  /** OpenAI-compatible base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1. */
  baseUrl: string;
  /** Chat model id. */
  model: string;
  /** Model id for inline completions (defaults to `model`). */
  completionModel: string;
  /** API key: injected by the client from SecretStorage, never stored in settings. */
  apiKey: string;
  /** Record request and answer contents in the log (off by default: timings only). */
  logContents: boolean;
  /** Seconds without any bytes from the model before a request is abandoned. */
  requestTimeout: number;
  /** How many times a 429 / 5xx / refused connection is retried before giving up. */
  maxRetries: number;
  /** Inline completions (`tandem.completions.*`). */
  completions: CompletionSettings;
  /** `tandem.dataBoundary.*`: what may leave the machine (the service always resolves it; absent: the defaults). */
  dataBoundary?: DataBoundarySettings;
}

export interface DataBoundarySettings {
  /** Refuse every endpoint that is not on this machine (loopback). */
  localOnly: boolean;
}

/** Secrets of one kind replaced by placeholders in what was sent (`kind`: e.g. `github-token`). */
export interface Redaction {
  kind: string;
  count: number;
}

/** Something that was not sent at all (a secrets file, an ignored file), and why. */
export interface RefusedItem {
  /** The path (or other name) as the request gave it. */
  item: string;
  reason: string;
}

/** What the data boundary did to one request before it left the machine. Never holds a secret value. */
export interface DataBoundaryReport {
  redactions: Redaction[];
  refused: RefusedItem[];
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** A piece of editor context attached to a question (a removable chip in the chat). */
export interface ContextItem {
  kind: ContextKind;
  /** Workspace-relative (or absolute, outside a workspace) path shown to the model. */
  path: string;
  languageId?: string;
  /** 1-based inclusive line range for a selection. */
  startLine?: number;
  endLine?: number;
  text: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** What went wrong, in a form both a person and a program can act on. */
export type ChatErrorKind =
  | 'notConfigured'
  | 'auth'
  | 'modelNotFound'
  | 'rateLimited'
  | 'server'
  | 'badRequest'
  | 'timeout'
  | 'connection'
  | 'streamCut'
  | 'malformed'
  /** `tandem.dataBoundary.localOnly` is on and the endpoint is not on this machine: nothing was sent. */
  | 'notLocal'
  | 'unknown';

export interface ChatError {
  kind: ChatErrorKind;
  /** One or two plain sentences for a person. Never contains the API key. */
  message: string;
  status?: number;
  action?: ErrorAction;
  /** For `modelNotFound`: the models the endpoint does offer. */
  availableModels?: string[];
  /** A second way out with its own words, shown next to `action`: "Use a built-in model (1.0 GB download)". */
  offer?: ErrorOffer;
}

export interface ErrorOffer {
  action: ErrorAction;
  label: string;
}

export type FinishReason = 'stop' | 'length' | 'cancelled' | 'error' | 'content_filter' | 'tool_calls';

export interface ChatParams {
  /** Chosen by the client; every progress notification for this request carries it. */
  streamId: string;
  messages: ChatMessage[];
  context: ContextItem[];
  /** Overrides the configured chat model for this request. */
  model?: string;
  /**
   * Attached paths the client kept back itself (a `.env`, an ignored file): never sent,
   * named here only so the audit trail records them as withheld.
   */
  withheld?: string[];
}

export interface ChatResult {
  /** The whole answer received, also when it ended in an error or was cancelled. */
  text: string;
  finishReason: FinishReason;
  model: string;
  usage?: TokenUsage;
  error?: ChatError;
  /** Secrets redacted and items refused on the way out (absent when nothing was). */
  boundary?: DataBoundaryReport;
}

/** Client → service: answer a chat turn, streaming with `tandem/chatDelta`. Cancel with $/cancelRequest. */
export namespace ChatRequest {
  export const method = 'tandem/chat';
  export const type = new RequestType<ChatParams, ChatResult, void>(method);
}

/** One staged file's diff for a commit message. */
export interface CommitFileDiff {
  /** Workspace-relative path (checked against the workspace boundary). */
  path: string;
  /** Its unified diff against HEAD (the index's version). */
  diff: string;
}

export interface CommitMessageParams {
  /** Chosen by the client; the message streams as `tandem/chatDelta` with it. */
  streamId: string;
  files: CommitFileDiff[];
  /** Subjects of the repository's recent commits, newest first: their style is followed (Conventional Commits when most use it). */
  recentSubjects: string[];
  model?: string;
}

/** Client → service: a commit message for the staged diff, streamed; the result's `text` is the message. Cancel with $/cancelRequest. */
export namespace CommitMessageRequest {
  export const method = 'tandem/commitMessage';
  export const type = new RequestType<CommitMessageParams, ChatResult, void>(method);
}

export interface ChatDeltaParams {
  streamId: string;
  /** Text to append to the answer (one or more coalesced chunks). */
  text: string;
}

/** Service → client: more text of the answer to `tandem/chat` with this streamId. */
export namespace ChatDeltaNotification {
  export const method = 'tandem/chatDelta';
  export const type = new NotificationType<ChatDeltaParams>(method);
}

export interface ChatNoticeParams {
  streamId: string;
  kind: 'retrying';
  /** Plain sentence, e.g. "Rate limited by the model service; retrying in 4 s (attempt 2 of 3)." */
  message: string;
  attempt: number;
  delayMs: number;
}

/** Service → client: something the person should know while an answer is pending. */
export namespace ChatNoticeNotification {
  export const method = 'tandem/chatNotice';
  export const type = new NotificationType<ChatNoticeParams>(method);
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
}

export interface ListModelsResult {
  baseUrl: string;
  models: ModelInfo[];
  error?: ChatError;
}

/** Client → service: the models the configured endpoint offers (GET /models). */
export namespace ListModelsRequest {
  export const method = 'tandem/listModels';
  export const type = new RequestType<Record<string, never>, ListModelsResult, void>(method);
}

export interface LocalServer {
  /** e.g. "Ollama", "LM Studio". */
  name: string;
  baseUrl: string;
  models: string[];
}

export interface ProbeLocalResult {
  servers: LocalServer[];
}

/** Client → service: look for local OpenAI-compatible servers on their usual ports. */
export namespace ProbeLocalRequest {
  export const method = 'tandem/probeLocal';
  export const type = new RequestType<Record<string, never>, ProbeLocalResult, void>(method);
}

/** `failed`: a model is chosen but cannot answer (the built-in model's engine is missing, its file is bad): `problem` says why. */
export type ServiceState = 'ready' | 'notConfigured' | 'failed';

export interface ServiceStatusParams {
  state: ServiceState;
  /** The chat model in use ('' when none). */
  model: string;
  baseUrl: string;
  /** Human label for the endpoint: "OpenAI", "Ollama", "localhost:8000"... */
  provider: string;
  /** Where the settings came from, for the status tooltip; `embedded`: the built-in model answers. */
  source: 'settings' | 'environment' | 'mixed' | 'none' | 'embedded';
  hasApiKey: boolean;
  /** The built-in model, when it answers (source `embedded`): its file, and which setting chose it. */
  embedded?: EmbeddedStatus;
  /** Why the state is `failed`, worded for a person. */
  problem?: string;
}

export interface EmbeddedStatus {
  modelPath: string;
  /** `settings`: tandem.embedded.modelPath; `environment`: TANDEM_EMBEDDED_MODEL; `builtIn`: the downloaded built-in model. */
  origin: 'settings' | 'environment' | 'builtIn';
  /** The context the model gets (tokens), once its file was checked. */
  contextTokens?: number;
  /** What a prompt may take of it (the rest is the answer's): the chat's budget. */
  promptTokens?: number;
}

/** Service → client: the effective configuration changed (sent after initialize and on every change). */
export namespace ServiceStatusNotification {
  export const method = 'tandem/serviceStatus';
  export const type = new NotificationType<ServiceStatusParams>(method);
}

export interface ServiceInfoResult {
  name: 'tandem';
  version: string;
  pid: number;
  status: ServiceStatusParams;
}

/** Client → service: who is serving (pid, version, effective status). */
export namespace ServiceInfoRequest {
  export const method = 'tandem/serviceInfo';
  export const type = new RequestType<Record<string, never>, ServiceInfoResult, void>(method);
}

/** A file the client knows better than the disk does (an unsaved editor buffer). */
export interface FileText {
  /** Relative to `root`, '/' separators. */
  path: string;
  text: string;
}

/** A problem reported by the editor, as context for a fix. */
export interface DiagnosticInfo {
  /** 0-based lines. */
  startLine: number;
  endLine: number;
  severity: DiagnosticSeverity;
  message: string;
  source?: string;
  code?: string;
}

export interface ProposeEditParams {
  /** Chosen by the client; the model's output streams as `tandem/chatDelta` with this id. */
  streamId: string;
  task: EditTask;
  /** The person's words (required for refactor and inline edits). */
  instruction: string;
  /** Absolute path of the workspace folder; change set paths are relative to it. */
  root: string;
  /** The file to change, relative to `root`. */
  path: string;
  languageId: string;
  /** 0-based [startLine, endLine) whole lines the task is about; absent: the whole file / the cursor line. */
  selection?: { startLine: number; endLine: number };
  /** 0-based line of the cursor. */
  cursorLine?: number;
  diagnostics?: DiagnosticInfo[];
  /** Unsaved buffers, always including the file to change; other files are read from disk. */
  files: FileText[];
  model?: string;
}

export interface ProposeEditResult {
  /** The model's whole output. */
  text: string;
  finishReason: FinishReason;
  model: string;
  /** The change set, or why the output could not be applied (absent when the model call failed). */
  outcome?: EditOutcome;
  /** The model call failed (no outcome then). */
  error?: ChatError;
  /** Secrets redacted and items refused on the way out (absent when nothing was). */
  boundary?: DataBoundaryReport;
}

/** Client → service: ask the model for a change and turn its answer into a change set to review. Cancel with $/cancelRequest. */
export namespace ProposeEditRequest {
  export const method = 'tandem/proposeEdit';
  export const type = new RequestType<ProposeEditParams, ProposeEditResult, void>(method);
}

export interface ParseEditParams {
  /** Model output in any supported format (a patch, SEARCH/REPLACE blocks, a diff or a code block). */
  text: string;
  root: string;
  /** The file a block without a path is meant for (relative to root). */
  defaultPath?: string;
  /** For a code block meant as the new content of a selection of defaultPath. */
  selection?: { startLine: number; endLine: number };
  files: FileText[];
}

/** Client → service: turn model output (e.g. a chat code block) into a change set, without calling the model. */
export namespace ParseEditRequest {
  export const method = 'tandem/parseEdit';
  export const type = new RequestType<ParseEditParams, EditOutcome, void>(method);
}

// ---- inline completions (the service answers the standard textDocument/inlineCompletion) ----

/** Inline completion settings (`tandem.completions.*`), as the service resolves them. */
export interface CompletionSettings {
  /** Endpoint for completions; '' = the chat endpoint (`baseUrl`). */
  baseUrl: string;
  template: CompletionTemplate;
  /** Base debounce in ms; the service adapts it to the person's typing speed. */
  debounceMs: number;
  /** Most lines a suggestion may have. */
  maxLines: number;
}

/**
 * Tandem's addition to the textDocument/inlineCompletion params: the editor's
 * own indentation for the document (LSP FormattingOptions' two fields). A
 * client that knows them sends them; without them the service detects the
 * document's indentation.
 */
export interface InlineCompletionFormatting {
  formattingOptions?: { tabSize: number; insertSpaces: boolean };
}

/** The command the service puts on every inline completion item; its argument is the item id. */
export const COMPLETION_ACCEPTED_COMMAND = 'tandem.completionAccepted';

export interface CompletionEventParams {
  /** The item id (the argument of the item's `tandem.completionAccepted` command). */
  id: string;
  kind: CompletionEventKind;
  /** For `partiallyAccepted`: how many characters of the suggestion have been accepted. */
  acceptedChars?: number;
}

/** Client → service: a suggestion was shown, accepted or partly accepted (counted for metrics). */
export namespace CompletionEventNotification {
  export const method = 'tandem/completionEvent';
  export const type = new NotificationType<CompletionEventParams>(method);
}

export interface CompletionStatusParams {
  /** `error`: the backend did not answer (message says why); `idle`: fine. */
  state: 'idle' | 'loading' | 'error';
  message?: string;
}

/** Service → client: why suggestions do (not) appear, for the status bar. Sent on changes only. */
export namespace CompletionStatusNotification {
  export const method = 'tandem/completionStatus';
  export const type = new NotificationType<CompletionStatusParams>(method);
}

export interface CompletionStatsResult {
  /** textDocument/inlineCompletion requests received. */
  requests: number;
  /** Requests answered from the cache (typing along a suggestion) without a model call. */
  cacheHits: number;
  /** Requests answered by a model call that was already in flight (made for an earlier keystroke). */
  reusedInFlight: number;
  /** Model calls made, and those aborted because their request was superseded or cancelled. */
  modelCalls: number;
  modelCallsCancelled: number;
  /** Requests cancelled before a model call (during the debounce). */
  debounced: number;
  shown: number;
  accepted: number;
  partiallyAccepted: number;
  /** Time in the service per answered request minus time waiting for the model, ms. */
  overheadMs: { p50: number; p99: number; max: number; count: number };
  /** The service process's memory now (and its peak resident size since start), MB. */
  memory?: { rssMb: number; heapUsedMb: number; peakRssMb: number };
}

/** Client → service: completion counters since start (tests, benchmarks, metrics). */
export namespace CompletionStatsRequest {
  export const method = 'tandem/completionStats';
  export const type = new RequestType<Record<string, never>, CompletionStatsResult, void>(method);
}
