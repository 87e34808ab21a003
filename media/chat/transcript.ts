/**
 * The scrolling message list. A `state` reconciles by message id (views whose
 * text is unchanged keep their DOM); a `delta` goes to one message only.
 * Follows the bottom while an answer streams only if the person is already
 * there: scrolling up to read stops the following until they return.
 */
import { MAX_PAGE_MESSAGES, type ChatMode, type ChatViewState, type FromWebview, type MessageStub, type StepView, type UiMessage } from '../../src/shared/webviewProtocol';
import type { Dom } from './dom';
import { handleCodeAction } from './codeBlock';
import type { MarkdownRenderer } from './markdown';
import { MessageView } from './messageView';
import { shapeSaved, type SavedTranscript, type ShownMessage } from './savedTranscript';
import type { FrameScheduler } from './scheduler';
import { RenderPreparation } from './preparing';
import { ScrollSpeed } from './scrollSpeed';

/** How close to the bottom (px) still counts as "at the bottom". */
const STICK_THRESHOLD_PX = 32;
/**
 * A chat with more text than this renders its finished answers only near the
 * viewport: as they come within a screen of it (in slices of SLICE_CHARS,
 * at most SLICE_BUDGET_MS of them per frame), and drops them again beyond
 * three screens, so opening, scrolling and memory do not grow with the chat.
 */
const LAZY_CHARS = 40_000;
/**
 * A screen restored from the saved state renders near the viewport too above
 * this much text: rendering it in the task that loads the page made that task
 * long (the renderer's first markdown runs cold), in slices the end shows first.
 */
const RESTORED_LAZY_CHARS = 4_000;
const SLICE_CHARS = 1_500;
const SLICE_BUDGET_MS = 8;
/**
 * While an opened chat's last screen is not complete: nobody scrolls yet, and
 * the screen's grammars are compiled before a restored one renders, so its
 * slices are short and more of them fit a frame.
 */
const OPENING_SLICE_BUDGET_MS = 12;
const NEAR_MARGIN = '100% 0px';
const FAR_MARGIN = '300% 0px';

export class Transcript {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly welcome: HTMLElement;
  private readonly askWelcome: HTMLElement;
  private readonly agentWelcome: HTMLElement;
  private readonly views = new Map<string, MessageView>();
  private readonly announced = new Set<string>();
  /** Live steps for a message not shown yet (applied when it appears). */
  private readonly pendingSteps = new Map<string, StepView[]>();
  private chatId: string | undefined;
  private stick = true;
  /** The scroll position (px from the top) following the bottom last set, or the last scroll event saw. */
  private pinnedTop = 0;
  /** Finished answers render only near the viewport (see LAZY_CHARS); needs IntersectionObserver. */
  private lazy = false;
  private readonly near: IntersectionObserver | undefined;
  private readonly far: IntersectionObserver | undefined;
  private readonly byElement = new WeakMap<Element, MessageView>();
  /** Answers to render, the most urgent last. */
  private readonly queue: MessageView[] = [];
  /** Frames since a chat was opened, while its last screen is not complete (0: none opening). */
  private opening = 0;
  /**
   * A long chat's older messages whose content has not arrived: position in
   * the chat by id. Their views are placeholders until a `messages` page
   * replaces them; `requested` are asked for already.
   */
  private readonly stubs = new Map<string, number>();
  private readonly requested = new Set<string>();
  /** Placeholders near the viewport, asked for in the coming frame. */
  private readonly wanted = new Set<string>();
  /** What is shown came from the saved state: the extension's first state for this chat reconciles it. */
  private restored = false;
  /** The views the saved state restored, while the chat they opened is not marked shown. */
  private restoredViews: Set<MessageView> | undefined;
  /** The latest scroll events: whether the person is flinging through the chat (answers coming near then wait until it slows down). */
  private readonly speed = new ScrollSpeed();
  /** The frames that set up the markdown libraries and compile grammars, before the slices that need them. */
  private readonly preparation: RenderPreparation;
  /** The transcript's height (px) as last laid out (from the ResizeObserver; the window's until it reports). */
  private screenPx = 0;

