/**
 * One model call for an inline completion, through the `openai` package:
 * POST /completions (a `suffix` or a raw fill-in-the-middle prompt) or
 * POST /chat/completions (chat-only models). Not streamed: the suggestion is
 * post-processed whole. Aborting the signal closes the HTTP connection; a
 * call also ends after `timeoutMs` in all (headers and body).
 */
import type { TokenUsage } from '../../shared/protocol';
import type { PromptMessage } from '../prompt/assemble';
import { createClient } from '../providers/client';
import { classifyError } from '../providers/errors';
import { CancelledError, InactivityTimeoutError } from '../providers/streamErrors';
import { redact } from '../redact';
import type { ConcreteTemplate } from './templates';

export type ModelBody =
  | { kind: 'completions'; prompt: string; suffix?: string; stop: string[]; maxTokens: number }
  | { kind: 'chat'; messages: PromptMessage[]; maxTokens: number; reasoningModel: boolean };

export interface ModelRequest {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  body: ModelBody;
}

export interface ModelAnswer {
  text: string;
  finishReason: string;
  /** HTTP status. */
  status: number;
  usage?: TokenUsage;
}

export type CallModel = (request: ModelRequest, signal: AbortSignal) => Promise<ModelAnswer>;

export const callModel: CallModel = async (request, signal) => {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) {
    controller.abort();
  }
  try {
    const client = createClient({ baseUrl: request.baseUrl, apiKey: request.apiKey, timeoutMs: request.timeoutMs });
    const { body, model } = request;
    if (body.kind === 'completions') {
      const { data, response } = await client.completions
        .create(
          {
            model,
            prompt: body.prompt,
            ...(body.suffix !== undefined ? { suffix: body.suffix } : {}),
            max_tokens: body.maxTokens,
            temperature: 0,
            ...(body.stop.length > 0 ? { stop: body.stop } : {}),
            stream: false,
          },
          { signal: controller.signal },
        )
        .withResponse();
      const choice = Array.isArray(data.choices) ? data.choices[0] : undefined;
      return { text: typeof choice?.text === 'string' ? choice.text : '', finishReason: choice?.finish_reason ?? 'stop', status: response.status, ...usageOf(data.usage) };
    }
    const { data, response } = await client.chat.completions
      .create(
        {
          model,
          messages: body.messages,
          // Reasoning models take neither max_tokens nor a temperature.
          ...(body.reasoningModel ? { max_completion_tokens: body.maxTokens } : { max_tokens: body.maxTokens, temperature: 0 }),
          stream: false,
        },
        { signal: controller.signal },
      )
      .withResponse();
    const choice = Array.isArray(data.choices) ? data.choices[0] : undefined;
    const content: unknown = choice?.message?.content;
    return { text: typeof content === 'string' ? content : '', finishReason: choice?.finish_reason ?? 'stop', status: response.status, ...usageOf(data.usage) };
  } catch (error) {
    if (signal.aborted) {
      throw new CancelledError();
    }
    if (timedOut) {
      throw new InactivityTimeoutError(request.timeoutMs / 1000);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
};

function usageOf(value: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | undefined | null): { usage?: TokenUsage } {
  if (!value || typeof value.prompt_tokens !== 'number' || typeof value.completion_tokens !== 'number') {
    return {};
  }
  const total = typeof value.total_tokens === 'number' ? value.total_tokens : value.prompt_tokens + value.completion_tokens;
  return { usage: { promptTokens: value.prompt_tokens, completionTokens: value.completion_tokens, totalTokens: total } };
}

export interface FailureContext {
  baseUrl: string;
  model: string;
  template: ConcreteTemplate;
  apiKey: string;
  timeoutMs: number;
}

/** The model call ended because it was aborted (superseded or cancelled): not a failure. */
export function isCancellation(error: unknown): boolean {
  return classifyError(error).kind === 'cancelled';
}

/** A failed call in one or two plain sentences for the status bar, saying which setting to change. Never contains the key. */
export function describeCompletionFailure(error: unknown, context: FailureContext): string {
  return redact(wording(error, context), [context.apiKey]);
}

function wording(error: unknown, context: FailureContext): string {
  const failure = classifyError(error);
  if (failure.plain && failure.detail) {
    return failure.detail;
  }
  const host = hostOf(context.baseUrl);
  const route = context.template === 'chat' ? '/chat/completions' : '/completions';
  const detail = failure.detail ?? '';
  const unsupportedRoute =
    context.template === 'chat'
      ? `The completion endpoint ${host} does not support ${route} (${failure.status}).`
      : `The completion endpoint does not support /v1/completions (${failure.status}); set tandem.completions.template to 'chat'.`;
  if (context.template !== 'chat' && /chat model|chat\/completions/i.test(detail)) {
    return `“${context.model}” is a chat model without /v1/completions; set tandem.completions.template to 'chat'.`;
  }
  switch (failure.kind) {
    case 'modelNotFound':
      return /model/i.test(detail) || !detail
        ? `Completion model “${context.model}” not found at ${host} (404). Set tandem.completionModel.`
        : unsupportedRoute;
    case 'badRequest':
      if (failure.status === 405 || failure.status === 501) {
        return unsupportedRoute;
      }
      if (context.template === 'suffix' && /suffix/i.test(detail)) {
        return `The completion endpoint does not accept a suffix (${failure.status}); set tandem.completions.template to the model's fill-in-the-middle format (qwen, deepseek, starcoder, codellama, codestral) or 'chat'.`;
      }
      return `The completion endpoint rejected the request (${failure.status})${detail ? `: ${detail}` : ''}.`;
    case 'auth':
      return context.apiKey
        ? `The completion endpoint ${host} rejected the API key (${failure.status}). Set a valid key with “Tandem: Set API Key”.`
        : `The completion endpoint ${host} requires an API key (${failure.status}). Set one with “Tandem: Set API Key”.`;
    case 'rateLimited':
      return `Rate limited by the completion endpoint ${host} (429); suggestions resume when it allows.`;
    case 'server':
      return `The completion endpoint ${host} had an internal error${failure.status ? ` (${failure.status})` : ''}${detail ? `: ${detail}` : ''}.`;
    case 'timeout':
      return `The completion model “${context.model}” did not answer within ${Math.round(context.timeoutMs / 1000)} s.`;
    case 'connection':
      if (failure.net === 'invalidUrl') {
        return `The completion endpoint “${context.baseUrl}” is not a valid URL. Fix tandem.completions.baseUrl or tandem.baseUrl.`;
      }
      if (failure.net === 'hostNotFound') {
        return `Could not find the host of ${context.baseUrl} for completions — check the base URL.`;
      }
      return `Could not connect to ${host} for completions — is the server running?`;
    case 'malformed':
    case 'streamCut':
      return `The completion endpoint ${host} sent an incomplete or invalid answer.`;
    default:
      return `The completion request failed${detail ? `: ${detail}` : ''}. See the Tandem log.`;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
