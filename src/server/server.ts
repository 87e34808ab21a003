import {
  CancellationTokenSource,
  createConnection,
  ErrorCodes,
  InlineCompletionRequest,
  Message,
  ProposedFeatures,
  ResponseError,
  type Connection,
  type CancellationToken,
  type ConnectionStrategy,
  type InitializeResult,
} from 'vscode-languageserver/node';
import {
  ChatDeltaNotification,
  ChatNoticeNotification,
  ChatRequest,
  ListModelsRequest,
  ParseEditRequest,
  ProbeLocalRequest,
  ProposeEditRequest,
  ServiceInfoRequest,
  ServiceStatusNotification,
  type ChatDeltaParams,
  type ChatNoticeParams,
  type ChatResult,
  type ProposeEditResult,
  type ServiceInfoResult,
  type TandemSettings,
} from '../shared/protocol';
import { AgentProgressNotification, AgentRunRequest, AgentStepNotification, ClientToolRequest, type AgentRunResult } from '../shared/agentProtocol';
import { runAgent } from './agent/agentLoop';
import { parseAgentRunParams } from './agent/validate';
import { runChat } from './chat/chatRunner';
import { registerCompletions } from './completions/lsp';
import { applyEdits } from './edits';
import { runProposeEdit } from './propose/proposeEdit';
import { parseParseEditParams, parseProposeEditParams } from './propose/validateEdit';
import { WorkspaceBoundary } from '../shared/boundary/boundary';
import { guardOutcome, workspaceReader } from './propose/workspaceFiles';
import { ServiceLog } from './log';
import { listModels } from './providers/models';
import { probeLocal } from './providers/probe';
import { isRecord, type ResolvedSettings } from './settings';
import { SettingsStore } from './settingsStore';
import { buildStatus } from './status';
import { createTransport, type Transport } from './transport';
import { abortOnCancel } from './util/abort';
import { parseChatParams, type Parsed } from './validate';
import { VERSION } from './version';
import { WorkspaceGate } from '../shared/boundary/gate';

/** A chat cancelled before it was dispatched still gets a proper (empty, cancelled) result; an inline completion gets null. */
const connectionStrategy: ConnectionStrategy = {
  cancelUndispatched: (message, next) => {
    if (Message.isRequest(message) && (message.method === ChatRequest.method || message.method === ProposeEditRequest.method)) {
      const params: unknown = message.params;
      const model = isRecord(params) && typeof params.model === 'string' ? params.model : '';
      const result: ChatResult | ProposeEditResult = { text: '', finishReason: 'cancelled', model };
      return { jsonrpc: '2.0', id: message.id, result };
    }
    if (Message.isRequest(message) && message.method === AgentRunRequest.method) {
      const params: unknown = message.params;
      const model = isRecord(params) && typeof params.model === 'string' ? params.model : '';
      const result: AgentRunResult = { text: '', finishReason: 'cancelled', model, steps: 0, usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 }, promptTokensPerRequest: [] };
      return { jsonrpc: '2.0', id: message.id, result };
    }
    if (Message.isRequest(message) && message.method === InlineCompletionRequest.method) {
      return { jsonrpc: '2.0', id: message.id, result: null };
    }
    return next(message);
  },
};

/** Creates the connection on `transport`, registers every handler and starts listening. */
export function startServer(transport: Transport): Connection {
  const [reader, writer] = createTransport(transport);
  const connection = createConnection(ProposedFeatures.all, reader, writer, connectionStrategy);
  const lifecycle = registerHandlers(connection);
  // The client went away (stdin closed, IPC channel gone): leave, cleanly only after a shutdown.
  const exitWhenClosed = (): never => process.exit(lifecycle.shutdownRequested ? 0 : 1);
  reader.onClose(exitWhenClosed);
  if (transport.kind === 'ipc') {
    process.once('disconnect', exitWhenClosed);
  }
  connection.listen();
  return connection;
}

export interface Lifecycle {
  readonly shutdownRequested: boolean;
}