  constructor(
    private readonly dom: Dom,
    private readonly renderer: MarkdownRenderer,
    private readonly scheduler: FrameScheduler,
    private readonly post: (message: FromWebview) => void,
  ) {
    this.preparation = new RenderPreparation(renderer, () => dom.win.performance.now());
    this.list = dom.el('div', { class: 'messages' });
    this.askWelcome = renderWelcome(dom);
    this.agentWelcome = renderAgentWelcome(dom);
    this.agentWelcome.hidden = true;
    this.welcome = dom.el('div', { class: 'welcome-wrap', testid: 'welcome' }, [this.askWelcome, this.agentWelcome]);
    this.welcome.hidden = true;
    this.element = dom.el('main', {
      class: 'transcript',
      testid: 'transcript',
      attrs: { role: 'log', 'aria-live': 'polite', 'aria-label': 'Chat messages', tabindex: '0' },
      on: {
        scroll: () => {
          // At or below where following put it: answers grew past their placeholders after it
          // scrolled, or scroll anchoring moved it down; only scrolling up is the person leaving the end.
          const top = this.element.scrollTop;
          if (!this.stick || top < this.pinnedTop) {
            this.stick = this.distanceFromBottom() <= STICK_THRESHOLD_PX;
          }
          this.pinnedTop = top;
          this.noteScroll(top);
        },
        click: (event) => {
          handleCodeAction(event.target, this.post);
        },
      },
    }, [this.welcome, this.list]);
    const ResizeObserverCtor = dom.win.ResizeObserver as typeof ResizeObserver | undefined;
    if (ResizeObserverCtor) {
      // A narrower sidebar re-wraps text: stay pinned to the bottom if we were.
      new ResizeObserverCtor((entries) => {
        this.screenPx = entries[entries.length - 1]?.contentRect.height ?? this.screenPx;
        this.followBottom();
      }).observe(this.element);
    }
    const IntersectionObserverCtor = dom.win.IntersectionObserver as typeof IntersectionObserver | undefined;
    if (IntersectionObserverCtor) {
      this.near = new IntersectionObserverCtor((entries) => this.onNear(entries), { root: this.element, rootMargin: NEAR_MARGIN });
      this.far = new IntersectionObserverCtor((entries) => this.onFar(entries), { root: this.element, rootMargin: FAR_MARGIN });
    }
  }

  get displayedChatId(): string | undefined {
    return this.chatId;
  }

  /** The empty chat explains the chosen mode. */
  showMode(mode: ChatMode): void {
    this.askWelcome.hidden = mode === 'agent';
    this.agentWelcome.hidden = mode !== 'agent';
  }

  /** Whether the message is the last one shown (the answer in progress, or the latest). */
  isLatest(messageId: string): boolean {
    const view = this.views.get(messageId);
    return view !== undefined && this.list.lastElementChild === view.element;
  }

  view(messageId: string): MessageView | undefined {
    return this.views.get(messageId);
  }

  /**
   * Shows the last screen kept in the saved state, before the extension's
   * state (only if nothing is shown yet). Its messages render through the
   * same views (sanitising markdown, plain-text questions) as any other.
   */
  restore(saved: SavedTranscript): void {
    if (this.chatId !== undefined || saved.messages.length === 0) {
      return;
    }
    const chars = saved.messages.reduce((sum, message) => sum + message.text.length, 0);
    this.render({ chatId: saved.chatId, messages: saved.messages.map(({ id, role, text }) => ({ id, role, text })) }, chars > RESTORED_LAZY_CHARS);
    this.restoredViews = new Set();
    for (const message of saved.messages) {
      const view = this.views.get(message.id);
      if (!view) continue;
      this.restoredViews.add(view);
      if (message.omitted) view.showsEndOnly(message.omitted);
    }
    this.restored = true;
    mark(this.dom.win, 'tandem:chat-restored');
    // Its placeholders cost little: the libraries its slices need are set up in this frame, not one of their own.
    this.preparation.frame(undefined, this.dom.win.performance.now());
  }

