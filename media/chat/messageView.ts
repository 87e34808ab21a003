/**
 * One message in the transcript. A user message is plain text with the chips
 * it was sent with; an assistant message is streamed markdown plus its status
 * (streaming cursor, notice, "Stopped", error box); an agent answer also has
 * its step cards, above the text. Updates change only what differs, so a
 * finished answer's DOM survives later state messages.
 */
import { estimateRows, type FromWebview, type StepView, type UiMessage } from '../../src/shared/webviewProtocol';
import { sanitizeSteps } from './agentData';
import { StepList } from './agentSteps';
import { renderBoundary, sanitizeBoundary } from './boundaryView';
import { renderChips } from './chips';
import type { Dom } from './dom';
import { renderError } from './errorView';
import type { MarkdownRenderer } from './markdown';
import type { FrameScheduler } from './scheduler';
import { StreamingMarkdown } from './streamingMarkdown';

export type MessageState = 'streaming' | 'done' | 'error' | 'stopped';

export interface MessageViewDeps {
  dom: Dom;
  renderer: MarkdownRenderer;
  scheduler: FrameScheduler;
  post(message: FromWebview): void;
  /** After new text reached the DOM (for auto-scroll and the `rendered` signal). */
  onRendered(view: MessageView): void;
}

export function messageState(message: UiMessage): MessageState {
  if (message.streaming) {
    return 'streaming';
  }
  if (message.error) {
    return 'error';
  }
  return message.stopped ? 'stopped' : 'done';
}

export class MessageView {
  readonly element: HTMLElement;
  readonly id: string;
  readonly role: UiMessage['role'];
  /** Whether this answer arrived as a stream (history entries did not). */
  streamed = false;
  private text = '';
  /** Characters of `text` given to the markdown renderer (all of them unless deferred). */
  private fed = 0;
  /** Rendering waits for `renderSlice` (or is undone by `release`). */
  private deferred = false;
  /**
   * Text a full snapshot (state / messageUpdate) delivered before the deltas
   * carrying it: those deltas are then echoes and must not be appended twice.
   */
  private ahead = '';
  private streaming = false;
  private statusKey = '';
  /** A question's chips as last rendered (a question restored from the saved state has none until the extension's copy). */
  private chipsKey = '[]';
  private chips: HTMLElement | undefined;
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;
  private readonly markdown: StreamingMarkdown | undefined;
  private readonly steps: StepList | undefined;
  /**
   * Shown from the saved state with only its end (`text`): the characters of
   * the answer before it, which the extension's copy brings.
   */
  private omitted = 0;
  /** The answer's start, rendered above the end the saved state showed, in slices (`renderSlice`). */
  private head: { markdown: StreamingMarkdown; text: string; fed: number } | undefined;

  /**
   * `deferred`: a finished answer whose markdown is rendered only when the
   * transcript asks (`renderSlice`, as it nears the viewport); until then its
   * body is a placeholder of about its height.
   */
  constructor(private readonly deps: MessageViewDeps, message: UiMessage, deferred = false) {
    const { dom } = deps;
    this.id = message.id;
    this.role = message.role;
    this.body = dom.el('div', { class: 'message-body' });
    this.status = dom.el('div', { class: 'message-status' });
    this.element = dom.el('div', {
      class: `message message-${message.role}`,
      testid: 'message',
      attrs: { 'data-role': message.role, 'data-message-id': message.id },
    });
    if (message.role === 'assistant') {
      this.deferred = deferred && !message.streaming;
      this.markdown = new StreamingMarkdown(dom, deps.renderer, deps.scheduler, () => deps.onRendered(this));
      this.body.append(this.markdown.element);
      this.steps = new StepList({ dom, messageId: message.id, post: deps.post });
      dom.append(this.element, [dom.el('div', { class: 'message-author', text: 'Tandem' }), this.steps.element, this.body, this.status]);
    } else {
      dom.append(this.element, [dom.el('div', { class: 'message-author', text: 'You' }), this.body]);
    }
    this.update(message);
    if (this.deferred) {
      this.holdPlace(estimateHeight(this.text));
    }
    // First paint of a message shows its text right away, not a frame later.
    this.markdown?.flush();
  }

