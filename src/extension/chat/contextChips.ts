import * as vscode from 'vscode';
import type { ContextItem } from '../../shared/protocol';
import { estimateTokens } from '../../shared/mentions';
import type { ChipView } from '../../shared/webviewProtocol';
import { offLimitsReason } from '../offLimits';
import type { ResolvedMention } from './mentions/types';

/** Larger context is cut here; the service trims further to fit the model's budget. */
const MAX_ITEM_CHARS = 200_000;
const SELECTION_DEBOUNCE_MS = 120;
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata']);

interface Attached {
  chip: ChipView;
  /** Empty for a file that is not sent (the chip says why). */
  items: ContextItem[];
  /** Read when the question is sent (`@codebase` searches with the question). */
  atSend?: (question: string) => Promise<ResolvedMention>;
}

/**
 * The context chips under the chat input: the active editor's selection (or
 * file) attached implicitly, plus selections the person added explicitly with
 * "Ask About Selection" or picked with `@` in the input. Each can be removed
 * before sending and shows its size in tokens (characters / 4 of what it sends).
 */
export class ContextChips implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ChipView[]>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private explicit: Attached[] = [];
  private dismissedUri: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private counter = 0;

  constructor() {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && editor.document.uri.toString() !== this.dismissedUri) {
          this.dismissedUri = undefined;
        }
        this.fireSoon();
      }),
      vscode.window.onDidChangeTextEditorSelection(() => this.fireSoon()),
    );
  }

  chips(): ChipView[] {
    const implicit = this.implicit();
    return [...(implicit ? [implicit.chip] : []), ...this.explicit.map((attached) => attached.chip)];
  }

  /** Attaches the editor's selection (or whole file when nothing is selected) until the next send. */
  addFromEditor(editor: vscode.TextEditor): void {
    this.addRange(editor.document, editor.selection);
  }

  /** Attaches `range` of `document` (the whole file when the range is empty) until the next send. */
  addRange(document: vscode.TextDocument, range: vscode.Range): void {
    const attached = describe(document, range, `chip-${++this.counter}`, false);
    if (!attached) {
      return;
    }
    this.push(attached);
    // The same code attached explicitly need not be attached twice.
    this.dismissedUri = document.uri.toString();
    this.fire();
  }

  /** Attaches a picked mention until the next send; `atSend` ones are read then. */
  addMention(resolved: ResolvedMention, atSend?: (question: string) => Promise<ResolvedMention>): void {
    const chip: ChipView = { ...resolved.chip, id: `chip-${++this.counter}`, implicit: false, ...sized(resolved.items) };
    this.push({ chip, items: resolved.items, ...(atSend ? { atSend } : {}) });
    this.fire();
  }

  private push(attached: Attached): void {
    const text = (entry: Attached): string => entry.items.map((item) => `${item.path}\n${item.text}`).join('\n');
    const duplicate = this.explicit.some((existing) => existing.chip.kind === attached.chip.kind && existing.chip.label === attached.chip.label && text(existing) === text(attached));
    if (!duplicate) {
      this.explicit.push(attached);
    }
  }

  remove(chipId: string): void {
    if (chipId === IMPLICIT_ID) {
      this.dismissedUri = vscode.window.activeTextEditor?.document.uri.toString();
    } else {
      this.explicit = this.explicit.filter((attached) => attached.chip.id !== chipId);
    }
    this.fire();
  }

  /** What goes with `question` being sent; explicit chips are used up by it. */
  async takeForSend(question = ''): Promise<{ chips: ChipView[]; items: ContextItem[] }> {
    const implicit = this.implicit();
    const explicit = this.explicit;
    this.explicit = [];
    this.fire();
    const all: Attached[] = [...(implicit ? [implicit] : [])];
    for (const attached of explicit) {
      if (!attached.atSend) {
        all.push(attached);
        continue;
      }
      const resolved = await attached.atSend(question);
      all.push({ chip: { ...resolved.chip, id: attached.chip.id, implicit: false, ...sized(resolved.items) }, items: resolved.items });
    }
    return { chips: all.map((attached) => attached.chip), items: all.flatMap((attached) => attached.items) };
  }

  private implicit(): Attached | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.toString() === this.dismissedUri) {
      return undefined;
    }
    return describe(editor.document, editor.selection, IMPLICIT_ID, true);
  }

  private fireSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), SELECTION_DEBOUNCE_MS);
  }

  private fire(): void {
    clearTimeout(this.timer);
    this.changed.fire(this.chips());
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

const IMPLICIT_ID = 'implicit';

function describe(document: vscode.TextDocument, selection: vscode.Range, id: string, implicit: boolean): Attached | undefined {
  if (!SCHEMES.has(document.uri.scheme)) {
    return undefined;
  }
  const path = document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri, false);
  const name = path.split(/[\\/]/).pop() ?? path;
  const excluded = offLimitsReason(document.uri);
  if (excluded !== undefined) {
    return { chip: { id, kind: 'file', label: name, detail: path, implicit, excluded }, items: [] };
  }
  if (!selection.isEmpty) {
    const startLine = selection.start.line + 1;
    // A selection ending at column 0 of the next line does not include that line.
    const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
    const range = startLine === endLine ? `${startLine}` : `${startLine}-${endLine}`;
    const item: ContextItem = { kind: 'selection', path, languageId: document.languageId, startLine, endLine, text: cap(document.getText(selection)) };
    return { chip: { id, kind: 'selection', label: `${name}:${range}`, detail: `Selection: ${path}, lines ${range}`, implicit, ...sized([item]) }, items: [item] };
  }
  const item: ContextItem = { kind: 'file', path, languageId: document.languageId, text: cap(document.getText()) };
  return { chip: { id, kind: 'file', label: name, detail: implicit ? `Current file: ${path}` : path, implicit, ...sized([item]) }, items: [item] };
}

/** A chip's size: the estimated tokens of the text it sends (headers and fences add a few). */
function sized(items: readonly ContextItem[]): Pick<ChipView, 'tokens'> {
  return items.length > 0 ? { tokens: items.reduce((sum, item) => sum + estimateTokens(item.text), 0) } : {};
}

function cap(text: string): string {
  return text.length > MAX_ITEM_CHARS ? `${text.slice(0, MAX_ITEM_CHARS)}\n[... truncated by Tandem: ${text.length - MAX_ITEM_CHARS} more characters]` : text;
}
