import type { ChatParams, ChatResult, TandemSettings } from '../../shared/protocol';
import { assemblePrompt, DEFAULT_BUDGET_TOKENS } from '../prompt/assemble';
import { contextItem, contextItems } from '../services/audit/events';
import { streamAnswer, type AnswerDeps } from '../services/modelAnswer';

export interface ChatRunnerDeps extends AnswerDeps {
  budgetTokens?: number;
}

/**
 * Runs one tandem/chat: the conversation and its context assembled into a
 * prompt that fits the budget, then streamed like every model answer
 * (coalesced deltas, announced retries, the whole text returned).
 */
export function runChat(params: ChatParams, settings: TandemSettings, signal: AbortSignal, deps: ChatRunnerDeps, withheld: string[] = []): Promise<ChatResult> {
  return streamAnswer(
    {
      streamId: params.streamId,
      model: params.model,
      method: 'tandem/chat',
      prompt: () => assemblePrompt(params.messages, params.context, deps.budgetTokens ?? DEFAULT_BUDGET_TOKENS),
      audit: {
        purpose: 'chat',
        // The whole prompt as sent, then each attached item (a reviewer can match a file's hash).
        context: (prompt) => [contextItem('messages', '', JSON.stringify(prompt.messages)), ...contextItems(params.context)],
        withheld,
      },
    },
    settings,
    signal,
    deps,
  );
}