  /**
   * An older message of a long chat whose content has not arrived yet: a
   * placeholder of about `rows` lines until the transcript replaces this view.
   */
  holdRows(rows: number): void {
    this.element.classList.add('message-stub');
    this.element.dataset.state = 'pending';
    if (this.markdown) {
      this.holdPlace(rows * ROW_PX);
    } else {
      this.body.style.minHeight = `${rows * ROW_PX}px`;
    }
  }

  /** Whether the markdown waits to be rendered (or was released), or the start of a restored answer does. */
  get isDeferred(): boolean {
    return this.deferred || this.head !== undefined;
  }

  /** Characters of the answer not shown: it was restored from the saved state with its end only. */
  get omittedChars(): number {
    return this.omitted;
  }

  /** What it shows (all of it, or the end of an answer whose `omittedChars` are not here yet). */
  get content(): string {
    return this.text;
  }

  /** Restored from the saved state with the end of the answer only (see `update`). */
  showsEndOnly(omitted: number): void {
    if (this.markdown && omitted > 0) {
      this.omitted = omitted;
    }
  }

  /**
   * Renders up to `chars` more characters of a deferred answer; true when it
   * is complete. The DOM it ends with is the one rendering it at once gives.
   */
  renderSlice(chars: number): boolean {
    if (this.head) {
      return this.renderHeadSlice(this.head, chars);
    }
    if (!this.markdown || !this.deferred) {
      return true;
    }
    const slice = this.text.slice(this.fed, this.fed + chars);
    this.fed += slice.length;
    this.markdown.feed(slice);
    if (this.fed < this.text.length) {
      // The block the slice ends inside renders once, when a later slice completes it.
      this.markdown.flushFinished();
      return false;
    }
    this.deferred = false;
    this.markdown.settle();
    this.holdPlace(undefined);
    return true;
  }

  /**
   * Drops the rendered markdown of a finished answer far from the viewport
   * (memory stays bounded as the chat grows), keeping its place: `height` px.
   */
  release(height: number): void {
    if (!this.markdown || this.streaming || this.role !== 'assistant') {
      return;
    }
    this.dropHead();
    this.deferred = true;
    this.fed = 0;
    this.markdown.reset();
    this.holdPlace(height);
  }

  /** The markdown's height as laid out (for `release`). */
  get renderedHeight(): number {
    return this.markdown?.element.getBoundingClientRect().height ?? 0;
  }

  private renderHeadSlice(head: NonNullable<MessageView['head']>, chars: number): boolean {
    const slice = head.text.slice(head.fed, head.fed + chars);
    head.fed += slice.length;
    head.markdown.feed(slice);
    if (head.fed < head.text.length) {
      head.markdown.flushFinished();
      return false;
    }
    head.markdown.settle();
    this.holdPlace(undefined, head.markdown.element);
    // Now one rendering of the whole answer (for a later append or release).
    this.head = undefined;
    return true;
  }

  private dropHead(): void {
    this.head?.markdown.element.remove();
    this.head = undefined;
  }

  /**
   * The extension's copy of an answer restored with its end only: when it
   * ends with what is shown, the start renders above it (in slices, as the
   * transcript asks) and the end's DOM stays; otherwise it renders anew.
   */
  private completeRestored(text: string, streaming: boolean): void {
    this.omitted = 0;
    const headLength = text.length - this.text.length;
    if (!streaming && !this.deferred && this.markdown && headLength > 0 && text.endsWith(this.text)) {
      const markdown = new StreamingMarkdown(this.deps.dom, this.deps.renderer, this.deps.scheduler, () => this.deps.onRendered(this));
      this.markdown.element.before(markdown.element);
      this.head = { markdown, text: text.slice(0, headLength), fed: 0 };
      this.holdPlace(estimateHeight(this.head.text), markdown.element);
      this.text = text;
      this.fed = text.length;
      return;
    }
    // Not the same answer's end (or the end was never rendered): nothing shown can be kept.
    this.text = '';
    this.fed = 0;
    this.markdown?.reset();
  }

  private holdPlace(height: number | undefined, element = this.markdown?.element): void {
    if (element) {
      element.style.height = height === undefined ? '' : `${Math.max(0, Math.round(height))}px`;
      element.classList.toggle('markdown-placeholder', height !== undefined);
    }
  }

