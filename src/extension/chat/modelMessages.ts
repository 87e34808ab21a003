import type { ChatMessage } from '../../shared/protocol';
import type { UiMessage } from '../../shared/webviewProtocol';

/**
 * The conversation as the model sees it. Answers that failed before any text
 * arrived are left out; a partial answer (stopped, cut) stays, because the
 * person saw it and may refer to it.
 */
export function toModelMessages(messages: readonly UiMessage[]): ChatMessage[] {
  return messages
    .filter((message) => message.role === 'user' || message.text.trim().length > 0)
    .map((message) => ({ role: message.role, content: message.text }));
}
