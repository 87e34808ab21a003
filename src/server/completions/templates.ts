/**
 * Prompt styles for inline completions: which one a model gets (`auto` picks
 * by model name), how a fill-in-the-middle prompt is spelled for each model
 * family, and the stop sequences that go with it. Pure.
 */
import type { CompletionTemplate } from '../../shared/protocol';

/** Where the cursor is in a chat prompt. */
export const CURSOR_MARK = '<CURSOR>';

/** A template after `auto` has been resolved. */
export type ConcreteTemplate = Exclude<CompletionTemplate, 'auto'>;

/** Raw fill-in-the-middle prompts (sent as `prompt` to /v1/completions without `suffix`). */
export type FimTemplate = Exclude<ConcreteTemplate, 'suffix' | 'chat'>;

/** Model-name patterns, checked in order against the name after its last '/' (OpenRouter-style ids). */
const FAMILIES: ReadonlyArray<readonly [RegExp, ConcreteTemplate]> = [
  [/codestral/i, 'codestral'],
  [/qwen[\w.-]*coder|codeqwen/i, 'qwen'],
  [/deepseek[\w.-]*coder/i, 'deepseek'],
  [/starcoder/i, 'starcoder'],
  [/code-?llama/i, 'codellama'],
  // Chat-only hosted models: no /v1/completions (or no `suffix`) for them.
  [/^(gpt-(?!3\.5-turbo-instruct)|chatgpt|o\d(-|$)|claude|gemini|grok|command-r|mistral-(large|medium|small))/i, 'chat'],
];

/**
 * The template for a model: the setting when it is not `auto`, else the model
 * family's fill-in-the-middle format, `chat` for chat-only models and
 * `suffix` (an OpenAI-style `suffix` parameter) for anything else.
 */
export function chooseTemplate(model: string, setting: CompletionTemplate = 'auto'): ConcreteTemplate {
  if (setting !== 'auto') {
    return setting;
  }
  const name = model.trim().split('/').pop() ?? '';
  for (const [pattern, template] of FAMILIES) {
    if (pattern.test(name)) {
      return template;
    }
  }
  return 'suffix';
}

export function isFimTemplate(template: ConcreteTemplate): template is FimTemplate {
  return template !== 'suffix' && template !== 'chat';
}

/** A file shown to the model for context (Qwen's repository format). */
export interface RepoFile {
  path: string;
  text: string;
}

export interface FimParts {
  /** Text before the cursor, possibly with context comments in front of it. */
  prefix: string;
  /** Text after the cursor. */
  suffix: string;
  /** For `qwen`: the repository name and the other files, in the repository format. */
  repoName?: string;
  path?: string;
  files?: readonly RepoFile[];
}

/** The raw prompt of a fill-in-the-middle template. */
export function fimPrompt(template: FimTemplate, parts: FimParts): string {
  const { prefix, suffix } = parts;
  switch (template) {
    case 'qwen': {
      const fim = `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`;
      if (!parts.files?.length) {
        return fim;
      }
      const files = parts.files.map((file) => `<|file_sep|>${file.path}\n${file.text}\n`).join('');
      return `<|repo_name|>${parts.repoName ?? 'workspace'}\n${files}<|file_sep|>${parts.path ?? 'file'}\n${fim}`;
    }
    case 'deepseek':
      return `<｜fim▁begin｜>${prefix}<｜fim▁hole｜>${suffix}<｜fim▁end｜>`;
    case 'starcoder':
      return `<fim_prefix>${prefix}<fim_suffix>${suffix}<fim_middle>`;
    case 'codellama':
      return `<PRE> ${prefix} <SUF>${suffix} <MID>`;
    case 'codestral':
      return `[SUFFIX]${suffix}[PREFIX]${prefix}`;
  }
}

/** Every special token of every template: a suggestion is cut at the first one that leaks through. */
export const SPECIAL_TOKENS: readonly string[] = [
  '<|fim_prefix|>',
  '<|fim_suffix|>',
  '<|fim_middle|>',
  '<|fim_pad|>',
  '<|file_sep|>',
  '<|repo_name|>',
  '<|endoftext|>',
  '<|im_end|>',
  '<|im_start|>',
  '<|EOT|>',
  '<｜fim▁begin｜>',
  '<｜fim▁hole｜>',
  '<｜fim▁end｜>',
  '<｜end▁of▁sentence｜>',
  '<fim_prefix>',
  '<fim_suffix>',
  '<fim_middle>',
  '<file_sep>',
  '<EOT>',
  '<PRE>',
  '<SUF>',
  '<MID>',
  '</s>',
  '[PREFIX]',
  '[SUFFIX]',
  '[MIDDLE]',
];

/** The OpenAI API accepts at most four stop sequences; the rest are cut by post-processing. */
const MAX_STOPS = 4;

const STOPS: Readonly<Record<ConcreteTemplate, readonly string[]>> = {
  suffix: [],
  chat: [],
  qwen: ['<|endoftext|>', '<|fim_prefix|>', '<|file_sep|>', '<|im_end|>'],
  deepseek: ['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', '<｜end▁of▁sentence｜>'],
  starcoder: ['<|endoftext|>', '<fim_prefix>', '<fim_suffix>', '<file_sep>'],
  codellama: ['<EOT>', '<PRE>', '<SUF>', '</s>'],
  codestral: ['</s>', '[PREFIX]', '[SUFFIX]', '[MIDDLE]'],
};

/** Stop sequences for a template; a single-line suggestion also stops at the first newline. */
export function stopSequences(template: ConcreteTemplate, singleLine: boolean): string[] {
  const stops = singleLine ? ['\n', ...STOPS[template]] : [...STOPS[template]];
  return stops.slice(0, MAX_STOPS);
}
