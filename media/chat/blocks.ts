/**
 * Cuts streamed markdown into top-level blocks that can be rendered on their
 * own, so a long answer is parsed block by block instead of as a whole on
 * every token. Pure and incremental: feed chunks, get back the blocks that
 * just became final; the rest is the unfinished tail.
 *
 * A block ends at a blank line outside a fenced code block, when the next
 * non-blank line starts in column 0. Indented lines after a blank line belong
 * to the block before (list item continuations, nested lists, indented code),
 * and further items of the same loose list stay in their list (up to a size
 * limit, so one giant list cannot make the tail unbounded). Merging blocks is
 * always safe (markdown-it sees more context); splitting is what buys speed.
 *
 * A boundary is only decided once the start of the next line settles it, so
 * the blocks returned for a prefix of a text are always blocks of the whole
 * text, however it was chunked.
 */

interface Fence {
  char: '`' | '~';
  length: number;
}

/** Beyond this size a loose list is cut between items anyway (each part renders as its own list). */
export const LIST_MERGE_LIMIT = 3000;

/** Container prefixes a fence may sit behind: indentation, blockquote markers, list markers. */
const CONTAINER_PREFIX = /^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*/;
const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^(`{3,}|~{3,})[ \t]*$/;
const LIST_ITEM = /^(?:([-*+])|\d{1,9}([.)]))(?:[ \t]|$)/;
const LIST_MARKER = /^(?:([-*+])|\d{1,9}([.)]))[ \t]/;
const MAYBE_LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)]?)$/;

function stripContainers(line: string): string {
  return line.replace(CONTAINER_PREFIX, '');
}

function openingFence(line: string): Fence | undefined {
  const [, marker, info = ''] = FENCE_OPEN.exec(stripContainers(line)) ?? [];
  if (marker === undefined) {
    return undefined;
  }
  const char = marker.charAt(0) as Fence['char'];
  // A backtick fence's info string cannot contain backticks (``` x ``` is inline code).
  if (char === '`' && info.includes('`')) {
    return undefined;
  }
  return { char, length: marker.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const marker = FENCE_CLOSE.exec(stripContainers(line))?.[1];
  return marker !== undefined && marker.charAt(0) === fence.char && marker.length >= fence.length;
}

/** '-', '*', '+' for bullets, '.' or ')' for ordered items; undefined when not a list item. */
function listKind(line: string): string | undefined {
  const match = LIST_ITEM.exec(line);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** CommonMark's blank line: only spaces and tabs (a no-break space is content). */
function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

export class BlockSplitter {
  /** Complete lines (with their newlines) of the current, unfinished block. */
  private block = '';
  /** Text after the last newline. */
  private partial = '';
  private fence: Fence | undefined;
  private hasContent = false;
  private blankSeen = false;
  /** The list kind of the latest top-level list item in this block, if the block is a list. */
  private listKind: string | undefined;
  /** The current partial line was already found to start a block (see `certainBoundary`). */
  private emittedEarly = false;
  /** The open fence (if any) began on the first line of the current block. */
  private fenceOpensBlock = false;

  /** Adds text; returns the blocks it completed, in order. */
  push(chunk: string): string[] {
    const finished: string[] = [];
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', from);
      if (newline === -1) {
        this.partial += chunk.slice(from);
        break;
      }
      const line = this.partial + chunk.slice(from, newline);
      this.partial = '';
      const wasInFence = this.fence !== undefined;
      const boundary = this.scanLine(line, this.emittedEarly);
      if (boundary && !this.emittedEarly && this.block !== '') {
        finished.push(this.block);
        this.block = '';
      }
      if (this.fence && !wasInFence) {
        this.fenceOpensBlock = this.block === '';
      }
      this.emittedEarly = false;
      this.block += `${line}\n`;
      from = newline + 1;
    }
    // Cut as soon as the start of the next line settles it, not only when that line ends:
    // prose arrives as long lines, and the previous paragraph should not linger in the tail.
    if (this.partial && !this.emittedEarly && this.block !== '' && this.certainBoundary(this.partial)) {
      finished.push(this.block);
      this.block = '';
      this.emittedEarly = true;
    }
    return finished;
  }

  /** The unfinished text: everything after the last completed block. */
  get tail(): string {
    return this.block + this.partial;
  }

  /**
   * Whether the tail is one fenced code block still open, its opening fence
   * on the tail's first line: the tail's text is then that line, then code.
   */
  get tailIsOpenFence(): boolean {
    return this.fence !== undefined && this.fenceOpensBlock;
  }

  /**
   * Whether an incomplete line certainly starts a new block: the same answer
   * `scanLine` will give for the whole line, or false while it cannot tell yet.
   */
  private certainBoundary(partial: string): boolean {
    if (!this.blankSeen || this.fence || partial.endsWith('\r') || partial[0] === ' ' || partial[0] === '\t') {
      return false;
    }
    if (this.listKind === undefined || this.block.length >= LIST_MERGE_LIMIT) {
      return true;
    }
    const item = LIST_MARKER.exec(partial);
    if (item) {
      return (item[1] ?? item[2]) !== this.listKind;
    }
    // "-" or "12." may still become a list item of this list.
    return !MAYBE_LIST_MARKER.test(partial);
  }

  /** Reads one complete line; true when it begins a new block (`decided`: known already). */
  private scanLine(rawLine: string, decided: boolean): boolean {
    // CRLF: the \r stays in the text (markdown-it normalises it) but not in the analysis.
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (this.fence) {
      if (closesFence(line, this.fence)) {
        this.fence = undefined;
      }
      return false;
    }
    if (isBlank(line)) {
      this.blankSeen = this.hasContent;
      return false;
    }
    const indented = line[0] === ' ' || line[0] === '\t';
    const kind = indented ? undefined : listKind(line);
    let boundary = decided;
    if (!decided && this.blankSeen && !indented) {
      const continuesList = kind !== undefined && kind === this.listKind && this.block.length < LIST_MERGE_LIMIT;
      boundary = !continuesList;
    }
    this.blankSeen = false;
    // A block's list kind comes from its first line and later top-level items; lazy
    // continuation lines (column 0, not an item) leave it as it is.
    if (boundary || !this.hasContent || kind !== undefined) {
      this.listKind = kind;
    }
    this.hasContent = true;
    this.fence = openingFence(line);
    return boundary;
  }
}

/** Splits a whole text at once: the same cut points as streaming it in any chunks. */
export function splitBlocks(text: string): { blocks: string[]; tail: string } {
  const splitter = new BlockSplitter();
  const blocks = splitter.push(text);
  return { blocks, tail: splitter.tail };
}