  /** Characters received so far. */
  get length(): number {
    return this.text.length;
  }

  hasText(text: string): boolean {
    return this.text === text;
  }

  /** Applies a full snapshot of this message. */
  update(message: UiMessage): void {
    const state = messageState(message);
    this.element.dataset.state = state;
    this.streaming = state === 'streaming';
    if (this.streaming) {
      this.streamed = true;
    }
    this.element.setAttribute('aria-busy', String(this.streaming));
    if (this.streaming && this.deferred) {
      // Streaming again (a retry): everything is rendered as it arrives.
      this.renderSlice(Infinity);
    }
    if (this.omitted > 0) {
      this.completeRestored(message.text, this.streaming);
    }
    this.setText(message.text);
    if (this.role === 'user') {
      this.showChips(message);
    }
    this.renderStatus(message);
    // A snapshot without `steps` leaves the cards as they are (live steps may have arrived first).
    const steps = sanitizeSteps(message.steps);
    if (steps && this.steps) {
      this.steps.sync(steps);
    }
    if (!this.streaming) {
      // End of a stream (or replaced text): final now, not on the next frame.
      this.markdown?.settle();
    }
  }

  /** A live step (already validated): replaces its card, or adds one at the end. */
  updateStep(step: StepView): void {
    this.steps?.upsert(step);
  }

  /** Appends streamed text. */
  appendDelta(text: string): void {
    this.streamed = true;
    if (this.ahead) {
      if (this.ahead.startsWith(text)) {
        this.ahead = this.ahead.slice(text.length);
        return;
      }
      const echoed = text.startsWith(this.ahead) ? this.ahead.length : 0;
      this.ahead = '';
      text = text.slice(echoed);
    }
    this.appendText(text);
  }

  private setText(text: string): void {
    if (text === this.text) {
      this.ahead = '';
      return;
    }
    if (this.role === 'user') {
      this.text = text;
      this.body.textContent = text;
      return;
    }
    if (text.startsWith(this.text)) {
      const extra = text.slice(this.text.length);
      this.ahead = this.streaming ? extra : '';
      this.appendText(extra);
      return;
    }
    // Replaced rather than extended: render from scratch.
    this.dropHead();
    this.ahead = '';
    this.text = '';
    this.fed = 0;
    this.markdown?.reset();
    this.appendText(text);
  }

  private appendText(text: string): void {
    if (!text) {
      return;
    }
    this.text += text;
    if (!this.deferred) {
      this.fed += text.length;
      this.markdown?.append(text);
    }
  }

  private showChips(message: UiMessage): void {
    const chips = message.context ?? [];
    const key = JSON.stringify(chips);
    if (key === this.chipsKey) {
      return;
    }
    this.chipsKey = key;
    this.chips?.remove();
    this.chips = chips.length > 0 ? this.deps.dom.el('div', { class: 'message-chips' }, renderChips(this.deps.dom, chips)) : undefined;
    if (this.chips) {
      this.body.before(this.chips);
    }
  }

  private renderStatus(message: UiMessage): void {
    if (this.role !== 'assistant') {
      return;
    }
    const boundary = sanitizeBoundary(message.boundary);
    const key = JSON.stringify([message.notice ?? '', message.streaming === true, message.stopped === true, message.error ?? null, boundary ?? null]);
    if (key === this.statusKey) {
      return;
    }
    this.statusKey = key;
    const { dom } = this.deps;
    dom.replaceChildren(this.status, [
      message.notice ? dom.el('div', { class: 'notice muted', text: message.notice, attrs: { role: 'status' } }) : null,
      // What was kept from the model: also under a failed or stopped answer (the request did go out).
      boundary ? renderBoundary(dom, boundary) : null,
      !message.streaming && message.stopped ? dom.el('div', { class: 'stopped muted', text: 'Stopped' }) : null,
      !message.streaming && message.error ? renderError(dom, message.error, message.id, this.deps.post) : null,
    ]);
  }
}

/** Height (px) of one estimated line of 80 characters. */
const ROW_PX = 18;

/** About how tall an answer's markdown renders (px), before it is: a place holder that keeps the scroll bar honest. */
export function estimateHeight(text: string): number {
  return estimateRows(text) * ROW_PX;
}
