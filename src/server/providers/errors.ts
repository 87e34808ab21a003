import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { errorMessage } from '../../shared/guards';
import type { ChatError, ChatErrorKind, ErrorAction } from '../../shared/protocol';
import { redact } from '../redact';
import { EmbeddedModelError } from './embedded/errors';
import { CancelledError, InactivityTimeoutError, MalformedChunkError, StreamCutError } from './streamErrors';

/** Anything with a case-insensitive header lookup (fetch `Headers`, or a test double). */
export interface HeaderLookup {
  get(name: string): string | null;
}

type NetReason = 'refused' | 'hostNotFound' | 'reset' | 'timeout' | 'invalidUrl';

/** What kind of failure an error is, before it is worded for a person. */
export interface Failure {
  kind: ChatErrorKind | 'cancelled';
  status?: number;
  headers?: HeaderLookup;
  /** The server's own explanation, when it gave one. */
  detail?: string;
  net?: NetReason;
  /** Worth retrying automatically, provided no content has streamed yet: 429, 5xx, refused. */
  retryable: boolean;
  /** `detail` is already a whole sentence for a person (the built-in model's failures): shown as it is. */
  plain?: boolean;
}

export interface ErrorContext {
  baseUrl: string;
  model: string;
  /** Scrubbed from every message. */
  apiKey: string;
  /** How many automatic retries were made before giving up. */
  retries: number;
  /** Whether part of the answer arrived before the failure. */
  hasContent: boolean;
  timeoutSeconds: number;
}

const NET_CODES: Readonly<Record<string, NetReason>> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'hostNotFound',
  EAI_AGAIN: 'hostNotFound',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ERR_INVALID_URL: 'invalidUrl',
};

/** Classifies any thrown value. Pure. */
export function classifyError(error: unknown): Failure {
  if (error instanceof CancelledError || error instanceof APIUserAbortError) {
    return { kind: 'cancelled', retryable: false };
  }
  if (error instanceof InactivityTimeoutError || error instanceof APIConnectionTimeoutError) {
    return { kind: 'timeout', retryable: false };
  }
  if (error instanceof EmbeddedModelError) {
    return { kind: error.failure === 'noFunctionCalling' || error.failure === 'contextFull' ? 'badRequest' : 'server', retryable: false, detail: error.message, plain: true };
  }
  if (error instanceof MalformedChunkError || error instanceof SyntaxError) {
    return { kind: 'malformed', retryable: false };
  }
  if (error instanceof StreamCutError) {
    return { kind: 'streamCut', retryable: false };
  }
  if (error instanceof APIConnectionError) {
    return fromNetReason(findNetReason(error.cause) ?? 'reset');
  }
  if (error instanceof APIError) {
    return fromStatus(error.status, error.headers, serverDetail(error));
  }
  const net = findNetReason(error);
  if (net) {
    return fromNetReason(net);
  }
  return { kind: 'unknown', retryable: false, detail: errorMessage(error) };
}

function fromStatus(status: number | undefined, headers: HeaderLookup | undefined, detail: string | undefined): Failure {
  const base = { status, headers, detail };
  if (status === undefined) {
    // An error object inside the event stream.
    return { ...base, kind: 'server', retryable: false };
  }
  if (status === 401 || status === 403) {
    return { ...base, kind: 'auth', retryable: false };
  }
  if (status === 404) {
    return { ...base, kind: 'modelNotFound', retryable: false };
  }
  if (status === 429) {
    return { ...base, kind: 'rateLimited', retryable: true };
  }
  if (status === 408) {
    return { ...base, kind: 'timeout', retryable: false };
  }
  if (status >= 500) {
    return { ...base, kind: 'server', retryable: true };
  }
  return { ...base, kind: 'badRequest', retryable: false };
}

function fromNetReason(net: NetReason): Failure {
  if (net === 'timeout') {
    return { kind: 'timeout', net, retryable: false };
  }
  return { kind: 'connection', net, retryable: net === 'refused' };
}

/** Walks `cause` chains and AggregateErrors looking for a Node/undici error code. */
export function findNetReason(error: unknown, depth = 0): NetReason | undefined {
  if (typeof error !== 'object' || error === null || depth > 6) {
    return undefined;
  }
  const code: unknown = Reflect.get(error, 'code');
  if (typeof code === 'string' && NET_CODES[code]) {
    return NET_CODES[code];
  }
  const nested: unknown = Reflect.get(error, 'errors');
  if (Array.isArray(nested)) {
    for (const inner of nested) {
      const found = findNetReason(inner, depth + 1);
      if (found) {
        return found;
      }
    }
  }
  return findNetReason(Reflect.get(error, 'cause'), depth + 1);
}

