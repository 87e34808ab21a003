import * as vscode from 'vscode';
import type { AuditProvenanceResult } from '../../shared/auditProtocol';
import { errorMessage } from '../../shared/guards';
import type { ServiceClient } from '../serviceClient';
import { fileProvenance, type FileProvenance } from './provenanceMatch';
import { hoverText } from './provenanceText';

/** How long typing pauses before the marks are matched again. */
const REMATCH_MS = 300;

/**
 * Tandem: Show AI Provenance. Marks the active file's lines that came from
 * changes Tandem applied (a thin bar in the gutter, and a hover saying what
 * asked for it, when, which model and who approved it). The changes come
 * from the audit trail (tandem/auditProvenance); they are matched again as
 * the file is edited, so a line edited by hand loses its mark.
 */
export class ProvenanceView implements vscode.Disposable {
  private readonly decoration: vscode.TextEditorDecorationType;
  /** Files whose marks are shown, with the changes the trail gave. */
  private readonly shown = new Map<string, AuditProvenanceResult>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    extensionUri: vscode.Uri,
    private readonly service: Pick<ServiceClient, 'auditProvenance'>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.decoration = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'icons', 'ai-line.svg'),
      gutterIconSize: 'contain',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.subscriptions.push(
      this.decoration,
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (!this.shown.has(event.document.uri.toString())) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.redraw(event.document.uri), REMATCH_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.shown.delete(document.uri.toString())),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        for (const key of this.shown.keys()) this.redraw(vscode.Uri.parse(key));
      }),
    );
  }

  /** Shows the marks of the active file; says how many lines Tandem wrote. */
  async showActive(): Promise<FileProvenance | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Tandem: open a file to see which of its lines Tandem wrote.');
      return undefined;
    }
    const document = editor.document;
    const path = vscode.workspace.asRelativePath(document.uri, false);
    let result: AuditProvenanceResult;
    try {
      result = await this.service.auditProvenance(path);
    } catch (error) {
      this.log.error(`Provenance of ${path}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Tandem: could not read the audit trail (${errorMessage(error)}).`);
      return undefined;
    }
    this.shown.set(document.uri.toString(), result);
    const provenance = this.redraw(document.uri);
    const lines = provenance?.runs.reduce((sum, run) => sum + run.end - run.start + 1, 0) ?? 0;
    const changes = new Set(provenance?.runs.map((run) => run.change.proposal)).size;
    if (result.problem) void vscode.window.showWarningMessage(`Tandem: ${result.problem}`);
    else
      void vscode.window.showInformationMessage(
        lines > 0
          ? `Tandem: ${lines} line${lines === 1 ? '' : 's'} of ${path} came from ${changes} change${changes === 1 ? '' : 's'} Tandem applied (marked in the gutter; hover for details).`
          : `Tandem: no line of ${path} comes from a change Tandem applied${result.changes.length > 0 ? ' any more' : ''}.`,
      );
    return provenance;
  }

  /** The provenance of a document's current text, from the changes the trail gave. */
  provenanceOf(document: vscode.TextDocument, result: AuditProvenanceResult): FileProvenance {
    return fileProvenance(document.getText(), result);
  }

  private redraw(uri: vscode.Uri): FileProvenance | undefined {
    const result = this.shown.get(uri.toString());
    const editors = vscode.window.visibleTextEditors.filter((editor) => editor.document.uri.toString() === uri.toString());
    const first = editors[0];
    if (!result || !first) return undefined;
    const provenance = this.provenanceOf(first.document, result);
    const options = provenance.runs.map((run) => ({
      range: new vscode.Range(run.start, 0, run.end, 0),
      hoverMessage: new vscode.MarkdownString(hoverText(run.change, run.end - run.start + 1)),
    }));
    for (const editor of editors) editor.setDecorations(this.decoration, options);
    return provenance;
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.shown.clear();
  }
}
