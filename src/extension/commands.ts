import * as vscode from 'vscode';
import type { ErrorAction } from '../shared/protocol';
import type { Tandem } from './tandem';
import { editorCommands } from './actions/editorCommands';
import { offerLocalServers, pickModel } from './modelSettings';

type CommandFactory = (tandem: Tandem) => (...args: unknown[]) => unknown;

/** Every command the extension contributes; scripts/check-contributions.mjs keeps this and package.json in step. */
export const commands: Record<string, CommandFactory> = {
  'tandem.focusChat': (tandem) => () => tandem.chatView.reveal(),
  'tandem.askAboutSelection': (tandem) => async () => {
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      tandem.chips.addFromEditor(editor);
    }
    await tandem.chatView.reveal();
    tandem.controller.focusInput();
  },
  'tandem.newChat': (tandem) => async () => {
    await tandem.chatView.reveal();
    await tandem.controller.newChat();
  },
  'tandem.stop': (tandem) => () => tandem.controller.stop(),
  // An argument lets automation (and the integration tests) set the key without the prompt.
  'tandem.setApiKey': (tandem) => async (key?: unknown) => {
    if (typeof key === 'string') {
      await tandem.apiKeys.set(key);
    } else if (await tandem.apiKeys.prompt()) {
      void vscode.window.showInformationMessage((await tandem.apiKeys.get()) ? 'Tandem: API key saved in secret storage.' : 'Tandem: API key removed.');
    }
  },
  'tandem.clearApiKey': (tandem) => async () => {
    await tandem.apiKeys.set('');
    void vscode.window.showInformationMessage('Tandem: API key removed.');
  },
  'tandem.pickModel': (tandem) => (model?: unknown) => pickModel(tandem.service, typeof model === 'string' ? model : undefined),
  'tandem.findLocalModels': (tandem) => () => offerLocalServers(tandem.service, false),
  'tandem.showLog': (tandem) => () => tandem.log.show(),
  'tandem.restartService': (tandem) => () => tandem.service.restart(),
  'tandem.statusMenu': () => async () => {
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
  },
  ...editorCommands,
};

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
    case 'retry':
      // Retry needs the message; the chat controller handles it before this point.
      return;
  }
}
