import * as vscode from 'vscode';
import type { FileText } from '../../shared/protocol';

/** Where an edit applies, in the service's terms: a folder, a relative path, unsaved buffers. */
export interface EditTarget {
  folder: vscode.Uri;
  /** Relative to folder, '/' separators. */
  path: string;
  languageId: string;
  /** 0-based [startLine, endLine) whole lines; absent for an empty selection. */
  selection?: { startLine: number; endLine: number };
  cursorLine: number;
  /** The document's text and every other unsaved document under the folder. */
  files: FileText[];
}

export type TargetResult = { ok: true; target: EditTarget } | { ok: false; message: string };

/**
 * Describes `document` for an edit request. The selection is widened to
 * whole lines (an edit replaces lines). Files outside a workspace folder use
 * their own directory as the folder; unsaved new (untitled) files are refused:
 * a proposal needs a file to compare with.
 */
export function editTarget(document: vscode.TextDocument, selection: vscode.Selection | vscode.Range | undefined): TargetResult {
  if (document.uri.scheme !== 'file') {
    return { ok: false, message: 'Tandem edits files on disk: save this document to a file first.' };
  }
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(document.uri);
  const folder = workspaceFolder?.uri ?? vscode.Uri.joinPath(document.uri, '..');
  const path = relativePath(folder, document.uri);
  const files: FileText[] = [{ path, text: document.getText() }];
  for (const other of vscode.workspace.textDocuments) {
    if (other !== document && other.isDirty && other.uri.scheme === 'file' && isUnder(folder, other.uri)) {
      files.push({ path: relativePath(folder, other.uri), text: other.getText() });
    }
  }
  const target: EditTarget = { folder, path, languageId: document.languageId, cursorLine: selection?.start.line ?? 0, files };
  if (selection && !selection.isEmpty) {
    const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
    target.selection = { startLine: selection.start.line, endLine: Math.min(endLine, document.lineCount) };
  }
  if (selection && 'active' in selection) {
    target.cursorLine = selection.active.line;
  }
  return { ok: true, target };
}

export function relativePath(folder: vscode.Uri, uri: vscode.Uri): string {
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path;
}

function isUnder(folder: vscode.Uri, uri: vscode.Uri): boolean {
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path.startsWith(base);
}
