import * as vscode from 'vscode';
import { errorMessage } from '../shared/guards';
import { CONFIG_SECTION } from '../shared/protocol';
import type { ServiceClient } from './serviceClient';
import { isUserOnly } from './userSettings';
import * as os from 'node:os';
import { catalogue, formatBytes, modelForMemory } from '../shared/embeddedCatalogue';

/**
 * Writes a `tandem.*` setting. A user-only setting (src/extension/userSettings.ts)
 * always goes to the user's settings: VS Code would ignore it anywhere else.
 * Others go where they are already set (folder, workspace), else to the
 * user's; in Restricted Mode VS Code hides the workspace's values, so that
 * is the user's too.
 */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  await config.update(key, value, settingTarget(key, config.inspect(key)));
}

function settingTarget(key: string, inspected: { workspaceFolderValue?: unknown; workspaceValue?: unknown } | undefined): vscode.ConfigurationTarget {
  if (isUserOnly(key)) {
    return vscode.ConfigurationTarget.Global;
  }
  if (inspected?.workspaceFolderValue !== undefined) {
    return vscode.ConfigurationTarget.WorkspaceFolder;
  }
  return inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** "Tandem: Choose Model": a quick pick of the models the endpoint offers. */
export async function pickModel(service: ServiceClient, preselected?: string): Promise<void> {
  if (preselected) {
    await updateSetting('model', preselected);
    return;
  }
  const current = service.status?.model ?? '';
  const pick = vscode.window.createQuickPick();
  pick.title = 'Tandem: Choose Model';
  pick.placeholder = 'Loading the models your endpoint offers…';
  pick.busy = true;
  pick.show();
  const cancel = new vscode.CancellationTokenSource();
  const disposables = [pick, cancel, pick.onDidHide(() => cancel.cancel())];
  try {
    const result = await service.listModels(cancel.token);
    pick.busy = false;
    if (result.error && result.models.length === 0) {
      pick.hide();
      void vscode.window.showErrorMessage(`Tandem could not list models: ${result.error.message}`);
      return;
    }
    pick.placeholder = `Models at ${result.baseUrl}`;
    pick.items = result.models.map((model) => ({
      label: model.id,
      ...(model.id === current ? { description: 'current' } : {}),
      ...(model.ownedBy ? { detail: model.ownedBy } : {}),
    }));
    const chosen = await new Promise<string | undefined>((resolve) => {
      disposables.push(
        pick.onDidAccept(() => resolve(pick.selectedItems[0]?.label)),
        pick.onDidHide(() => resolve(undefined)),
      );
    });
    pick.hide();
    if (chosen) {
      await updateSetting('model', chosen);
    }
  } catch (error) {
    pick.hide();
    if (!cancel.token.isCancellationRequested) {
      void vscode.window.showErrorMessage(`Tandem could not list models: ${errorMessage(error)}`);
    }
  } finally {
    vscode.Disposable.from(...disposables).dispose();
  }
}

/**
 * Looks for Ollama, LM Studio, llama.cpp and vLLM on their usual local ports
 * and offers what it finds. `quiet`: say nothing when nothing is found (the
 * automatic check at startup).
 */
export async function offerLocalServers(service: ServiceClient, quiet: boolean): Promise<void> {
  const { servers } = await service.probeLocal();
  const usable = servers.filter((server) => server.models.length > 0);
  if (usable.length === 0) {
    if (quiet) {
      const size = builtInDownloadSize();
      const choice = await vscode.window.showInformationMessage(
        `Tandem needs a model: use a built-in one that runs on this machine${size ? ` (${size} download)` : ''}, set an OpenAI API key, or start a local server (Ollama, LM Studio, vLLM, llama.cpp) and choose its URL.`,
        'Use Built-in Model',
        'Set API Key',
        'Open Settings',
      );
      if (choice === 'Use Built-in Model') {
        await vscode.commands.executeCommand('tandem.useBuiltInModel');
      } else if (choice === 'Set API Key') {
        await vscode.commands.executeCommand('tandem.setApiKey');
      } else if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:tandem-dev.tandem`);
      }
    } else {
      void vscode.window.showInformationMessage('Tandem found no local model server on the usual ports (11434, 1234, 8080, 8000).');
    }
    return;
  }
  const items = usable.flatMap((server) =>
    server.models.map((model) => ({ label: model, description: server.name, detail: server.baseUrl, server })),
  );
  const names = [...new Set(usable.map((server) => server.name))].join(', ');
  if (quiet) {
    const choice = await vscode.window.showInformationMessage(`Tandem found a local model server (${names}). Use it?`, 'Choose Model', 'Not Now');
    if (choice !== 'Choose Model') {
      return;
    }
  }
  const chosen = await vscode.window.showQuickPick(items, { title: 'Tandem: Use a Local Model', placeHolder: 'Models found on this machine' });
  if (chosen) {
    await updateSetting('baseUrl', chosen.server.baseUrl);
    await updateSetting('model', chosen.label);
  }
}

/** "1.0 GB": the built-in model this machine would download; '' when the catalogue cannot be read. */
function builtInDownloadSize(): string {
  try {
    return formatBytes(modelForMemory(os.totalmem(), catalogue(process.env)).sizeBytes);
  } catch {
    return '';
  }
}
