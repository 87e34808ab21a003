import * as vscode from 'vscode';
import type { MentionProvider, ResolvedMention } from './types';
import { cap } from './types';

/** Kept of a command's output, per terminal (its end: where errors are). */
const MAX_OUTPUT_CHARS = 32_000;
/** Escape sequences (colours, cursor moves, shell-integration marks) are not for the model. */
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[PX^_][^\u001b]*\u001b\\|\u001b[ -/]*[0-~]/g;

interface LastCommand {
  command: string;
  output: string;
  exitCode?: number;
}

/**
 * `@terminal`: the active terminal's selection when VS Code exposes it
 * (`terminal.selection`), else the last command and its output, captured
 * through shell integration as commands run.
 */
export class TerminalMention implements MentionProvider, vscode.Disposable {
  readonly kind = 'terminal' as const;
  private readonly last = new WeakMap<vscode.Terminal, LastCommand>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.window.onDidStartTerminalShellExecution((event) => void this.capture(event.terminal, event.execution)),
      vscode.window.onDidEndTerminalShellExecution((event) => {
        const last = this.last.get(event.terminal);
        if (last && event.exitCode !== undefined) last.exitCode = event.exitCode;
      }),
    );
  }

  private async capture(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    const entry: LastCommand = { command: execution.commandLine.value, output: '' };
    this.last.set(terminal, entry);
    try {
      for await (const data of execution.read()) {
        entry.output = (entry.output + data).slice(-MAX_OUTPUT_CHARS);
      }
    } catch {
      // The terminal closed while reading: what arrived is kept.
    }
  }

  async resolve(): Promise<ResolvedMention> {
    const terminal = vscode.window.activeTerminal;
    if (!terminal) return { chip: { kind: 'terminal', label: 'terminal', detail: 'The active terminal', excluded: 'no terminal is open' }, items: [] };
    const path = `terminal:${terminal.name}`;
    const selection = selectionOf(terminal);
    if (selection) {
      return { chip: { kind: 'terminal', label: `${terminal.name}: selection`, detail: `Selected text of terminal “${terminal.name}”` }, items: [{ kind: 'terminal', path, text: cap(clean(selection)) }] };
    }
    const last = this.last.get(terminal);
    if (last) {
      const exit = last.exitCode !== undefined ? ` (exit code ${last.exitCode})` : '';
      return {
        chip: { kind: 'terminal', label: `${terminal.name}: last command`, detail: `$ ${last.command}${exit}` },
        items: [{ kind: 'terminal', path, languageId: 'shellsession', text: `$ ${last.command}\n${clean(last.output)}${exit ? `\n[exit code ${last.exitCode}]` : ''}` }],
      };
    }
    return {
      chip: { kind: 'terminal', label: terminal.name, detail: `Terminal “${terminal.name}”`, excluded: 'nothing is selected in it and no command output was captured (shell integration is off, or no command ran since Tandem started)' },
      items: [],
    };
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** `Terminal.selection` is newer than the API this extension builds against: read when present. */
function selectionOf(terminal: vscode.Terminal): string | undefined {
  const selection: unknown = (terminal as { selection?: unknown }).selection;
  return typeof selection === 'string' && selection.trim() ? selection : undefined;
}

export function clean(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r\n?/g, '\n');
}
