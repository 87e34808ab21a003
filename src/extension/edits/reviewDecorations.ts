import * as vscode from 'vscode';
import type { HunkLayout } from './fileReview';
import { PROPOSAL_SCHEME, parseProposalUri } from './proposalUri';
import type { ReviewFile } from './review';
import type { ReviewRef } from './types';
import type { ReviewManager } from './reviewManager';

const STALE_TITLE = 'Stale: the code changed here — cannot apply';
const mac = process.platform === 'darwin';
/** The keys package.json binds, as the person reads them. */
export const KEYS = {
  acceptHunk: mac ? '⌘⌥Y' : 'Ctrl+Alt+Y',
  rejectHunk: mac ? '⌘⌥N' : 'Ctrl+Alt+N',
};

/**
 * Accept / Reject at each change on the proposal side of a review diff.
 * VS Code hides CodeLens in diff editors unless `diffEditor.codeLens` is on,
 * so the same actions are also a line hint (a decoration, always shown) and
 * a hover with links; the editor title buttons and keys act on the change at
 * the cursor.
 */
export class ReviewDecorations implements vscode.Disposable, vscode.CodeLensProvider, vscode.HoverProvider {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly pendingHint = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  private readonly staleHint = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorWarning.foreground'), fontStyle: 'italic' },
  });

  constructor(private readonly manager: ReviewManager) {
    const selector: vscode.DocumentSelector = { scheme: PROPOSAL_SCHEME };
    this.disposables.push(
      this.lensesChanged,
      this.pendingHint,
      this.staleHint,
      vscode.languages.registerCodeLensProvider(selector, this),
      vscode.languages.registerHoverProvider(selector, this),
      manager.onDidChange(() => {
        this.lensesChanged.fire();
        this.decorateAll();
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateAll()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.scheme === PROPOSAL_SCHEME) this.decorateAll();
      }),
    );
  }

  private fileOf(document: vscode.TextDocument): ReviewFile | undefined {
    const ref = parseProposalUri(document.uri);
    if (!ref || ref.side !== 'proposal') return undefined;
    return this.manager.findByUri(document.uri)?.file;
  }

  /** The layout, only when the proposal document shows the current proposal (its content may lag a moment). */
  private hunks(document: vscode.TextDocument): { file: ReviewFile; hunks: HunkLayout[] } | undefined {
    const file = this.fileOf(document);
    if (!file) return undefined;
    const layout = this.manager.layout(file);
    if (layout.text.replace(/\r\n/g, '\n') !== document.getText().replace(/\r\n/g, '\n')) return undefined;
    return { file, hunks: layout.hunks };
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const found = this.hunks(document);
    if (!found) return [];
    const { file, hunks } = found;
    const lenses: vscode.CodeLens[] = [];
    for (const hunk of hunks) {
      const range = lineRange(document, hunk.proposalLine);
      const ref = refOf(file, hunk.index);
      if (hunk.stale) {
        lenses.push(new vscode.CodeLens(range, { title: `$(warning) ${STALE_TITLE}`, command: '', tooltip: hunk.reason ?? '' }));
        lenses.push(new vscode.CodeLens(range, { title: 'Dismiss', command: 'tandem.review.rejectHunk', arguments: [ref] }));
      } else {
        lenses.push(new vscode.CodeLens(range, { title: `$(check) Accept (${KEYS.acceptHunk})`, command: 'tandem.review.acceptHunk', arguments: [ref] }));
        lenses.push(new vscode.CodeLens(range, { title: `$(close) Reject (${KEYS.rejectHunk})`, command: 'tandem.review.rejectHunk', arguments: [ref] }));
      }
    }
    return lenses;
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const found = this.hunks(document);
    if (!found) return undefined;
    const hunk = found.hunks.find((h) => position.line >= h.proposalLine && position.line < h.proposalLine + Math.max(1, h.proposalLines));
    if (!hunk) return undefined;
    const ref = refOf(found.file, hunk.index);
    const link = (title: string, command: string, arg: unknown): string => `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([arg]))})`;
    const fileRef: ReviewRef = { reviewId: ref.reviewId, fileId: ref.fileId };
    const markdown = new vscode.MarkdownString(undefined, true);
    markdown.isTrusted = { enabledCommands: ['tandem.review.acceptHunk', 'tandem.review.rejectHunk', 'tandem.review.acceptFile', 'tandem.review.rejectFile'] };
    if (hunk.stale) {
      markdown.appendMarkdown(`$(warning) **${STALE_TITLE}**${hunk.reason ? ` (${escape(hunk.reason)})` : ''}\n\n`);
      markdown.appendMarkdown(`${link('Dismiss', 'tandem.review.rejectHunk', ref)}`);
    } else {
      markdown.appendMarkdown('**Tandem proposal**\n\n');
      markdown.appendMarkdown(
        [
          link(`$(check) Accept (${KEYS.acceptHunk})`, 'tandem.review.acceptHunk', ref),
          link(`$(close) Reject (${KEYS.rejectHunk})`, 'tandem.review.rejectHunk', ref),
          link('Accept File', 'tandem.review.acceptFile', fileRef),
          link('Reject File', 'tandem.review.rejectFile', fileRef),
        ].join(' · '),
      );
    }
    return new vscode.Hover(markdown, lineRange(document, hunk.proposalLine));
  }

  private decorateAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.scheme !== PROPOSAL_SCHEME) continue;
      const found = this.hunks(editor.document);
      const pending: vscode.DecorationOptions[] = [];
      const stale: vscode.DecorationOptions[] = [];
      for (const hunk of found?.hunks ?? []) {
        const line = hintLine(editor.document, hunk);
        const range = lineRange(editor.document, line);
        if (hunk.stale) {
          stale.push({ range, renderOptions: { after: { contentText: `⚠ ${STALE_TITLE}` } }, hoverMessage: hunk.reason ?? '' });
        } else {
          const where = hunk.proposalLines > 0 ? '' : line < hunk.proposalLine ? 'lines removed below · ' : 'lines removed above · ';
          pending.push({ range, renderOptions: { after: { contentText: `${where}✓ ${KEYS.acceptHunk}  ✗ ${KEYS.rejectHunk}` } } });
        }
      }
      editor.setDecorations(this.pendingHint, pending);
      editor.setDecorations(this.staleHint, stale);
    }
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function refOf(file: ReviewFile, hunk: number): Required<ReviewRef> {
  const ref = parseProposalUri(file.proposalUri);
  return { reviewId: ref?.reviewId ?? '', fileId: file.model.id, hunk };
}

/**
 * Where a hunk's hint goes: the shortest of its lines (the hint follows the
 * line's text and must stay in view); for removed lines, the shorter of the
 * lines around the gap.
 */
function hintLine(document: vscode.TextDocument, hunk: HunkLayout): number {
  const last = document.lineCount - 1;
  const candidates =
    hunk.proposalLines > 0
      ? Array.from({ length: hunk.proposalLines }, (_, i) => hunk.proposalLine + i)
      : [hunk.proposalLine - 1, hunk.proposalLine];
  let best = Math.max(0, Math.min(hunk.proposalLine, last));
  let bestLength = Number.POSITIVE_INFINITY;
  for (const line of candidates) {
    if (line < 0 || line > last) continue;
    const length = document.lineAt(line).text.trimEnd().length;
    if (length < bestLength) {
      best = line;
      bestLength = length;
    }
  }
  return best;
}

/** The line a hunk starts at; a deletion at the very end sits on the last line. */
function lineRange(document: vscode.TextDocument, line: number): vscode.Range {
  const at = Math.max(0, Math.min(line, document.lineCount - 1));
  return new vscode.Range(at, 0, at, 0);
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|]/g, '\\$&');
}
