import {
  createConnection,
  InlineCompletionRequest,
  Message,
  ProposedFeatures,
  type Connection,
  type ConnectionStrategy,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { ChatRequest, ProposeEditRequest, ServiceStatusNotification, type ChatResult, type ProposeEditResult, type TandemSettings } from '../shared/protocol';
import { AgentRunRequest, type AgentRunResult } from '../shared/agentProtocol';
import { WorkspaceGate } from '../shared/boundary/gate';
import { isRecord } from '../shared/guards';
import { registerAgent } from './agent/lsp';
import { streamTurn, type StreamTurn } from './agent/modelTurn';
import { callModel, type CallModel } from './completions/backend';
import { registerChat } from './chat/lsp';
import { registerCompletions } from './completions/lsp';
import { ServiceLog } from './log';
import { registerModels } from './models/lsp';
import type { ModelPromptBudget } from './prompt/assemble';
import { EngineHost } from './providers/embedded/engineHost';
import { streamChat, type StreamChat } from './providers/openaiChat';
import { registerPropose } from './propose/lsp';
import { registerAudit } from './services/audit/lsp';
import { registerProjectChecks } from './services/checks/project/lsp';
import { registerChecks } from './services/checks/lsp';
import { registerCodebase } from './services/codebase/lsp';
import { ChunkEmbedder, type EmbeddingsEndpoint } from './services/codebase/embedder';
import { registerMetrics } from './services/metrics/lsp';
import { registerModelDownload } from './services/modelDownload/lsp';
import { AuditTrail } from './services/audit/trail';
import { DataBoundary } from './services/dataBoundary';
import { StreamingRequests } from './services/requests';
import { OtlpExport } from './services/telemetry/otlp';
import { effectiveBaseUrl, isEmbeddedEndpoint, type ResolvedSettings } from './settings';
import { SettingsStore } from './settingsStore';
import { buildStatus } from './status';
import { createTransport, type Transport } from './transport';
import { Foreground } from './util/foreground';
import { VERSION } from './version';

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
  // The client went away (stdin closed, IPC channel gone): leave, cleanly only after a shutdown,
  // once the audit trail is written (or after a second at most).
  let leaving = false;
  const exitWhenClosed = (): void => {
    if (leaving) return;
    leaving = true;
    const code = lifecycle.shutdownRequested ? 0 : 1;
    const timer = setTimeout(() => process.exit(code), 1_000);
    void lifecycle.closeAudit().finally(() => {
      clearTimeout(timer);
      process.exit(code);
    });
  };
  reader.onClose(exitWhenClosed);
  if (transport.kind === 'ipc') {
    process.once('disconnect', exitWhenClosed);
  }
  connection.listen();
  return connection;
}

export interface Lifecycle {
  readonly shutdownRequested: boolean;
  /** Ends the audit session, writes what is buffered and sends the last telemetry (at exit). */
  closeAudit(): Promise<void>;
}

/**
 * The service's lifecycle (initialize, settings, shutdown) and the wiring of
 * its features, each registered by its own folder.
 */
