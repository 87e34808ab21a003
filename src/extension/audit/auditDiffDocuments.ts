import * as vscode from 'vscode';
import { parseRecordedDiff, reconstructSides } from '../../shared/auditDiff';
import type { ServiceClient } from '../serviceClient';

/** Read-only documents of recorded diffs: `tandem-audit:/<proposal>/<before|after>/<path>`. */
export const AUDIT_DIFF_SCHEME = 'tandem-audit';

/**
 * Opens a recorded proposal as a diff editor: before and after as far as
 * the trail recorded them (each change with 3 lines around it; the lines
 * between changes are not in the trail, a marker line says how many). The
 * documents are virtual and read-only: nothing here touches the workspace.
 */
export class AuditDiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly service: Pick<ServiceClient, 'auditQuery'>) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(AUDIT_DIFF_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  async openProposal(proposal: string): Promise<void> {
    const result = await this.service.auditQuery({ proposal, types: ['proposal'], includeDiffs: true, limit: 1 });
    const event = result.events[0];
    if (!event?.diff) {
      void vscode.window.showInformationMessage(
        event ? `Tandem: the trail keeps no diff for proposal ${proposal} (tandem.audit.contents was “none”, or it was too large).` : `Tandem: proposal ${proposal} is not in the audit trail.`,
      );
      return;
    }
    const files = parseRecordedDiff(event.diff);
    let chosen = files[0];
    if (files.length > 1) {
      const picked = await vscode.window.showQuickPick(
        files.map((file) => ({ label: file.newPath ?? file.oldPath ?? '?', description: file.newPath === undefined ? 'deleted' : file.oldPath === undefined ? 'new file' : '', file })),
        { title: `Proposal ${proposal}: which file?` },
      );
      if (!picked) return;
      chosen = picked.file;
    }
    if (!chosen) return;
    const path = chosen.newPath ?? chosen.oldPath ?? 'file';
    const { before, after } = reconstructSides(chosen);
    const left = this.document(proposal, 'before', chosen.oldPath ?? path, before);
    const right = this.document(proposal, 'after', path, after);
    // Excerpts of a file are not a program: left in its language they would fill Problems with false errors.
    for (const uri of [left, right]) await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'plaintext');
    await vscode.commands.executeCommand('vscode.diff', left, right, `${path} (proposal ${proposal}, as recorded)`, { preview: true });
  }

  private document(proposal: string, side: 'before' | 'after', path: string, text: string): vscode.Uri {
    const relative = path.replace(/\\/g, '/').replace(/^([a-zA-Z]:)?\/+/, '');
    const uri = vscode.Uri.from({ scheme: AUDIT_DIFF_SCHEME, path: `/${encodeURIComponent(proposal)}/${side}/${relative}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}
