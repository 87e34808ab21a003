/**
 * Renders one assistant answer incrementally. Finished blocks (see blocks.ts)
 * are rendered once and appended; only the unfinished tail block is
 * re-rendered, and only when a frame is due. Earlier blocks' DOM is never
 * touched again, so selection, scroll and find-in-page stay stable while the
 * answer grows.
 */
import { BlockSplitter } from './blocks';
import type { Dom } from './dom';
import type { MarkdownRenderer } from './markdown';
import type { FrameScheduler } from './scheduler';

export class StreamingMarkdown {
  readonly element: HTMLElement;
  private readonly tail: HTMLElement;
  private splitter = new BlockSplitter();
  private pendingBlocks: string[] = [];
  private tailDirty = false;
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

  /** Brings the DOM up to date now (first paint of a message, end of a stream). */
  flush(): void {
    if (this.pendingBlocks.length === 0 && !this.tailDirty) {
      return;
    }
    const only = this.pendingBlocks.length === 1 ? this.pendingBlocks[0] : undefined;
    if (only !== undefined) {
      const element = this.dom.el('div', { class: 'md-block' });
      element.append(this.renderer.render(only));
      this.element.insertBefore(element, this.tail);
    } else if (this.pendingBlocks.length > 1) {
      this.element.insertBefore(this.renderer.renderBlocks(this.pendingBlocks), this.tail);
    }
    this.pendingBlocks = [];
    if (this.tailDirty) {
      this.tailDirty = false;
      this.tail.replaceChildren(this.renderer.render(this.splitter.tail));
    }
    this.onFlushed();
  }

  /** Drops everything rendered so far (the text was replaced, not extended). */
  reset(): void {
    this.splitter = new BlockSplitter();
    this.pendingBlocks = [];
    this.tailDirty = true;
    this.element.replaceChildren(this.tail);
    this.tail.replaceChildren();
  }
}