export function registerHandlers(connection: Connection, env: NodeJS.ProcessEnv = process.env): Lifecycle {
  let shutdownRequested = false;
  let store: SettingsStore | undefined;
  const log = new ServiceLog(connection.console, () => currentKeys);
  // Keys to scrub from log lines: the resolved key and the environment's.
  let currentKeys: string[] = env.OPENAI_API_KEY ? [env.OPENAI_API_KEY] : [];

  const settings = (): SettingsStore => {
    store ??= new SettingsStore(undefined, log, env);
    return store;
  };
  // The built-in model: configured from every settings read, loaded by the first request that needs it (its engine in a process of its own).
  const embedded = new EngineHost({
    env,
    log: (level, message) => log[level](message),
    // Its engine stopped (or started again after): the status says so without a settings change.
    onStatusChange: () => void announceStatus().catch((error: unknown) => log.error(`Could not send the status: ${String(error)}`)),
  });
  const current = async (): Promise<ResolvedSettings> => {
    const resolved = await settings().get();
    rememberKey(resolved.settings.apiKey);
    embedded.configure(resolved.embedded ? { modelPath: resolved.embedded.modelPath, idleUnloadMinutes: resolved.embedded.idleUnloadMinutes } : undefined);
    return resolved;
  };
  // Requests to the built-in model's endpoint never leave the process; every other goes over HTTP.
  const routedStream: StreamChat = (request, signal, onText) =>
    isEmbeddedEndpoint(request.baseUrl) ? embedded.chat(request.messages, signal, onText) : streamChat(request, signal, onText);
  const routedCall: CallModel = (request, signal) => (isEmbeddedEndpoint(request.baseUrl) ? embedded.complete(request.body, signal, request.timeoutMs) : callModel(request, signal));
  const routedTurn: StreamTurn = (request, signal, onText) =>
    isEmbeddedEndpoint(request.baseUrl) ? embedded.turn(request.messages, request.tools, signal, onText) : streamTurn(request, signal, onText);
  const rememberKey = (key: string): void => {
    if (key && !currentKeys.includes(key)) {
      currentKeys = [...currentKeys, key];
    }
  };
  const audit = new AuditTrail({
    env,
    onProblem: (message) => log.warn(message),
    onOpen: (directory, chain) => log.info(`Audit trail: ${directory} (chain ${chain}); check it with: tandem audit verify --dir "${directory}"`),
  });
  // Off unless tandem.telemetry.otlpEndpoint names a collector: then the trail's events go there too.
  const telemetry = new OtlpExport({ source: audit, version: VERSION, onProblem: (message) => log.warn(message), onInfo: (message) => log.info(message) });
  const announceStatus = async (): Promise<void> => {
    const { resolved, latest } = await settings().refresh();
    rememberKey(resolved.settings.apiKey);
    embedded.configure(resolved.embedded ? { modelPath: resolved.embedded.modelPath, idleUnloadMinutes: resolved.embedded.idleUnloadMinutes } : undefined);
    applyEmbeddings(resolved);
    if (latest) {
      // Before the trail: a session.start or settings change it records goes to a collector just named.
      telemetry.apply(resolved.telemetry, resolved.audit.contents, resolved.settings.dataBoundary?.localOnly === true);
      // Opens, moves or stops the trail, and records changes to Tandem's policy settings.
      await audit.apply(resolved);
      // The built-in model's engine and file are checked now (the header only), so the status says what is wrong.
      const status = buildStatus(resolved, await embedded.check());
      log.info(`Settings (${status.source}): ${status.state}, provider=${status.provider || 'none'}, model=${status.model || 'none'}`);
      await connection.sendNotification(ServiceStatusNotification.type, status);
    }
  };

  const gate = new WorkspaceGate();
  const effective = async (): Promise<TandemSettings> => (await current()).settings;
  const requests = new StreamingRequests(effective);
  // Every model request of every feature passes the one data boundary (paths, secrets, endpoint).
  const boundary = DataBoundary.forGate(gate);
  // The workspace's codebase index: tandem/searchCodebase and the agent's search_codebase.
  // Hybrid ranking when tandem.codebase.embeddings is on: the endpoint as of the latest settings (announceStatus keeps it).
  let embeddings: { endpoint: EmbeddingsEndpoint; key: string } | undefined;
  const embedder = new ChunkEmbedder({ boundary, endpoint: () => embeddings?.endpoint, onLog: (message) => log.warn(message), audit });
  // Inline completions in flight: the index gives way to them when it runs in this thread (the fallback without its worker).
  const foreground = new Foreground();
  const codebase = registerCodebase(connection, { log, embedder, embeddingsModel: () => embeddings?.endpoint.model ?? '', foreground });
  const applyEmbeddings = (resolved: ResolvedSettings): void => {
    const baseUrl = effectiveBaseUrl(resolved.settings);
    // The built-in model has no embeddings: ranking stays by words.
    const next = resolved.codebase.embeddings && baseUrl && !isEmbeddedEndpoint(baseUrl) ? { baseUrl, apiKey: resolved.settings.apiKey, model: resolved.codebase.embeddingsModel, timeoutSeconds: resolved.settings.requestTimeout, ...(resolved.settings.dataBoundary ? { dataBoundary: resolved.settings.dataBoundary } : {}) } : undefined;
    const key = next ? JSON.stringify({ ...next, apiKey: next.apiKey.length }) : '';
    if (key === (embeddings?.key ?? '')) return;
    embeddings = next ? { endpoint: next, key } : undefined;
    codebase.index.embeddingsChanged();
  };
  const completions = registerCompletions(connection, { settings: effective, log, boundary, audit, callModel: routedCall, foreground });
  // The index follows open documents' unsaved text (the codebase index decides them like files: secrets and ignored files never).
  // (didOpen fires onDidChangeContent too.)
  completions.documents.onDidChangeContent(({ document }) => codebase.bufferChanged(document.uri, document.getText()));
  completions.documents.onDidClose(({ document }) => codebase.bufferClosed(document.uri));
  // The built-in model's prompts are assembled to its own context, counted with its tokenizer.
  const promptBudget = async (resolved: TandemSettings): Promise<ModelPromptBudget | undefined> => (isEmbeddedEndpoint(effectiveBaseUrl(resolved)) ? embedded.promptBudget() : undefined);
  registerChat(connection, { log, requests, boundary, audit, stream: routedStream, promptBudget });
  registerPropose(connection, { log, requests, boundary, audit, stream: routedStream });
  registerAgent(connection, {
    log,
    requests,
    boundary,
    audit,
    codebase: codebase.index,
    stream: routedTurn,
    windowBudget: (resolved) => (isEmbeddedEndpoint(effectiveBaseUrl(resolved)) ? embedded.plannedPromptTokens() : undefined),
  });
  registerModels(connection, { log, settings: current });
  registerAudit(connection, audit, log);
  const projectChecks = registerProjectChecks(connection, { log, audit });
  registerChecks(connection, { log, audit });
  registerMetrics(connection, audit);
  registerModelDownload(connection, { log, env });

  let initialFolders: string[] = [];
  let followsFolders = false;
  connection.onInitialize((params): InitializeResult => {
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : params.rootPath ? [params.rootPath] : []);
    gate.setRoots(folders);
    const canPull = params.capabilities.workspace?.configuration === true;
    store = new SettingsStore(canPull ? (section) => connection.workspace.getConfiguration(section) : undefined, log, env);
    store.setPushed(params.initializationOptions);
    const init: unknown = params.initializationOptions;
    audit.setSession({
      version: VERSION,
      ...(params.clientInfo ? { client: { name: params.clientInfo.name, ...(params.clientInfo.version ? { version: params.clientInfo.version } : {}) } } : {}),
      folders,
      ...(isRecord(init) && typeof init.auditDirectory === 'string' && init.auditDirectory ? { clientDirectory: init.auditDirectory } : {}),
    });
    completions.initialize(params);
    codebase.initialize(params);
    initialFolders = folders;
    followsFolders = params.capabilities.workspace?.workspaceFolders === true;
    // Folders added to or removed from the workspace later arrive as workspace/didChangeWorkspaceFolders.
    const workspace = { workspaceFolders: { supported: true, changeNotifications: true } };
    return { capabilities: { ...completions.capabilities, workspace }, serverInfo: { name: 'tandem', version: VERSION } };
  });

  connection.onInitialized(() => {
    log.info(`Tandem model service ${VERSION} ready (pid ${process.pid}).`);
    // Indexed in the background: time-sliced, it never holds up completions.
    codebase.start(initialFolders);
    if (followsFolders) {
      let folders = initialFolders;
      connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        const gone = new Set(removed.map((folder) => folder.uri));
        folders = [...folders.filter((folder) => !gone.has(folder)), ...added.map((folder) => folder.uri).filter((uri) => !folders.includes(uri))];
        // The data boundary's notion of the workspace and the index follow the editor's folders.
        gate.setRoots(folders);
        codebase.setFolders(folders);
      });
    }
    void announceStatus().catch((error: unknown) => log.error(`Could not send the status: ${String(error)}`));
  });

  connection.onDidChangeConfiguration((params) => {
    settings().setPushed(params.settings);
    void announceStatus().catch((error: unknown) => log.error(`Could not send the status: ${String(error)}`));
  });

  connection.onShutdown(async () => {
    shutdownRequested = true;
    // Answers in flight end now, as cancelled, with what they have.
    requests.abortAll();
    completions.dispose();
    await codebase.dispose();
    // Running checks end as cancelled and their temporary copies are removed.
    await projectChecks.dispose();
    // The aborted answers record how they ended (cancelled) before the session does.
    await requests.settled(1_000);
    // The built-in model's engine process ends (its generation stopped with the requests above).
    await embedded.dispose();
    await audit.close('shutdown');
    await telemetry.close();
  });

  return {
    get shutdownRequested() {
      return shutdownRequested;
    },
    closeAudit: async () => {
      await projectChecks.dispose();
      await embedded.dispose();
      await audit.close('exit');
      await telemetry.close();
    },
  };
}
