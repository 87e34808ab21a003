import * as vscode from 'vscode';
import { Tandem } from './tandem';

let tandem: Tandem | undefined;

/** What `vscode.extensions.getExtension('tandem-dev.tandem').exports` offers (tests, benchmarks, other extensions). */
export interface TandemApi {
  /** How long activate() took, in milliseconds. */
  readonly activationMs: number;
  /** Resolves once the model service is running. */
  serviceReady(): Promise<void>;
  serviceInfo(): ReturnType<Tandem['service']['serviceInfo']>;
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
    return {
      activationMs,
      serviceReady: async () => {
        await instance.service.ready();
      },
      serviceInfo: () => instance.service.serviceInfo(),
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
