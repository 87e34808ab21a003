/**
 * "Tandem: Use Built-in Model": switches to the downloaded built-in model, or
 * asks once and downloads it in the service (tandem/embedded/download) with
 * its progress in a notification that can be cancelled; a cancelled or broken
 * download resumes on the next try.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { catalogue, formatBytes, modelForMemory, type CatalogueModel } from '../../shared/embeddedCatalogue';
import { errorMessage } from '../../shared/guards';
import type { ServiceClient } from '../serviceClient';
import { describeProgress, installedBuiltInModel } from './builtInModel';

export type UseBuiltInOutcome = 'switched' | 'downloaded' | 'declined' | 'cancelled' | 'failed';

/** Answers the confirmation instead of a dialog (the test hooks); `undefined`: ask. */
export type ConfirmAnswer = boolean | undefined;

export class BuiltInModel {
  private running: Promise<UseBuiltInOutcome> | undefined;
  private scriptedAnswer: ConfirmAnswer;

  constructor(
    private readonly service: ServiceClient,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  answerConfirmWith(answer: ConfirmAnswer): void {
    this.scriptedAnswer = answer;
  }

  /** One at a time: a second call while downloading waits for the same download. */
  use(): Promise<UseBuiltInOutcome> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<UseBuiltInOutcome> {
    const directory = this.service.builtInModelsDirectory;
    if (!directory) {
      void vscode.window.showErrorMessage('Tandem has no storage folder for a built-in model here.');
      return 'failed';
    }
    const installed = await installedBuiltInModel(directory);
    if (installed) {
      this.service.configurationChanged();
      void vscode.window.showInformationMessage(`Tandem uses the built-in model ${path.basename(installed)} when no other model service is configured; it runs on this machine.`);
      return 'switched';
    }
    let model: CatalogueModel;
    try {
      model = modelForMemory(os.totalmem(), catalogue(process.env));
    } catch (error) {
      void vscode.window.showErrorMessage(`Tandem: ${errorMessage(error)}`);
      return 'failed';
    }
    if (!(await this.confirm(model, directory))) return 'declined';
    return this.download(model, directory);
  }

  private async confirm(model: CatalogueModel, directory: string): Promise<boolean> {
    if (this.scriptedAnswer !== undefined) return this.scriptedAnswer;
    const part = await fs.stat(path.join(directory, `${model.fileName}.part`)).catch(() => undefined);
    const resume = part && part.size > 0 && part.size < model.sizeBytes ? ` ${formatBytes(part.size)} are already there; the download continues from there.` : '';
    const choice = await vscode.window.showInformationMessage(
      `Download ${model.label} (${formatBytes(model.sizeBytes)})?`,
      {
        modal: true,
        detail: `Tandem runs this model on this machine: no server, no API key, and nothing you type leaves it. It is stored in Tandem's storage and checked against its published SHA-256.${resume}`,
      },
      'Download',
    );
    return choice === 'Download';
  }

  private async download(model: CatalogueModel, directory: string): Promise<UseBuiltInOutcome> {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading ${model.label}`, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        return this.service.downloadBuiltInModel({ downloadId: randomUUID(), directory, modelId: model.id }, token, (update) => {
          const percent = update.totalBytes > 0 ? Math.floor((update.receivedBytes / update.totalBytes) * 100) : 0;
          progress.report({ message: describeProgress(update), increment: Math.max(0, percent - reported) });
          reported = Math.max(reported, percent);
        });
      },
    );
    if (!result.error) {
      this.log.info(`Built-in model ${result.modelId} ${result.alreadyPresent ? 'was already there' : 'downloaded and verified'}: ${result.path}`);
      this.service.configurationChanged();
      void vscode.window.showInformationMessage(`Built-in model ready: Tandem runs ${model.label} on this machine when no other model service is configured.`);
      return 'downloaded';
    }
    this.log.warn(`Built-in model ${model.id} not installed (${result.error.reason}): ${result.error.message}`);
    if (result.error.reason === 'cancelled') {
      void vscode.window.showInformationMessage('Download paused. Run “Tandem: Use Built-in Model” again to continue where it stopped.');
      return 'cancelled';
    }
    void vscode.window.showErrorMessage(`Tandem could not install ${model.label}: ${result.error.message}`, 'Try Again').then((choice) => {
      if (choice === 'Try Again') void this.use();
    });
    return 'failed';
  }
}
