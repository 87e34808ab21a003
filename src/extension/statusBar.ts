import * as vscode from 'vscode';
import { serviceUiState } from './chat/serviceUiState';
import type { ServiceClient } from './serviceClient';

/** The status bar item: the model in use and the service's state; click for the Tandem menu. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tandem.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private busy = false;

  constructor(private readonly service: ServiceClient) {
    this.item.name = 'Tandem';
    this.item.command = 'tandem.statusMenu';
    this.disposables.push(
      service.onDidChangeState(() => this.update()),
      service.onDidChangeStatus(() => this.update()),
    );
    this.update();
    this.item.show();
  }

  /** What the item shows now, e.g. `$(sparkle) qwen2.5-coder-1.5b (built-in)`. */
  get text(): string {
    return this.item.text;
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.update();
  }

  private update(): void {
    const status = this.service.status;
    const ui = serviceUiState(this.service.state, status);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown('**Tandem**\n\n');
    if (ui.message) {
      tooltip.appendText(`${ui.message}\n\n`);
    }
    if (status && ui.state !== 'starting') {
      tooltip.appendMarkdown(`Model: \`${status.model || 'none'}\`  \n`);
      tooltip.appendMarkdown(`Endpoint: ${status.provider || 'none'}${status.baseUrl ? ` (\`${status.baseUrl}\`)` : ''}  \n`);
      if (status.embedded) {
        tooltip.appendMarkdown('Runs inside Tandem: nothing leaves this machine.  \n');
      }
      tooltip.appendMarkdown(`API key: ${status.hasApiKey ? 'set' : 'not set'} · settings from ${status.source}\n\n`);
    }
    tooltip.appendMarkdown('Click for Tandem actions.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor = undefined;
    switch (ui.state) {
      case 'starting':
      case 'restarting':
        this.item.text = '$(loading~spin) Tandem';
        break;
      case 'stopped':
        this.item.text = '$(error) Tandem';
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      case 'failed':
        this.item.text = `$(error) ${status?.model || 'Tandem'}${status?.embedded ? ' (built-in)' : ''}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      case 'notConfigured':
        this.item.text = '$(warning) Tandem: no model';
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      case 'ready':
        this.item.text = `${this.busy ? '$(loading~spin)' : '$(sparkle)'} ${status?.model ?? 'Tandem'}${status?.embedded ? ' (built-in)' : ''}`;
        break;
    }
    const model = `model ${status?.model}${status?.embedded ? ' (built-in)' : ''}`;
    this.item.accessibilityInformation = { label: `Tandem: ${ui.state === 'ready' ? model : ui.message ?? ui.state}` };
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** The status item's menu: the Tandem actions people look for first. */
export async function showStatusMenu(): Promise<void> {
  const items: Array<vscode.QuickPickItem & { command: string }> = [
    { label: '$(comment-discussion) Open Chat', command: 'tandem.focusChat' },
    { label: '$(symbol-enum) Choose Model', command: 'tandem.pickModel' },
    { label: '$(key) Set API Key', command: 'tandem.setApiKey' },
    { label: '$(search) Find Local Model Servers', command: 'tandem.findLocalModels' },
    { label: '$(gear) Settings', command: 'workbench.action.openSettings' },
    { label: '$(output) Show Log', command: 'tandem.showLog' },
    { label: '$(debug-restart) Restart Model Service', command: 'tandem.restartService' },
  ];
  const chosen = await vscode.window.showQuickPick(items, { title: 'Tandem' });
  if (chosen) {
    await vscode.commands.executeCommand(chosen.command, ...(chosen.command === 'workbench.action.openSettings' ? ['@ext:tandem-dev.tandem'] : []));
  }
}
