/**
 * The input area: context chips, a textarea that grows with its content (up
 * to ~10 lines), and one button that is Send, or Stop while an answer is
 * running, with the Ask / Agent mode switch on its left. Enter sends,
 * Shift+Enter inserts a newline, and nothing is sent
 * while an IME composition is in progress. The draft survives the view
 * being hidden (webview state).
 */
import type { ChatMode, ChipView, FromWebview } from '../../src/shared/webviewProtocol';
import { renderChips } from './chips';
import type { Dom } from './dom';
import { icon } from './icons';
import { ModeSwitch } from './modeSwitch';
import { readPersistedState, type VsCodeApiLike } from './vscodeApi';

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
  readonly modeSwitch: ModeSwitch;
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
      },
    });
    this.modeSwitch = new ModeSwitch(dom, (message) => this.post(message), (mode) => this.showMode(mode));
    this.action = dom.button('Send', { class: 'send-button', testid: 'send', onClick: () => this.onAction() }, [icon(dom, 'send')]);
    this.element = dom.el('footer', { class: 'composer' }, [
      dom.el('div', { class: 'input-box' }, [
        this.chips,
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

  private onInput(): void {
    this.api.setState({ draft: this.input.value });
    this.autosize();
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
