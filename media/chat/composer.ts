/**
 * The input area: context chips, a textarea that grows with its content (up
 * to ~10 lines), and one button that is Send, or Stop while an answer is
 * running, with the Ask / Agent mode switch on its left. Enter sends,
 * Shift+Enter inserts a newline, and nothing is sent
 * while an IME composition is in progress. The draft survives the view
 * being hidden (webview state). `@` and `/` open the picker (picker.ts);
 * the budget line under the chips shows the prompt's estimated size.
 */
import { estimateTokens, formatTokens } from '../../src/shared/mentions';
import type { ChatMode, ChipView, FromWebview, MentionOption, PromptBudget } from '../../src/shared/webviewProtocol';
import type { MentionKind } from '../../src/shared/vocabulary';
import { renderChips } from './chips';
import type { Dom } from './dom';
import { icon } from './icons';
import { ModeSwitch } from './modeSwitch';
import { MentionPicker } from './picker';
import { persistState, readPersistedState, type VsCodeApiLike } from './vscodeApi';

const MAX_ROWS = 10;

const PLACEHOLDERS: Record<ChatMode, { placeholder: string; label: string }> = {
  ask: { placeholder: 'Ask Tandem about your code', label: 'Ask Tandem' },
  agent: { placeholder: 'Describe a task for Tandem', label: 'Task for Tandem' },
};

export class Composer {
  readonly element: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly chips: HTMLElement;
  private readonly action: HTMLButtonElement;
  private readonly budgetLine: HTMLElement;
  private readonly picker: MentionPicker;
  readonly modeSwitch: ModeSwitch;
  private chipList: readonly ChipView[] = [];
  private budget: PromptBudget | undefined;
  /** Estimated tokens of the conversation so far (sent again with the question). */
  private historyTokens = 0;
  private busy = false;
  /** Whether CSS `field-sizing: content` grows the textarea (otherwise `rows` is adjusted here). */
  private readonly cssSizing: boolean;

  constructor(
    private readonly dom: Dom,
    private readonly api: VsCodeApiLike,
    /** After the mode shown changed (the person switched, or a state said so). */
    private readonly onModeShown: (mode: ChatMode) => void = () => undefined,
  ) {
    this.chips = dom.el('div', { class: 'chips', attrs: { role: 'group', 'aria-label': 'Context attached to the next question' } });
    this.chips.hidden = true;
    this.input = dom.el('textarea', {
      class: 'input',
      testid: 'input',
      label: 'Ask Tandem',
      attrs: { rows: '1', placeholder: 'Ask Tandem about your code', spellcheck: 'true' },
      on: {
        keydown: (event) => this.onKeyDown(event),
        input: () => this.onInput(),
        // The caret moved without typing: the picker follows the token under it.
        click: () => this.picker.update(),
        blur: () => this.picker.close(),
      },
    });
    this.picker = new MentionPicker(dom, this.input, (message) => this.post(message), () => this.onInput(false));
    this.budgetLine = dom.el('div', { class: 'budget', testid: 'budget', attrs: { 'aria-live': 'polite' } });
    this.budgetLine.hidden = true;
    this.modeSwitch = new ModeSwitch(dom, (message) => this.post(message), (mode) => this.showMode(mode));
    this.action = dom.button('Send', { class: 'send-button', testid: 'send', onClick: () => this.onAction() }, [icon(dom, 'send')]);
    this.element = dom.el('footer', { class: 'composer' }, [
      this.picker.element,
      dom.el('div', { class: 'input-box' }, [
        this.chips,
        this.budgetLine,
        this.input,
        dom.el('div', { class: 'input-toolbar' }, [this.modeSwitch.element, dom.el('span', { class: 'input-spacer' }), this.action]),
      ]),
    ]);
    this.cssSizing = dom.win.CSS?.supports?.('field-sizing', 'content') ?? false;
    this.input.value = readPersistedState(api).draft;
    this.autosize();
  }

  setMode(mode: ChatMode): void {
    this.modeSwitch.show(mode);
  }

  private showMode(mode: ChatMode): void {
    this.onModeShown(mode);
    this.input.placeholder = PLACEHOLDERS[mode].placeholder;
    this.input.setAttribute('aria-label', PLACEHOLDERS[mode].label);
  }

