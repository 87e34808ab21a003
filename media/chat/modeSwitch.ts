/**
 * Ask / Agent: a two-option segmented control in the composer's toolbar,
 * built as a radio group (one tab stop; arrow keys move and select, as for
 * native radios). Selecting posts `setMode`; the state's `mode` is what it
 * finally shows. Disabled while an answer runs.
 */
import type { ChatMode, FromWebview } from '../../src/shared/webviewProtocol';
import type { Dom } from './dom';

const OPTIONS: ReadonlyArray<{ mode: ChatMode; text: string; label: string }> = [
  { mode: 'ask', text: 'Ask', label: 'Ask mode: Tandem answers, it does not change files' },
  { mode: 'agent', text: 'Agent', label: 'Agent mode: Tandem works on a task with tools, asking before it acts' },
];

export class ModeSwitch {
  readonly element: HTMLElement;
  private readonly buttons: HTMLButtonElement[];
  private mode: ChatMode = 'ask';
  private disabled = false;

  constructor(
    dom: Dom,
    private readonly post: (message: FromWebview) => void,
    /** After the shown mode changed (by the person or by a state). */
    private readonly onShow: (mode: ChatMode) => void = () => undefined,
  ) {
    this.buttons = OPTIONS.map((option) => {
      const button = dom.button(option.label, {
        class: 'mode-option',
        text: option.text,
        attrs: { role: 'radio', 'data-mode': option.mode, 'aria-checked': 'false', tabindex: '-1' },
        onClick: () => this.choose(option.mode),
      });
      return button;
    });
    this.element = dom.el('div', {
      class: 'mode-switch',
      testid: 'mode-switch',
      attrs: { role: 'radiogroup', 'aria-label': 'Chat mode' },
      on: { keydown: (event) => this.onKeyDown(event) },
    }, this.buttons);
    this.show('ask');
  }

  get value(): ChatMode {
    return this.mode;
  }

  /** Shows the mode from the state (does not post). */
  show(mode: ChatMode): void {
    this.mode = mode;
    this.element.dataset.mode = mode;
    for (const button of this.buttons) {
      const checked = button.dataset.mode === mode;
      button.setAttribute('aria-checked', String(checked));
      button.tabIndex = checked ? 0 : -1;
      button.classList.toggle('checked', checked);
    }
    this.onShow(mode);
  }

  setDisabled(disabled: boolean): void {
    this.disabled = disabled;
    this.element.setAttribute('aria-disabled', String(disabled));
    for (const button of this.buttons) {
      button.disabled = disabled;
    }
  }

  private choose(mode: ChatMode): void {
    if (this.disabled || mode === this.mode) {
      return;
    }
    // Shown at once; the next state confirms (or puts it back).
    this.show(mode);
    this.post({ type: 'setMode', mode });
  }

  private onKeyDown(event: KeyboardEvent): void {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0 || this.disabled) {
      return;
    }
    event.preventDefault();
    const index = OPTIONS.findIndex((option) => option.mode === this.mode);
    const next = OPTIONS[(index + step + OPTIONS.length) % OPTIONS.length];
    if (!next) {
      return;
    }
    this.choose(next.mode);
    this.buttons.find((button) => button.dataset.mode === next.mode)?.focus();
  }
}
