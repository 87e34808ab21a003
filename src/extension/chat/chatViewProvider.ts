import * as vscode from 'vscode';
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
    view.webview.html = renderHtml(view.webview, webviewRoot);
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

function renderHtml(webview: vscode.Webview, root: vscode.Uri): string {
  const nonce = createNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'chat.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'chat.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Tandem</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function createNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}
