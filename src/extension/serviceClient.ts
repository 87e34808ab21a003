import * as vscode from 'vscode';
import { SearchCodebaseRequest, type SearchCodebaseParams, type SearchCodebaseResult } from '../shared/codebaseProtocol';
import { MetricsRequest, type MetricsParams, type MetricsResult } from '../shared/metricsProtocol';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  ResponseError,
  type NotificationType,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  CONFIG_SECTION,
  ChatDeltaNotification,
  ChatNoticeNotification,
  ChatRequest,
  CommitMessageRequest,
  CompletionEventNotification,
  CompletionStatsRequest,
  CompletionStatusNotification,
  ListModelsRequest,
  ParseEditRequest,
  ProbeLocalRequest,
  ProposeEditRequest,
  ServiceInfoRequest,
  ServiceStatusNotification,
  type ChatNoticeParams,
  type ChatParams,
  type CommitMessageParams,
  type ChatResult,
  type CompletionEventParams,
  type CompletionStatsResult,
  type CompletionStatusParams,
  type ListModelsResult,
  type ParseEditParams,
  type ProbeLocalResult,
  type ProposeEditParams,
  type ProposeEditResult,
  type ServiceInfoResult,
  type ServiceStatusParams,
} from '../shared/protocol';
import {
  AgentProgressNotification,
  AgentRunRequest,
  AgentStepNotification,
  ClientToolRequest,
  type AgentProgressParams,
  type AgentRunParams,
  type AgentRunResult,
  type AgentStep,
  type ClientToolParams,
  type ClientToolResult,
} from '../shared/agentProtocol';
import type { EditOutcome } from '../shared/edits';
import { errorMessage, isRecord } from '../shared/guards';
import type { ApiKeyStore } from './apiKeyStore';
import type { AuditReporter } from './audit/auditReporter';
import {
  AuditDecisionNotification,
  AuditProposalNotification,
  AuditRestoreNotification,
  AuditProvenanceRequest,
  AuditQueryRequest,
  AuditStatusRequest,
  type AuditProvenanceResult,
  type AuditQueryParams,
  type AuditQueryResult,
  AuditWriteNotification,
  type AuditStatusResult,
} from '../shared/auditProtocol';
import { withUserValues } from './userSettings';
import { installedBuiltInModel, withBuiltInModelPath } from './embedded/builtInModel';
import {
  EmbeddedDownloadProgressNotification,
  EmbeddedDownloadRequest,
  type EmbeddedDownloadParams,
  type EmbeddedDownloadProgressParams,
  type EmbeddedDownloadResult,
} from '../shared/embeddedProtocol';

export type ServiceClientState = 'starting' | 'ready' | 'restarting' | 'stopped';

/** How many unexpected exits within CRASH_WINDOW_MS are restarted before giving up. */
const MAX_RESTARTS = 4;
const CRASH_WINDOW_MS = 3 * 60_000;

export interface StreamHandlers {
  onDelta(text: string): void;
  onNotice(notice: ChatNoticeParams): void;
}

/** An agent task's stream: its text, its steps, its token use, and the editor-side tools it calls. */
export interface AgentHandlers extends StreamHandlers {
  onStep(step: AgentStep): void;
  onProgress(progress: AgentProgressParams): void;
  onClientTool(params: ClientToolParams, token: vscode.CancellationToken): Promise<ClientToolResult>;
}

/**
 * Owns the language client that talks to the model service: starting it
 * without blocking activation, restarting it after a crash with a short notice,
 * and routing streamed deltas to whoever asked. Nothing else creates a client.
 */
