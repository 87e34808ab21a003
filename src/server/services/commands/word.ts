/**
 * Builds one shell word while the parser reads it: its value after quote
 * removal, and every part the shell would still change when it runs (an
 * expansion, a glob, braces, a tilde), so that the policy knows whether the
 * word is plain text and, if not, what it could become.
 */
import type { DynamicKind, NoteKind, Script, Word, WordNote } from './ast';

const MAX_NOTE_CHARS = 40;

export class WordBuilder {
  value = '';
  literal = true;
  /** Quotes or a backslash were used (a here-document delimiter written so keeps its body literal). */
  quoted = false;
  readonly notes: WordNote[] = [];
  readonly scripts: Script[] = [];
  private firstDynamic = -1;
  /** The first part only known at run time expands to an absolute path (`~`, `<(…)`). */
  private firstIsPath = false;
  private dynamicEnd = 0;
  private unquotedExpansion = false;
  private splits = false;
  private bracketAt = -1;
  private braceAt = -1;
  private braceSeparated = false;
  private lastWasDot = false;

  /** Quoted or escaped text: taken literally. */
  quotedText(text: string): void {
    this.value += text;
    this.literal = false;
    this.quoted = true;
    this.lastWasDot = false;
  }

  /** Decoded `$'…'` text: static, but never plain. */
  ansiText(raw: string, decoded: string): void {
    this.quotedText(decoded);
    this.note('ansi-c', raw);
    if (findControl(decoded) >= 0) this.note('control', raw);
  }

  /** A part only known when the shell runs the command. */
  dynamic(raw: string, kind: NoteKind, unquoted: boolean, scripts: readonly Script[] = [], expandsToPath = false): void {
    this.markDynamic(this.value.length, expandsToPath);
    this.value += raw;
    this.dynamicEnd = this.value.length;
    this.note(kind, raw);
    this.scripts.push(...scripts);
    this.literal = false;
    this.lastWasDot = false;
    if (unquoted) {
      this.unquotedExpansion = true;
      this.splits = true;
    }
  }

  /** One unquoted character: globs, braces and tildes are noticed here. */
  plain(c: string): void {
    const at = this.value.length;
    switch (c) {
      case '*':
      case '?':
        this.region(at, at + 1, 'glob', c);
        break;
      case '[':
        if (this.bracketAt < 0) this.bracketAt = at;
        break;
      case ']':
        if (this.bracketAt >= 0) {
          this.region(this.bracketAt, at + 1, 'glob', `${this.value.slice(this.bracketAt)}]`);
          this.bracketAt = -1;
        }
        break;
      case '{':
        if (this.braceAt < 0) this.braceAt = at;
        break;
      case ',':
        if (this.braceAt >= 0) this.braceSeparated = true;
        break;
      case '.':
        if (this.braceAt >= 0 && this.lastWasDot) this.braceSeparated = true;
        break;
      case '}':
        if (this.braceAt >= 0 && this.braceSeparated) {
          this.region(this.braceAt, at + 1, 'brace', `${this.value.slice(this.braceAt)}}`);
          this.braceAt = -1;
          this.braceSeparated = false;
        }
        break;
      case '~':
        // A leading tilde, or one after `=`/`:` in an assignment-like word (`of=~/x`), is the home folder.
        if (at === 0 || ((this.value.endsWith('=') || this.value.endsWith(':')) && /^[A-Za-z_][A-Za-z0-9_]*=/.test(this.value))) {
          this.markDynamic(at, true);
          this.dynamicEnd = Math.max(this.dynamicEnd, at + 1);
          this.note('tilde', '~');
          this.literal = false;
        }
        break;
    }
    this.value += c;
    this.lastWasDot = c === '.';
  }

  finish(raw: string, start: number): Word {
    let dynamic: DynamicKind = 'none';
    let prefix = this.value;
    if (this.firstDynamic >= 0) {
      prefix = this.firstIsPath && this.firstDynamic === 0 ? '/' : this.value.slice(0, this.firstDynamic);
      dynamic = this.unquotedExpansion || prefix === '' || prefix.startsWith('-') ? 'any' : 'nonflag';
    }
    return {
      raw,
      value: this.value,
      prefix,
      dynamic,
      splits: this.splits,
      dynamicEnd: this.dynamicEnd,
      notes: this.notes,
      scripts: this.scripts,
      literal: this.literal,
      quoted: this.quoted,
      start,
    };
  }

  private region(from: number, to: number, kind: NoteKind, text: string): void {
    this.markDynamic(from, false);
    this.dynamicEnd = Math.max(this.dynamicEnd, to);
    this.splits = true;
    this.literal = false;
    this.note(kind, text);
  }

  private markDynamic(at: number, expandsToPath: boolean): void {
    if (this.firstDynamic < 0 || at < this.firstDynamic) {
      this.firstDynamic = at;
      this.firstIsPath = expandsToPath;
    }
  }

  private note(kind: NoteKind, text: string): void {
    this.notes.push({ kind, text: text.length > MAX_NOTE_CHARS ? `${text.slice(0, MAX_NOTE_CHARS - 1)}…` : text });
  }
}

/**
 * Index of the first character that must never reach a shell or a person's
 * approval prompt, or -1: C0 controls other than tab and newline (a `\r`
 * or Ctrl-A rewrites what a terminal runs or shows), DEL, C1 controls,
 * line and paragraph separators, and the invisible bidirectional and
 * zero-width marks that make a command read differently from what runs.
 */
export function findControl(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (isControl(text.charCodeAt(i))) return i;
  }
  return -1;
}

function isControl(code: number): boolean {
  if (code < 0x20) return code !== 0x09 && code !== 0x0a;
  if (code < 0x7f) return false;
  if (code <= 0x9f) return true;
  return (
    code === 0x061c ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2069) ||
    code === 0xfeff
  );
}

const CONTROL_NAMES: Readonly<Record<number, string>> = {
  0x00: 'NUL',
  0x01: 'Ctrl-A',
  0x03: 'Ctrl-C',
  0x04: 'Ctrl-D',
  0x07: 'bell',
  0x08: 'backspace',
  0x0b: 'vertical tab',
  0x0c: 'form feed',
  0x0d: 'carriage return',
  0x15: 'Ctrl-U',
  0x1a: 'Ctrl-Z',
  0x1b: 'escape',
  0x7f: 'delete',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
  0x202e: 'right-to-left override',
  0x200b: 'zero-width space',
  0xfeff: 'zero-width no-break space',
};

/** "U+000D (carriage return)". */
export function describeControl(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = CONTROL_NAMES[code];
  return name ? `${hex} (${name})` : hex;
}
