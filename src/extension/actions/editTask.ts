import * as vscode from 'vscode';
import type { ChangeSet, EditFailure } from '../../shared/edits';
import type { ChatError, DiagnosticInfo, EditTask, ErrorAction, ProposeEditResult } from '../../shared/protocol';
import { DIAGNOSTIC_SEVERITIES } from '../../shared/vocabulary';
import { describeRedactions } from '../../shared/boundaryWording';
import type { ReviewHandle } from '../edits/types';
import type { ServiceClient } from '../serviceClient';
import { offLimitsReason } from '../offLimits';
import { editTarget } from './editTarget';

/** What opens a change set for review (the review manager). */
export interface ProposalReviewer {
  open(changeSet: ChangeSet, folder: vscode.Uri, options?: { title?: string }): Promise<ReviewHandle>;
}

export interface EditTaskDeps {
  service: ServiceClient;
  reviewer: ProposalReviewer;
  log: vscode.LogOutputChannel;
  runErrorAction(action: ErrorAction): Promise<void>;
}

export interface EditTaskRequest {
  task: EditTask;
  document: vscode.TextDocument;
  range?: vscode.Range | vscode.Selection;
  instruction?: string;
  diagnostics?: readonly vscode.Diagnostic[];
}

/** How a task ended, for callers and tests. */
export type EditTaskOutcome =
  /** `review` is absent when the model proposed no change at all. */
  | { kind: 'proposed'; changeSet: ChangeSet; review?: ReviewHandle }
  | { kind: 'refused'; failures: EditFailure[] }
  | { kind: 'failed'; error: ChatError }
  | { kind: 'cancelled' }
  | { kind: 'invalid'; message: string };

const TITLES: Record<EditTask, string> = {
  refactor: 'Refactoring',
  fix: 'Fixing',
  tests: 'Writing tests for',
  docs: 'Documenting',
  inline: 'Editing',
};

const ERROR_ACTION_LABELS: Record<ErrorAction, string> = {
  setApiKey: 'Set API Key',
  pickModel: 'Choose Model',
  retry: 'Retry',
  openSettings: 'Open Settings',
  showLog: 'Show Log',
  manageTrust: 'Manage Workspace Trust',
  useBuiltInModel: 'Use Built-in Model',
};

let nextStream = 0;

/**
 * Asks the service for a change to the document, showing cancellable
 * progress (without taking focus), and opens the resulting change set for
 * review. Refusals and failures are explained in plain words; nothing is
 * written to the document here.
 */
export async function runEditTask(deps: EditTaskDeps, request: EditTaskRequest): Promise<EditTaskOutcome> {
  const reason = offLimitsReason(request.document.uri);
  if (reason !== undefined) {
    const message = `Tandem did not send this file to the model: ${reason}`;
    void vscode.window.showWarningMessage(message);
    return { kind: 'invalid', message };
  }
  const resolved = editTarget(request.document, request.range);
  if (!resolved.ok) {
    void vscode.window.showWarningMessage(resolved.message);
    return { kind: 'invalid', message: resolved.message };
  }
  const { target } = resolved;
  const name = target.path.split('/').pop() ?? target.path;
  const diagnostics = (request.diagnostics ?? []).map(toDiagnosticInfo);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Tandem: ${TITLES[request.task]} ${name}`, cancellable: true },
    async (progress, token): Promise<ProposeEditResult> => {
      let received = 0;
      return deps.service.proposeEdit(
        {
          streamId: `edit-${Date.now().toString(36)}-${++nextStream}`,
          task: request.task,
          instruction: request.instruction ?? '',
          root: target.folder.fsPath,
          path: target.path,
          languageId: target.languageId,
          ...(target.selection ? { selection: target.selection } : {}),
          cursorLine: target.cursorLine,
          diagnostics,
          files: target.files,
        },
        token,
        {
          // Deltas arrive coalesced (a few per second at most), so each one may update the count.
          onDelta: (text) => {
            received += text.length;
            progress.report({ message: `writing… ${formatCount(received)} characters` });
          },
          onNotice: (notice) => progress.report({ message: notice.message }),
        },
      );
    },
  );
  announceRedactions(deps, result, name);
  if (result.error) {
    void showError(deps, result.error);
    return { kind: 'failed', error: result.error };
  }
  if (result.finishReason === 'cancelled' || !result.outcome) {
    return { kind: 'cancelled' };
  }
  if (!result.outcome.ok) {
    void showRefusal(deps, result.outcome.failures, result.text);
    return { kind: 'refused', failures: result.outcome.failures };
  }
  if (result.outcome.changeSet.changes.length === 0) {
    void vscode.window.showInformationMessage(`Tandem: the model proposed no change to ${name}.`);
    return { kind: 'proposed', changeSet: result.outcome.changeSet };
  }
  const review = await deps.reviewer.open(result.outcome.changeSet, target.folder, { title: `${TITLES[request.task]} ${name}` });
  return { kind: 'proposed', changeSet: result.outcome.changeSet, review };
}

/** Secrets kept out of the request: said in the status bar (and the log), kinds and counts only. */
function announceRedactions(deps: EditTaskDeps, result: ProposeEditResult, name: string): void {
  const redacted = describeRedactions(result.boundary?.redactions ?? []);
  if (!redacted) return;
  deps.log.info(`Proposal for ${name}: ${redacted} before sending.`);
  vscode.window.setStatusBarMessage(`$(shield) Tandem: ${redacted} from the request for ${name}`, REDACTION_NOTICE_MS);
}

const REDACTION_NOTICE_MS = 10_000;

function toDiagnosticInfo(diagnostic: vscode.Diagnostic): DiagnosticInfo {
  const severity = DIAGNOSTIC_SEVERITIES[diagnostic.severity] ?? 'error';
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return {
    startLine: diagnostic.range.start.line,
    endLine: diagnostic.range.end.line,
    severity,
    message: diagnostic.message,
    ...(diagnostic.source ? { source: diagnostic.source } : {}),
    ...(code !== undefined ? { code: String(code) } : {}),
  };
}

async function showError(deps: EditTaskDeps, error: ChatError): Promise<void> {
  const action = error.action && error.action !== 'retry' ? error.action : undefined;
  const offer = error.offer;
  const choice = await vscode.window.showErrorMessage(`Tandem: ${error.message}`, ...(action ? [ERROR_ACTION_LABELS[action]] : []), ...(offer ? [offer.label] : []));
  if (offer && choice === offer.label) {
    await deps.runErrorAction(offer.action);
  } else if (choice && action) {
    await deps.runErrorAction(action);
  }
}

/** A refused proposal: the first reason in the notice, all of them (and the model's answer) in the log. */
async function showRefusal(deps: EditTaskDeps, failures: readonly EditFailure[], answer: string): Promise<void> {
  deps.log.warn(`Proposal refused:\n${failures.map((failure) => failure.message).join('\n\n')}`);
  deps.log.info(`The model's answer was:\n${answer}`);
  const first = failures[0]?.message.split('\n')[0] ?? 'the answer could not be applied.';
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
  const choice = await vscode.window.showWarningMessage(`Tandem did not apply the proposal: ${first}${more}`, 'Show Details');
  if (choice) {
    deps.log.show(true);
  }
}

function formatCount(count: number): string {
  return count >= 1000 ? `${(count / 1000).toFixed(1)}k` : String(count);
}
