/**
 * OpenAI wire shapes (chat.completion, chat.completion.chunk, text_completion, errors, model list)
 * for the scripted model server. Kept separate from the transport so the shapes are easy to
 * compare against the OpenAI API reference.
 */
import { randomBytes } from 'node:crypto';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ToolCallScript {
  id?: string;
  name: string;
  arguments: string;
}

/** Which endpoint a request came in on decides the object shapes of the answer. */
export type Endpoint = 'chat' | 'completions';

export interface ChatDelta {
  role?: 'assistant';
  content?: string;
  tool_calls?: Array<{
    index: number;
    id?: string;
    type?: 'function';
    function: { name?: string; arguments: string };
  }>;
}

export function newId(endpoint: Endpoint): string {
  return `${endpoint === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomBytes(12).toString('hex')}`;
}

export function newToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

export function newRequestId(): string {
  return `req_${randomBytes(16).toString('hex')}`;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Splits text into token-like pieces: a word with the spaces before it, a run of up to three
 * punctuation marks, a run of newlines, or other whitespace. Long words are cut into 4-character
 * pieces so that identifiers stream in several chunks as they do with a real tokenizer.
 * Every character falls into one of the alternatives, so the pieces always join back to `text`.
 */
export function tokenize(text: string): string[] {
  const pieces: string[] = [];
  const pattern = /[ \t]*(?:[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]{1,3})|\n+|[^\S\n]+/gu;
  for (const match of text.matchAll(pattern)) {
    pieces.push(...splitLongWord(match[0]));
  }
  return pieces;
}

const MAX_WORD_CHARS = 8;
const WORD_PIECE_CHARS = 4;

function splitLongWord(token: string): string[] {
  const chars = Array.from(token.trimStart());
  if (chars.length <= MAX_WORD_CHARS) return [token];
  const lead = token.slice(0, token.length - token.trimStart().length);
  // Even pieces, so a 9-letter word becomes 3+3+3 rather than 4+4+1.
  const size = Math.ceil(chars.length / Math.ceil(chars.length / WORD_PIECE_CHARS));
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  pieces[0] = lead + pieces[0];
  return pieces;
}

/** Text of one chat message's content: a plain string or an array of typed parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messagesOf(body: unknown): Array<Record<string, unknown>> {
  if (!isRecord(body) || !Array.isArray(body.messages)) return [];
  return body.messages.filter(isRecord);
}

/** The last user message of a chat request (or the prompt of a completions request); '' if none. */
export function lastUserText(body: unknown): string {
  const user = messagesOf(body).filter((message) => message.role === 'user').at(-1);
  if (user) return contentText(user.content);
  return isRecord(body) && typeof body.prompt === 'string' ? body.prompt : '';
}

export function requestedModel(body: unknown): string {
  return isRecord(body) && typeof body.model === 'string' ? body.model : 'test-model';
}

/** ~4 characters per token over all message contents (or the completions prompt). */
export function estimatePromptTokens(body: unknown): number {
  const chars = messagesOf(body).reduce((sum, message) => sum + contentText(message.content).length, 0);
  const prompt = isRecord(body) && typeof body.prompt === 'string' ? body.prompt.length : 0;
  return Math.ceil((chars + prompt) / 4);
}

export function usageOf(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** Stable fields every chunk of one answer shares. */
export interface ChunkHeader {
  endpoint: Endpoint;
  id: string;
  created: number;
  model: string;
  /** OpenAI sends `usage: null` on every chunk when the final usage chunk will follow. */
  withUsage: boolean;
}

export function deltaChunk(header: ChunkHeader, delta: ChatDelta, finishReason: string | null): object {
  const choice =
    header.endpoint === 'chat'
      ? { index: 0, delta, logprobs: null, finish_reason: finishReason }
      : { index: 0, text: delta.content ?? '', logprobs: null, finish_reason: finishReason };
  return { ...chunkFrame(header), choices: [choice], ...(header.withUsage ? { usage: null } : {}) };
}

export function usageChunk(header: ChunkHeader, usage: Usage): object {
  return { ...chunkFrame(header), choices: [], usage };
}

function chunkFrame(header: ChunkHeader): object {
  const object = header.endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  return { id: header.id, object, created: header.created, model: header.model, system_fingerprint: 'fp_scripted' };
}

export interface CompletionContent {
  text: string;
  toolCalls: ToolCallScript[];
  finishReason: string;
  usage: Usage;
  model: string;
}

/** A complete, non-streamed answer: `chat.completion` or `text_completion`. */
export function completionBody(endpoint: Endpoint, content: CompletionContent): object {
  const frame = { id: newId(endpoint), created: unixSeconds(), model: content.model, system_fingerprint: 'fp_scripted' };
  if (endpoint === 'completions') {
    const choice = { index: 0, text: content.text, logprobs: null, finish_reason: content.finishReason };
    return { ...frame, object: 'text_completion', choices: [choice], usage: content.usage };
  }
  const toolCalls = content.toolCalls.map((call) => ({
    id: call.id ?? newToolCallId(),
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
  const message = {
    role: 'assistant',
    content: content.text === '' && toolCalls.length > 0 ? null : content.text,
    refusal: null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
  const choice = { index: 0, message, logprobs: null, finish_reason: content.finishReason };
  return { ...frame, object: 'chat.completion', choices: [choice], usage: content.usage };
}

export function modelList(models: readonly string[]): object {
  return { object: 'list', data: models.map(modelObject) };
}

export function modelObject(id: string): object {
  // A fixed creation date keeps listings identical between runs.
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'tandem-scripted' };
}

export interface ErrorFields {
  message: string;
  type: string;
  code: string | null;
  param?: string | null;
}

export function errorBody(fields: ErrorFields): object {
  return { error: { message: fields.message, type: fields.type, param: fields.param ?? null, code: fields.code } };
}

/** What OpenAI answers for a status when a script gives no body of its own. */
export function defaultErrorBody(status: number): object {
  const known: Record<number, ErrorFields> = {
    400: { message: 'Bad request.', type: 'invalid_request_error', code: null },
    401: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
    403: { message: 'You are not allowed to sample from this model.', type: 'invalid_request_error', code: null },
    404: { message: 'The model does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found' },
    429: { message: 'Rate limit reached for requests. Please try again later.', type: 'requests', code: 'rate_limit_exceeded' },
    503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null },
  };
  const fallback: ErrorFields =
    status >= 500
      ? { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null }
      : { message: `Request failed with status ${status}.`, type: 'invalid_request_error', code: null };
  return errorBody(known[status] ?? fallback);
}
