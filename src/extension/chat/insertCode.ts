import * as vscode from 'vscode';

/**
 * "Insert" on a chat code block: replaces the selection of the editor the
 * person was last in (the chat view has focus, so the active editor is kept),
 * or opens the code in a new untitled editor when none is open.
 */
export async function insertIntoEditor(code: string, languageId: string | undefined): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    const document = await vscode.workspace.openTextDocument({ content: code, ...(languageId ? { language: languageId } : {}) });
    await vscode.window.showTextDocument(document);
    return;
  }
  const applied = await editor.edit((builder) => {
    for (const selection of editor.selections) {
      builder.replace(selection, code);
    }
  });
  if (!applied) {
    void vscode.window.showWarningMessage('Tandem could not insert the code: the editor did not accept the edit.');
    return;
  }
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
}
