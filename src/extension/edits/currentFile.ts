import * as vscode from 'vscode';
import type { CurrentFile } from './fileReview';

/** The open (maybe unsaved) document for `uri`, if VS Code has one. */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((document) => !document.isClosed && document.uri.toString() === key);
}

export function documentFile(document: vscode.TextDocument): CurrentFile {
  return { exists: true, text: document.getText(), eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' };
}

/** Whether something is at `uri`: an open document or a file or folder on disk. */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  if (openDocument(uri)) {
    return true;
  }
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file as the person has it now: the text of its open document (with
 * unsaved edits), else loaded from disk as a document (so its encoding is
 * honoured and later changes are seen), else missing.
 */
export async function readCurrent(uri: vscode.Uri): Promise<CurrentFile> {
  const open = openDocument(uri);
  if (open) {
    return documentFile(open);
  }
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    return { exists: false, text: '' };
  }
  if (stat.type & vscode.FileType.Directory) {
    return { exists: true, text: '' };
  }
  try {
    return documentFile(await vscode.workspace.openTextDocument(uri));
  } catch {
    // Not a text file VS Code will open (binary, too large): it exists, and nothing fits it.
    return { exists: true, text: '\0' };
  }
}