/** The server's message from an error body: `{error: {message}}`, `{error: "..."}` or plain text. */
function serverDetail(error: APIError): string | undefined {
  const body: unknown = error.error;
  let text: string | undefined;
  if (typeof body === 'string') {
    text = body;
  } else if (typeof body === 'object' && body !== null && typeof Reflect.get(body, 'message') === 'string') {
    text = Reflect.get(body, 'message') as string;
  } else if (error.message && !/status code \(no body\)$/.test(error.message)) {
    text = error.message.replace(/^\d{3}\s+/, '');
  }
  const cleaned = text?.replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
  if (!cleaned) {
    return undefined;
  }
  return cleaned.length > 300 ? `${cleaned.slice(0, 297)}...` : cleaned;
}

/** Words a failure for a person, with the one action they can take. Pure; never contains the key. */
export function toChatError(error: unknown, context: ErrorContext): ChatError {
  return describeFailure(classifyError(error), context);
}

export function describeFailure(failure: Failure, context: ErrorContext): ChatError {
  const { message, action } = wording(failure, context);
  const result: ChatError = { kind: failure.kind === 'cancelled' ? 'unknown' : failure.kind, message: redact(message, [context.apiKey]) };
  if (failure.status !== undefined) {
    result.status = failure.status;
  }
  if (action) {
    result.action = action;
  }
  return result;
}

function wording(failure: Failure, context: ErrorContext): { message: string; action?: ErrorAction } {
  const { status, detail } = failure;
  const { baseUrl, retries } = context;
  const afterRetries = retries > 0 ? `after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
  const withDetail = detail ? `: ${detail}` : '';
  if (failure.plain && detail) {
    // A model that cannot do something (badRequest) has nothing to look up in the log.
    return failure.kind === 'badRequest' ? { message: detail } : { message: detail, action: 'showLog' };
  }
  switch (failure.kind) {
    case 'auth':
      return context.apiKey
        ? { message: `The model service rejected the API key (${status}). Set a valid key with “Tandem: Set API Key”.`, action: 'setApiKey' }
        : { message: `The model service requires an API key (${status}). Set one with “Tandem: Set API Key”.`, action: 'setApiKey' };
    case 'modelNotFound':
      return {
        message: `The model “${context.model}” was not found at ${baseUrl} (404). Choose an available model with “Tandem: Choose Model”.`,
        action: 'pickModel',
      };
    case 'rateLimited':
      return {
        message: afterRetries
          ? `Rate limited by the model service (429); still rate limited ${afterRetries}. Wait a moment and try again.`
          : 'Rate limited by the model service (429). Wait a moment and try again.',
        action: 'retry',
      };
    case 'server':
      if (status === undefined) {
        return { message: `The model service reported an error${withDetail}.`, action: 'retry' };
      }
      return {
        message: `The model service had an internal error (${status})${withDetail}${afterRetries ? `; still failing ${afterRetries}` : ''}.`,
        action: 'retry',
      };
    case 'badRequest':
      return { message: `The model service rejected the request (${status})${withDetail}.` };
    case 'timeout':
      return {
        message: `No data from the model service for ${context.timeoutSeconds} s, so the request was abandoned${context.hasContent ? '; what arrived is kept' : ''}.`,
        action: 'retry',
      };
    case 'connection':
      return connectionWording(failure.net, baseUrl, afterRetries);
    case 'streamCut':
      return context.hasContent
        ? { message: 'The connection dropped after part of the answer; what arrived is kept.', action: 'retry' }
        : { message: 'The model service closed the connection before answering.', action: 'retry' };
    case 'malformed':
      return {
        message: `The model service sent a malformed chunk that is not valid JSON${context.hasContent ? '; what arrived is kept' : ''}.`,
        action: 'retry',
      };
    default:
      return { message: `Unexpected error${withDetail}. See the Tandem log for details.`, action: 'showLog' };
  }
}

function connectionWording(net: NetReason | undefined, baseUrl: string, afterRetries: string): { message: string; action: ErrorAction } {
  switch (net) {
    case 'hostNotFound':
      return { message: `Could not find the host of ${baseUrl} — check the base URL and the network connection.`, action: 'openSettings' };
    case 'invalidUrl':
      return { message: `The base URL “${baseUrl}” is not a valid URL. Fix it in the Tandem settings.`, action: 'openSettings' };
    case 'reset':
      return { message: `The connection to ${baseUrl} was closed before any answer arrived.`, action: 'retry' };
    default:
      return {
        message: `Could not connect to ${baseUrl} — is the server running?${afterRetries ? ` (Still refused ${afterRetries}.)` : ''}`,
        action: 'openSettings',
      };
  }
}
