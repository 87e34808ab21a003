import * as vscode from 'vscode';
import type { Position } from '../../shared/diff';
import type { FilePlan } from './fileReview';

/** A file plan with the URIs it applies to. */
export interface PlannedFile {
  plan: FilePlan;
  /** Where the file is now. */
  uri: vscode.Uri;
  /** Where a move puts it. */
  target: vscode.Uri;
}

/**
 * One WorkspaceEdit for every plan: it works on unsaved documents, does not
 * save, and one Undo reverts it (per file). VS Code applies its parts in
 * order and refuses text edits made for an older version of a document
 * when it reaches them, so plain text edits go first: such a refusal then
 * comes before any file is created, deleted or moved.
 */
export function buildWorkspaceEdit(files: readonly PlannedFile[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const textOnly = (entry: PlannedFile): boolean => entry.plan.operation === 'edit' && !entry.plan.rename;
  for (const { plan, uri, target } of [...files.filter(textOnly), ...files.filter((entry) => !textOnly(entry))]) {
    switch (plan.operation) {
      case 'create':
        edit.createFile(uri, { overwrite: false, ignoreIfExists: false });
        for (const replacement of plan.replacements) {
          edit.insert(uri, new vscode.Position(0, 0), replacement.text);
        }
        break;
      case 'delete':
        edit.deleteFile(uri, { ignoreIfNotExists: false });
        break;
      case 'edit': {
        let at = uri;
        if (plan.rename) {
          edit.renameFile(uri, target, { overwrite: false, ignoreIfExists: false });
          at = target;
        }
        for (const replacement of plan.replacements) {
          edit.replace(at, new vscode.Range(toPosition(replacement.start), toPosition(replacement.end)), replacement.text);
        }
        break;
      }
      case 'none':
        break;
    }
  }
  return edit;
}

function toPosition(position: Position): vscode.Position {
  return new vscode.Position(position.line, position.character);
}
