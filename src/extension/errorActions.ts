import * as vscode from 'vscode';
import type { ErrorAction } from '../shared/protocol';

/** What an error's action button does (the webview only names the action). */
export async function runErrorAction(action: ErrorAction, model?: string): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand('tandem.setApiKey');
      return;
    case 'pickModel':
      await vscode.commands.executeCommand('tandem.pickModel', model);
      return;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:tandem-dev.tandem');
      return;
    case 'showLog':
      await vscode.commands.executeCommand('tandem.showLog');
      return;
    case 'manageTrust':
      await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    case 'useBuiltInModel':
      await vscode.commands.executeCommand('tandem.useBuiltInModel');
      return;
    case 'retry':
      // Retry needs the message; the chat controller handles it before this point.
      return;
  }
}