  setBusy(busy: boolean): void {
    this.modeSwitch.setDisabled(busy);
    if (busy === this.busy) {
      return;
    }
    this.busy = busy;
    const label = busy ? 'Stop' : 'Send';
    // One button that changes role, so keyboard focus stays put across Send → Stop → Send.
    this.action.dataset.testid = busy ? 'stop' : 'send';
    this.action.title = busy ? 'Stop the answer' : 'Send (Enter)';
    this.action.setAttribute('aria-label', label);
    this.action.classList.toggle('stop', busy);
    this.action.replaceChildren(icon(this.dom, busy ? 'stop' : 'send'));
  }

  setChips(chips: readonly ChipView[], onRemove: (chip: ChipView) => void): void {
    this.dom.replaceChildren(this.chips, renderChips(this.dom, chips, onRemove));
    this.chips.hidden = chips.length === 0;
    this.chipList = chips;
    this.renderBudget();
  }

  /** The budget and what the conversation so far costs of it. */
  setBudget(budget: PromptBudget | undefined, historyTokens: number, unavailable: readonly MentionKind[]): void {
    this.budget = budget;
    this.historyTokens = historyTokens;
    this.picker.setUnavailable(unavailable);
    this.renderBudget();
  }

  mentionOptions(requestId: number, options: readonly MentionOption[], note: string | undefined): void {
    this.picker.receiveOptions(requestId, options, note);
  }

  /**
   * "≈ 1.2k / 24k tokens": the chips, the question and the history, each
   * estimated at characters / 4; over the budget it warns (the service then
   * drops the oldest turns, then cuts context, and says so).
   */
  private renderBudget(): void {
    const budget = this.budget;
    const context = this.chipList.reduce((sum, chip) => sum + (chip.excluded ? 0 : (chip.tokens ?? 0)), 0);
    if (!budget || (context === 0 && this.historyTokens === 0)) {
      this.budgetLine.hidden = true;
      return;
    }
    const question = estimateTokens(this.input.value);
    const total = context + question + this.historyTokens;
    const over = total > budget.tokens;
    this.budgetLine.hidden = false;
    this.budgetLine.classList.toggle('over', over);
    this.budgetLine.textContent = `≈ ${formatTokens(total)} / ${formatTokens(budget.tokens)} tokens${over ? ' — over the budget: the oldest turns, then context, will be cut' : ''}`;
    this.budgetLine.title = [
      `Context ${formatTokens(context)} · conversation ${formatTokens(this.historyTokens)} · question ${formatTokens(question)}`,
      'Estimated as characters ÷ 4.',
      budget.source === 'model' ? "Budget: the model's context window." : "Budget: Tandem's chat budget (the endpoint does not report the model's context window).",
    ].join('\n');
  }

  focus(text?: string): void {
    if (text !== undefined) {
      this.input.value = text;
      this.onInput();
    }
    this.input.focus();
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.picker.onKeyDown(event)) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    // keyCode 229: some browsers report the composition-ending Enter this way, with isComposing false.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) {
      return;
    }
    event.preventDefault();
    if (!this.busy) {
      this.send();
    }
  }

  private onAction(): void {
    if (this.busy) {
      this.api.postMessage({ type: 'stop' });
    } else {
      this.send();
    }
    this.input.focus();
  }

  private send(): void {
    // Leading blank lines and trailing whitespace are noise; indentation of a first code line is not.
    const text = this.input.value.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
    if (!text.trim()) {
      return;
    }
    this.post({ type: 'send', text });
    this.input.value = '';
    this.onInput();
  }

  private post(message: FromWebview): void {
    this.api.postMessage(message);
  }

  private onInput(followPicker = true): void {
    persistState(this.api, { draft: this.input.value });
    this.autosize();
    if (followPicker) this.picker.update();
    this.renderBudget();
  }

  /** Fallback for engines without `field-sizing`: grow by whole rows, measured from scrollHeight. */
  private autosize(): void {
    if (this.cssSizing) {
      return;
    }
    const input = this.input;
    const lineHeight = parseFloat(this.dom.win.getComputedStyle(input).lineHeight);
    if (!lineHeight || !input.isConnected) {
      input.rows = Math.min(MAX_ROWS, Math.max(1, input.value.split('\n').length));
      return;
    }
    input.rows = 1;
    input.rows = Math.min(MAX_ROWS, Math.max(1, Math.round(input.scrollHeight / lineHeight)));
  }
}
