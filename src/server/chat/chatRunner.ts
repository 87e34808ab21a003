import type { ChatParams, ChatResult, TandemSettings } from '../../shared/protocol';
import { assemblePrompt, DEFAULT_BUDGET_TOKENS } from '../prompt/assemble';
import { streamAnswer, type AnswerDeps } from '../services/modelAnswer';

export interface ChatRunnerDeps extends AnswerDeps {
  budgetTokens?: number;
}

/**
 * Runs one tandem/chat: the conversation and its context assembled into a
 * prompt that fits the budget, then streamed like every model answer
 * (coalesced deltas, announced retries, the whole text returned).
 */
export function runChat(params: ChatParams, settings: TandemSettings, signal: AbortSignal, deps: ChatRunnerDeps): Promise<ChatResult> {
  return streamAnswer(
    {
      streamId: params.streamId,
      model: params.model,
      method: 'tandem/chat',
      purpose: 'chat',
      // Context chips through the boundary first: refused files become a note saying why, the rest is redacted.
      prompt: async (outgoing) => assemblePrompt(params.messages, await outgoing.contextItems(params.context), deps.budgetTokens ?? DEFAULT_BUDGET_TOKENS),
    },
    settings,
    signal,
    deps,
  );
}
