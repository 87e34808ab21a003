import * as vscode from 'vscode';
import type { ClientToolParams, ClientToolResult } from '../shared/agentProtocol';
import type { ProjectCheckResult } from '../shared/checks';
import type { SearchCodebaseParams, SearchCodebaseResult } from '../shared/codebaseProtocol';
import type { ChangeSet } from '../shared/edits';
import { errorMessage } from '../shared/guards';
import type { AuditStatusResult } from '../shared/auditProtocol';
import type { CompletionStatsResult, ServiceInfoResult } from '../shared/protocol';
import { isMentionKind, type ApprovalAnswer, type StepAction } from '../shared/vocabulary';
import type { MentionChoices } from './chat/mentions/types';
import { isFromWebview, type ChatMode, type ChatViewState } from '../shared/webviewProtocol';
import { modalUi, scriptedUi } from './agent/agentUi';
import type { CheckpointInfo } from './agent/checkpoints';
import { scriptedApprover } from './checks/checkApproval';
import type { RestoreOutcome } from './agent/restore';
import type { TandemContext } from './context';
import type { ReviewHandle } from './edits/types';
import type { ServiceClientState } from './serviceClient';
import { Tandem } from './tandem';

let tandem: Tandem | undefined;

/**
 * The test hooks: what `vscode.extensions.getExtension('tandem-dev.tandem').exports`
 * is in an extension host that runs tests, and only there (`testHooksEnabled`).
 * It drives the same controller the chat view does, and can run agent tools
 * with scripted approvals, so no other extension may have it in normal use.
 */
export interface TandemApi {
  /** How long activate() took, in milliseconds. */
  readonly activationMs: number;
  /** Resolves once the model service is running. */
  serviceReady(): Promise<void>;
  serviceInfo(): Promise<ServiceInfoResult>;
  serviceState(): ServiceClientState;
  readonly onDidChangeServiceState: vscode.Event<ServiceClientState>;
  readonly chat: {
    /** Asks a question in the current chat; resolves when the answer has ended (or failed, or was stopped). */
    send(text: string): Promise<void>;
    stop(): void;
    newChat(): Promise<void>;
    state(): ChatViewState;
    readonly onDidChangeBusy: vscode.Event<boolean>;
    /** A message as the chat view posts it (checked the same way): `addMention`, `slashCommand`… */
    fromView(message: unknown): Promise<void>;
    /** What the `@` picker lists for `kind` and `query`. */
    mentionOptions(kind: string, query: string): Promise<MentionChoices>;
  };
  /** The status bar item's text now. */
  statusBarText(): string;
  readonly completions: {
    /** The service's inline completion counters (requests, cache hits, shown, accepted...). */
    stats(): Promise<CompletionStatsResult>;
  };
  readonly edits: {
    /**
     * Opens a change set for review: the first file's diff opens (without
     * taking focus), nothing is applied until accepted. Paths are relative to
     * `folder` (default: the first workspace folder).
     */
    propose(changeSet: ChangeSet, options?: { folder?: vscode.Uri; title?: string }): Promise<ReviewHandle>;
  };
  readonly audit: {
    /** Where the audit trail is written and how far; with `flush`, after writing what is buffered. */
    status(flush?: boolean): Promise<AuditStatusResult>;
  };
  /** The service's codebase index (tandem/searchCodebase), as `@codebase` asks it. */
  readonly codebase: {
    search(params: SearchCodebaseParams): Promise<SearchCodebaseResult>;
  };
  /** The project's own checks on a change set, as a review runs them (docs/checks.md, "Project checks"). */
  readonly projectChecks: {
    /**
     * Runs them and resolves with the results. `approve`: the answer to every
     * check that asks (`none`: no answer, so it ends `needsApproval`);
     * without it, a notification asks. Paths are relative to `folder`.
     */
    run(changeSet: ChangeSet, options?: { folder?: vscode.Uri; reviewId?: string; approve?: 'run' | 'always' | 'skip' | 'none' }): Promise<ProjectCheckResult[]>;
    /** From now on, every check that asks (in every review) gets `answer`; `undefined`: a notification asks again. */
    answerWith(answer: 'run' | 'always' | 'skip' | 'none' | undefined): void;
  };
  /** The built-in model (Tandem: Use Built-in Model). */
  readonly builtInModel: {
    /** From now on the download's confirmation is answered with `answer`; `undefined`: a dialog asks again. */
    answerConfirmWith(answer: boolean | undefined): void;
    /** Where built-in models are downloaded. */
    readonly directory: string | undefined;
  };
  /** Agent mode's editor side, for the integration tests and benchmarks (not for the model). */
  readonly agent: {
    /**
     * Runs a client tool as the service would call it. Paths are relative to
     * `folder` (default: the first workspace folder). With `approve` / `answer`
     * the person's decisions are scripted; otherwise VS Code dialogs ask.
     */
    clientTool(params: ClientToolParams, options?: { folder?: vscode.Uri; approve?: ApprovalAnswer; answer?: string }): Promise<ClientToolResult>;
    /** "Restore to here" for a step of a task (without the confirmation). */
    restore(task: string, stepId: string): Promise<RestoreOutcome | undefined>;
    checkpoints(task: string): Promise<CheckpointInfo[]>;
    /** Files and bytes the checkpoints use (one task's, or all). */
    checkpointStorage(task?: string): Promise<{ files: number; bytes: number }>;
    setMode(mode: ChatMode): Promise<void>;
    /** A button on a step card of the current chat, as the webview sends it ('restore' asks for confirmation). */
    stepAction(messageId: string, stepId: string, action: StepAction, answer?: string): Promise<void>;
  };
}