  /** What to keep in the saved state: the newest messages shown, up to the first not loaded. */
  saved(): SavedTranscript | undefined {
    if (this.chatId === undefined) {
      return undefined;
    }
    const list = this.list;
    const views = this.views;
    function* newestFirst(): Generator<ShownMessage> {
      for (let element = list.lastElementChild; element; element = element.previousElementSibling) {
        const view = views.get((element as HTMLElement).dataset.messageId ?? '');
        if (!view || view.element !== element || element.classList.contains('message-stub')) {
          return;
        }
        yield { id: view.id, role: view.role, text: view.content, omitted: view.omittedChars };
      }
    }
    return shapeSaved(this.chatId, newestFirst());
  }

  render(state: Pick<ChatViewState, 'chatId' | 'messages' | 'older'>, lazy?: boolean): void {
    const chatChanged = state.chatId !== this.chatId;
    // The extension's first state after a restored screen: new views above it render near the viewport, like a chat opening.
    const reconciling = this.restored && lazy === undefined;
    if (reconciling) {
      this.restored = false;
    }
    if (chatChanged) {
      this.chatId = state.chatId;
      this.restoredViews = undefined;
      this.views.clear();
      this.pendingSteps.clear();
      this.stubs.clear();
      this.requested.clear();
      this.wanted.clear();
      this.list.replaceChildren();
      this.near?.disconnect();
      this.far?.disconnect();
      this.queue.length = 0;
      if (this.opening === 0) {
        this.scheduler.defer(this.openedTask);
      }
      this.opening = 1;
      mark(this.dom.win, 'tandem:chat-opened');
    }
    const older = state.older ?? [];
    this.lazy = this.near !== undefined && (lazy ?? (older.length > 0 || state.messages.reduce((sum, message) => sum + message.text.length, 0) > LAZY_CHARS));
    const opening = chatChanged || reconciling;
    const seen = new Set<string>();
    let added = false;
    let cursor = this.list.firstChild;
    this.stubs.clear();
    older.forEach((stub, index) => {
      seen.add(stub.id);
      // Already here (loaded, or a placeholder): kept as it is; the state does not carry its content.
      let view = this.views.get(stub.id);
      // A restored answer with its start missing cannot stand for a loaded one.
      if (!view || view.role !== stub.role || view.omittedChars > 0) {
        view?.element.remove();
        view = this.createStub(stub);
      }
      if (view.element.classList.contains('message-stub')) {
        this.stubs.set(stub.id, index);
      }
      if (view.element === cursor) {
        cursor = cursor.nextSibling;
      } else {
        this.list.insertBefore(view.element, cursor);
      }
    });
    for (const id of this.requested) {
      if (!this.stubs.has(id)) this.requested.delete(id);
    }
    if (!this.near) {
      // No observer to say what is near: ask for all of them.
      this.stubs.forEach((_index, id) => this.wanted.add(id));
      this.scheduler.defer(this.requestTask);
    }
    for (const message of state.messages) {
      seen.add(message.id);
      let view = this.views.get(message.id);
      if (view && view.role === message.role) {
        view.update(message);
        if (reconciling && view.isDeferred && !view.element.classList.contains('message-stub')) {
          // A restored answer's start, or text that replaced what was shown: renders in slices.
          this.enqueue(view);
        }
      } else {
        view?.element.remove();
        // A chat opened from history: its answers render as they near the viewport, the last ones first.
        view = this.createView(message, this.lazy && opening);
        added = !reconciling;
      }
      // Move only what is out of place: nodes already in order are left alone.
      if (view.element === cursor) {
        cursor = cursor.nextSibling;
      } else {
        this.list.insertBefore(view.element, cursor);
      }
    }
    for (const [id, view] of this.views) {
      if (!seen.has(id)) {
        view.element.remove();
        this.near?.unobserve(view.element);
        this.far?.unobserve(view.element);
        this.views.delete(id);
      }
    }
    this.welcome.hidden = state.messages.length + older.length > 0;
    if (reconciling) {
      mark(this.dom.win, 'tandem:chat-reconciled');
    }
    if (chatChanged || added) {
      // A chat was opened or the person just asked something: show the latest.
      this.stick = true;
    }
    this.followBottom();
  }

