/**
 * The request body for a completion: the prefix and suffix windows, and the
 * snippets of other files — as comments in the file's language before the
 * prefix, or as Qwen's repository format — in the template's form. Pure.
 */
import type { PromptMessage } from '../prompt/assemble';
import type { ModelBody } from './backend';
import { commentLines, type CursorContext } from './context';
import { CURSOR_MARK, fimPrompt, isFimTemplate, stopSequences, type ConcreteTemplate } from './templates';

/** Tokens a suggestion may use: a line is rarely more than ~24 tokens. */
export const SINGLE_LINE_TOKENS = 64;
export const TOKENS_PER_LINE = 24;
export const MAX_TOKENS = 512;

export interface PromptSnippet {
  path: string;
  text: string;
}

export interface PromptInput {
  ctx: Pick<CursorContext, 'prefixWindow' | 'suffixWindow' | 'languageId' | 'singleLine'>;
  template: ConcreteTemplate;
  model: string;
  /** The document's path as shown to the model. */
  path: string;
  repoName: string;
  snippets: readonly PromptSnippet[];
  maxLines: number;
}

const CHAT_SYSTEM = [
  'You are a code completion engine inside an editor.',
  `You get a file with the marker ${CURSOR_MARK} where the cursor is.`,
  `Reply with exactly the text to insert at ${CURSOR_MARK} and nothing else:`,
  'no explanation, no Markdown fences, do not repeat the code before or after the cursor, keep the indentation of the file.',
  'If nothing should be inserted, reply with an empty message.',
].join(' ');

/** Reasoning models (o-series, gpt-5) take max_completion_tokens and no temperature. */
export function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/i.test(model.split('/').pop() ?? '');
}

export function maxTokensFor(singleLine: boolean, maxLines: number): number {
  return singleLine ? SINGLE_LINE_TOKENS : Math.min(MAX_TOKENS, maxLines * TOKENS_PER_LINE);
}

export function buildModelBody(input: PromptInput): ModelBody {
  const prefix = input.ctx.prefixWindow.replace(/\r\n/g, '\n');
  const suffix = input.ctx.suffixWindow.replace(/\r\n/g, '\n');
  const { template, ctx } = input;
  const maxTokens = maxTokensFor(ctx.singleLine, input.maxLines);
  if (template === 'chat') {
    return { kind: 'chat', messages: chatMessages(input, prefix, suffix), maxTokens, reasoningModel: isReasoningModel(input.model) };
  }
  const stop = stopSequences(template, ctx.singleLine);
  if (template === 'qwen' && input.snippets.length > 0) {
    const files = input.snippets.map((snippet) => ({ path: snippet.path, text: snippet.text }));
    return { kind: 'completions', prompt: fimPrompt('qwen', { prefix, suffix, repoName: input.repoName, path: input.path, files }), stop, maxTokens };
  }
  const withContext = contextComments(input) + prefix;
  if (isFimTemplate(template)) {
    return { kind: 'completions', prompt: fimPrompt(template, { prefix: withContext, suffix }), stop, maxTokens };
  }
  return { kind: 'completions', prompt: withContext, suffix, stop, maxTokens };
}

/** Other files' snippets and the file's own path, as comments in the file's language. */
export function contextComments(input: Pick<PromptInput, 'path' | 'snippets' | 'ctx'>): string {
  const languageId = input.ctx.languageId;
  const blocks = input.snippets.map((snippet) => commentLines([`Path: ${snippet.path}`, ...snippet.text.replace(/\r\n/g, '\n').split('\n')], languageId));
  blocks.push(commentLines([`Path: ${input.path}`], languageId));
  return blocks.join('');
}

function chatMessages(input: PromptInput, prefix: string, suffix: string): PromptMessage[] {
  const parts: string[] = [];
  for (const snippet of input.snippets) {
    parts.push(`Related code from ${snippet.path}:\n\`\`\`\n${snippet.text}\n\`\`\``);
  }
  const scope = input.ctx.singleLine ? 'Complete only the rest of the current line.' : `Complete at most ${input.maxLines} lines.`;
  parts.push(`File ${input.path} (${input.ctx.languageId}):\n\`\`\`\n${prefix}${CURSOR_MARK}${suffix}\n\`\`\``);
  parts.push(`${scope} Reply with the text for ${CURSOR_MARK} only.`);
  return [
    { role: 'system', content: CHAT_SYSTEM },
    { role: 'user', content: parts.join('\n\n') },
  ];
}
