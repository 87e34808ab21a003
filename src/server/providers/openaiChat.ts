import { APIError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { FinishReason, TokenUsage } from '../../shared/protocol';
import type { PromptMessage } from '../prompt/assemble';
import { createClient } from './client';
import { guardInactivity } from './inactivity';
import { MalformedChunkError, StreamCutError } from './streamErrors';

export interface ChatStreamRequest {
  baseUrl: string;
  apiKey: string;
  model: string;
  messages: PromptMessage[];
  /** Seconds without any bytes before the request is abandoned. */
  timeoutSeconds: number;
}

export interface ChatStreamResult {
  finishReason: FinishReason;
  usage?: TokenUsage;
  /** HTTP status of the response. */
  status: number;
}

export type StreamChat = (request: ChatStreamRequest, signal: AbortSignal, onText: (text: string) => void) => Promise<ChatStreamResult>;

/**
 * Streams one chat completion, calling `onText` for every piece of the answer.
 * Aborting `signal` closes the HTTP connection and rejects with CancelledError;
 * silence for `timeoutSeconds` does the same with InactivityTimeoutError. Other
 * failures reject with the SDK's errors, StreamCutError or MalformedChunkError.
 */
export const streamChat: StreamChat = async (request, signal, onText) => {
  try {
    return await streamOnce(request, true, signal, onText);
  } catch (error) {
    // Some local servers reject `stream_options`; ask once more without it.
    if (isStreamOptionsRejection(error)) {
      return streamOnce(request, false, signal, onText);
    }
    throw error;
  }
};

async function streamOnce(
  request: ChatStreamRequest,
  includeUsage: boolean,
  signal: AbortSignal,
  onText: (text: string) => void,
): Promise<ChatStreamResult> {
  const timeoutMs = request.timeoutSeconds * 1000;
  const guard = guardInactivity(signal, request.timeoutSeconds);
  const { rearm, stopReason } = guard;
  try {
    const client = createClient({ baseUrl: request.baseUrl, apiKey: request.apiKey, timeoutMs, onActivity: rearm });
    let response: Response;
    let stream: AsyncIterable<ChatCompletionChunk>;
    try {
      const created = await client.chat.completions
        .create(
          {
            model: request.model,
            messages: request.messages,
            stream: true,
            ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
          },
          { signal: guard.signal },
        )
        .withResponse();
      response = created.response;
      stream = created.data;
    } catch (error) {
      throw stopReason() ?? error;
    }

    let finishReason: FinishReason | undefined;
    let usage: TokenUsage | undefined;
    try {
      for await (const chunk of stream) {
        const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
        const text: unknown = choice?.delta?.content;
        if (typeof text === 'string' && text !== '') {
          onText(text);
        }
        if (choice?.finish_reason) {
          finishReason = mapFinishReason(choice.finish_reason);
        }
        usage = toUsage(chunk.usage) ?? usage;
      }
    } catch (error) {
      const stopped = stopReason();
      if (stopped) {
        throw stopped;
      }
      if (finishReason) {
        // The answer was complete; only the tail (usage, [DONE]) was lost.
        return { finishReason, usage, status: response.status };
      }
      if (error instanceof SyntaxError) {
        throw new MalformedChunkError({ cause: error });
      }
      if (error instanceof APIError) {
        throw error;
      }
      throw new StreamCutError('The connection dropped in the middle of the answer.', { cause: error });
    }
    const stopped = stopReason();
    if (stopped) {
      throw stopped;
    }
    if (!finishReason) {
      throw new StreamCutError('The stream ended before the answer was finished.');
    }
    return { finishReason, usage, status: response.status };
  } finally {
    guard.dispose();
  }
}

export function isStreamOptionsRejection(error: unknown): boolean {
  if (!(error instanceof APIError) || (error.status !== 400 && error.status !== 422)) {
    return false;
  }
  return /stream_options|include_usage/i.test(`${error.message} ${safeJson(error.error)}`);
}

/** The wire's finish_reason in our terms. Shared with the agent's tool-calling turns. */
export function mapFinishReason(reason: string): FinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

/** A wire `usage` object in our terms, or undefined when it is not one. */
export function toUsage(value: unknown): TokenUsage | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const prompt: unknown = Reflect.get(value, 'prompt_tokens');
  const completion: unknown = Reflect.get(value, 'completion_tokens');
  const total: unknown = Reflect.get(value, 'total_tokens');
  if (typeof prompt !== 'number' || typeof completion !== 'number') {
    return undefined;
  }
  return { promptTokens: prompt, completionTokens: completion, totalTokens: typeof total === 'number' ? total : prompt + completion };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