  delta(chatId: string, messageId: string, text: string): void {
    if (chatId !== this.chatId) {
      return;
    }
    this.views.get(messageId)?.appendDelta(text);
  }

  messageUpdate(chatId: string, message: UiMessage): void {
    if (chatId !== this.chatId) {
      return;
    }
    if (this.stubs.has(message.id)) {
      // An older message changed (a step restored): it arrives whole, like a page.
      this.messagesPage(chatId, [message]);
      return;
    }
    const view = this.views.get(message.id);
    if (view) {
      view.update(message);
      this.followBottom();
      return;
    }
    this.list.append(this.createView(message).element);
    this.welcome.hidden = true;
    this.followBottom();
  }

  /** A page of older messages (`loadMessages`'s answer): each replaces its placeholder; anything else is ignored. */
  messagesPage(chatId: string, messages: readonly UiMessage[]): void {
    if (chatId !== this.chatId) {
      return;
    }
    for (const message of messages) {
      const stub = this.views.get(message.id);
      if (!stub || !this.stubs.has(message.id) || stub.role !== message.role) {
        continue;
      }
      this.stubs.delete(message.id);
      this.requested.delete(message.id);
      this.near?.unobserve(stub.element);
      const view = this.createView(message, this.lazy);
      stub.element.replaceWith(view.element);
    }
  }

  /** A live agent step: only that message's card for the step changes. */
  agentStep(chatId: string, messageId: string, step: StepView): void {
    if (chatId !== this.chatId) {
      return;
    }
    if (this.stubs.has(messageId)) {
      // An older message not loaded yet: its page carries its steps as they are now.
      return;
    }
    const view = this.views.get(messageId);
    if (!view) {
      const pending = this.pendingSteps.get(messageId) ?? [];
      this.pendingSteps.set(messageId, [...pending.filter((item) => item.id !== step.id), step]);
      return;
    }
    view.updateStep(step);
    this.followBottom();
  }

  private createView(message: UiMessage, deferred = false): MessageView {
    const view = new MessageView(
      { dom: this.dom, renderer: this.renderer, scheduler: this.scheduler, post: this.post, onRendered: (v) => this.onRendered(v) },
      message,
      deferred,
    );
    this.views.set(message.id, view);
    if (view.role === 'assistant') {
      this.byElement.set(view.element, view);
      this.near?.observe(view.element);
      this.far?.observe(view.element);
    }
    const pending = this.pendingSteps.get(message.id);
    if (pending) {
      this.pendingSteps.delete(message.id);
      pending.forEach((step) => view.updateStep(step));
    }
    return view;
  }

  /** An older message not loaded yet: a placeholder, watched to be asked for as it nears the viewport. */
  private createStub(stub: MessageStub): MessageView {
    const view = new MessageView(
      { dom: this.dom, renderer: this.renderer, scheduler: this.scheduler, post: this.post, onRendered: () => undefined },
      { id: stub.id, role: stub.role, text: '' },
      true,
    );
    view.holdRows(Number.isSafeInteger(stub.rows) ? Math.min(Math.max(stub.rows, 1), 100_000) : 1);
    this.views.set(stub.id, view);
    this.byElement.set(view.element, view);
    this.near?.observe(view.element);
    return view;
  }

  /** Asks for the placeholders that came near the viewport: each with the page above it, in as few requests as they need. */
  private readonly requestTask = (): void => {
    if (this.near && this.flinging(this.dom.win.performance.now())) {
      // Asked for where the fling stops: pages of a chat flown past are hundreds of KB through the workbench each.
      this.scheduler.defer(this.requestTask);
      return;
    }
    const positions = [...this.wanted]
      .map((id) => this.stubs.get(id))
      .filter((index): index is number => index !== undefined)
      .sort((a, b) => b - a);
    this.wanted.clear();
    const byIndex = new Map<number, string>();
    this.stubs.forEach((index, id) => byIndex.set(index, id));
    for (const last of positions) {
      const id = byIndex.get(last);
      if (id === undefined || this.requested.has(id) || this.chatId === undefined) {
        continue;
      }
      // Upwards from this one: the person scrolls up from the end.
      let start = last;
      while (start > 0 && last - start + 1 < MAX_PAGE_MESSAGES) {
        const above = byIndex.get(start - 1);
        if (above === undefined || this.requested.has(above)) break;
        start--;
      }
      for (let index = start; index <= last; index++) {
        const stubId = byIndex.get(index);
        if (stubId !== undefined) this.requested.add(stubId);
      }
      this.post({ type: 'loadMessages', chatId: this.chatId, start, end: last + 1 });
    }
  };

