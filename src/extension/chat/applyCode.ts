import * as vscode from 'vscode';
import type { EditOutcome } from '../../shared/edits';
import type { ProposalReviewer } from '../actions/editTask';
import type { ReviewHandle } from '../edits/types';
import { editTarget, relativePath } from '../actions/editTarget';
import type { ServiceClient } from '../serviceClient';
import { pathHint } from './pathHint';

export interface ApplyCodeDeps {
  service: ServiceClient;
  reviewer: ProposalReviewer;
  log: vscode.LogOutputChannel;
}

/** Languages whose blocks are edit formats in themselves (they name their files). */
const PATCH_LANGUAGES = new Set(['diff', 'patch']);

/**
 * "Apply" on a chat code block. A patch, diff or SEARCH/REPLACE block names
 * its files; any other block is new content for the file the answer names
 * next to the block (the fence's info string or the line before it), else
 * for the active editor: its selection when there is one, else the whole
 * file. The result opens for review; nothing is written here.
 */
export async function applyCodeBlock(deps: ApplyCodeDeps, code: string, languageId: string | undefined, answer: string): Promise<ReviewHandle | EditOutcome | undefined> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const hint = pathHint(answer, code);
  const hinted = hint && folder ? vscode.Uri.joinPath(folder, hint) : undefined;
  const useEditor = editor && (!hinted || editor.document.uri.toString() === hinted.toString()) ? editor : undefined;
  const patchLike = PATCH_LANGUAGES.has(languageId ?? '') || looksLikePatch(code);

  let params: Parameters<ServiceClient['parseEdit']>[0];
  let root: vscode.Uri;
  if (useEditor) {
    const resolved = editTarget(useEditor.document, patchLike ? undefined : useEditor.selection);
    if (!resolved.ok) {
      void vscode.window.showWarningMessage(resolved.message);
      return undefined;
    }
    const { target } = resolved;
    root = target.folder;
    params = { text: code, root: root.fsPath, defaultPath: target.path, files: target.files, ...(target.selection ? { selection: target.selection } : {}) };
  } else if (folder) {
    root = folder;
    const files = vscode.workspace.textDocuments
      .filter((document) => document.isDirty && document.uri.scheme === 'file')
      .map((document) => ({ path: relativePath(folder, document.uri), text: document.getText() }));
    params = { text: code, root: root.fsPath, files, ...(hint ? { defaultPath: hint } : {}) };
  } else {
    void vscode.window.showInformationMessage('Tandem: open the file this code is meant for, then Apply again.');
    return undefined;
  }
  if (!params.defaultPath && !patchLike) {
    void vscode.window.showInformationMessage('Tandem: open the file this code is meant for, then Apply again.');
    return undefined;
  }

  const outcome = await deps.service.parseEdit(params);
  if (!outcome.ok) {
    deps.log.warn(`Apply from chat refused:\n${outcome.failures.map((failure) => failure.message).join('\n\n')}`);
    const first = outcome.failures[0]?.message.split('\n')[0] ?? 'the code could not be placed.';
    const advice = outcome.failures.some((failure) => failure.kind === 'truncation' || failure.kind === 'placeholder')
      ? ' Select the lines the code replaces, then Apply again.'
      : '';
    const choice = await vscode.window.showWarningMessage(`Tandem did not apply the code: ${first}${advice}`, 'Show Details');
    if (choice) {
      deps.log.show(true);
    }
    return outcome;
  }
  return deps.reviewer.open(outcome.changeSet, root, { title: 'Apply from chat' });
}

function looksLikePatch(code: string): boolean {
  return /^\*\*\* Begin Patch|^(<<<<<<<|-------) SEARCH|^diff --git |^--- \S.*\n\+\+\+ \S/m.test(code);
}
