import * as vscode from 'vscode';
import type { AuditRestoreFile } from '../../shared/auditProtocol';
import { sha256Text } from '../audit/auditReporter';
import type { CheckpointStore, RestoreEntry } from './checkpoints';
import { restoreTarget } from './restorable';

export interface RestoreOutcome {
  /** Files put back to their content from before the step. */
  restored: string[];
  /** Files the agent had created since, now deleted. */
  deleted: string[];
  /** For the audit trail: each file with its SHA-256 before and after the restore. */
  audit: AuditRestoreFile[];
}

/**
 * "Restore to here": puts back the files the agent changed from the step's
 * checkpoint on, as one WorkspaceEdit (undoable, right for open documents),
 * deletes what it created since, and saves. With `stepOrder` (the answer's
 * step ids, in order) any step can be restored to: a step without a
 * checkpoint of its own restores from the first one taken after it.
 * Undefined when the person declined the confirmation or there is no
 * checkpoint for the step (or after it).
 */
export async function restoreCheckpoint(
  checkpoints: CheckpointStore,
  task: string,
  stepId: string,
  options: { confirm: boolean; stepOrder?: readonly string[] },
): Promise<RestoreOutcome | undefined> {
  const checkpoint = restoreTarget(await checkpoints.list(task), stepId, options.stepOrder);
  if (!checkpoint) {
    void vscode.window.showInformationMessage('Tandem: the agent has changed no files since this step (or they were restored already).');
    return undefined;
  }
  const { root: rootPath, entries } = await checkpoints.restorePlan(task, checkpoint.index);
  const root = vscode.Uri.file(rootPath);
  if (options.confirm && !(await confirm(entries))) return undefined;

  const edit = new vscode.WorkspaceEdit();
  const outcome: RestoreOutcome = { restored: [], deleted: [], audit: [] };
  const toSave: vscode.Uri[] = [];
  for (const entry of entries) {
    const uri = vscode.Uri.joinPath(root, entry.path);
    const exists = await vscode.workspace.fs.stat(uri).then(
      () => true,
      () => false,
    );
    if (!entry.content) {
      if (exists) {
        edit.deleteFile(uri, { ignoreIfNotExists: true });
        outcome.deleted.push(entry.path);
        const current = await currentText(uri);
        outcome.audit.push({ path: entry.path, action: 'deleted', ...(current !== undefined ? { sha256Before: sha256Text(current) } : {}) });
      }
      continue;
    }
    const text = decode(entry.content);
    const before = exists ? await currentText(uri) : undefined;
    outcome.audit.push({
      path: entry.path,
      action: 'restored',
      ...(before !== undefined ? { sha256Before: sha256Text(before) } : {}),
      ...(text !== undefined ? { sha256After: sha256Text(text) } : {}),
    });
    if (exists && text !== undefined) {
      const document = await vscode.workspace.openTextDocument(uri);
      if (document.getText() !== text) {
        edit.replace(uri, new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end), text);
        toSave.push(uri);
      } else if (document.isDirty) {
        toSave.push(uri);
      }
    } else {
      edit.createFile(uri, { overwrite: true, contents: entry.content });
    }
    outcome.restored.push(entry.path);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    throw new Error('VS Code declined the restore (a file may have changed meanwhile); try again.');
  }
  for (const uri of toSave) {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    if (document?.isDirty) await document.save();
  }
  // Later checkpoints describe changes that are now undone.
  await checkpoints.dropFrom(task, checkpoint.index);
  return outcome;
}

async function confirm(entries: readonly RestoreEntry[]): Promise<boolean> {
  const restore = entries.filter((entry) => entry.content).map((entry) => entry.path);
  const remove = entries.filter((entry) => !entry.content).map((entry) => entry.path);
  const lines = [
    ...(restore.length ? [`Put back: ${list(restore)}`] : []),
    ...(remove.length ? [`Delete (created by the agent): ${list(remove)}`] : []),
  ];
  const choice = await vscode.window.showWarningMessage(
    'Restore the files the agent changed to how they were before this step?',
    { modal: true, detail: `${lines.join('\n')}\n\nChanges made by commands are not undone. One Undo (per file) reverts the restore.` },
    'Restore',
  );
  return choice === 'Restore';
}

function list(paths: readonly string[]): string {
  return paths.length > 12 ? `${paths.slice(0, 12).join(', ')} and ${paths.length - 12} more` : paths.join(', ');
}

/** The file's text as the person has it (an open document's, else the disk's); undefined when it is not text. */
async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

function decode(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
