import type { ChatDeltaParams, ChatError, ChatNoticeParams, ChatParams, ChatResult, FinishReason, TandemSettings, TokenUsage } from '../../shared/protocol';
import type { ServiceLog } from '../log';
import { assemblePrompt, DEFAULT_BUDGET_TOKENS, estimateTokens, type AssembledPrompt, type PromptMessage } from '../prompt/assemble';
import { classifyError, describeFailure, type Failure } from '../providers/errors';
import { tryFetchModelIds } from '../providers/models';
import { streamChat, type StreamChat } from '../providers/openaiChat';
import { displayUrl } from '../redact';
import { effectiveBaseUrl } from '../settings';
import { sleep as realSleep } from '../util/abort';
import { DeltaCoalescer, systemClock, type Clock } from './coalescer';
import { retryDelayMs, retryMessage } from './retry';

export interface ChatRunnerDeps {
  sendDelta(params: ChatDeltaParams): void;
  sendNotice(params: ChatNoticeParams): void;
  log: ServiceLog;
  /** Injectable for tests; default: real time. */
  clock?: Clock;
  /** Resolves false when aborted. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  stream?: StreamChat;
  /** For a 404: the models the endpoint does offer (best effort). */
  fetchModelIds?: (baseUrl: string, apiKey: string, signal: AbortSignal) => Promise<string[] | undefined>;
  budgetTokens?: number;
}

/**
 * Runs one tandem/chat: assembles the prompt, streams the answer as coalesced
 * tandem/chatDelta notifications, retries 429 / 5xx / refused connections
 * (only while nothing has streamed yet) with announced, cancellable waits, and
 * returns the whole text received, whatever the ending.
 */
export interface RunOptions {
  /** Ready-made messages (an edit task's prompt) instead of the chat's assembled prompt. */
  prompt?: PromptMessage[];
  /** The method name in the log; default tandem/chat. */
  method?: string;
}

export async function runChat(params: ChatParams, settings: TandemSettings, signal: AbortSignal, deps: ChatRunnerDeps, options: RunOptions = {}): Promise<ChatResult> {
  const method = options.method ?? 'tandem/chat';
  const clock = deps.clock ?? systemClock;
  const model = params.model?.trim() || settings.model;
  const baseUrl = effectiveBaseUrl(settings);
  const started = clock.now();
  if (!baseUrl || !model) {
    const error = notConfigured(baseUrl);
    deps.log.request({ method, model, endpoint: baseUrl, status: error.kind, totalMs: 0 });
    return { text: '', finishReason: 'error', model, error };
  }

  const prompt: AssembledPrompt = options.prompt
    ? { messages: options.prompt, estimatedTokens: options.prompt.reduce((sum, m) => sum + estimateTokens(m.content), 0), droppedMessages: 0, truncatedContext: false }
    : assemblePrompt(params.messages, params.context, deps.budgetTokens ?? DEFAULT_BUDGET_TOKENS);
  if (prompt.droppedMessages > 0 || prompt.truncatedContext) {
    deps.log.info(`${method} prompt over budget: left out ${prompt.droppedMessages} earlier messages${prompt.truncatedContext ? ', cut context' : ''}`);
  }
  if (settings.logContents) {
    deps.log.info(`${method} request ${JSON.stringify(prompt.messages)}`);
  }

  const coalescer = new DeltaCoalescer((text) => deps.sendDelta({ streamId: params.streamId, text }), clock);
  const stream = deps.stream ?? streamChat;
  const wait = deps.sleep ?? realSleep;
  let text = '';
  let firstTokenAt: number | undefined;
  let retries = 0;
  let status: number | string = 'error';
  let finishReason: FinishReason = 'error';
  let usage: TokenUsage | undefined;
  let error: ChatError | undefined;

  try {
    for (;;) {
      try {
        const outcome = await stream(
          { baseUrl, apiKey: settings.apiKey, model, messages: prompt.messages, timeoutSeconds: settings.requestTimeout },
          signal,
          (piece) => {
            firstTokenAt ??= clock.now();
            text += piece;
            coalescer.push(piece);
          },
        );
        ({ finishReason, usage } = outcome);
        status = outcome.status;
        break;
      } catch (thrown) {
        const failure = classifyError(thrown);
        if (failure.kind === 'cancelled' || signal.aborted) {
          finishReason = 'cancelled';
          status = 'cancelled';
          break;
        }
        if (failure.retryable && text === '' && retries < settings.maxRetries) {
          retries += 1;
          if (!(await announceAndWait(failure, retries))) {
            finishReason = 'cancelled';
            status = 'cancelled';
            break;
          }
          continue;
        }
        status = failure.status ?? failure.kind;
        error = await describe(failure);
        break;
      }
    }
  } finally {
    coalescer.dispose();
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
  const result: ChatResult = { text, finishReason: error ? 'error' : finishReason, model };
  if (usage) {
    result.usage = usage;
  }
  if (error) {
    result.error = error;
  }
  return result;

  async function announceAndWait(failure: Failure, attempt: number): Promise<boolean> {
    const delayMs = retryDelayMs(attempt, failure.headers, clock.now());
    const message = retryMessage(failure, displayUrl(baseUrl ?? ''), delayMs, attempt, settings.maxRetries);
    deps.sendNotice({ streamId: params.streamId, kind: 'retrying', message, attempt, delayMs });
    deps.log.info(`${method} ${message}`);
    return wait(delayMs, signal);
  }

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

function notConfigured(baseUrl: string | undefined): ChatError {
  if (!baseUrl) {
    return {
      kind: 'notConfigured',
      message: 'No model service is configured. Set a base URL (tandem.baseUrl or OPENAI_BASE_URL) or an API key, or use “Tandem: Find Local Model Servers”.',
      action: 'openSettings',
    };
  }
  return {
    kind: 'notConfigured',
    message: 'No model is chosen. Pick one with “Tandem: Choose Model” (or set tandem.model / TANDEM_MODEL).',
    action: 'pickModel',
  };
}