export class ServiceClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private stopping = false;
  private crashes: number[] = [];
  private readonly streams = new Map<string, StreamHandlers & Partial<AgentHandlers>>();
  private readonly downloads = new Map<string, (progress: EmbeddedDownloadProgressParams) => void>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly stateChanged = new vscode.EventEmitter<ServiceClientState>();
  private readonly statusChanged = new vscode.EventEmitter<ServiceStatusParams>();
  private readonly completionStatusChanged = new vscode.EventEmitter<CompletionStatusParams>();
  readonly onDidChangeState = this.stateChanged.event;
  readonly onDidChangeStatus = this.statusChanged.event;
  /** Why inline suggestions do (not) appear, as the service reports it. */
  readonly onDidChangeCompletionStatus = this.completionStatusChanged.event;
  private disposed: Promise<void> | undefined;
  private currentState: ServiceClientState = 'starting';
  private currentStatus: ServiceStatusParams | undefined;

  constructor(
    private readonly serverModule: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly apiKeys: ApiKeyStore,
    /** Middleware for LSP features the client registers itself (inline completions). */
    private readonly featureMiddleware: Middleware = {},
    /** Where the audit trail goes when `tandem.audit.directory` is empty (the workspace's storage). */
    private readonly auditDirectory?: string,
    /** Where the service keeps the codebase index (the workspace's storage); none: in memory. */
    private readonly codebaseStorage?: string,
    /** Where built-in models are downloaded (the extension's global storage + `/models`); none: no built-in model. */
    readonly builtInModelsDirectory?: string,
  ) {
    this.disposables.push(
      this.stateChanged,
      this.statusChanged,
      this.completionStatusChanged,
      apiKeys.onDidChange(() => this.notifyConfigurationChanged()),
      // Trusting the workspace lets its values of the restricted settings apply: the service pulls again.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.notifyConfigurationChanged()),
    );
  }

  get state(): ServiceClientState {
    return this.currentState;
  }

  get status(): ServiceStatusParams | undefined {
    return this.currentStatus;
  }

  /** Tells the service a suggestion was shown / accepted; dropped when the service is not running. */
  sendCompletionEvent(params: CompletionEventParams): void {
    if (this.client?.state === State.Running) {
      void this.client.sendNotification(CompletionEventNotification.type, params).catch(() => undefined);
    }
  }

  /** The audit trail's reports of what only the editor sees; dropped when the service is not running. */
  readonly audit: AuditReporter = {
    proposal: (params) => this.notify(AuditProposalNotification.type, params),
    decision: (params) => this.notify(AuditDecisionNotification.type, params),
    write: (params) => this.notify(AuditWriteNotification.type, params),
    restore: (params) => this.notify(AuditRestoreNotification.type, params),
  };

  /** Where the trail is written and how far (optionally after writing what is buffered). */
  async auditStatus(flush = false): Promise<AuditStatusResult> {
    const client = await this.ready();
    return client.sendRequest(AuditStatusRequest.type, { flush });
  }

  /** A page of the audit trail's events and the chains' state (the Audit Trail view). */
  async auditQuery(params: AuditQueryParams): Promise<AuditQueryResult> {
    const client = await this.ready();
    return client.sendRequest(AuditQueryRequest.type, params);
  }

  /** The dashboard's figures, computed by the service from the audit trail (Tandem: Show Metrics). */
  async metrics(params: MetricsParams): Promise<MetricsResult> {
    const client = await this.ready();
    return client.sendRequest(MetricsRequest.type, params);
  }

  /** The changes Tandem applied to a file, as the audit trail records them (line provenance). */
  async auditProvenance(path: string): Promise<AuditProvenanceResult> {
    const client = await this.ready();
    return client.sendRequest(AuditProvenanceRequest.type, { path });
  }

  private notify<P extends object>(type: NotificationType<P>, params: P): void {
    if (this.client?.state === State.Running) {
      // By method name: the typed overload does not take a generic P.
      void this.client.sendNotification(type.method, params).catch(() => undefined);
    }
  }

  async completionStats(): Promise<CompletionStatsResult> {
    const client = await this.ready();
    return client.sendRequest(CompletionStatsRequest.type, {});
  }

  /** Starts the service once; later calls return the same promise. */
  start(): Promise<LanguageClient> {
    this.starting ??= this.createAndStart();
    return this.starting;
  }

  /** The running client; waits for the start (or restart) to finish. */
  async ready(): Promise<LanguageClient> {
    const client = await this.start();
    if (client.state === State.Running) {
      return client;
    }
    return new Promise<LanguageClient>((resolve, reject) => {
      const listener = client.onDidChangeState((event) => {
        if (event.newState === State.Running) {
          listener.dispose();
          resolve(client);
        } else if (event.newState === State.Stopped && this.currentState === 'stopped') {
          listener.dispose();
          reject(new Error('The Tandem model service is stopped. Run "Tandem: Restart Model Service".'));
        }
      });
    });
  }

  async chat(params: ChatParams, token: vscode.CancellationToken, handlers: StreamHandlers): Promise<ChatResult> {
    return this.streamed(params.streamId, handlers, (client) => client.sendRequest(ChatRequest.type, params, token));
  }

  /** A commit message for staged diffs, streamed to `handlers`; the result's text is the whole message. */
  async commitMessage(params: CommitMessageParams, token: vscode.CancellationToken, handlers: StreamHandlers): Promise<ChatResult> {
    return this.streamed(params.streamId, handlers, (client) => client.sendRequest(CommitMessageRequest.type, params, token));
  }

  /** Runs an agent task: steps, progress and client tool calls for `params.streamId` go to `handlers`. Cancel = Stop. */
  async agentRun(params: AgentRunParams, token: vscode.CancellationToken, handlers: AgentHandlers): Promise<AgentRunResult> {
    return this.streamed(params.streamId, handlers, (client) => client.sendRequest(AgentRunRequest.type, params, token));
  }

  /** Asks the service for a change to review; the model's output streams to `handlers`. */
  async proposeEdit(params: ProposeEditParams, token: vscode.CancellationToken, handlers: StreamHandlers): Promise<ProposeEditResult> {
    return this.streamed(params.streamId, handlers, (client) => client.sendRequest(ProposeEditRequest.type, params, token));
  }

  /** Sends a request whose progress notifications (by streamId) go to `handlers` until it ends. */
  private async streamed<R>(streamId: string, handlers: StreamHandlers | AgentHandlers, send: (client: LanguageClient) => Promise<R>): Promise<R> {
    const client = await this.ready();
    this.streams.set(streamId, handlers);
    try {
      return await send(client);
    } finally {
      this.streams.delete(streamId);
    }
  }

  /** Turns model output (a chat code block, a patch) into a change set, without a model call. */
  /** The workspace chunks that best answer a question (`@codebase`), from the service's codebase index. */
  async searchCodebase(params: SearchCodebaseParams, token?: vscode.CancellationToken): Promise<SearchCodebaseResult> {
    const client = await this.ready();
    return client.sendRequest(SearchCodebaseRequest.type, params, token);
  }

  async parseEdit(params: ParseEditParams, token?: vscode.CancellationToken): Promise<EditOutcome> {
    const client = await this.ready();
    return client.sendRequest(ParseEditRequest.type, params, token);
  }

  async listModels(token?: vscode.CancellationToken): Promise<ListModelsResult> {
    const client = await this.ready();
    return client.sendRequest(ListModelsRequest.type, {}, token);
  }

  async probeLocal(token?: vscode.CancellationToken): Promise<ProbeLocalResult> {
    const client = await this.ready();
    return client.sendRequest(ProbeLocalRequest.type, {}, token);
  }

  async serviceInfo(): Promise<ServiceInfoResult> {
    const client = await this.ready();
    return client.sendRequest(ServiceInfoRequest.type, {});
  }

  /** Downloads a built-in model in the service (tandem/embedded/download); its progress goes to `onProgress`. */
  async downloadBuiltInModel(
    params: EmbeddedDownloadParams,
    token: vscode.CancellationToken,
    onProgress: (progress: EmbeddedDownloadProgressParams) => void,
  ): Promise<EmbeddedDownloadResult> {
    const client = await this.ready();
    this.downloads.set(params.downloadId, onProgress);
    try {
      return await client.sendRequest(EmbeddedDownloadRequest.type, params, token);
    } finally {
      this.downloads.delete(params.downloadId);
    }
  }

  /** Makes the service read its settings again (after something they are built from changed, e.g. a model was downloaded). */
  configurationChanged(): void {
    this.notifyConfigurationChanged();
  }

  /** A deliberate restart (command): not counted as a crash. */
  async restart(): Promise<void> {
    const client = await this.start().catch(() => undefined);
    this.crashes = [];
    this.setState('restarting');
    if (client) {
      this.stopping = true;
      try {
        if (client.state === State.Running) {
          await client.stop(5_000);
        }
        await client.start();
      } finally {
        this.stopping = false;
      }
    } else {
      this.starting = undefined;
      await this.start();
    }
  }

  private async createAndStart(): Promise<LanguageClient> {
    const client = this.createClient();
    this.client = client;
    this.disposables.push(
      client.onDidChangeState((event) => {
        if (event.newState === State.Running) {
          this.setState('ready');
        } else if (event.newState === State.Starting && this.currentState !== 'restarting') {
          this.setState('starting');
        }
      }),
      client.onNotification(ChatDeltaNotification.type, (params) => this.streams.get(params.streamId)?.onDelta(params.text)),
      client.onNotification(ChatNoticeNotification.type, (params) => this.streams.get(params.streamId)?.onNotice(params)),
      client.onNotification(AgentStepNotification.type, (params) => this.streams.get(params.streamId)?.onStep?.(params.step)),
      client.onNotification(AgentProgressNotification.type, (params) => this.streams.get(params.streamId)?.onProgress?.(params)),
      client.onRequest(ClientToolRequest.type, async (params, token) => {
        const handler = this.streams.get(params.streamId)?.onClientTool;
        if (!handler) {
          return new ResponseError(-32803, `No agent task ${params.streamId} is running in the editor`);
        }
        try {
          return await handler(params, token);
        } catch (error) {
          this.log.error(`Client tool ${params.call.kind} failed: ${errorMessage(error)}`);
          return new ResponseError(-32603, `The editor could not run ${params.call.kind}: ${errorMessage(error)}`);
        }
      }),
      client.onNotification(CompletionStatusNotification.type, (params) => this.completionStatusChanged.fire(params)),
      client.onNotification(EmbeddedDownloadProgressNotification.type, (params) => this.downloads.get(params.downloadId)?.(params)),
      client.onNotification(ServiceStatusNotification.type, (params) => {
        this.currentStatus = params;
        this.statusChanged.fire(params);
      }),
    );
    const started = Date.now();
    try {
      await client.start();
    } catch (error) {
      this.setState('stopped');
      this.log.error(`Model service failed to start: ${errorMessage(error)}`);
      throw error;
    }
    this.log.info(`Model service started in ${Date.now() - started} ms`);
    return client;
  }

  private createClient(): LanguageClient {
    const serverOptions: ServerOptions = {
      run: { module: this.serverModule, transport: TransportKind.ipc, args: ['lsp'] },
      debug: {
        module: this.serverModule,
        transport: TransportKind.ipc,
        args: ['lsp'],
        options: { execArgv: ['--nolazy', '--inspect=6019'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      // Open files and untitled buffers are synchronised: inline completions need them.
      documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      synchronize: { configurationSection: CONFIG_SECTION },
      initializationOptions: { ...(this.auditDirectory ? { auditDirectory: this.auditDirectory } : {}), ...(this.codebaseStorage ? { codebaseStorage: this.codebaseStorage } : {}) },
      initializationFailedHandler: (error) => {
        this.log.error(`Model service failed to initialize: ${errorMessage(error)}`);
        return false;
      },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => this.onClosed(),
      },
      middleware: {
        ...this.featureMiddleware,
        workspace: {
          // The `tandem` section on its way to the service: the user-only settings
          // (endpoints, logging, agent limits) take the user's values whatever the
          // workspace says, and the key is added here so it never has to exist in settings.
          // So is the downloaded built-in model's path (embedded.builtInModelPath, '' when none).
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) {
              return result;
            }
            const apiKey = await this.apiKeys.get();
            const builtInModelPath = this.builtInModelsDirectory ? await installedBuiltInModel(this.builtInModelsDirectory) : '';
            const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
            return result.map((value: unknown, index) =>
              params.items[index]?.section === CONFIG_SECTION && isRecord(value) ? withBuiltInModelPath({ ...withUserValues(value, config), apiKey }, builtInModelPath) : value,
            );
          },
        },
      },
    };
    return new LanguageClient('tandem', 'Tandem Model Service', serverOptions, clientOptions);
  }

  private onClosed(): { action: CloseAction; handled: boolean } {
    if (this.stopping) {
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const now = Date.now();
    this.crashes = this.crashes.filter((time) => now - time < CRASH_WINDOW_MS);
    this.crashes.push(now);
    // Requests in flight died with the process: tell their owners now rather than never.
    this.streams.clear();
    if (this.crashes.length <= MAX_RESTARTS) {
      this.log.warn(`Model service exited unexpectedly; restarting (${this.crashes.length} of ${MAX_RESTARTS}).`);
      this.setState('restarting');
      void vscode.window.showWarningMessage('Tandem: the model service stopped unexpectedly and was restarted.');
      return { action: CloseAction.Restart, handled: true };
    }
    this.log.error('Model service keeps exiting; not restarting it again.');
    this.setState('stopped');
    void vscode.window
      .showErrorMessage('Tandem: the model service keeps stopping. See the log for details.', 'Restart', 'Show Log')
      .then((choice) => {
        if (choice === 'Restart') {
          void this.restart();
        } else if (choice === 'Show Log') {
          this.log.show();
        }
      });
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  private notifyConfigurationChanged(): void {
    if (this.client?.state === State.Running) {
      void this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }
  }

  private setState(state: ServiceClientState): void {
    if (state !== this.currentState) {
      this.currentState = state;
      this.stateChanged.fire(state);
    }
  }

  /** Stops the service; later calls return the same promise. */
  dispose(): Promise<void> {
    this.disposed ??= this.stop();
    return this.disposed;
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    const client = this.client;
    this.client = undefined;
    vscode.Disposable.from(...this.disposables).dispose();
    if (client && client.state !== State.Stopped) {
      await client.stop(2_000).catch(() => undefined);
    }
  }
}
