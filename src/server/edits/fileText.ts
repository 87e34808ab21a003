/**
 * A file's text with an index of where each line starts and ends, for the
 * edit engine's one-pass apply. It counts lines exactly as `splitFile` does
 * (shared/diff/lines.ts) but keeps no string per line: a hunk is located by
 * searching the text itself (lineIndex.ts) and the new text is the original's
 * unchanged stretches sliced between the changed lines (splice.ts). A file of
 * 20,000 lines and 50 changes then costs one scan and a few hundred small
 * strings, not 20,000-entry arrays copied and joined, which is most of
 * `tandem apply-patch`'s time in a process that runs once per edit.
 * `lines` and `eols` still give `splitFile`'s arrays, built on first use, for
 * the rarer paths (fuzzy levels, refusal messages, reindenting).
 */
import { type Eol, type FileLines } from '../../shared/diff';

const LF = 10;
const CR = 13;

export class FileText implements FileLines {
  /** Offset of each line's first character; `starts[count]` is the text's length. */
  private readonly starts: number[] = [];
  /**
   * Offset just after each line's content (before its ending); only for a text
   * with a CR in it. With LF endings alone a line ends one before the next
   * starts, and one array to fill instead of two is a measurable part of a
   * one-shot process's time on a large file (the loop runs before V8 has
   * optimised it).
   */
  private readonly ends: number[] | undefined;
  private readonly lineCount: number;
  private lineList: string[] | undefined;
  private eolList: string[] | undefined;
  readonly eol: Eol;

  constructor(readonly text: string) {
    let crlf = 0;
    let lf = 0;
    let cr = 0;
    const { starts } = this;
    let start = 0;
    if (!text.includes('\r')) {
      // The common case: indexOf runs natively instead of a loop over every character.
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', start)) {
        starts.push(start);
        start = at + 1;
      }
      lf = starts.length;
      this.ends = undefined;
    } else {
      const ends: number[] = [];
      this.ends = ends;
      for (let at = 0; at < text.length; at++) {
        const code = text.charCodeAt(at);
        if (code !== LF && code !== CR) continue;
        starts.push(start);
        ends.push(at);
        if (code === CR && text.charCodeAt(at + 1) === LF) {
          at++;
          crlf++;
        } else if (code === CR) {
          cr++;
        } else {
          lf++;
        }
        start = at + 1;
      }
    }
    // What follows the last break is a line unless it is empty (as in splitFile).
    if (start < text.length) {
      starts.push(start);
      this.ends?.push(text.length);
    }
    this.lineCount = starts.length;
    starts.push(text.length);
    this.eol = crlf > lf && crlf >= cr ? '\r\n' : cr > lf && cr > crlf ? '\r' : '\n';
  }

  /** Number of lines (an empty file has none). */
  get count(): number {
    return this.lineCount;
  }

  get finalNewline(): boolean {
    const last = this.lineCount - 1;
    return last >= 0 && this.endOf(last) < this.text.length;
  }

  /** Offset just after line `i`'s content; -1 outside the file. */
  private endOf(i: number): number {
    if (i < 0 || i >= this.lineCount) return -1;
    if (this.ends) return this.ends[i] ?? -1;
    const next = this.starts[i + 1] ?? this.text.length;
    // LF only: every line but a last one without an ending ends with the '\n' just before the next line.
    return next === this.text.length && this.text.charCodeAt(next - 1) !== LF ? next : next - 1;
  }

  /** Line `i` without its ending. */
  line(i: number): string {
    return this.text.slice(this.starts[i], this.endOf(i));
  }

  /** Line `i`'s ending ('' for a last line without one); undefined outside the file, like `eols[i]`. */
  eolAt(i: number): string | undefined {
    if (i < 0 || i >= this.lineCount) return undefined;
    return this.text.slice(this.endOf(i), this.starts[i + 1]);
  }

  /** The text of lines [from, to) with the endings between them, without line `to - 1`'s own ending. */
  stretch(from: number, to: number): string {
    return this.text.slice(this.starts[from], this.endOf(to - 1));
  }

  /** Whether line `i` is exactly `content`, without building the line's string. */
  lineIs(i: number, content: string): boolean {
    const start = this.starts[i] ?? 0;
    return this.endOf(i) - start === content.length && this.text.startsWith(content, start);
  }

  /** The line that contains offset `at` (0 ≤ at < text length, inside some line's content or ending). */
  lineAt(at: number): number {
    let low = 0;
    let high = this.lineCount - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= at) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Offset where line `i` starts (the text's length for i = count). */
  startOf(i: number): number {
    return this.starts[i] ?? this.text.length;
  }

  get lines(): string[] {
    return (this.lineList ??= Array.from({ length: this.lineCount }, (_, i) => this.line(i)));
  }

  get eols(): string[] {
    return (this.eolList ??= Array.from({ length: this.lineCount }, (_, i) => this.eolAt(i) ?? ''));
  }
}
