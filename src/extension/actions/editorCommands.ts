import * as vscode from 'vscode';
import type { EditTask } from '../../shared/protocol';
import type { TandemContext } from '../context';
import { runErrorAction } from '../errorActions';
import { runEditTask, type EditTaskDeps, type EditTaskOutcome } from './editTask';
import { offLimitsReason, refuseOffLimits } from '../offLimits';

/**
 * Arguments the editor commands accept from code actions, other extensions
 * and tests; without them they act on the active editor's selection.
 */
export interface EditorCommandArgs {
  uri?: vscode.Uri;
  range?: vscode.Range;
  instruction?: string;
  diagnostics?: vscode.Diagnostic[];
}

interface Located {
  document: vscode.TextDocument;
  range: vscode.Range | vscode.Selection;
}

async function locate(args: EditorCommandArgs | undefined): Promise<Located | undefined> {
  if (args?.uri) {
    const document = await vscode.workspace.openTextDocument(args.uri);
    const editor = vscode.window.visibleTextEditors.find((visible) => visible.document === document);
    return { document, range: args.range ?? editor?.selection ?? new vscode.Range(0, 0, 0, 0) };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Tandem: open a file (and select some code) first.');
    return undefined;
  }
  return { document: editor.document, range: args?.range ?? editor.selection };
}

function asArgs(value: unknown): EditorCommandArgs | undefined {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) ? (value as EditorCommandArgs) : undefined;
}

/** Diagnostics that touch the range (or the cursor line), errors first. */
function diagnosticsAt(document: vscode.TextDocument, range: vscode.Range): vscode.Diagnostic[] {
  const lines = range.isEmpty ? new vscode.Range(range.start.line, 0, range.start.line, Number.MAX_SAFE_INTEGER) : range;
  return vscode.languages
    .getDiagnostics(document.uri)
    .filter((diagnostic) => diagnostic.range.intersection(lines) !== undefined)
    .sort((a, b) => a.severity - b.severity);
}

async function askInstruction(task: EditTask, given: string | undefined, where: string): Promise<string | undefined> {
  if (given?.trim()) {
    return given;
  }
  return vscode.window.showInputBox({
    title: task === 'inline' ? `Tandem: Edit ${where}` : `Tandem: Refactor ${where}`,
    prompt: 'What should change? The proposal opens as a diff to review.',
    placeHolder: task === 'inline' ? 'e.g. handle the empty list, add a timeout parameter' : 'e.g. extract a function, use async/await',
    ignoreFocusOut: true,
  });
}

/** What the editor commands and chat Apply need to propose edits. */
export function editTaskDeps(ctx: Pick<TandemContext, 'service' | 'reviews' | 'log'>): EditTaskDeps {
  return { service: ctx.service, reviewer: ctx.reviews, log: ctx.log, runErrorAction: (action) => runErrorAction(action) };
}

/** Refactor, Fix, Tests, Docs, Inline Edit: a proposal for the selection (or the file), opened for review. */
export async function editorTask(ctx: TandemContext, task: EditTask, raw?: unknown): Promise<EditTaskOutcome | undefined> {
  const args = asArgs(raw);
  const located = await locate(args);
  if (!located) {
    return undefined;
  }
  const { document, range } = located;
  // A secrets or ignored file is refused before the person is asked what to change (runEditTask checks again).
  const offLimits = offLimitsReason(document.uri);
  if (offLimits !== undefined) {
    const message = `Tandem did not send this file to the model: ${offLimits}`;
    void vscode.window.showWarningMessage(message);
    return { kind: 'invalid', message };
  }
  let instruction = args?.instruction;
  if (task === 'refactor' || task === 'inline') {
    const where = range.isEmpty ? (document.uri.path.split('/').pop() ?? 'file') : 'selection';
    instruction = await askInstruction(task, instruction, where);
    if (!instruction?.trim()) {
      return undefined;
    }
  }
  let diagnostics = args?.diagnostics;
  if (task === 'fix') {
    diagnostics ??= diagnosticsAt(document, range);
    if (diagnostics.length === 0) {
      void vscode.window.showInformationMessage('Tandem: there is no reported problem here to fix. Put the cursor on a squiggle, or use Refactor to describe the change.');
      return undefined;
    }
  }
  return runEditTask(editTaskDeps(ctx), { task, document, range, ...(instruction ? { instruction } : {}), ...(diagnostics ? { diagnostics } : {}) });
}

/** Explain: streams into the chat, with the code (or the problem) attached. */
export async function explain(ctx: TandemContext, raw?: unknown): Promise<void> {
  const args = asArgs(raw);
  const located = await locate(args);
  if (!located) {
    return;
  }
  const { document, range } = located;
  if (refuseOffLimits(document.uri, 'send this file to the model')) {
    return;
  }
  const problems = args?.diagnostics ?? (args?.range ? diagnosticsAt(document, range) : []);
  const lines = range.isEmpty ? new vscode.Range(range.start.line, 0, range.start.line, document.lineAt(range.start.line).text.length) : range;
  ctx.chips.addRange(document, problems.length > 0 || !range.isEmpty ? lines : range);
  await ctx.chatView.reveal();
  const question =
    problems.length > 0
      ? `Explain this problem and how to fix it:\n${problems.map((problem) => `- line ${problem.range.start.line + 1}: ${problem.message}`).join('\n')}`
      : range.isEmpty
        ? 'Explain what this file does.'
        : 'Explain this code.';
  await ctx.chat.send(question);
}
