import * as vscode from 'vscode';
import type { CompletionStatusParams } from '../../shared/protocol';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ServiceClient } from '../serviceClient';
import { affectsGate, isEnabledFor, isGloballyEnabled, setForLanguage, setGlobal } from './completionGate';
import type { CompletionMiddleware } from './completionMiddleware';
import { PartialAcceptTracker } from './partialAccept';

type Item = vscode.InlineCompletionItem;

/**
 * Inline suggestions in VS Code. The service answers the standard
 * textDocument/inlineCompletion (the language client registers the
 * provider); this adds what belongs to the editor: the per-language switch,
 * a status bar item that says why nothing appears, the manual trigger, and
 * the shown / accepted / partly accepted events the service counts.
 */
export class CompletionController implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tandem.completions', vscode.StatusBarAlignment.Right, 99);
  private readonly tracker = new PartialAcceptTracker();
  private readonly disposables: vscode.Disposable[] = [this.item];
  private serviceStatus: CompletionStatusParams = { state: 'idle' };

  constructor(
    private readonly service: ServiceClient,
    private readonly middleware: CompletionMiddleware,
  ) {
    // The middleware sends the editor's indentation with each request: it needs the running client.
    let client: LanguageClient | undefined;
    const track = (): void => {
      client = undefined;
      if (service.state === 'ready') {
        void service.ready().then(
          (running) => (client = running),
          () => undefined,
        );
      }
    };
    middleware.useClient(() => client);
    track();
    this.item.name = 'Tandem Inline Suggestions';
    this.item.command = 'tandem.completionsMenu';
    this.disposables.push(
      middleware.onDidShow(({ document, position, item }) => this.noteShown(document, position, item)),
      service.onDidChangeCompletionStatus((status) => {
        this.serviceStatus = status;
        this.update();
      }),
      service.onDidChangeState(() => {
        track();
        this.update();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsGate(event)) {
          this.update();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        for (const change of event.contentChanges) {
          const partial = this.tracker.change(event.document.uri.toString(), change.rangeOffset, change.rangeLength, change.text);
          if (partial) {
            this.service.sendCompletionEvent({ id: partial.id, kind: 'partiallyAccepted', acceptedChars: partial.acceptedChars });
          }
        }
      }),
    );
    this.update();
    this.item.show();
  }

  /** The item's command ran: VS Code inserted the whole suggestion. */
  accepted(id: unknown): void {
    this.tracker.clear();
    if (typeof id === 'string') {
      this.service.sendCompletionEvent({ id, kind: 'accepted' });
    }
  }

  private noteShown(document: vscode.TextDocument, position: vscode.Position, item: Item): void {
    const id = item.command?.arguments?.[0];
    if (typeof id !== 'string') {
      return;
    }
    this.service.sendCompletionEvent({ id, kind: 'shown' });
    const text = typeof item.insertText === 'string' ? item.insertText : item.insertText.value;
    const start = item.range?.start ?? position;
    // The suggestion continues what is typed from `start`; what is already there is not inserted again.
    const typed = document.getText(new vscode.Range(start, position));
    if (text.startsWith(typed)) {
      this.tracker.shown(id, document.uri.toString(), document.offsetAt(position), text.slice(typed.length));
    }
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const languageId = editor?.document.languageId;
    const offLimits = editor ? this.middleware.offLimits(editor.document.uri) : undefined;
    const tooltip = new vscode.MarkdownString('**Tandem inline suggestions**\n\n');
    this.item.backgroundColor = undefined;
    if (offLimits !== undefined) {
      this.item.text = '$(lock) Suggest';
      tooltip.appendText(`None in this file: ${offLimits}`);
    } else if (!isGloballyEnabled()) {
      this.item.text = '$(circle-slash) Suggest';
      tooltip.appendText('Off everywhere. Click to turn them on.');
    } else if (languageId && !isEnabledFor(languageId)) {
      this.item.text = '$(circle-slash) Suggest';
      tooltip.appendText(`Off for ${languageId}. Click to turn them on for ${languageId}.`);
    } else if (this.service.state !== 'ready') {
      this.item.text = '$(loading~spin) Suggest';
      tooltip.appendText('Waiting for the model service.');
    } else if (this.serviceStatus.state === 'loading') {
      this.item.text = '$(loading~spin) Suggest';
      tooltip.appendText('Asking the completion model…');
    } else if (this.serviceStatus.state === 'error') {
      this.item.text = '$(warning) Suggest';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      tooltip.appendText(`No suggestions: ${this.serviceStatus.message ?? 'the completion model did not answer.'}`);
    } else {
      this.item.text = '$(check) Suggest';
      tooltip.appendText(languageId ? `On for ${languageId}. Tab accepts; Ctrl+→ accepts a word.` : 'On.');
    }
    tooltip.appendMarkdown('\n\nClick for options.');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Tandem inline suggestions: ${this.item.text.replace(/\$\([^)]+\)\s*/, '')}` };
  }

  /** The status item's menu: switch on/off (everywhere, for this language), trigger now, settings. */
  async menu(): Promise<void> {
    const languageId = vscode.window.activeTextEditor?.document.languageId;
    const global = isGloballyEnabled();
    const items: Array<vscode.QuickPickItem & { run: () => Thenable<unknown> }> = [
      { label: global ? '$(circle-slash) Turn Off Everywhere' : '$(check) Turn On Everywhere', run: () => setGlobal(!global) },
    ];
    if (languageId && global) {
      const forLanguage = isEnabledFor(languageId);
      items.push({ label: `${forLanguage ? '$(circle-slash) Turn Off' : '$(check) Turn On'} for ${languageId}`, run: () => setForLanguage(languageId, !forLanguage) });
    }
    items.push(
      { label: '$(sparkle) Suggest Now', description: 'Alt+\\', run: () => vscode.commands.executeCommand('tandem.triggerCompletion') },
      { label: '$(gear) Completion Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'tandem.completion') },
    );
    if (this.serviceStatus.state === 'error') {
      items.push({ label: '$(output) Show Log', run: () => vscode.commands.executeCommand('tandem.showLog') });
    }
    const chosen = await vscode.window.showQuickPick(items, { title: 'Tandem Inline Suggestions' });
    await chosen?.run();
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** Turns inline suggestions on or off everywhere. */
export function toggleCompletions(): Promise<void> {
  return setGlobal(!isGloballyEnabled());
}

/** Asks for a suggestion now, unless they are off for the active editor's language (then says so). */
export async function triggerCompletion(): Promise<void> {
  const languageId = vscode.window.activeTextEditor?.document.languageId;
  if (languageId && !isEnabledFor(languageId)) {
    void vscode.window.showInformationMessage(`Tandem: inline suggestions are off for ${languageId}. Turn them on from the status bar.`);
    return;
  }
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
}
