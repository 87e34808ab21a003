/**
 * Renders one assistant answer incrementally. Finished blocks (see blocks.ts)
 * are rendered once and appended; only the unfinished tail block is
 * re-rendered, and only when a frame is due. Earlier blocks' DOM is never
 * touched again, so selection, scroll and find-in-page stay stable while the
 * answer grows.
 *
 * The work per frame follows the new text, not the answer: a tail that is an
 * open code block grows line by line (see OpenFenceView), a tail of another
 * kind is redrawn at most every TAIL_REDRAW_MS once it is more than a line
 * or so, and only once it grew by a fraction of itself when it is large,
 * and a tail whose rendering already matches the block it turns into becomes
 * that block as it is. The DOM a stream ends with is the DOM the whole text
 * rendered at once gives (`settle`).
 *
 * Why the redraw interval (issue 16): redrawing a paragraph, list or table
 * tail on every frame rendered about six characters per character of the
 * answer at 500 tokens/s. The renderer's major garbage collections (20-50 ms
 * over the heap the webview shares with the workbench) run inside whichever
 * frame is allocating when they are due, and on top of a full frame made it
 * a 60-70 ms task; less garbage makes them rarer, shorter frames leave room.
 */
import { BlockSplitter } from './blocks';
import type { Dom } from './dom';
import type { MarkdownRenderer } from './markdown';
import { fenceLanguage } from './languages';
import type { FrameScheduler } from './scheduler';

/** Tails up to this size (a line or so) re-render on every frame that changed them: the first words of a block show at once. */
const INSTANT_TAIL = 100;
/** A larger tail shows its new text at least this often (20 times a second), not on every frame. */
export const TAIL_REDRAW_MS = 50;
/** Tails up to this size redraw whenever due; a larger one only once it grew by TAIL_GROWTH. */
const SMALL_TAIL = 2000;
/** A larger tail re-renders once it grew by this fraction since it was last rendered. */
const TAIL_GROWTH = 1 / 8;