  private enqueue(view: MessageView): void {
    if (!this.queue.includes(view)) {
      // Before what the observers queued: those are nearer the viewport.
      this.queue.unshift(view);
    }
    this.scheduler.defer(this.sliceTask);
  }

  /** Answers coming within a screen of the viewport: render the deferred ones, in slices. */
  private onNear(entries: IntersectionObserverEntry[]): void {
    let wanted = false;
    for (const entry of entries) {
      const view = this.byElement.get(entry.target);
      if (view && this.stubs.has(view.id)) {
        if (entry.isIntersecting && !this.requested.has(view.id)) {
          this.wanted.add(view.id);
          wanted = true;
        } else if (!entry.isIntersecting) {
          // Passed before it was asked for (a fling): its page would travel for nothing.
          this.wanted.delete(view.id);
        }
        continue;
      }
      if (entry.isIntersecting && view?.isDeferred && !this.queue.includes(view)) {
        // Entries come top to bottom; the queue runs from its end: the lowest first.
        this.queue.push(view);
      } else if (!entry.isIntersecting && view) {
        // Scrolled away before its turn (a fling passes dozens): rendering it now would be for nobody.
        const index = this.queue.indexOf(view);
        if (index >= 0) this.queue.splice(index, 1);
      }
    }
    if (this.queue.length > 0) {
      this.scheduler.defer(this.sliceTask);
    }
    if (wanted) {
      this.scheduler.defer(this.requestTask);
    }
  }

  /** Answers more than three screens away: in a long chat, drop their rendering (their height stays). */
  private onFar(entries: IntersectionObserverEntry[]): void {
    if (!this.lazy) {
      return;
    }
    const away = entries
      .filter((entry) => !entry.isIntersecting)
      .map((entry) => this.byElement.get(entry.target))
      .filter((view): view is MessageView => view !== undefined && !view.isDeferred && view.element.dataset.state !== 'streaming' && !this.stubs.has(view.id));
    // All reads (one layout, already clean when observers run), then all writes.
    const heights = away.map((view) => view.renderedHeight);
    away.forEach((view, index) => view.release(heights[index] ?? 0));
  }

  /**
   * Marks the moment the opened chat's last screen is complete (nothing near
   * the viewport left to render), for the benchmark: `tandem:chat-shown`
   * (`tandem:chat-opened` marks the state that opened it arriving).
   */
  private readonly openedTask = (): void => {
    // The first frame runs before the first layout, which the observers report after. A screen restored from the
    // saved state is complete once its own answers near the viewport are rendered: what the extension's state adds
    // above it renders as it comes near, like the rest of the chat.
    const restored = this.restoredViews;
    if (this.opening++ < 2 || (restored ? this.queue.some((view) => restored.has(view)) : this.queue.length > 0)) {
      this.scheduler.defer(this.openedTask);
      return;
    }
    this.opening = 0;
    this.restoredViews = undefined;
    this.followBottom();
    mark(this.dom.win, 'tandem:chat-shown');
  };

  private noteScroll(top: number): void {
    this.speed.note(this.dom.win.performance.now(), top);
  }

  /** Whether the person is flinging through the chat (see scrollSpeed.ts); following the bottom never is. */
  private flinging(at: number): boolean {
    return !this.stick && this.speed.flinging(at, this.screenPx > 0 ? this.screenPx : this.dom.win.innerHeight);
  }

