/**
 * Keeping the agent's conversation within bounds: one token counter (used for
 * the budget, the benchmarks and Ask mode alike), head-and-tail truncation of
 * large tool outputs, eliding old tool outputs when the conversation outgrows
 * the window, and prices for the cost estimate. Pure.
 */
import type { TokenUsage } from '../../shared/protocol';

/** Tool outputs above this many characters keep only their head and tail. */
export const MAX_TOOL_OUTPUT_CHARS = 12_000;
/** The conversation is compacted above this many estimated tokens. */
export const WINDOW_BUDGET_TOKENS = 48_000;
/** The most recent tool results are never elided. */
const KEEP_RECENT_TOOL_RESULTS = 4;
const MESSAGE_OVERHEAD_TOKENS = 4;

/** ~4 characters per token; code and JSON come out close to real tokenizers. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Minimal shape of an OpenAI chat message as the agent builds them. */
export interface WireMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

/** Estimated tokens of a request: every message's content and tool calls, plus the tool schemas. */
export function estimateRequestTokens(messages: readonly WireMessage[], tools: readonly unknown[] = []): number {
  let chars = tools.length > 0 ? JSON.stringify(tools).length : 0;
  let overhead = 0;
  for (const message of messages) {
    chars += (message.content ?? '').length;
    for (const call of message.tool_calls ?? []) chars += call.function.name.length + call.function.arguments.length + 12;
    overhead += MESSAGE_OVERHEAD_TOKENS;
  }
  return Math.ceil(chars / 4) + overhead;
}

/** Keeps the first and last lines of a long text with a note saying how much was left out. */
export function truncateMiddle(text: string, maxChars: number = MAX_TOOL_OUTPUT_CHARS, hint = ''): string {
  if (text.length <= maxChars) return text;
  const headChars = Math.floor(maxChars * 0.6);
  const tailChars = maxChars - headChars;
  let head = text.slice(0, headChars);
  let tail = text.slice(text.length - tailChars);
  const headBreak = head.lastIndexOf('\n');
  if (headBreak > headChars / 2) head = head.slice(0, headBreak + 1);
  const tailBreak = tail.indexOf('\n');
  if (tailBreak >= 0 && tailBreak < tailChars / 2) tail = tail.slice(tailBreak + 1);
  const omitted = text.slice(head.length, text.length - tail.length);
  const lines = omitted.split('\n').length - 1;
  const note = `[… ${lines} lines (${omitted.length} characters) omitted${hint ? `; ${hint}` : ''} …]`;
  return `${head}${head.endsWith('\n') ? '' : '\n'}${note}\n${tail}`;
}

/**
 * When the request would exceed `budgetTokens`, replaces the outputs of the
 * oldest tool results (all but the last few) with "[output elided: N lines]",
 * oldest first, until it fits. Returns how many were elided. Mutates.
 */
export function elideOldToolResults(messages: WireMessage[], tools: readonly unknown[], budgetTokens: number = WINDOW_BUDGET_TOKENS): number {
  let total = estimateRequestTokens(messages, tools);
  if (total <= budgetTokens) return 0;
  const toolIndexes = messages.flatMap((message, index) => (message.role === 'tool' ? [index] : []));
  const candidates = toolIndexes.slice(0, Math.max(0, toolIndexes.length - KEEP_RECENT_TOOL_RESULTS));
  let elided = 0;
  for (const index of candidates) {
    const message = messages[index];
    const content = message?.content ?? '';
    if (!message || content.startsWith('[output elided')) continue;
    const lines = content.split('\n').length;
    const replacement = `[output elided: ${lines} lines; call the tool again if needed]`;
    total -= estimateTokens(content) - estimateTokens(replacement);
    message.content = replacement;
    elided += 1;
    if (total <= budgetTokens) break;
  }
  return elided;
}

/** USD per million tokens (input, output), for the cost shown in the chat header. */
const PRICES: ReadonlyArray<[RegExp, number, number]> = [
  [/^gpt-4\.1-nano/, 0.1, 0.4],
  [/^gpt-4\.1-mini/, 0.4, 1.6],
  [/^gpt-4\.1/, 2, 8],
  [/^gpt-4o-mini/, 0.15, 0.6],
  [/^gpt-4o/, 2.5, 10],
  [/^gpt-5-nano/, 0.05, 0.4],
  [/^gpt-5-mini/, 0.25, 2],
  [/^gpt-5/, 1.25, 10],
  [/^o4-mini/, 1.1, 4.4],
  [/^o3-mini/, 1.1, 4.4],
  [/^o3/, 2, 8],
];

/** Estimated cost of `usage` with `model`, or undefined when its price is not known (local models). */
export function estimateCostUsd(model: string, usage: TokenUsage): number | undefined {
  const id = model.replace(/^openai\//, '').toLowerCase();
  const price = PRICES.find(([pattern]) => pattern.test(id));
  if (!price) return undefined;
  const cost = (usage.promptTokens * price[1] + usage.completionTokens * price[2]) / 1_000_000;
  return Math.round(cost * 1_000_000) / 1_000_000;
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}