/** An opening fence in column 0: the only kind rendered line by line. */
const TOP_LEVEL_FENCE = /^(?:`{3,}|~{3,})([^\n]*)$/;

/**
 * A tail's text as far as its rendering is concerned: blank lines at the end
 * change nothing once no fence is open (markdown-it drops them).
 */
function renderKey(text: string): string {
  return text.replace(/(?:\n[ \t\r]*)+$/, '');
}

export class StreamingMarkdown {
  readonly element: HTMLElement;
  private tail: HTMLElement;
  private splitter = new BlockSplitter();
  private pendingBlocks: string[] = [];
  private tailDirty = false;
  /** The tail shows its text only approximately (an open fence line by line, or a large tail not yet redrawn). */
  private tailApproximate = false;
  /** What the tail's DOM shows: the render key of the text it was rendered from, exactly ('' when not exact). */
  private tailKey = '';
  private tailRenderedLength = 0;
  /** When the tail was last rendered from its text (the scheduler's clock). */
  private tailRenderedAt = -Infinity;
  private fence: OpenFenceView | undefined;
  private readonly flushTask = (): void => this.flush();

  constructor(
    private readonly dom: Dom,
    private readonly renderer: MarkdownRenderer,
    private readonly scheduler: FrameScheduler,
    /** Called after each flush that changed the DOM. */
    private readonly onFlushed: () => void,
  ) {
    this.tail = dom.el('div', { class: 'md-block md-tail' });
    this.element = dom.el('div', { class: 'markdown' }, [this.tail]);
  }

  /** Adds text; the DOM catches up on the next frame. */
  append(text: string): void {
    if (!text) {
      return;
    }
    for (const block of this.splitter.push(text)) {
      this.pendingBlocks.push(block);
    }
    this.tailDirty = true;
    this.scheduler.schedule(this.flushTask);
  }

  /**
   * Adds text rendered later, in slices (an answer rendered as it nears the
   * viewport): nothing is scheduled, and `flushFinished` renders only the
   * blocks it completed, so each character is rendered once.
   */
  feed(text: string): void {
    for (const block of this.splitter.push(text)) {
      this.pendingBlocks.push(block);
    }
    this.tailDirty ||= text.length > 0;
  }

  /**
   * Renders the finished blocks fed so far, not the unfinished tail (which
   * the next slice would render again): `settle` renders it once it is whole.
   */
  flushFinished(): void {
    if (this.pendingBlocks.length > 0) {
      this.appendFinished(this.pendingBlocks);
      this.pendingBlocks = [];
      this.onFlushed();
    }
  }

  /** Brings the DOM up to date now as a streaming frame would (first paint of a message). */
  flush(): void {
    this.update(false);
  }

  /** Brings the DOM up to date exactly: the rendering of the whole text (end of a stream). */
  settle(): void {
    this.update(true);
  }

  /** Drops everything rendered so far (the text was replaced, not extended). */
  reset(): void {
    this.splitter = new BlockSplitter();
    this.pendingBlocks = [];
    this.tailDirty = true;
    this.tailApproximate = false;
    this.fence = undefined;
    this.tailKey = '';
    this.tailRenderedLength = 0;
    this.tailRenderedAt = -Infinity;
    this.element.replaceChildren(this.tail);
    this.tail.replaceChildren();
  }

  private update(exact: boolean): void {
    const redrawTail = this.tailDirty || (exact && this.tailApproximate);
    const changed = this.pendingBlocks.length > 0 || redrawTail;
    if (this.pendingBlocks.length > 0) {
      this.appendFinished(this.pendingBlocks);
      this.pendingBlocks = [];
    }
    if (redrawTail) {
      this.tailDirty = false;
      this.tailApproximate = !this.renderTail(exact);
      if (this.tailApproximate && this.tailWaits()) {
        // Not due yet: look again next frame, so the tail catches up even if no more text comes.
        this.tailDirty = true;
        this.scheduler.defer(this.flushTask);
      }
    }
    if (changed) {
      this.onFlushed();
    }
  }

  private appendFinished(blocks: string[]): void {
    let rest = blocks;
    const first = blocks[0];
    // The tail already shows the first finished block exactly: it becomes that block.
    if (first !== undefined && this.tailKey !== '' && renderKey(first) === this.tailKey) {
      this.tail.classList.remove('md-tail');
      this.tail = this.dom.el('div', { class: 'md-block md-tail' });
      this.element.append(this.tail);
      this.tailKey = '';
      this.tailRenderedLength = 0;
      rest = blocks.slice(1);
    }
    this.fence = undefined;
    if (rest.length === 1) {
      const element = this.dom.el('div', { class: 'md-block' });
      element.append(this.renderer.render(rest[0] as string));
      this.element.insertBefore(element, this.tail);
    } else if (rest.length > 1) {
      this.element.insertBefore(this.renderer.renderBlocks(rest), this.tail);
    }
    if (rest.length > 0) {
      // The tail now holds text after those blocks: whatever it shows is stale.
      this.tailKey = '';
      this.tailRenderedLength = 0;
    }
  }

  /** Renders the tail; false when what it shows is not yet exactly its text. */
  private renderTail(exact: boolean): boolean {
    const text = this.splitter.tail;
    if (!exact && this.splitter.tailIsOpenFence) {
      const newline = text.indexOf('\n');
      const opener = text.slice(0, newline);
      if (TOP_LEVEL_FENCE.test(opener.replace(/\r$/, ''))) {
        if (!this.fence || this.fence.opener !== opener) {
          this.fence = new OpenFenceView(this.dom, this.renderer, opener);
          this.tail.replaceChildren(this.fence.fragment);
        }
        this.fence.update(text.slice(newline + 1));
        this.tailKey = '';
        this.tailRenderedLength = 0;
        return false;
      }
    }
    this.fence = undefined;
    const key = this.splitter.tailIsOpenFence ? text : renderKey(text);
    if (key === this.tailKey && key !== '') {
      return true;
    }
    const grown = text.length - this.tailRenderedLength;
    if (!exact && text.length > SMALL_TAIL && grown < text.length * TAIL_GROWTH) {
      return false;
    }
    if (!exact && this.tailWaits()) {
      return false;
    }
    this.tail.replaceChildren(this.renderer.render(text));
    // An open fence's rendering depends on trailing blank lines: never reuse it as a finished block.
    this.tailKey = this.splitter.tailIsOpenFence ? '' : key;
    this.tailRenderedLength = text.length;
    this.tailRenderedAt = this.scheduler.now();
    return true;
  }

  /**
   * Whether a redraw of the tail waits for TAIL_REDRAW_MS: only a tail that
   * already shows the start of its own text (not a block since finished,
   * nor an open fence's lines), and is more than a line or so.
   */
  private tailWaits(): boolean {
    return this.tailRenderedLength > 0
      && this.splitter.tail.length > INSTANT_TAIL
      && this.scheduler.now() - this.tailRenderedAt < TAIL_REDRAW_MS;
  }
}

/**
 * The tail while it is an open fenced code block: the block's frame is
 * rendered once, then complete lines are highlighted and appended in pieces
 * that end outside any construct of the grammar, so each frame highlights
 * only the lines that arrived (plus a string or comment still open). The
 * piece after the last such point is redrawn each frame.
 */
class OpenFenceView {
  readonly fragment: DocumentFragment;
  private readonly code: HTMLElement;
  private readonly pending: HTMLElement;
  private readonly lang: string;
  /** Characters of the code appended for good. */
  private committed = 0;
  private shown = '';

  constructor(dom: Dom, private readonly renderer: MarkdownRenderer, readonly opener: string) {
    this.lang = fenceLanguage((TOP_LEVEL_FENCE.exec(opener.replace(/\r$/, ''))?.[1] ?? ''));
    this.fragment = renderer.render(`${opener}\n`);
    const code = this.fragment.querySelector<HTMLElement>('pre code');
    this.pending = dom.el('span');
    if (code) {
      code.replaceChildren(this.pending);
      this.code = code;
    } else {
      // markdown-it always renders a fence as pre > code; keep working if that ever changes.
      this.code = dom.el('code');
      this.code.append(this.pending);
      this.fragment.append(this.code);
    }
  }

  update(raw: string): void {
    if (raw === this.shown) {
      return;
    }
    this.shown = raw;
    const end = raw.lastIndexOf('\n') + 1;
    let rest = raw.slice(this.committed);
    if (end > this.committed) {
      const piece = this.renderer.codePiece(normalize(raw.slice(this.committed, end)), this.lang);
      if (piece.topLevel) {
        this.code.insertBefore(piece.fragment, this.pending);
        this.committed = end;
        rest = raw.slice(end);
      }
    }
    this.pending.replaceChildren(this.renderer.codePiece(normalize(rest), this.lang).fragment);
  }
}

function normalize(code: string): string {
  return code.replace(/\r\n?/g, '\n');
}
