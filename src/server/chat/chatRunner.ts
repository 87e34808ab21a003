import type { ChatParams, ChatResult, ContextItem, TandemSettings } from '../../shared/protocol';
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
  let sent: ContextItem[] = [];
  return streamAnswer(
    {
      streamId: params.streamId,
      model: params.model,
      method: 'tandem/chat',
      purpose: 'chat',
      // Context chips through the boundary first: refused files become a note saying why, the rest is redacted.
      prompt: async (outgoing) => {
        sent = params.context.filter((item) => outgoing.refusePath(item.path) === undefined);
        return assemblePrompt(params.messages, await outgoing.contextItems(params.context), deps.budgetTokens ?? DEFAULT_BUDGET_TOKENS);
      },
      audit: {
        purpose: 'chat',
        // The whole prompt as sent, then each attached item that was sent (a reviewer can match a file's hash);
        // the refused ones are listed as withheld from the boundary's report.
        context: (prompt) => [contextItem('messages', '', JSON.stringify(prompt.messages)), ...contextItems(sent)],
        withheld,
      },
    },
    settings,
    signal,
    deps,
  );
}
