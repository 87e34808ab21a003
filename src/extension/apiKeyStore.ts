import * as vscode from 'vscode';

const SECRET_KEY = 'tandem.apiKey';

/**
 * The API key lives only in VS Code SecretStorage (the OS keychain on desktop).
 * It is never written to settings, never logged and never sent to the webview;
 * the language client hands it to the service inside its answer to
 * workspace/configuration.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private cached: string | undefined;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_KEY) {
        this.cached = undefined;
        this.changed.fire();
      }
    });
  }

  async get(): Promise<string> {
    if (this.cached === undefined) {
      this.cached = (await this.secrets.get(SECRET_KEY)) ?? '';
    }
    return this.cached;
  }

  async set(key: string): Promise<void> {
    const trimmed = key.trim();
    this.cached = trimmed;
    if (trimmed) {
      await this.secrets.store(SECRET_KEY, trimmed);
    } else {
      await this.secrets.delete(SECRET_KEY);
    }
    this.changed.fire();
  }

  /** Asks for a key (masked input); returns false when the person cancels. */
  async prompt(): Promise<boolean> {
    const current = await this.get();
    const key = await vscode.window.showInputBox({
      title: 'Tandem: Set API Key',
      prompt: 'API key for the model service (kept in VS Code secret storage, never in settings). Leave empty to remove it.',
      password: true,
      ignoreFocusOut: true,
      placeHolder: current ? 'A key is set: enter a new one, or leave empty to remove it' : 'sk-...',
    });
    if (key === undefined) {
      return false;
    }
    await this.set(key);
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
