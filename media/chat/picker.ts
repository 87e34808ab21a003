/**
 * The `@` and `/` picker of the chat input: a listbox under the textarea,
 * which stays the focused combobox (ARIA 1.2 pattern: `aria-activedescendant`
 * names the active option). Arrow keys move, Enter or Tab picks, Escape
 * closes (until the next `@`). Kinds are filtered here; files, folders and
 * symbols are asked of the extension (`mentionQuery` → `mentionOptions`),
 * the newest answer winning.
 */
import { findTrigger, type Trigger } from '../../src/shared/mentions';
import type { FromWebview, MentionOption } from '../../src/shared/webviewProtocol';
import { MAX_MENTION_OPTIONS } from '../../src/shared/webviewProtocol';
import type { MentionKind } from '../../src/shared/vocabulary';
import type { Dom } from './dom';
import { kindChoices, optionChoices, slashChoices, type PickerChoice } from './pickerChoices';

const LISTBOX_ID = 'tandem-mention-picker';

export class MentionPicker {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;
  private choices: PickerChoice[] = [];
  private active = 0;
  private trigger: Trigger | undefined;
  /** Escape closed the picker for the `@` at this offset: typing on does not reopen it. */
  private dismissedAt: number | undefined;
  private requestId = 0;
  /** The query the extension is answering, to drop late answers to older ones. */
  private waiting: { requestId: number; kind: MentionKind; key: string } | undefined;
  private lastQueryKey: string | undefined;
  private unavailable: MentionKind[] = [];
  /** The kind whose options are listed (undefined while kinds or commands are). */
  private listedKind: MentionKind | undefined;

