import * as vscode from 'vscode';
import type { ChangeSet } from '../shared/edits';
import type { CompletionStatsResult, ServiceInfoResult } from '../shared/protocol';
import type { ChatViewState } from '../shared/webviewProtocol';
import type { ReviewHandle } from './edits/types';
import type { ServiceClientState } from './serviceClient';
import { Tandem } from './tandem';

let tandem: Tandem | undefined;

/**
 * What `vscode.extensions.getExtension('tandem-dev.tandem').exports` offers:
 * a small, stable surface for other extensions, the integration tests and the
 * benchmarks. It drives the same controller the chat view does.
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
  };
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
}

export function activate(context: vscode.ExtensionContext): TandemApi | undefined {
  const started = performance.now();
  try {
    const instance = new Tandem(context);
    tandem = instance;
    context.subscriptions.push({ dispose: () => void instance.dispose() });
    instance.startService();
    const activationMs = performance.now() - started;
    instance.log.info(`Activated in ${activationMs.toFixed(1)} ms`);
    const { controller, service } = instance;
    return {
      activationMs,
      serviceReady: async () => {
        await service.ready();
      },
      serviceInfo: () => service.serviceInfo(),
      serviceState: () => service.state,
      onDidChangeServiceState: service.onDidChangeState,
      chat: {
        send: (text) => controller.send(text),
        stop: () => controller.stop(),
        newChat: () => controller.newChat(),
        state: () => controller.viewState(),
        onDidChangeBusy: controller.onDidChangeBusy,
      },
      completions: {
        stats: () => service.completionStats(),
      },
      edits: {
        propose: async (changeSet, options = {}) => {
          const folder = options.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
          if (!folder) {
            throw new Error('Tandem needs an open folder to review proposed edits');
          }
          return instance.reviews.open(changeSet, folder, { title: options.title });
        },
      },
    };
  } catch (error) {
    // VS Code does not show activation failures to the person; we do.
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Tandem failed to start: ${reason}`);
    return undefined;
  }
}

export async function deactivate(): Promise<void> {
  await tandem?.dispose();
  tandem = undefined;
}