/**
 * True only when VS Code runs tests against Tandem loaded from source: the
 * extension host was started with `extensionTestsPath` and Tandem as its
 * `extensionDevelopmentPath` (our runners: test/runner). An installed Tandem
 * is always in Production mode, whatever a workspace's settings, tasks or
 * launch configurations say; `npm start`, the E2E tests and the benchmarks
 * load it in Development mode and need no hooks.
 */
export function testHooksEnabled(mode: vscode.ExtensionMode): boolean {
  return mode === vscode.ExtensionMode.Test;
}

export function activate(context: vscode.ExtensionContext): TandemApi | undefined {
  const started = performance.now();
  try {
    const instance = new Tandem(context);
    tandem = instance;
    // deactivate() awaits the same single dispose (the service gets time to stop); this covers a host that only disposes.
    context.subscriptions.push({ dispose: () => void instance.dispose() });
    instance.startService();
    const activationMs = performance.now() - started;
    instance.log.info(`Activated in ${activationMs.toFixed(1)} ms`);
    return testHooksEnabled(context.extensionMode) ? testApi(instance, activationMs) : undefined;
  } catch (error) {
    // VS Code does not show activation failures to the person; we do.
    const reason = errorMessage(error);
    void vscode.window.showErrorMessage(`Tandem failed to start: ${reason}`);
    return undefined;
  }
}

function testApi(instance: TandemContext, activationMs: number): TandemApi {
  const { chat, service } = instance;
  return {
    activationMs,
    serviceReady: async () => {
      await service.ready();
    },
    serviceInfo: () => service.serviceInfo(),
    serviceState: () => service.state,
    statusBarText: () => instance.statusBar.text,
    onDidChangeServiceState: service.onDidChangeState,
    chat: {
      send: (text) => chat.send(text),
      stop: () => chat.stop(),
      newChat: () => chat.newChat(),
      state: () => chat.viewState(),
      onDidChangeBusy: chat.onDidChangeBusy,
      fromView: async (message) => {
        if (isFromWebview(message)) await chat.handle(message);
      },
      mentionOptions: (kind, query) => (isMentionKind(kind) ? chat.mentions.options(kind, query) : Promise.resolve({ options: [] })),
    },
    completions: {
      stats: () => service.completionStats(),
    },
    audit: {
      status: (flush) => service.auditStatus(flush),
    },
    codebase: {
      search: (params) => service.searchCodebase(params),
    },
    edits: {
      propose: async (changeSet, options = {}) => {
        const folder = options.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
        if (!folder) {
          throw new Error('Tandem needs an open folder to review proposed edits');
        }
        return instance.reviews.open(changeSet, folder, { title: options.title, fromApi: true });
      },
    },
    projectChecks: {
      run: async (changeSet, options = {}) => {
        const folder = options.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
        if (!folder) throw new Error('Tandem needs an open folder to check a proposal');
        const answer = options.approve;
        instance.projectChecks.setApprover(answer === undefined ? undefined : scriptedApprover(answer === 'none' ? undefined : answer));
        const source = new vscode.CancellationTokenSource();
        try {
          return await instance.projectChecks.run({ folder, changeSet, reviewId: options.reviewId ?? `test-${Date.now()}` }, source.token, () => undefined);
        } finally {
          source.dispose();
          instance.projectChecks.setApprover(undefined);
        }
      },
      answerWith: (answer) => instance.projectChecks.setApprover(answer === undefined ? undefined : scriptedApprover(answer === 'none' ? undefined : answer)),
    },
    builtInModel: {
      answerConfirmWith: (answer) => instance.builtInModel.answerConfirmWith(answer),
      directory: service.builtInModelsDirectory,
    },
    agent: {
      clientTool: async (params, options = {}) => {
        const root = options.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
        if (!root) {
          throw new Error('Tandem needs an open folder for agent tools');
        }
        const ui = options.approve !== undefined || options.answer !== undefined ? scriptedUi(options.approve ?? 'approve', options.answer) : modalUi;
        const source = new vscode.CancellationTokenSource();
        try {
          return await instance.agentTools.handle(params, { root, ui }, source.token);
        } finally {
          source.dispose();
        }
      },
      restore: (task, stepId) => instance.agentTools.restore(task, stepId, { confirm: false }),
      checkpoints: (task) => instance.checkpoints.list(task),
      checkpointStorage: (task) => instance.checkpoints.usage(task),
      setMode: (mode) => chat.setMode(mode),
      stepAction: (messageId, stepId, action, answer) => chat.stepAction(messageId, stepId, action, answer),
    },
  };
}

export async function deactivate(): Promise<void> {
  await tandem?.dispose();
  tandem = undefined;
}
