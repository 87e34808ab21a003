/** tandem/chat over LSP: the conversation with its context, minus what may not leave the workspace. */
import type { Connection } from 'vscode-languageserver/node';
import { ChatRequest, type ContextItem } from '../../shared/protocol';
import type { ServiceLog } from '../log';
import type { AuditSink } from '../services/audit/trail';
import { answerSink, type StreamingRequests } from '../services/requests';
import { parseChatParams } from '../validate';
import { runChat } from './chatRunner';

export interface ChatFeatureDeps {
  log: ServiceLog;
  requests: StreamingRequests;
  /** The items with secret, ignored or outside files replaced by a note, and the paths withheld. */
  filterContext(items: readonly ContextItem[]): { items: ContextItem[]; withheld: string[] };
  audit?: AuditSink;
}

export function registerChat(connection: Connection, deps: ChatFeatureDeps): void {
  const sink = { ...answerSink(connection, deps.log), ...(deps.audit ? { audit: deps.audit } : {}) };
  connection.onRequest(
    ChatRequest.type,
    deps.requests.handler(ChatRequest.method, parseChatParams, (params, settings, signal) => {
      const { items, withheld } = deps.filterContext(params.context);
      if (withheld.length > 0) deps.log.warn(`tandem/chat: context not sent (secret, ignored or outside the workspace): ${withheld.join(', ')}`);
      return runChat({ ...params, context: items }, settings, signal, sink, withheld);
    }),
  );
}
