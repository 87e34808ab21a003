/**
 * Sends the non-streamed answers of the scripted model server: JSON completions, errors,
 * and the scripted hang and drop.
 */
import type { Reply } from './modelServer';
import { completionBody, defaultErrorBody, errorBody, estimatePromptTokens, isRecord, requestedModel, usageOf, type Endpoint } from './openaiWire';
import { dropConnection, hold, plannedDeltas, sendStream, type Exchange } from './sse';

export function sendJson(ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const isText = typeof body === 'string';
  const lowered = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  ex.record.status = status;
  ex.res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
    'x-request-id': ex.requestId,
    ...lowered,
  });
  ex.finished = true;
  ex.res.end(isText ? body : JSON.stringify(body));
}

/** A stream script asked for without `stream: true` is answered the way OpenAI would: as one JSON completion (its pacing and faults do not apply). */
function sendCompletion(ex: Exchange, endpoint: Endpoint, reply: Extract<Reply, { kind: 'stream' | 'json' }>): void {
  const text = (reply.kind === 'stream' ? reply.chunks?.join('') : undefined) ?? reply.text ?? '';
  const toolCalls = endpoint === 'chat' ? (reply.toolCalls ?? []) : [];
  const completionTokens = plannedDeltas({ kind: 'stream', text, toolCalls }, endpoint).length;
  const usage = typeof reply.usage === 'object' ? reply.usage : usageOf(estimatePromptTokens(ex.record.body), completionTokens);
  const model = reply.model ?? requestedModel(ex.record.body);
  const finishReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  sendJson(ex, 200, completionBody(endpoint, { text, toolCalls, finishReason, usage, model }));
}

export async function serve(ex: Exchange, endpoint: Endpoint, reply: Reply): Promise<void> {
  if ((reply.kind === 'stream' || reply.kind === 'json') && reply.holdUntil) await hold(reply.holdUntil, ex.signal);
  switch (reply.kind) {
    case 'stream':
      if (isRecord(ex.record.body) && ex.record.body.stream === true) return sendStream(ex, reply, endpoint);
      return sendCompletion(ex, endpoint, reply);
    case 'json':
      return sendCompletion(ex, endpoint, reply);
    case 'error':
      return sendJson(ex, reply.status, reply.body ?? defaultErrorBody(reply.status), reply.headers);
    case 'hang':
      return;
    case 'drop':
      return dropConnection(ex);
  }
}

export function invalidRequest(status: number, message: string, code: string | null = null): Reply {
  return { kind: 'error', status, body: errorBody({ message, type: 'invalid_request_error', code }) };
}

export function modelNotFound(model: string): Reply {
  return invalidRequest(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'model_not_found');
}
