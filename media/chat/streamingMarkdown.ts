/**
 * Renders one assistant answer incrementally. Finished blocks (see blocks.ts)
 * are rendered once and appended; only the unfinished tail block is
 * re-rendered, and only when a frame is due. Earlier blocks' DOM is never
 * touched again, so selection, scroll and find-in-page stay stable while the
 * answer grows.
 *
 * The work per frame follows the new text, not the answer: a tail that is an
 * open code block grows line by line (see OpenFenceView), a large tail of
 * another kind is re-rendered only once it grew by a fraction of itself, and
 * a tail whose rendering already matches the block it turns into becomes
 * that block as it is. The DOM a stream ends with is the DOM the whole text
 * rendered at once gives (`settle`).
 */
import { BlockSplitter } from './blocks';
import type { Dom } from './dom';
import type { MarkdownRenderer } from './markdown';
import { fenceLanguage } from './languages';
import type { FrameScheduler } from './scheduler';

/** Tails up to this size re-render on every frame that changed them. */
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
    this.tail.replaceChildren(this.renderer.render(text));
    // An open fence's rendering depends on trailing blank lines: never reuse it as a finished block.
    this.tailKey = this.splitter.tailIsOpenFence ? '' : key;
    this.tailRenderedLength = text.length;
    return true;
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
