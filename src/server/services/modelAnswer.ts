import type { ChatDeltaParams, ChatError, ChatNoticeParams, ChatResult, FinishReason, TandemSettings, TokenUsage } from '../../shared/protocol';
import type { ServiceLog } from '../log';
import { estimateTokens, type AssembledPrompt, type PromptMessage } from '../prompt/assemble';
import { describeFailure, type Failure } from '../providers/errors';
import { tryFetchModelIds } from '../providers/models';
import { streamChat, type StreamChat } from '../providers/openaiChat';
import { displayUrl } from '../redact';
import { effectiveBaseUrl } from '../settings';
import { sleep as realSleep } from '../util/abort';
import { builtInModelOffer } from '../util/builtInOffer';
import { recordModelRequest, requestOutcome as requestOutcomeOf } from './audit/events';
import type { AuditSink } from './audit/trail';
import type { AuditContextItem } from '../../shared/audit';
import type { ModelPurpose } from '../../shared/vocabulary';
import { systemClock, type Clock } from './clock';
import { DeltaCoalescer } from './coalescer';
import { DEFAULT_BOUNDARY, type DataBoundary, type OutgoingRequest, type RequestPurpose } from './dataBoundary';
import { withRetries } from './retry';

/** Where a streaming request's deltas and notices go (by streamId), and the log. */
export interface AnswerSink {
  sendDelta(params: ChatDeltaParams): void;
  sendNotice(params: ChatNoticeParams): void;
  log: ServiceLog;
}

export interface AnswerDeps extends AnswerSink {
  /** Injectable for tests; default: real time. */
  clock?: Clock;
  /** Resolves false when aborted. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  stream?: StreamChat;
  /** For a 404: the models the endpoint does offer (best effort). */
  fetchModelIds?: (baseUrl: string, apiKey: string, signal: AbortSignal) => Promise<string[] | undefined>;
  /** The audit trail (default: none). */
  audit?: AuditSink;
  /** What may leave the machine; default: secrets by name, every content redacted. */
  boundary?: DataBoundary;
}

export interface AnswerRequest {
  streamId: string;
  /** The model asked for; default: the settings' model. */
  model?: string;
  /** The method name in the log, e.g. tandem/chat. */
  method: string;
  /** What the audit records of the request: its purpose and the context sent (by digest). */
  audit?: { purpose: ModelPurpose; context(prompt: AssembledPrompt): AuditContextItem[]; withheld?: string[] };
  purpose: RequestPurpose;
  /**
   * Built only once a service and a model are known, with the request's
   * data boundary (context goes through it; the messages are redacted after).
   */
  prompt(outgoing: OutgoingRequest): AssembledPrompt | Promise<AssembledPrompt>;
}

/** Ready-made messages (an edit task's prompt) as a prompt: nothing left out. */
export function readyPrompt(messages: PromptMessage[]): AssembledPrompt {
  return { messages, estimatedTokens: messages.reduce((sum, m) => sum + estimateTokens(m.content), 0), droppedMessages: 0, truncatedContext: false };
}

/**
 * Streams one model answer (chat, edit proposals): the text as coalesced
 * tandem/chatDelta notifications, 429 / 5xx / refused connections retried
 * (only while nothing has streamed yet) with announced, cancellable waits,
 * and returns the whole text received, whatever the ending.
 */
