import * as vscode from 'vscode';
import type { HunkLayout } from './fileReview';
import { PROPOSAL_SCHEME } from './proposalUri';
import type { Review, ReviewFile } from './review';
import type { ReviewManager } from './reviewManager';
import type { ReviewRef, ReviewResult } from './types';

// The review commands' handlers; the command table (src/extension/commands.ts) maps
// the ids package.json declares to these. `arg` is a ReviewRef (CodeLens, hover
// links, tree items), an editor title button's URI, or nothing (the active review editor).

export function acceptHunk(manager: ReviewManager, arg?: unknown): Promise<ReviewResult> {
  return onHunk(manager, arg, (review, file, hunk) => manager.accept(review, file, [hunk]));
}

export function rejectHunk(manager: ReviewManager, arg?: unknown): Promise<ReviewResult> {
  return onHunk(manager, arg, (review, file, hunk) => manager.reject(review, file, [hunk]));
}

export function acceptFile(manager: ReviewManager, arg?: unknown): Promise<ReviewResult> {
  return onFile(manager, arg, (review, file) => manager.accept(review, file, 'all'));
}

export function rejectFile(manager: ReviewManager, arg?: unknown): Promise<ReviewResult> {
  return onFile(manager, arg, (review, file) => manager.reject(review, file, 'all'));
}

export function acceptAll(manager: ReviewManager, arg?: unknown): Promise<ReviewResult> {
  return onReview(manager, arg, (review) => manager.acceptAll(review));
}

export function rejectAll(manager: ReviewManager, arg?: unknown): Promise<ReviewResult> {
  return onReview(manager, arg, (review) => manager.rejectAll(review));
}

export function nextHunk(manager: ReviewManager): Promise<void> {
  return navigate(manager, 1);
}

export function previousHunk(manager: ReviewManager): Promise<void> {
  return navigate(manager, -1);
}

const NOTHING: ReviewResult = { applied: 0, rejected: 0, refused: [], error: 'no open review' };

function isRef(value: unknown): value is ReviewRef {
  return typeof value === 'object' && value !== null && typeof (value as ReviewRef).reviewId === 'string';
}

/** The file a command is about: from its argument, else the active editor, else the current review's first undecided file. */
function resolveFile(manager: ReviewManager, arg: unknown): { review: Review; file: ReviewFile } | undefined {
  if (isRef(arg)) {
    const review = manager.review(arg.reviewId);
    const file = arg.fileId === undefined ? review?.entries.find((entry) => !entry.model.done) : review?.fileById(arg.fileId);
    return review && file ? { review, file } : undefined;
  }
  if (arg instanceof vscode.Uri) {
    const found = manager.findByUri(arg);
    if (found) return found;
  }
  const editor = vscode.window.activeTextEditor;
  const fromEditor = editor && manager.findByUri(editor.document.uri);
  if (fromEditor) {
    return fromEditor;
  }
  const review = manager.currentReview();
  const file = review?.entries.find((entry) => !entry.model.done);
  return review && file ? { review, file } : undefined;
}

async function onReview(manager: ReviewManager, arg: unknown, run: (review: Review) => Promise<ReviewResult>): Promise<ReviewResult> {
  const review = isRef(arg) ? manager.review(arg.reviewId) : (resolveFile(manager, arg)?.review ?? manager.currentReview());
  return review ? run(review) : NOTHING;
}

async function onFile(manager: ReviewManager, arg: unknown, run: (review: Review, file: ReviewFile) => Promise<ReviewResult>): Promise<ReviewResult> {
  const target = resolveFile(manager, arg);
  return target ? run(target.review, target.file) : NOTHING;
}

async function onHunk(manager: ReviewManager, arg: unknown, run: (review: Review, file: ReviewFile, hunk: number) => Promise<ReviewResult>): Promise<ReviewResult> {
  const target = resolveFile(manager, arg);
  if (!target) {
    return NOTHING;
  }
  const hunk = isRef(arg) && arg.hunk !== undefined ? arg.hunk : hunkAtCursor(manager, target.file);
  if (hunk === undefined) {
    return { ...NOTHING, error: `no undecided change in ${target.file.path}` };
  }
  return run(target.review, target.file, hunk);
}

/** Where the hunks are on the side of the diff `editor` shows. */
function hunkLines(manager: ReviewManager, file: ReviewFile, editor: vscode.TextEditor | undefined): Array<{ index: number; line: number; count: number }> {
  const onProposal = editor?.document.uri.scheme === PROPOSAL_SCHEME;
  return manager
    .layout(file)
    .hunks.map((hunk: HunkLayout) => ({ index: hunk.index, line: onProposal ? hunk.proposalLine : hunk.actualLine, count: onProposal ? hunk.proposalLines : hunk.actualLines }))
    .sort((a, b) => a.line - b.line || a.index - b.index);
}

/** The change under the cursor, else the next one below it, else the last one above. */
function hunkAtCursor(manager: ReviewManager, file: ReviewFile): number | undefined {
  const editor = activeEditorOf(manager, file);
  const hunks = hunkLines(manager, file, editor);
  const [first] = hunks;
  const last = hunks.at(-1);
  if (!first || !last) {
    return undefined;
  }
  if (!editor) {
    return first.index;
  }
  const line = editor.selection.active.line;
  const under = hunks.find((hunk) => line >= hunk.line && line < hunk.line + Math.max(1, hunk.count));
  return (under ?? hunks.find((hunk) => hunk.line > line) ?? last).index;
}

function activeEditorOf(manager: ReviewManager, file: ReviewFile): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor && manager.findByUri(editor.document.uri)?.file === file ? editor : undefined;
}

/** Moves the cursor to the next (or previous) undecided change; past the last one, on to the next file. */
async function navigate(manager: ReviewManager, direction: 1 | -1): Promise<void> {
  const target = resolveFile(manager, undefined);
  if (!target) {
    return;
  }
  const editor = activeEditorOf(manager, target.file);
  if (!editor) {
    await manager.showFile(target.file, { preserveFocus: false });
    revealEnd(manager, target.file, direction);
    return;
  }
  const hunks = hunkLines(manager, target.file, editor);
  const line = editor.selection.active.line;
  const next = direction === 1 ? hunks.find((hunk) => hunk.line > line) : [...hunks].reverse().find((hunk) => hunk.line < line);
  if (next) {
    reveal(editor, next.line);
    return;
  }
  // Past the end of this file: the next undecided file of the review, or around to the first change here.
  const files = target.review.entries.filter((file) => !file.model.done);
  const at = files.indexOf(target.file);
  const other = files[(at + direction + files.length) % files.length];
  if (other && other !== target.file) {
    await manager.showFile(other, { preserveFocus: false });
    revealEnd(manager, other, direction);
    return;
  }
  const wrap = direction === 1 ? hunks[0] : hunks[hunks.length - 1];
  if (wrap) reveal(editor, wrap.line);
}

/** In a file's freshly opened diff: its first change (going down) or its last (going up). */
function revealEnd(manager: ReviewManager, file: ReviewFile, direction: 1 | -1): void {
  const editor = activeEditorOf(manager, file);
  const hunks = editor ? hunkLines(manager, file, editor) : [];
  const end = direction === 1 ? hunks[0] : hunks[hunks.length - 1];
  if (editor && end) {
    reveal(editor, end.line);
  }
}

function reveal(editor: vscode.TextEditor, line: number): void {
  const at = new vscode.Position(Math.min(line, Math.max(0, editor.document.lineCount - 1)), 0);
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
