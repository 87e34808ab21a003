import * as vscode from 'vscode';
import type { DiagnosticInfo } from '../../shared/protocol';
import { relativePath } from '../actions/editTarget';

/** How long to wait for a language server to report on a file that changed. */
const UPDATE_WAIT_MS = 3_000;
/** Servers report in waves (syntax, then semantics): after one, wait this long for another. */
const SETTLE_MS = 300;
const MAX_ITEMS_PER_FILE = 50;
/** Edits older than this are assumed reported on already. */
const RECENT_EDIT_MS = 30_000;
const ALL_FILES_WAIT_MS = 1_500;

/**
 * The Problems of files under a root, as the agent's `get_diagnostics` sees
 * them. After an edit the language servers need a moment: when a file
 * changed (or was just opened) after its diagnostics were last reported, we
 * wait for the next report on it, within a bound.
 */
export class DiagnosticsTracker implements vscode.Disposable {
  /** When each document last changed, and was last opened (a server reports on a document when it opens). */
  private readonly edited = new Map<string, number>();
  private readonly opened = new Map<string, number>();
  private readonly reported = new Map<string, number>();
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length) this.edited.set(event.document.uri.toString(), Date.now());
      }),
      vscode.workspace.onDidOpenTextDocument((document) => this.opened.set(document.uri.toString(), Date.now())),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const now = Date.now();
        for (const uri of event.uris) this.reported.set(uri.toString(), now);
      }),
    ];
  }

  async collect(root: vscode.Uri, paths: readonly string[] | undefined, token?: vscode.CancellationToken, waitMs = UPDATE_WAIT_MS): Promise<Array<{ path: string; items: DiagnosticInfo[] }>> {
    if (paths?.length) {
      const files = paths.map((path) => ({ path, uri: vscode.Uri.joinPath(root, path) }));
      const uris = files.map((file) => file.uri);
      // Language servers report on open documents: open (not show) the ones asked about.
      await Promise.all(uris.map((uri) => vscode.workspace.openTextDocument(uri).then(undefined, () => undefined)));
      await this.waitForReports(uris, waitMs, token, true);
      return files.map(({ path, uri }) => ({ path, items: convert(vscode.languages.getDiagnostics(uri)) }));
    }
    const result: Array<{ path: string; items: DiagnosticInfo[] }> = [];
    const open = vscode.workspace.textDocuments.filter((document) => isUnder(root, document.uri)).map((document) => document.uri);
    // Shorter: this asks about everything, and a file no server reports on would hold it up.
    await this.waitForReports(open, Math.min(waitMs, ALL_FILES_WAIT_MS), token, false);
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      if (uri.scheme === 'file' && isUnder(root, uri) && diagnostics.length) {
        result.push({ path: relativePath(root, uri), items: convert(diagnostics) });
      }
    }
    return result.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Waits until every URI that changed since its last report has been reported on again (bounded). */
  private async waitForReports(uris: readonly vscode.Uri[], waitMs: number, token: vscode.CancellationToken | undefined, includeOpened: boolean): Promise<void> {
    const started = Date.now();
    const stale = (): vscode.Uri[] =>
      uris.filter((uri) => {
        const key = uri.toString();
        const edited = Math.max(this.edited.get(key) ?? -1, includeOpened ? this.opened.get(key) ?? -1 : -1);
        // Only recent edits: a document no server reports on (plain text) would otherwise always wait.
        return edited >= 0 && started - edited < RECENT_EDIT_MS && edited >= (this.reported.get(key) ?? 0);
      });
    if (!stale().length) return;
    await new Promise<void>((resolve) => {
      let settle: ReturnType<typeof setTimeout> | undefined;
      const finish = (): void => {
        clearTimeout(deadline);
        clearTimeout(settle);
        listener.dispose();
        cancel?.dispose();
        resolve();
      };
      const deadline = setTimeout(finish, waitMs);
      const listener = vscode.languages.onDidChangeDiagnostics(() => {
        if (!stale().length) {
          clearTimeout(settle);
          settle = setTimeout(finish, SETTLE_MS);
        }
      });
      const cancel = token?.onCancellationRequested(finish);
    });
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

export function convert(diagnostics: readonly vscode.Diagnostic[]): DiagnosticInfo[] {
  return [...diagnostics]
    .sort((a, b) => a.severity - b.severity || a.range.start.line - b.range.start.line)
    .slice(0, MAX_ITEMS_PER_FILE)
    .map((diagnostic) => {
      const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
      return {
        startLine: diagnostic.range.start.line,
        endLine: diagnostic.range.end.line,
        severity: severityName(diagnostic.severity),
        message: diagnostic.message,
        ...(diagnostic.source ? { source: diagnostic.source } : {}),
        ...(code !== undefined ? { code: String(code) } : {}),
      };
    });
}

function severityName(severity: vscode.DiagnosticSeverity): DiagnosticInfo['severity'] {
  switch (severity) {
    case vscode.DiagnosticSeverity.Error:
      return 'error';
    case vscode.DiagnosticSeverity.Warning:
      return 'warning';
    case vscode.DiagnosticSeverity.Information:
      return 'info';
    default:
      return 'hint';
  }
}

export function isUnder(root: vscode.Uri, uri: vscode.Uri): boolean {
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return uri.scheme === root.scheme && uri.path.startsWith(base);
}
