import * as vscode from 'vscode';
import { ApiKeyStore } from './apiKeyStore';
import { agentCommands } from './agent/agentCommands';
import { CheckpointStore } from './agent/checkpoints';
import { ClientTools } from './agent/clientTools';
import { CommandRunner } from './agent/commandRunner';
import { DiagnosticsTracker } from './agent/diagnostics';
import { ChatController } from './chat/chatController';
import { ChatStore } from './chat/chatStore';
import { CHAT_VIEW_ID, ChatViewProvider } from './chat/chatViewProvider';
import { ContextChips } from './chat/contextChips';
import { TandemCodeActions } from './actions/codeActions';
import type { EditTaskDeps } from './actions/editTask';
import { applyCodeBlock } from './chat/applyCode';
import { commands, runErrorAction } from './commands';
import { CompletionController, completionCommands } from './completions/completionController';
import { ReviewManager } from './edits/reviewManager';
import { offerLocalServers } from './modelSettings';
import { ServiceClient } from './serviceClient';
import { StatusBar } from './statusBar';

/** Agent tasks whose checkpoints are kept across sessions (older ones are deleted at start). */
const CHECKPOINT_TASKS_KEPT = 30;

/**
 * Owns everything the extension creates, for the extension's lifetime: one
 * place to build it, one place to dispose it.
 */
export class Tandem implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly apiKeys: ApiKeyStore;
  readonly service: ServiceClient;
  readonly chips: ContextChips;
  readonly controller: ChatController;
  readonly chatView: ChatViewProvider;
  /** Reviews of proposed edits: everything that changes files goes through `reviews.open`. */
  readonly reviews: ReviewManager;
  readonly completions: CompletionController;
  /** Agent mode's editor-side tools (terminals, Problems, reviewed edits, checkpoints). */
  readonly agentTools: ClientTools;
  readonly checkpoints: CheckpointStore;
  private readonly statusBar: StatusBar;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Tandem', { log: true });
    this.apiKeys = new ApiKeyStore(context.secrets);
    this.service = new ServiceClient(context.asAbsolutePath('dist/server.js'), this.log, this.apiKeys);
    this.reviews = new ReviewManager(this.log);
    // Before the service starts: it installs the language client's inline completion middleware.
    this.completions = new CompletionController(this.service);
    this.chips = new ContextChips();
    // Per workspace when there is one; only the pre-images of files the agent touched are kept.
    this.checkpoints = new CheckpointStore(vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'checkpoints').fsPath);
    const diagnostics = new DiagnosticsTracker();
    const commandRunner = new CommandRunner(this.log, { globalStorage: context.globalStorageUri.fsPath });
    this.agentTools = new ClientTools({ reviews: this.reviews, checkpoints: this.checkpoints, diagnostics, commands: commandRunner, log: this.log });
    this.disposables.push(diagnostics, commandRunner);
    void this.checkpoints.prune(CHECKPOINT_TASKS_KEPT).catch((error: unknown) => this.log.warn(`Could not prune checkpoints: ${String(error)}`));
    this.controller = new ChatController(
      this.service,
      new ChatStore(context.workspaceState),
      this.chips,
      {
        run: runErrorAction,
        applyCode: async (code, languageId, answer) => {
          await applyCodeBlock(this.editTaskDeps(), code, languageId, answer);
        },
      },
      this.log,
      { tools: this.agentTools, state: context.workspaceState },
    );
    this.chatView = new ChatViewProvider(context.extensionUri, this.controller, this.log);
    this.statusBar = new StatusBar(this.service);
    this.disposables.push(
      this.log,
      this.apiKeys,
      this.reviews,
      this.completions,
      ...Object.entries(completionCommands).map(([id, factory]) => vscode.commands.registerCommand(id, factory(this.completions))),
      this.chips,
      this.controller,
      this.chatView,
      this.statusBar,
      vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, this.chatView),
      this.controller.onDidChangeBusy((busy) => {
        this.statusBar.setBusy(busy);
        void vscode.commands.executeCommand('setContext', 'tandem.busy', busy);
      }),
      ...Object.entries(agentCommands).map(([id, factory]) => vscode.commands.registerCommand(id, factory())),
      ...Object.entries(commands).map(([id, factory]) => vscode.commands.registerCommand(id, factory(this))),
      vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new TandemCodeActions(), { providedCodeActionKinds: TandemCodeActions.kinds }),
    );
    this.offerLocalServersOnce();
  }

  /** What the editor commands and chat Apply need to propose edits. */
  editTaskDeps(): EditTaskDeps {
    return { service: this.service, reviewer: this.reviews, log: this.log, runErrorAction: (action) => runErrorAction(action) };
  }

  /** Starts the model service in the background: activation must not wait for it. */
  startService(): void {
    this.service.start().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
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
          this.log.warn(`Local server probe failed: ${error instanceof Error ? error.message : String(error)}`);
        });
      }
    });
    this.disposables.push(listener);
  }

  async dispose(): Promise<void> {
    vscode.Disposable.from(...this.disposables).dispose();
    await this.service.dispose();
  }
}