export function registerHandlers(connection: Connection, env: NodeJS.ProcessEnv = process.env): Lifecycle {
  let shutdownRequested = false;
  let store: SettingsStore | undefined;
  const log = new ServiceLog(connection.console, () => currentKeys);
  // Keys to scrub from log lines: the resolved key and the environment's.
  let currentKeys: string[] = env.OPENAI_API_KEY ? [env.OPENAI_API_KEY] : [];
  const running = new Set<AbortController>();

  const settings = (): SettingsStore => {
    store ??= new SettingsStore(undefined, log, env);
    return store;
  };
  const current = async (): Promise<ResolvedSettings> => {
    const resolved = await settings().get();
    rememberKey(resolved.settings.apiKey);
    return resolved;
  };
  const rememberKey = (key: string): void => {
    if (key && !currentKeys.includes(key)) {
      currentKeys = [...currentKeys, key];
    }
  };
  const announceStatus = async (): Promise<void> => {
    const { resolved, latest } = await settings().refresh();
    rememberKey(resolved.settings.apiKey);
    if (latest) {
      const status = buildStatus(resolved);
      log.info(`Settings (${status.source}): ${status.state}, provider=${status.provider || 'none'}, model=${status.model || 'none'}`);
      await connection.sendNotification(ServiceStatusNotification.type, status);
    }
  };

  const gate = new WorkspaceGate();
  const completions = registerCompletions(connection, { settings: async () => (await current()).settings, log, excluded: (uri) => gate.excluded(uri) });

  connection.onInitialize((params): InitializeResult => {
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : params.rootPath ? [params.rootPath] : []);
    gate.setRoots(folders);
    const canPull = params.capabilities.workspace?.configuration === true;
    store = new SettingsStore(canPull ? (section) => connection.workspace.getConfiguration(section) : undefined, log, env);
    store.setPushed(params.initializationOptions);
    completions.initialize(params);
    return { capabilities: { ...completions.capabilities }, serverInfo: { name: 'tandem', version: VERSION } };
  });

  connection.onInitialized(() => {
    log.info(`Tandem model service ${VERSION} ready (pid ${process.pid}).`);
    void announceStatus().catch((error: unknown) => log.error(`Could not send the status: ${String(error)}`));
  });

  connection.onDidChangeConfiguration((params) => {
    settings().setPushed(params.settings);
    void announceStatus().catch((error: unknown) => log.error(`Could not send the status: ${String(error)}`));
  });

  /** What every streaming request gets: deltas and notices for its streamId, and the log. */
  const stream = {
    sendDelta: (delta: ChatDeltaParams): void => void connection.sendNotification(ChatDeltaNotification.type, delta),
    sendNotice: (notice: ChatNoticeParams): void => void connection.sendNotification(ChatNoticeNotification.type, notice),
    log,
  };
  /**
   * A request that streams (chat, edit proposals, agent runs): params checked,
   * cancellation turned into an abort signal (also on shutdown), settings read.
   */
  const streaming =
    <P, R>(method: string, parse: (raw: unknown) => Parsed<P>, run: (params: P, settings: TandemSettings, signal: AbortSignal) => Promise<R>) =>
    async (raw: unknown, token: CancellationToken): Promise<R | ResponseError> => {
      const parsed = parse(raw);
      if (!parsed.ok) {
        return new ResponseError(ErrorCodes.InvalidParams, `Invalid ${method} params: ${parsed.error}`);
      }
      const { controller, dispose } = abortOnCancel(token);
      running.add(controller);
      try {
        const { settings: effective } = await current();
        return await run(parsed.value, effective, controller.signal);
      } finally {
        running.delete(controller);
        dispose();
      }
    };

  connection.onRequest(
    ChatRequest.type,
    streaming(ChatRequest.method, parseChatParams, (params, settings, signal) => {
      const { items, withheld } = gate.filterContext(params.context);
      if (withheld.length > 0) log.warn(`tandem/chat: context not sent (secret, ignored or outside the workspace): ${withheld.join(', ')}`);
      return runChat({ ...params, context: items }, settings, signal, stream);
    }),
  );

  connection.onRequest(
    AgentRunRequest.type,
    streaming(AgentRunRequest.method, parseAgentRunParams, (params, settings, signal) =>
      runAgent(params, settings, signal, {
        ...stream,
        sendStep: (step) => void connection.sendNotification(AgentStepNotification.type, step),
        sendProgress: (progress) => void connection.sendNotification(AgentProgressNotification.type, progress),
        // Stop cancels the client requests still pending ($/cancelRequest), then the run ends as cancelled.
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

  connection.onRequest(
    ProposeEditRequest.type,
    streaming(ProposeEditRequest.method, parseProposeEditParams, async (params, settings, signal) => {
      const result = await runProposeEdit(params, settings, signal, stream);
      if (result.outcome && !result.outcome.ok) {
        log.warn(`tandem/proposeEdit: not applicable: ${result.outcome.failures.map((failure) => failure.kind).join(', ')}`);
      }
      return result;
    }),
  );

  connection.onRequest(ParseEditRequest.type, (raw: unknown) => {
    const parsed = parseParseEditParams(raw);
    if (!parsed.ok) {
      return new ResponseError(ErrorCodes.InvalidParams, `Invalid tandem/parseEdit params: ${parsed.error}`);
    }
    const { text, root, files, defaultPath, selection } = parsed.value;
    const boundary = new WorkspaceBoundary(root);
    const outcome = applyEdits({
      text,
      readFile: workspaceReader(root, files, boundary),
      ...(defaultPath ? { defaultPath } : {}),
      ...(selection ? { selection } : {}),
    });
    return guardOutcome(outcome, boundary);
  });

  connection.onRequest(ListModelsRequest.type, async (_params, token) => {
    const { controller, dispose } = abortOnCancel(token);
    try {
      const started = Date.now();
      const resolved = await current();
      const result = await listModels(resolved, controller.signal);
      log.request({
        method: 'tandem/listModels',
        endpoint: result.baseUrl,
        status: result.error ? (result.error.status ?? result.error.kind) : 200,
        totalMs: Date.now() - started,
      });
      return result;
    } finally {
      dispose();
    }
  });

  connection.onRequest(ProbeLocalRequest.type, async (_params, token) => {
    const { controller, dispose } = abortOnCancel(token);
    try {
      const result = await probeLocal({ signal: controller.signal });
      log.info(`tandem/probeLocal found ${result.servers.map((server) => server.name).join(', ') || 'nothing'}`);
      return result;
    } finally {
      dispose();
    }
  });

  connection.onRequest(ServiceInfoRequest.type, async (): Promise<ServiceInfoResult> => {
    const resolved = await current();
    return { name: 'tandem', version: VERSION, pid: process.pid, status: buildStatus(resolved) };
  });

  connection.onShutdown(() => {
    shutdownRequested = true;
    // Answers in flight end now, as cancelled, with what they have.
    for (const controller of running) {
      controller.abort();
    }
    completions.dispose();
  });

  return {
    get shutdownRequested() {
      return shutdownRequested;
    },
  };
}
