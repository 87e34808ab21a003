import * as vscode from 'vscode';
import type { ApprovalPolicy, ClientToolResult } from '../../shared/agentProtocol';
import { WorkspaceBoundary } from '../../shared/boundary/boundary';
import type { CheckFinding } from '../../shared/checks';
import type { ChangeSet } from '../../shared/edits';
import type { ReviewManager } from '../edits/reviewManager';
import type { ReviewFileInfo } from '../edits/types';
import type { AgentUi } from './agentUi';
import { type CheckpointStore, type PreImage, checkRelative, readPreImages } from './checkpoints';

export interface ChangeContext {
  root: vscode.Uri;
  /** The task (the answer's stream id): checkpoints are kept per task. */
  task: string;
  stepId: string;
  ui: AgentUi;
  token: vscode.CancellationToken;
  /** The service's security findings on the change set (the review shows them without asking again). */
  findings?: CheckFinding[];
}

type ApplyResult = Extract<ClientToolResult, { kind: 'applyChanges' }>;

/** Every path a change set writes, deletes or creates (relative to the root). */
export function touchedPaths(changeSet: ChangeSet): string[] {
  const paths = new Set<string>();
  for (const change of changeSet.changes) {
    paths.add(checkRelative(change.path));
    if (change.kind === 'update' && change.moveTo) paths.add(checkRelative(change.moveTo));
  }
  return [...paths];
}

/** Pre-images of `paths`: an open document's text (what the agent was shown), else the file on disk. */
export async function preImages(root: vscode.Uri, paths: readonly string[]): Promise<PreImage[]> {
  const fromDisk = await readPreImages(root.fsPath, paths);
  return fromDisk.map((image) => {
    const uri = vscode.Uri.joinPath(root, image.path);
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    return open && image.content !== undefined ? { path: image.path, content: open.getText() } : image;
  });
}

/**
 * The agent's `applyChanges`: checkpoint the touched files, then either
 * apply at once (`autoApply`) or open the review and wait for the person;
 * what landed is saved to disk (the agent's tests and tools read the disk).
 */
export async function applyChanges(
  reviews: ReviewManager,
  checkpoints: CheckpointStore,
  changeSet: ChangeSet,
  autoApply: boolean,
  context: ChangeContext,
  policy?: ApprovalPolicy,
): Promise<ApplyResult> {
  const { root, task, stepId, ui, token, findings } = context;
  const paths = touchedPaths(changeSet);
  // The service decided on these paths; decide again here, where the files are written (fail closed).
  const boundary = new WorkspaceBoundary(root.fsPath);
  const refused = paths.flatMap((path) => {
    const decision = boundary.decide(path, 'write');
    return decision.action === 'refuse' ? [decision.reason] : [];
  });
  if (refused.length > 0) {
    return { kind: 'applyChanges', applied: [], rejected: paths, message: `Refused: ${refused.join(' ')}` };
  }
  const checkpoint = await checkpoints.take(task, root.fsPath, stepId, await preImages(root, paths));
  ui.checkpointChanged(stepId, true);
  // Applied unasked, the policy decided; else the person in the review.
  const actor = autoApply ? (policy === 'full-auto' ? 'policy:full-auto' : 'policy:auto-edit') : 'person';
  const review = await reviews.open(changeSet, root, { title: `Agent: ${describePaths(paths)}`, reveal: !autoApply, audit: { actor, task, step: stepId }, ...(findings ? { findings } : {}) });
  let problem: string | undefined;
  if (review.isOpen) {
    if (autoApply) {
      const result = await review.acceptAll();
      problem = result.error ?? (result.refused.length ? result.message ?? result.refused.map((r) => `${r.path}: ${r.reason}`).join('; ') : undefined);
      if (review.isOpen) await review.rejectAll();
    } else {
      await ui.review(stepId, review, token);
      // Stopped (or the chat went away) while the review was open: nothing more lands.
      if (review.isOpen) await review.rejectAll();
    }
  }
  const files = review.files();
  const applied = files.filter((file) => file.hunks.some((hunk) => hunk.state === 'accepted')).map((file) => file.moveTo ?? file.path);
  const rejected = files.filter((file) => file.hunks.some((hunk) => hunk.state !== 'accepted')).map((file) => file.path);
  await saveAll(root, applied, files);
  if (!applied.length) {
    await checkpoints.dropFrom(task, checkpoint.index);
    ui.checkpointChanged(stepId, false);
  }
  // The checks as the review knew them when it ended: the service adds the project's checks to the tool result.
  const verdict = reviews.checks?.verdict(review);
  return { kind: 'applyChanges', applied, rejected, message: describeOutcome(files, applied, rejected, problem, files.length === 0), ...(verdict ? { verdict } : {}) };
}

async function saveAll(root: vscode.Uri, applied: readonly string[], files: readonly ReviewFileInfo[]): Promise<void> {
  for (const path of applied) {
    if (files.find((file) => (file.moveTo ?? file.path) === path)?.kind === 'delete') continue;
    const uri = vscode.Uri.joinPath(root, path);
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    if (document?.isDirty) await document.save();
  }
}

function describeOutcome(files: readonly ReviewFileInfo[], applied: readonly string[], rejected: readonly string[], problem: string | undefined, nothing: boolean): string {
  if (nothing) return 'Nothing to apply: the files already have this content.';
  const parts: string[] = [];
  if (applied.length) parts.push(`Applied and saved: ${applied.join(', ')}.`);
  if (rejected.length) {
    const reasons = files
      .filter((file) => rejected.includes(file.path))
      .map((file) => {
        const stale = file.hunks.find((hunk) => hunk.state === 'stale');
        return stale ? `${file.path} (no longer fits the file${stale.reason ? `: ${stale.reason}` : ''})` : `${file.path} (declined by the person)`;
      });
    parts.push(`Not applied: ${reasons.join(', ')}.`);
  }
  if (problem) parts.push(problem);
  return parts.join(' ');
}

function describePaths(paths: readonly string[]): string {
  return paths.length <= 2 ? paths.join(', ') : `${paths[0]} and ${paths.length - 1} more files`;
}