export async function streamAnswer(request: AnswerRequest, settings: TandemSettings, signal: AbortSignal, deps: AnswerDeps): Promise<ChatResult> {
  const { method } = request;
  const clock = deps.clock ?? systemClock;
  const model = request.model?.trim() || settings.model;
  const baseUrl = effectiveBaseUrl(settings);
  const started = clock.now();
  if (!baseUrl || !model) {
    const error = notConfigured(baseUrl);
    deps.log.request({ method, model, endpoint: baseUrl, status: error.kind, totalMs: 0 });
    return { text: '', finishReason: 'error', model, error };
  }

  const opened = (deps.boundary ?? DEFAULT_BOUNDARY).open(request.purpose, baseUrl, settings);
  if ('refused' in opened) {
    deps.log.request({ method, model, endpoint: baseUrl, status: opened.refused.kind, totalMs: 0 });
    deps.log.warn(`${method} not sent: ${opened.refused.message}`);
    return { text: '', finishReason: 'error', model, error: opened.refused };
  }
  const outgoing = opened;
  const prompt = await request.prompt(outgoing);
  if (prompt.droppedMessages > 0 || prompt.truncatedContext) {
    deps.log.info(`${method} prompt over budget: left out ${prompt.droppedMessages} earlier messages${prompt.truncatedContext ? ', cut context' : ''}`);
  }
  const messages = await outgoing.messages(prompt.messages);
  logBoundary(deps.log, method, outgoing);
  if (settings.logContents) {
    deps.log.info(`${method} request ${JSON.stringify(messages)}`);
  }

  const coalescer = new DeltaCoalescer((text) => deps.sendDelta({ streamId: request.streamId, text }), clock);
  const stream = deps.stream ?? streamChat;
  let text = '';
  let firstTokenAt: number | undefined;
  let status: number | string;
  let finishReason: FinishReason = 'error';
  let usage: TokenUsage | undefined;
  let error: ChatError | undefined;
  let retries = 0;

  try {
    const outcome = await withRetries(
      () =>
        stream({ baseUrl, apiKey: settings.apiKey, model, messages, timeoutSeconds: settings.requestTimeout }, signal, (piece) => {
          firstTokenAt ??= clock.now();
          text += piece;
          coalescer.push(piece);
        }),
      {
        signal,
        maxRetries: settings.maxRetries,
        endpoint: displayUrl(baseUrl),
        clock,
        sleep: deps.sleep ?? realSleep,
        mayRetry: () => text === '',
        announce: (notice) => {
          deps.sendNotice({ streamId: request.streamId, kind: 'retrying', ...notice });
          deps.log.info(`${method} ${notice.message}`);
        },
      },
    );
    retries = outcome.retries;
    if (outcome.kind === 'done') {
      ({ finishReason, usage } = outcome.value);
      status = outcome.value.status;
    } else if (outcome.kind === 'cancelled') {
      finishReason = 'cancelled';
      status = 'cancelled';
    } else {
      status = outcome.failure.status ?? outcome.failure.kind;
      error = await describe(outcome.failure);
    }
  } finally {
    coalescer.dispose();
    outgoing.markSent();
  }

  deps.log.request({
    method,
    model,
    endpoint: baseUrl,
    status,
    ttftMs: firstTokenAt === undefined ? undefined : firstTokenAt - started,
    totalMs: clock.now() - started,
    usage,
    attempts: retries + 1,
  });
  if (error) {
    deps.log.warn(`${method} failed: ${error.kind}: ${error.message}`);
  }
  if (settings.logContents) {
    deps.log.info(`${method} answer ${JSON.stringify(text)}`);
  }
  if (deps.audit?.active && request.audit) {
    const report = outgoing.report();
    const withheld = [...(request.audit.withheld ?? []), ...report.refused.map((item) => item.item)];
    recordModelRequest(deps.audit, {
      actor: 'person',
      request: request.streamId,
      purpose: request.audit.purpose,
      model,
      baseUrl,
      context: request.audit.context(prompt),
      ...(withheld.length > 0 ? { withheld: [...new Set(withheld)] } : {}),
      ...(report.redactions.length > 0 ? { redactions: report.redactions } : {}),
      ...(usage ? { usage } : {}),
      ...(firstTokenAt !== undefined ? { ttftMs: firstTokenAt - started } : {}),
      totalMs: clock.now() - started,
      attempts: retries + 1,
      outcome: requestOutcomeOf(error ? 'error' : finishReason, error),
      // What left the machine: the messages after redaction.
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      answer: text,
    });
  }
  const result: ChatResult = { text, finishReason: error ? 'error' : finishReason, model, ...outgoing.reportIfAny() };
  if (usage) {
    result.usage = usage;
  }
  if (error) {
    result.error = error;
  }
  return result;

  async function describe(failure: Failure): Promise<ChatError> {
    const chatError = describeFailure(failure, {
      baseUrl: displayUrl(baseUrl ?? ''),
      model,
      apiKey: settings.apiKey,
      retries,
      hasContent: text !== '',
      timeoutSeconds: settings.requestTimeout,
    });
    if (chatError.kind === 'modelNotFound' && baseUrl) {
      const available = await (deps.fetchModelIds ?? tryFetchModelIds)(baseUrl, settings.apiKey, signal);
      if (available) {
        chatError.availableModels = available;
      } else {
        // /models is not there either: more likely the base URL is wrong than the model.
        chatError.message += ' If the model name is right, check that the base URL ends in /v1.';
      }
    }
    return chatError;
  }
}

/** Kinds and counts only: never a value, never a placeholder's secret. */
export function logBoundary(log: ServiceLog, method: string, outgoing: OutgoingRequest): void {
  const { redactions, refused } = outgoing.report();
  if (redactions.length > 0) log.info(`${method} redacted ${redactions.map((r) => `${r.count} ${r.kind}`).join(', ')}`);
  if (refused.length > 0) log.warn(`${method} not sent (secret, ignored or outside the workspace): ${refused.map((r) => r.item).join(', ')}`);
}

function notConfigured(baseUrl: string | undefined): ChatError {
  if (!baseUrl) {
    return {
      kind: 'notConfigured',
      message: 'No model service is configured. Set a base URL (tandem.baseUrl or OPENAI_BASE_URL) or an API key, or use “Tandem: Find Local Model Servers”.',
      action: 'setApiKey',
      ...builtInModelOffer(),
    };
  }
  return {
    kind: 'notConfigured',
    message: 'No model is chosen. Pick one with “Tandem: Choose Model” (or set tandem.model / TANDEM_MODEL).',
    action: 'pickModel',
  };
}
