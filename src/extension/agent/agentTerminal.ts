/**
 * The Tandem Agent terminal: a pseudoterminal that shows the agent's
 * commands and their output as they run. It is read-only: keystrokes reach
 * no shell (there is none); Ctrl+C stops the running command.
 */
import * as vscode from 'vscode';
import { TerminalText, terminalText } from './terminalText';

export const AGENT_TERMINAL_NAME = 'Tandem Agent';

const DIM = '\u001b[2m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

export class AgentTerminal implements vscode.Disposable {
  readonly terminal: vscode.Terminal;
  private readonly writes = new vscode.EventEmitter<string>();
  private opened = false;
  private buffered: string[] = [];
  private closedByPerson = false;
  private interrupt: (() => void) | undefined;
  private hinted = false;
  private stream = new TerminalText();

  constructor() {
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writes.event,
      open: () => {
        this.opened = true;
        this.emit(`${DIM}Tandem runs the agent's commands here. This terminal takes no input; Ctrl+C stops the running command.${RESET}\r\n`);
        for (const text of this.buffered) this.emit(text);
        this.buffered = [];
      },
      close: () => {
        this.closedByPerson = true;
        this.interrupt?.();
      },
      handleInput: (data) => this.input(data),
    };
    this.terminal = vscode.window.createTerminal({ name: AGENT_TERMINAL_NAME, pty, isTransient: true, iconPath: new vscode.ThemeIcon('hubot') });
  }

  get closed(): boolean {
    return this.closedByPerson || this.terminal.exitStatus !== undefined;
  }

  get busy(): boolean {
    return this.interrupt !== undefined;
  }

  /** A command starts: its line (as it runs, controls shown), how it runs, and what Ctrl+C does. */
  begin(commandLine: string, note: string, interrupt: () => void): void {
    this.interrupt = interrupt;
    this.hinted = false;
    this.stream = new TerminalText();
    this.write(`\r\n${BOLD}$ ${commandLine}${RESET}\r\n${DIM}${terminalText(note)}${RESET}\r\n`);
  }

  output(chunk: string): void {
    const text = this.stream.push(chunk);
    if (text) this.write(text);
  }

  end(summary: string): void {
    const rest = this.stream.flush();
    this.interrupt = undefined;
    this.write(`${rest}${RESET}\r\n${DIM}[${terminalText(summary)}]${RESET}\r\n`);
  }

  private input(data: string): void {
    if (data.includes('\u0003') && this.interrupt) {
      this.write('^C\r\n');
      this.interrupt();
      return;
    }
    if (!this.hinted) {
      this.hinted = true;
      this.write(`\r\n${DIM}(This terminal takes no input${this.interrupt ? '; Ctrl+C stops the command' : ''}.)${RESET}\r\n`);
    }
  }

  private write(text: string): void {
    if (this.opened) this.emit(text);
    else this.buffered.push(text);
  }

  private emit(text: string): void {
    this.writes.fire(text);
  }

  dispose(): void {
    this.interrupt?.();
    this.terminal.dispose();
    this.writes.dispose();
  }
}
