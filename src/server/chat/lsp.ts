/** tandem/chat over LSP: the conversation with its context, through the data boundary (chatRunner.ts); tandem/commitMessage too. */
import type { Connection } from 'vscode-languageserver/node';
import { ChatRequest, CommitMessageRequest } from '../../shared/protocol';
import type { ServiceLog } from '../log';
import type { PromptBudgetFor } from '../prompt/assemble';
import type { StreamChat } from '../providers/openaiChat';
import type { AuditSink } from '../services/audit/trail';
import type { DataBoundary } from '../services/dataBoundary';
import { answerSink, type StreamingRequests } from '../services/requests';
import { parseChatParams } from '../validate';
import { runChat } from './chatRunner';
import { parseCommitMessageParams, runCommitMessage } from './commitMessage';

export interface ChatFeatureDeps {
  log: ServiceLog;
  requests: StreamingRequests;
  /** What may leave the machine: context chips' paths and every text. */
  boundary: DataBoundary;
  audit?: AuditSink;
  /** How answers are streamed (the wiring routes the built-in model's); default: the OpenAI-compatible HTTP provider. */
  stream?: StreamChat;
  /** The model's own prompt budget (the built-in model's context); default: Tandem's chat budget. */
  promptBudget?: PromptBudgetFor;
}

export function registerChat(connection: Connection, deps: ChatFeatureDeps): void {
  const sink = { ...answerSink(connection, deps.log), ...(deps.audit ? { audit: deps.audit } : {}), ...(deps.stream ? { stream: deps.stream } : {}) };
  connection.onRequest(
    ChatRequest.type,
    deps.requests.handler(ChatRequest.method, parseChatParams, (params, settings, signal) => runChat(params, settings, signal, { ...sink, boundary: deps.boundary, ...(deps.promptBudget ? { promptBudget: deps.promptBudget } : {}) }, params.withheld)),
  );
  connection.onRequest(
    CommitMessageRequest.type,
    deps.requests.handler(CommitMessageRequest.method, parseCommitMessageParams, (params, settings, signal) => runCommitMessage(params, settings, signal, { ...sink, boundary: deps.boundary })),
  );
}
