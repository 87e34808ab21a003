/**
 * Text for the Tandem Agent pseudoterminal. Command output is shown as it
 * streams, with colours, but nothing else a terminal would act on: no
 * title changes, hyperlinks, clipboard writes or shell-integration marks
 * (OSC), no cursor movement or screen clearing that could paint over what
 * ran. Line ends become `\r\n` (a pseudoterminal gets no line discipline).
 * No `vscode`.
 */

/** ESC [ … m: colours and styles, the only sequence passed through. */
const SGR = /^\u001b\[[0-9;:]*m/;
/** A complete escape sequence at the start of a string, by the character after ESC. */
function completeSequence(text: string): RegExp {
  switch (text[1]) {
    case '[':
      return /^\u001b\[[0-?]*[ -/]*[@-~]/; // CSI
    case ']':
      return /^\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/; // OSC
    case 'P':
    case 'X':
    case '^':
    case '_':
      return /^\u001b[PX^_][^\u001b]*\u001b\\/; // DCS, SOS, PM, APC
    default:
      return /^\u001b[ -/]*[0-~]/; // two-character and nF escapes
  }
}
/** Control characters a terminal acts on (C0 other than tab, line feed, carriage return and backspace; DEL; C1). */
const CONTROL = /[\u0000-\u0007\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f-\u009f]/g;
/** Longest sequence held back waiting for its end; longer ones are dropped. */
const MAX_PENDING = 4096;

/** Sanitizes a stream of output chunks; a sequence split across chunks is held until it ends. */
export class TerminalText {
  private pending = '';
  private lastWasCr = false;

  /** The part of `chunk` (after what was held back) that can be shown now. */
  push(chunk: string): string {
    let text = this.pending + chunk;
    this.pending = '';
    let out = '';
    while (text.length > 0) {
      const escape = text.indexOf('\u001b');
      if (escape < 0) {
        out += text;
        break;
      }
      out += text.slice(0, escape);
      text = text.slice(escape);
      const sgr = SGR.exec(text);
      if (sgr) {
        out += sgr[0];
        text = text.slice(sgr[0].length);
        continue;
      }
      const complete = text.length > 1 ? completeSequence(text).exec(text) : null;
      if (complete) {
        text = text.slice(complete[0].length);
        continue;
      }
      // Unfinished: wait for the next chunk (bounded), or drop the ESC if it can never finish.
      if (text.length < MAX_PENDING) this.pending = text;
      else text = text.slice(1);
      if (this.pending) break;
    }
    return this.lineEnds(out.replace(CONTROL, ''));
  }

  /** What is still held back, shown as text (the stream ended). */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return this.lineEnds(rest.replace(/\u001b/g, '').replace(CONTROL, ''));
  }

  private lineEnds(text: string): string {
    let out = '';
    for (const char of text) {
      if (char === '\n' && !this.lastWasCr) out += '\r';
      out += char;
      this.lastWasCr = char === '\r';
    }
    return out;
  }
}

/** One-shot sanitizing of a whole text (the command line, notes). */
export function terminalText(text: string): string {
  const stream = new TerminalText();
  return stream.push(text) + stream.flush();
}

/**
 * The command as the person must see it: exactly what runs, with every
 * control character shown as `\xNN` (a `\r` or Ctrl-A in the text is a
 * character of it, and a terminal would otherwise act on it).
 */
export function visibleCommand(command: string): string {
  return command
    .split('\n')
    .map((line) => line.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .join('\r\n> ');
}
