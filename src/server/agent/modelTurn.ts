/**
 * One model turn of the agent: a streamed chat completion with tools. Text
 * pieces go to `onText` as they arrive; tool calls are assembled from their
 * streamed `tool_calls` deltas. Same timeouts, cancellation and error types
 * as providers/openaiChat.ts (abort closes the HTTP connection).
 */
import { APIError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { FinishReason, TokenUsage } from '../../shared/protocol';
import { createClient } from '../providers/client';
import { isStreamOptionsRejection, mapFinishReason, toUsage } from '../providers/openaiChat';
import { guardInactivity } from '../providers/inactivity';
import { MalformedChunkError, StreamCutError } from '../providers/streamErrors';
import type { WireMessage } from './context';
import type { ToolSchema } from './prompt';

export interface ModelToolCall {
  id: string;
  name: string;
  /** The raw JSON arguments as the model wrote them. */
  arguments: string;
}

export interface TurnRequest {
  baseUrl: string;
  apiKey: string;
  model: string;
  messages: readonly WireMessage[];
  tools: readonly ToolSchema[];
  timeoutSeconds: number;
}

export interface TurnResult {
  text: string;
  toolCalls: ModelToolCall[];
  finishReason: FinishReason;
  usage?: TokenUsage;
  status: number;
}

export type StreamTurn = (request: TurnRequest, signal: AbortSignal, onText: (text: string) => void) => Promise<TurnResult>;

export const streamTurn: StreamTurn = async (request, signal, onText) => {
  try {
    return await turnOnce(request, true, signal, onText);
  } catch (error) {
    if (isStreamOptionsRejection(error)) return turnOnce(request, false, signal, onText);
    throw error;
  }
};

async function turnOnce(request: TurnRequest, includeUsage: boolean, signal: AbortSignal, onText: (text: string) => void): Promise<TurnResult> {
  const timeoutMs = request.timeoutSeconds * 1000;
  const guard = guardInactivity(signal, request.timeoutSeconds);
  const { rearm, stopReason } = guard;
  try {
    const client = createClient({ baseUrl: request.baseUrl, apiKey: request.apiKey, timeoutMs, onActivity: rearm });
    const body = {
      model: request.model,
      messages: request.messages,
      tools: request.tools,
      stream: true,
      ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    } as unknown as ChatCompletionCreateParamsStreaming;
    let response: Response;
    let stream: AsyncIterable<ChatCompletionChunk>;
    try {
      const created = await client.chat.completions.create(body, { signal: guard.signal }).withResponse();
      response = created.response;
      stream = created.data;
    } catch (error) {
      throw stopReason() ?? error;
    }

    let text = '';
    const calls = new Map<number, ModelToolCall>();
    let finishReason: FinishReason | undefined;
    let usage: TokenUsage | undefined;
    const result = (): TurnResult => ({
      text,
      toolCalls: [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call).filter((call) => call.name !== ''),
      finishReason: finishReason ?? 'stop',
      usage,
      status: response.status,
    });
    try {
      for await (const chunk of stream) {
        const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
        const piece: unknown = choice?.delta?.content;
        if (typeof piece === 'string' && piece !== '') {
          text += piece;
          onText(piece);
        }
        for (const delta of choice?.delta?.tool_calls ?? []) {
          const index = typeof delta.index === 'number' ? delta.index : calls.size;
          const call = calls.get(index) ?? { id: '', name: '', arguments: '' };
          if (delta.id) call.id = delta.id;
          if (delta.function?.name) call.name += delta.function.name;
          if (delta.function?.arguments) call.arguments += delta.function.arguments;
          calls.set(index, call);
        }
        if (choice?.finish_reason) finishReason = mapFinishReason(choice.finish_reason);
        usage = toUsage(chunk.usage) ?? usage;
      }
    } catch (error) {
      const stopped = stopReason();
      if (stopped) throw stopped;
      if (finishReason) return result();
      if (error instanceof SyntaxError) throw new MalformedChunkError({ cause: error });
      if (error instanceof APIError) throw error;
      throw new StreamCutError('The connection dropped in the middle of the answer.', { cause: error });
    }
    const stopped = stopReason();
    if (stopped) throw stopped;
    if (!finishReason) throw new StreamCutError('The stream ended before the answer was finished.');
    const done = result();
    done.toolCalls.forEach((call, index) => {
      if (!call.id) call.id = `call_${index}_${Date.now().toString(36)}`;
    });
    return done;
  } finally {
    guard.dispose();
  }
}
