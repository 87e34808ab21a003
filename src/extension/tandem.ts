import * as vscode from 'vscode';
import { SecurityCheckRequest } from '../shared/checksProtocol';
import { errorMessage } from '../shared/guards';
import { ApiKeyStore } from './apiKeyStore';
import { CheckpointStore } from './agent/checkpoints';
import { ClientTools } from './agent/clientTools';
import { AuditDiffDocuments } from './audit/auditDiffDocuments';
import { AuditTrailPanel } from './audit/auditTrailPanel';
import { MetricsPanel } from './metrics/metricsPanel';
import { McpServersContext } from './mcp/contextSource';
import { McpServers } from './mcp/servers';
import { MCP_VIEW_ID, McpServersView } from './mcp/serversView';
import { ProvenanceView } from './audit/provenanceView';
import { CommandRunner, editorUserData } from './agent/commandRunner';
import { ServiceProjectCheckSource } from './checks/projectCheckSource';
import { DiagnosticsTracker } from './agent/diagnostics';
import { ChatController } from './chat/chatController';
import { ChatStore } from './chat/chatStore';
import { CHAT_VIEW_ID, ChatViewProvider } from './chat/chatViewProvider';
import { ContextChips } from './chat/contextChips';
import { TandemCodeActions } from './actions/codeActions';
import { editTaskDeps } from './actions/editorCommands';
import { applyCodeBlock } from './chat/applyCode';
import { registerCommands } from './commands';
import { CompletionController } from './completions/completionController';
import { CompletionMiddleware } from './completions/completionMiddleware';
import type { TandemContext } from './context';
import type { ReviewManager } from './edits/reviewManager';
import { registerReviews } from './edits/registerReviews';
import { runErrorAction } from './errorActions';
import { offerLocalServers } from './modelSettings';
import { ServiceClient } from './serviceClient';
import { modelsDirectory } from './embedded/builtInModel';
import { BuiltInModel } from './embedded/useBuiltInModel';
import { StatusBar } from './statusBar';

/** Agent tasks whose checkpoints are kept across sessions (older ones are deleted at start). */
const CHECKPOINT_TASKS_KEPT = 30;

/**
 * Owns everything the extension creates, for the extension's lifetime: one
 * place to build it (the constructor), one place to dispose it (dispose,
 * which runs once however often it is called). It is the context every
 * command receives (commands.ts).
 */
