/**
 * The service's messages (OpenAI's shape) as node-llama-cpp's chat history,
 * and the agent's tool schemas as its functions. Pure.
 */
import type { ChatFunctionCall, ChatFunctionSpec, ChatHistoryItem } from './engineTypes';

export interface PlainMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ToolMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: ReadonlyArray<{ id: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

export interface ToolDefinition {
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/**
 * The history to answer: every message in order, an assistant's tool calls
 * with their results (the `tool` messages that answer them), and the empty
 * model turn the answer is generated into.
 */
export function toHistory(messages: readonly ToolMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const results = new Map<string, string>();
  for (const message of messages) {
    if (message.role === 'tool' && message.tool_call_id !== undefined) results.set(message.tool_call_id, message.content ?? '');
  }
  for (const message of messages) {
    const text = message.content ?? '';
    switch (message.role) {
      case 'system':
        history.push({ type: 'system', text });
        break;
      case 'user':
        history.push({ type: 'user', text });
        break;
      case 'assistant': {
        const response: Array<string | ChatFunctionCall> = text ? [text] : [];
        for (const call of message.tool_calls ?? []) {
          response.push({ type: 'functionCall', name: call.function.name, params: parseArguments(call.function.arguments), result: results.get(call.id) ?? '' });
        }
        history.push({ type: 'model', response });
        break;
      }
      case 'tool':
        // Folded into the call it answers, above.
        break;
    }
  }
  history.push({ type: 'model', response: [] });
  return history;
}

/** The agent's tools as node-llama-cpp functions (described to the model; never run by it). */
export function toFunctions(tools: readonly ToolDefinition[]): Record<string, ChatFunctionSpec> {
  const functions: Record<string, ChatFunctionSpec> = {};
  for (const tool of tools) functions[tool.function.name] = { description: tool.function.description, params: tool.function.parameters };
  return functions;
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
