/**
 * tandem/agentRun over LSP: the run's steps and progress as notifications,
 * and its client tools as requests to the client (tandem/clientTool) that
 * Stop cancels ($/cancelRequest) before the run ends as cancelled.
 */
import { CancellationTokenSource, type Connection } from 'vscode-languageserver/node';
import { AgentProgressNotification, AgentRunRequest, AgentStepNotification, ClientToolRequest } from '../../shared/agentProtocol';
import type { TandemSettings } from '../../shared/protocol';
import type { ServiceLog } from '../log';
import type { AuditSink } from '../services/audit/trail';
import type { CodebaseSearch } from '../services/codebase/codebaseIndex';
import type { DataBoundary } from '../services/dataBoundary';
import { answerSink, type StreamingRequests } from '../services/requests';
import { runAgent } from './agentLoop';
import type { StreamTurn } from './modelTurn';
import { parseAgentRunParams } from './validate';

export interface AgentFeatureDeps {
  log: ServiceLog;
  requests: StreamingRequests;
  audit?: AuditSink;
  boundary: DataBoundary;
  codebase?: CodebaseSearch;
  /** How a model turn is streamed (the wiring routes the built-in model's); default: the OpenAI-compatible HTTP provider. */
  stream?: StreamTurn;
  /** The model's own window for a task's conversation (the built-in model's prompt budget); default: the agent's. */
  windowBudget?: (settings: TandemSettings) => number | undefined;
}

export function registerAgent(connection: Connection, deps: AgentFeatureDeps): void {
  const sink = answerSink(connection, deps.log);
  connection.onRequest(
    AgentRunRequest.type,
    deps.requests.handler(AgentRunRequest.method, parseAgentRunParams, (params, settings, signal) =>
      runAgent(params, settings, signal, {
        ...sink,
        ...windowOf(deps, settings),
        ...(deps.audit ? { audit: deps.audit } : {}),
        boundary: deps.boundary,
        ...(deps.codebase ? { codebase: deps.codebase } : {}),
        ...(deps.stream ? { stream: deps.stream } : {}),
        sendStep: (step) => void connection.sendNotification(AgentStepNotification.type, step),
        sendProgress: (progress) => void connection.sendNotification(AgentProgressNotification.type, progress),
        callClient: async (clientParams, clientSignal) => {
          const source = new CancellationTokenSource();
          const onAbort = (): void => source.cancel();
          clientSignal.addEventListener('abort', onAbort, { once: true });
          try {
            return await connection.sendRequest(ClientToolRequest.type, clientParams, source.token);
          } finally {
            clientSignal.removeEventListener('abort', onAbort);
            source.dispose();
          }
        },
      }),
    ),
  );
}

function windowOf(deps: AgentFeatureDeps, settings: TandemSettings): { windowBudgetTokens?: number } {
  const tokens = deps.windowBudget?.(settings);
  return tokens ? { windowBudgetTokens: tokens } : {};
}