  constructor(
    private readonly dom: Dom,
    private readonly input: HTMLTextAreaElement,
    private readonly post: (message: FromWebview) => void,
    /** After the input's text changed here (a pick took the typed token out). */
    private readonly onTextChanged: () => void,
  ) {
    this.status = dom.el('div', { class: 'picker-status', testid: 'picker-status', attrs: { 'aria-live': 'polite' } });
    this.list = dom.el('ul', { class: 'picker-list', attrs: { id: LISTBOX_ID, role: 'listbox', 'aria-label': 'Mentions' } });
    this.element = dom.el('div', { class: 'picker', testid: 'picker' }, [this.list, this.status]);
    this.element.hidden = true;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', LISTBOX_ID);
    input.setAttribute('aria-expanded', 'false');
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  setUnavailable(kinds: readonly MentionKind[]): void {
    this.unavailable = [...kinds];
  }

  /** Follows the text at the caret: opens, filters or closes. */
  update(): void {
    const caret = this.input.selectionStart ?? this.input.value.length;
    const trigger = findTrigger(this.input.value, caret);
    if (!trigger || trigger.start !== this.dismissedAt) this.dismissedAt = undefined;
    if (!trigger || this.dismissedAt !== undefined) {
      this.close();
      return;
    }
    this.trigger = trigger;
    if (trigger.type !== 'argument') {
      this.lastQueryKey = undefined;
      this.waiting = undefined;
    }
    switch (trigger.type) {
      case 'kind':
        this.show(kindChoices(trigger.query, this.unavailable), trigger.query ? 'No such mention' : '');
        return;
      case 'slash':
        this.show(slashChoices(trigger.query), 'No such command');
        return;
      case 'argument': {
        const key = `${trigger.kind}\u0000${trigger.query}`;
        if (key === this.lastQueryKey) return;
        this.lastQueryKey = key;
        const requestId = ++this.requestId;
        this.waiting = { requestId, kind: trigger.kind, key };
        // Options of this kind stay listed while the next answer comes; anything else gives way at once.
        if (!this.open || this.listedKind !== trigger.kind) this.show([], 'Searching…', trigger.kind);
        this.post({ type: 'mentionQuery', requestId, kind: trigger.kind, query: trigger.query });
        return;
      }
    }
  }

  /** The extension's answer to a `mentionQuery`; older answers are ignored. */
  receiveOptions(requestId: number, options: readonly MentionOption[], note: string | undefined): void {
    if (!this.waiting || requestId !== this.waiting.requestId || this.trigger?.type !== 'argument') return;
    const valid = options.filter((option) => typeof option?.value === 'string' && typeof option.label === 'string').slice(0, MAX_MENTION_OPTIONS);
    this.show(optionChoices(this.waiting.kind, valid), typeof note === 'string' ? note : 'Nothing found', this.waiting.kind);
  }

  /** Keys while the picker is open; returns whether the key was the picker's. */
  onKeyDown(event: KeyboardEvent): boolean {
    if (!this.open || event.isComposing) return false;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (this.choices.length === 0) return true;
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.setActive((this.active + step + this.choices.length) % this.choices.length);
        return true;
      }
      case 'Enter':
      case 'Tab': {
        if (event.shiftKey) return false;
        const choice = this.choices[this.active];
        if (!choice) {
          // Nothing to pick: Enter sends as typed, Tab stays in the input.
          if (event.key === 'Enter') this.close();
          return event.key === 'Tab';
        }
        this.pick(choice);
        return true;
      }
      case 'Escape':
        this.dismissedAt = this.trigger?.start;
        this.close();
        return true;
      default:
        return false;
    }
  }

  close(): void {
    this.element.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.choices = [];
    this.trigger = undefined;
    this.waiting = undefined;
    this.lastQueryKey = undefined;
    this.listedKind = undefined;
  }

  private show(choices: PickerChoice[], emptyNote: string, kind?: MentionKind): void {
    this.choices = choices;
    this.listedKind = kind;
    this.active = Math.max(0, choices.findIndex((choice) => !choice.disabled));
    this.dom.replaceChildren(
      this.list,
      choices.map((choice, index) =>
        this.dom.el(
          'li',
          {
            class: `picker-option${choice.disabled ? ' disabled' : ''}`,
            testid: 'picker-option',
            attrs: { id: `${LISTBOX_ID}-${index}`, role: 'option', 'aria-selected': 'false', ...(choice.disabled ? { 'aria-disabled': 'true' } : {}) },
            on: {
              // Keep the focus in the input (the combobox) when an option is clicked.
              mousedown: (event) => event.preventDefault(),
              click: () => this.pick(choice),
            },
          },
          [this.dom.el('span', { class: 'picker-label', text: choice.label }), choice.detail ? this.dom.el('span', { class: 'picker-detail', text: choice.detail }) : undefined],
        ),
      ),
    );
    this.status.textContent = choices.length === 0 ? emptyNote : '';
    this.status.hidden = choices.length > 0 || !emptyNote;
    this.element.hidden = choices.length === 0 && !emptyNote;
    this.input.setAttribute('aria-expanded', String(this.open));
    this.setActive(this.active);
  }

  private setActive(index: number): void {
    this.active = index;
    const options = Array.from(this.list.children);
    options.forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    const activeOption = options[index];
    if (activeOption && this.choices.length > 0) {
      this.input.setAttribute('aria-activedescendant', activeOption.id);
      (activeOption as Partial<HTMLElement>).scrollIntoView?.({ block: 'nearest' });
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }

  private pick(choice: PickerChoice): void {
    const trigger = this.trigger;
    if (choice.disabled || !trigger) return;
    const caret = this.input.selectionStart ?? this.input.value.length;
    const action = choice.action;
    switch (action.type) {
      case 'chooseKind':
        this.replaceToken(trigger.start, caret, `@${action.kind}:`);
        this.update();
        return;
      case 'attach':
        // The chip stands for the mention: the typed token leaves the question.
        this.replaceToken(trigger.start, caret, '');
        this.close();
        this.post({ type: 'addMention', kind: action.kind, value: action.value });
        return;
      case 'slash':
        this.replaceToken(trigger.start, caret, '');
        this.close();
        this.post({ type: 'slashCommand', command: action.command });
        return;
    }
  }

  private replaceToken(start: number, end: number, text: string): void {
    const value = this.input.value;
    // A space the token was followed by would be doubled once the token is gone.
    const after = text === '' && value[end] === ' ' && (start === 0 || value[start - 1] === ' ') ? end + 1 : end;
    this.input.value = value.slice(0, start) + text + value.slice(after);
    const caret = start + text.length;
    this.input.setSelectionRange(caret, caret);
    this.onTextChanged();
  }
}
