import * as vscode from 'vscode';

/**
 * Offers Tandem where the person is: "Fix with Tandem" and "Explain with
 * Tandem" on reported problems (Quick Fix), "Refactor with Tandem…" on a
 * selection. The actions only name commands; nothing runs until chosen.
 */
export class TandemCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (document.uri.scheme !== 'file') {
      return [];
    }
    const actions: vscode.CodeAction[] = [];
    const wants = (kind: vscode.CodeActionKind): boolean => !context.only || context.only.contains(kind) || kind.contains(context.only);
    const problems = context.diagnostics;
    if (problems.length > 0 && wants(vscode.CodeActionKind.QuickFix)) {
      const span = problems.map((problem) => problem.range).reduce((all, next) => all.union(next));
      const args = { uri: document.uri, range: span, diagnostics: [...problems] };
      const fix = new vscode.CodeAction('Fix with Tandem', vscode.CodeActionKind.QuickFix);
      fix.command = { command: 'tandem.fix', title: 'Fix with Tandem', arguments: [args] };
      fix.diagnostics = [...problems];
      const explain = new vscode.CodeAction('Explain with Tandem', vscode.CodeActionKind.QuickFix);
      explain.command = { command: 'tandem.explain', title: 'Explain with Tandem', arguments: [args] };
      explain.diagnostics = [...problems];
      actions.push(fix, explain);
    }
    if (!range.isEmpty && wants(vscode.CodeActionKind.RefactorRewrite)) {
      const refactor = new vscode.CodeAction('Refactor with Tandem…', vscode.CodeActionKind.RefactorRewrite);
      refactor.command = { command: 'tandem.refactor', title: 'Refactor with Tandem…', arguments: [{ uri: document.uri, range }] };
      actions.push(refactor);
    }
    return actions;
  }
}
