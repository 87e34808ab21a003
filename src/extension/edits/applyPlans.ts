import * as vscode from 'vscode';
import { sameLines } from '../../shared/diff';
import { errorMessage } from '../../shared/guards';
import { documentFile, openDocument } from './currentFile';
import type { FilePlan } from './fileReview';
import type { Refusal } from './messages';
import type { ReviewFile } from './review';
import { waitUntil } from './reviewTabs';
import { buildWorkspaceEdit, type PlannedFile } from './workspaceEdit';

/** Why a WorkspaceEdit did not (wholly) apply, in words for the person. */
export interface ApplyFailure {
  kind: 'declined' | 'failed' | 'partial';
  message: string;
}

/**
 * Applies the plans as one WorkspaceEdit; returns why not. VS Code applies
 * it whole or not at all, and declines it when a document changed since the
 * version this extension host has seen: a plan never lands on text it was
 * not made for.
 */
export async function applyPlans(planned: readonly PlannedFile[], log: vscode.LogOutputChannel): Promise<ApplyFailure | undefined> {
  if (planned.length === 0) {
    return undefined;
  }
  const edit = buildWorkspaceEdit(planned);
  const before = planned.flatMap(({ plan, uri }) => {
    const document = openDocument(uri);
    return document ? [{ document, version: document.version, text: document.getText(), plan }] : [];
  });
  let failure: { kind: 'declined' | 'failed'; message: string } | undefined;
  try {
    if (!(await vscode.workspace.applyEdit(edit))) {
      log.warn('VS Code declined a review edit (a document changed meanwhile, or a file operation failed)');
      failure = { kind: 'declined', message: 'Tandem could not apply the change: VS Code declined the edit (a file changed meanwhile, or is read-only). Nothing was applied.' };
    }
  } catch (error) {
    const reason = errorMessage(error);
    log.error(`Applying a review edit failed: ${reason}`);
    failure = { kind: 'failed', message: `Tandem could not apply the change (${reason}). Nothing was applied.` };
  }
  if (!failure) {
    // Applied; wait (briefly) until this extension host sees the new texts, so what follows reads them.
    await waitUntil(() => before.every(({ document, version }) => document.isClosed || document.version > version), 2_000);
    return undefined;
  }
  // A file operation that fails after the text edits ran leaves those applied: say so rather than claim nothing changed.
  await waitUntil(() => before.some(({ document, version }) => document.version !== version), 300);
  const changed = before.filter(
    ({ document, text, plan }) => plan.operation === 'edit' && plan.resultText !== text && !document.isClosed && sameLines(document.getText(), plan.resultText),
  );
  if (changed.length > 0) {
    const paths = changed.map(({ plan }) => plan.file.currentPath).join(', ');
    log.error(`A review edit stopped part-way; applied to: ${paths}`);
    return { kind: 'partial', message: `Tandem could not apply the whole change: VS Code stopped part-way after changing ${paths}. Undo (Ctrl+Z) in those files reverts it.` };
  }
  return failure;
}

/** The edit ran: the document should now read as planned. Logged if not (nothing to undo safely). */
export function checkResult(file: ReviewFile, plan: FilePlan, log: vscode.LogOutputChannel): void {
  if (plan.operation !== 'edit') return;
  const document = openDocument(file.uri);
  if (document && !sameLines(document.getText(), plan.resultText)) {
    log.warn(`After applying to ${file.path}, the document differs from the planned text (edited during the apply?)`);
  }
  if (document) {
    file.cache = documentFile(document);
  }
}

/** When every change left in a file is stale, refuse them: the file is done. */
export function refuseIfOnlyStaleLeft(file: ReviewFile): Refusal[] {
  const pending = file.model.pending();
  if (pending.length === 0) return [];
  const locations = file.locate();
  const stale = pending.map((hunk) => locations.get(hunk.index)).filter((l) => l?.status === 'stale');
  if (stale.length !== pending.length) return [];
  const refused = stale.flatMap((l) => (l && l.status === 'stale' ? [{ path: file.path, hunk: l.index, reason: l.reason }] : []));
  file.model.decide(
    refused.map((r) => r.hunk),
    'refused',
    new Map(refused.map((r) => [r.hunk, r.reason])),
  );
  return refused;
}