  private readonly sliceTask = (): void => {
    const now = (): number => this.dom.win.performance.now();
    const started = now();
    if (this.flinging(started)) {
      // Checked again each frame: rendering resumes within FLING_WINDOW_MS (scrollSpeed.ts) of it slowing down.
      this.scheduler.defer(this.sliceTask);
      return;
    }
    // The answer whose slices come first: prepared for by now (its text is scanned once a frame, not twice).
    let current = this.queue[this.queue.length - 1];
    if (this.preparation.frame(current?.content, started)) {
      this.scheduler.defer(this.sliceTask);
      return;
    }
    const budget = this.opening > 0 ? OPENING_SLICE_BUDGET_MS : SLICE_BUDGET_MS;
    while (this.queue.length > 0 && now() - started < budget) {
      const view = this.queue[this.queue.length - 1] as MessageView;
      if (view !== current && view.element.isConnected && this.preparation.needsFrame(view.content)) {
        // Its grammars compile in the next frame, not in this one.
        break;
      }
      current = view;
      if (!view.element.isConnected || view.renderSlice(SLICE_CHARS)) {
        this.queue.pop();
      }
    }
    if (this.queue.length > 0) {
      this.scheduler.defer(this.sliceTask);
    }
    // What rendered is taller or shorter than its placeholder: stay at the end if we were there.
    this.followBottom();
  };

  private onRendered(view: MessageView): void {
    if (view.streamed && view.length > 0 && !this.announced.has(view.id) && view.element.isConnected) {
      // Once per answer: lets a benchmark measure the time to the first visible text.
      this.announced.add(view.id);
      this.post({ type: 'rendered', messageId: view.id, chars: view.length });
    }
    this.followBottom();
  }

  private distanceFromBottom(): number {
    const { scrollHeight, scrollTop, clientHeight } = this.element;
    return scrollHeight - scrollTop - clientHeight;
  }

  /**
   * Scrolls to the end in the coming frame, after that frame's rendering:
   * reading scrollHeight forces a layout, which should happen once per frame,
   * not once per message or block.
   */
  private followBottom(): void {
    if (this.stick) {
      this.scheduler.schedule(this.scrollTask);
    }
  }

  private readonly scrollTask = (): void => {
    if (this.stick) {
      this.element.scrollTop = this.element.scrollHeight;
      this.pinnedTop = this.element.scrollTop;
    }
  };
}

/** A performance mark, where the page supports them (jsdom may not). */
export function mark(win: Window, name: string): void {
  const performance = win.performance as Partial<Performance> | undefined;
  performance?.mark?.(name);
}

function renderWelcome(dom: Dom): HTMLElement {
  const hint = (keys: string, text: string): HTMLElement => dom.el('li', {}, [dom.el('span', { class: 'hint-keys', text: keys }), ` ${text}`]);
  return dom.el('section', { class: 'welcome', testid: 'ask-welcome' }, [
    dom.el('h2', { text: 'Ask Tandem' }),
    dom.el('p', {
      class: 'muted',
      text: 'Tandem answers questions about your code, explains it, and writes code you can copy or insert into the editor. It works with any OpenAI-compatible model, hosted or local.',
    }),
    dom.el('ul', { class: 'hints' }, [
      hint('Ask about the selected code:', 'select lines in the editor and press Ctrl+Alt+L (⌘⌥L on macOS).'),
      hint('Context:', 'the active file is attached automatically; remove a chip with × to leave it out.'),
      hint('Keys:', 'Enter sends, Shift+Enter starts a new line.'),
    ]),
  ]);
}

function renderAgentWelcome(dom: Dom): HTMLElement {
  const hint = (keys: string, text: string): HTMLElement => dom.el('li', {}, [dom.el('span', { class: 'hint-keys', text: keys }), ` ${text}`]);
  return dom.el('section', { class: 'welcome', testid: 'agent-welcome' }, [
    dom.el('h2', { text: 'Agent mode' }),
    dom.el('p', {
      class: 'muted',
      text: 'Describe a task. Tandem plans it and works through it step by step: it reads and searches your files, proposes edits and runs commands, and shows each step below your message.',
    }),
    dom.el('ul', { class: 'hints' }, [
      hint('Approval:', 'it asks before edits and commands as the approval policy in the header says (setting tandem.agent.approvalPolicy).'),
      hint('Undo:', '“Restore to here” on a step puts your files back as they were before it.'),
      hint('Stop:', 'the Stop button ends the task at any point.'),
    ]),
  ]);
}
