import * as vscode from 'vscode';
import type { ContextItem } from '../../shared/protocol';
import type { ChipView } from '../../shared/webviewProtocol';
import { offLimitsReason } from '../offLimits';

/** Larger context is cut here; the service trims further to fit the model's budget. */
const MAX_ITEM_CHARS = 200_000;
const SELECTION_DEBOUNCE_MS = 120;
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata']);

interface Attached {
  chip: ChipView;
  /** Absent for a file that is not sent (the chip says why). */
  item?: ContextItem;
}

/**
 * The context chips under the chat input: the active editor's selection (or
 * file) attached implicitly, plus selections the person added explicitly with
 * "Ask About Selection". Each can be removed before sending.
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
    const duplicate = this.explicit.some((existing) => existing.chip.label === attached.chip.label && existing.item?.text === attached.item?.text);
    if (!duplicate) {
      this.explicit.push(attached);
    }
    // The same code attached explicitly need not be attached twice.
    this.dismissedUri = document.uri.toString();
    this.fire();
  }

  remove(chipId: string): void {
    if (chipId === IMPLICIT_ID) {
      this.dismissedUri = vscode.window.activeTextEditor?.document.uri.toString();
    } else {
      this.explicit = this.explicit.filter((attached) => attached.chip.id !== chipId);
    }
    this.fire();
  }

  /** What goes with the question being sent; explicit chips are used up by it. */
  takeForSend(): { chips: ChipView[]; items: ContextItem[] } {
    const all = [...(this.implicit() ? [this.implicit() as Attached] : []), ...this.explicit];
    this.explicit = [];
    this.fire();
    return { chips: all.map((attached) => attached.chip), items: all.flatMap((attached) => attached.item ?? []) };
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
    return { chip: { id, kind: 'file', label: name, detail: path, implicit, excluded } };
  }
  if (!selection.isEmpty) {
    const startLine = selection.start.line + 1;
    // A selection ending at column 0 of the next line does not include that line.
    const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
    const range = startLine === endLine ? `${startLine}` : `${startLine}-${endLine}`;
    return {
      chip: { id, kind: 'selection', label: `${name}:${range}`, detail: `Selection: ${path}, lines ${range}`, implicit },
      item: { kind: 'selection', path, languageId: document.languageId, startLine, endLine, text: cap(document.getText(selection)) },
    };
  }
  return {
    chip: { id, kind: 'file', label: name, detail: implicit ? `Current file: ${path}` : path, implicit },
    item: { kind: 'file', path, languageId: document.languageId, text: cap(document.getText()) },
  };
}

function cap(text: string): string {
  return text.length > MAX_ITEM_CHARS ? `${text.slice(0, MAX_ITEM_CHARS)}\n[... truncated by Tandem: ${text.length - MAX_ITEM_CHARS} more characters]` : text;
}
