import * as vscode from 'vscode';
import { webviewHtml } from '../webviewHtml';
import { errorMessage } from '../../shared/guards';
import { isFromWebview } from '../../shared/webviewProtocol';
import type { ChatController } from './chatController';

export const CHAT_VIEW_ID = 'tandem.chatView';

/**
 * Hosts the chat webview: a strict CSP with a per-load nonce, only our bundled
 * script and stylesheet, and every incoming message validated before the
 * controller sees it (the page renders model output, so it is untrusted).
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private viewDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    const webviewRoot = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot] };
    view.webview.html = webviewHtml(view.webview, webviewRoot, 'chat', 'Tandem');
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((message: unknown) => {
        if (!isFromWebview(message)) {
          this.log.warn('Ignored a malformed message from the chat view.');
          return;
        }
        this.controller.handle(message).catch((error: unknown) => {
          this.log.error(`Chat view action "${message.type}" failed: ${errorMessage(error)}`);
        });
      }),
      view.onDidDispose(() => this.disposeView()),
    );
    this.controller.attach({ post: (message) => void view.webview.postMessage(message) });
  }

  /** Shows the chat view (opening the Tandem container), optionally without taking focus. */
  async reveal(preserveFocus = false): Promise<void> {
    if (this.view) {
      this.view.show(preserveFocus);
      return;
    }
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  private disposeView(): void {
    this.controller.attach(undefined);
    vscode.Disposable.from(...this.viewDisposables).dispose();
    this.viewDisposables = [];
    this.view = undefined;
  }

  dispose(): void {
    this.disposeView();
  }
}