export class Tandem implements TandemContext, vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly apiKeys: ApiKeyStore;
  readonly service: ServiceClient;
  readonly chips: ContextChips;
  readonly chat: ChatController;
  readonly chatView: ChatViewProvider;
  readonly reviews: ReviewManager;
  readonly completions: CompletionController;
  readonly agentTools: ClientTools;
  readonly checkpoints: CheckpointStore;
  readonly auditTrail: AuditTrailPanel;
  readonly metrics: MetricsPanel;
  readonly provenance: ProvenanceView;
  readonly projectChecks: ServiceProjectCheckSource;
  readonly mcp: McpServers;
  readonly statusBar: StatusBar;
  readonly builtInModel: BuiltInModel;
  /** Disposed in order by dispose(); the service and the log after them. */
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed: Promise<void> | undefined;

  constructor(context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Tandem', { log: true });
    this.apiKeys = new ApiKeyStore(context.secrets);
    // The language client takes its inline completion middleware when it is built; the controller reports what it shows.
    const completionMiddleware = new CompletionMiddleware();
    // The audit trail's default folder: this workspace's storage (the user's, without a workspace).
    const auditDirectory = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'audit').fsPath;
    // The codebase index is stored under the workspace's storage (codebase/); without a workspace there is nothing to index.
    const codebaseStorage = context.storageUri?.fsPath;
    this.service = new ServiceClient(
      context.asAbsolutePath('dist/server.js'),
      this.log,
      this.apiKeys,
      completionMiddleware.middleware,
      auditDirectory,
      codebaseStorage,
      // Built-in models are the person's, for every workspace: the global storage.
      modelsDirectory(context.globalStorageUri.fsPath),
    );
    this.builtInModel = new BuiltInModel(this.service, this.log);
    this.reviews = registerReviews({
      log: this.log,
      subscriptions: this.subscriptions,
      audit: this.service.audit,
      // Every proposal under review is checked by the service (docs/checks.md), and by the project's own checks in a temporary copy.
      checks: {
        security: { securityCheck: async (params, token) => (await this.service.ready()).sendRequest(SecurityCheckRequest.type, params, token) },
        // Built below (it needs the command runner); a review only calls it after activation.
        projectChecks: { run: (request, token, onProgress) => this.projectChecks.run(request, token, onProgress) },
      },
    });
    this.completions = new CompletionController(this.service, completionMiddleware);
    this.chips = new ContextChips();
    // Per workspace when there is one; only the pre-images of files the agent touched are kept.
    this.checkpoints = new CheckpointStore(vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'checkpoints').fsPath);
    const diagnostics = new DiagnosticsTracker();
    const commandRunner = new CommandRunner(this.log, { globalStorage: context.globalStorageUri.fsPath });
    const userData = editorUserData(context.globalStorageUri.fsPath);
    this.mcp = new McpServers({ secrets: context.secrets, state: context.workspaceState, log: this.log, ...(userData ? { extraMasks: [userData] } : {}) });
    this.agentTools = new ClientTools({ reviews: this.reviews, checkpoints: this.checkpoints, diagnostics, commands: commandRunner, log: this.log, audit: this.service.audit, mcp: this.mcp });
    this.projectChecks = new ServiceProjectCheckSource({ client: () => this.service.ready(), commands: commandRunner, state: context.workspaceState, log: this.log });
    this.subscriptions.push(diagnostics, commandRunner, this.projectChecks);
    void this.checkpoints.prune(CHECKPOINT_TASKS_KEPT).catch((error: unknown) => this.log.warn(`Could not prune checkpoints: ${String(error)}`));
    this.chat = new ChatController(
      this.service,
      new ChatStore(context.workspaceState),
      this.chips,
      {
        run: runErrorAction,
        applyCode: async (code, languageId, answer) => {
          await applyCodeBlock(editTaskDeps(this), code, languageId, answer);
        },
      },
      this.log,
      { tools: this.agentTools, state: context.workspaceState },
    );
    // @codebase asks the service's index; its passages are read through the workspace boundary there.
    this.chat.mentions.setCodebaseSearch({
      search: async (query, limit) =>
        (await this.service.searchCodebase({ query, limit })).results.flatMap((result) =>
          result.snippet === undefined ? [] : [{ path: result.path, startLine: result.startLine, endLine: result.endLine, text: result.snippet }],
        ),
    });
    // @mcp lists the ready MCP servers' resources and prompts (bounded in time; hostile text cleaned there).
    this.chat.mentions.setMcpSource(new McpServersContext(this.mcp));
    this.chatView = new ChatViewProvider(context.extensionUri, this.chat, this.log);
    this.statusBar = new StatusBar(this.service);
    const mcpView = new McpServersView(this.mcp);
    const auditDiffs = new AuditDiffDocuments(this.service);
    this.auditTrail = new AuditTrailPanel(context.extensionUri, this.service, auditDiffs, this.log);
    this.provenance = new ProvenanceView(context.extensionUri, this.service, this.log);
    this.metrics = new MetricsPanel(context.extensionUri, this.service, this.log);
    this.subscriptions.push(
      auditDiffs,
      this.auditTrail,
      this.metrics,
      this.provenance,
      this.apiKeys,
      completionMiddleware,
      this.completions,
      this.chips,
      this.chat,
      this.chatView,
      this.statusBar,
      vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, this.chatView),
      this.mcp,
      mcpView,
      vscode.window.registerTreeDataProvider(MCP_VIEW_ID, mcpView),
      this.chat.onDidChangeBusy((busy) => {
        this.statusBar.setBusy(busy);
        void vscode.commands.executeCommand('setContext', 'tandem.busy', busy);
      }),
      ...registerCommands(this),
      vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new TandemCodeActions(), { providedCodeActionKinds: TandemCodeActions.kinds }),
    );
    this.offerLocalServersOnce();
  }

  /** Starts the model service in the background: activation must not wait for it. */
  startService(): void {
    this.service.start().catch((error: unknown) => {
      const reason = errorMessage(error);
      void vscode.window.showErrorMessage(`Tandem: the model service could not start (${reason}).`, 'Show Log').then((choice) => {
        if (choice) {
          this.log.show();
        }
      });
    });
  }

  /** With nothing configured, look for a local server once per window and offer it. */
  private offerLocalServersOnce(): void {
    const listener = this.service.onDidChangeStatus((status) => {
      listener.dispose();
      if (status.state === 'notConfigured') {
        offerLocalServers(this.service, true).catch((error: unknown) => {
          this.log.warn(`Local server probe failed: ${errorMessage(error)}`);
        });
      }
    });
    this.subscriptions.push(listener);
  }

  /** Disposes everything once; later calls return the same promise. */
  dispose(): Promise<void> {
    this.disposed ??= this.disposeOnce();
    return this.disposed;
  }

  private async disposeOnce(): Promise<void> {
    vscode.Disposable.from(...this.subscriptions).dispose();
    await this.service.dispose();
    // Last: the language client writes to it while it stops.
    this.log.dispose();
  }
}
