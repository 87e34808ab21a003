import type { ChatParams, ChatResult, ContextItem, TandemSettings } from '../../shared/protocol';
import { assemblePrompt, DEFAULT_BUDGET_TOKENS, type AssembledPrompt, type PromptBudgetFor, type TokenCount } from '../prompt/assemble';
import { contextItem, contextItems } from '../services/audit/events';
import { streamAnswer, type AnswerDeps } from '../services/modelAnswer';

export interface ChatRunnerDeps extends AnswerDeps {
  budgetTokens?: number;
  /** The model's own budget when it has one (the built-in model); it wins over `budgetTokens`. */
  promptBudget?: PromptBudgetFor;
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
        // A diff's `+`/`-` marks hide assignments (`SECRET=…`) from rules anchored at the line start: its lines are
        // scanned without them first, and the values found there are then replaced in the diff as sent.
        for (const item of sent) if (item.kind === 'changes') await outgoing.text(withoutDiffMarks(item.text));
        const items = await outgoing.contextItems(params.context);
        const model = await deps.promptBudget?.(settings);
        if (!model) return assemblePrompt(params.messages, items, deps.budgetTokens ?? DEFAULT_BUDGET_TOKENS);
        const build = (count: TokenCount): AssembledPrompt => assemblePrompt(params.messages, items, model.tokens, count, model.messageOverhead);
        return model.exactly ? model.exactly(build) : build(model.count);
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

/** A unified diff's lines without their first column (`+`, `-`, space); headers stay as they are. */
export function withoutDiffMarks(diff: string): string {
  return diff
    .split('\n')
    .map((line) => (/^[+\- ](?!\+\+ |-- )/.test(line) ? line.slice(1) : line))
    .join('\n');
}
