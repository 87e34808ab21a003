/**
 * Element creation without HTML strings. Every view gets a `Dom` bound to the
 * document of its root, so the code runs unchanged in the webview and under
 * jsdom in unit tests (no reliance on the global `document`).
 */

export interface ElementProps {
  class?: string;
  testid?: string;
  title?: string;
  /** Also used as aria-label, which icon-only buttons need. */
  label?: string;
  text?: string;
  attrs?: Record<string, string>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}

export type Child = Node | string | false | null | undefined;

export class Dom {
  constructor(readonly doc: Document) {}

  get win(): Window & typeof globalThis {
    const win = this.doc.defaultView;
    if (!win) {
      throw new Error('The chat view needs a document with a window.');
    }
    return win as Window & typeof globalThis;
  }

  el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
    const element = this.doc.createElement(tag);
    if (props.class) {
      element.className = props.class;
    }
    if (props.testid) {
      element.dataset.testid = props.testid;
    }
    if (props.title) {
      element.title = props.title;
    }
    if (props.label) {
      element.setAttribute('aria-label', props.label);
    }
    if (props.text !== undefined) {
      element.textContent = props.text;
    }
    for (const [name, value] of Object.entries(props.attrs ?? {})) {
      element.setAttribute(name, value);
    }
    for (const [type, listener] of Object.entries(props.on ?? {})) {
      element.addEventListener(type, listener as EventListener);
    }
    this.append(element, children);
    return element;
  }

  /** A `type="button"` button with the title and accessible name every control needs. */
  button(label: string, props: ElementProps & { onClick?: (event: MouseEvent) => void } = {}, children: Child[] = []): HTMLButtonElement {
    const { onClick, ...rest } = props;
    const button = this.el('button', { title: label, label, ...rest, on: { ...rest.on, ...(onClick ? { click: onClick } : {}) } }, children);
    button.type = 'button';
    return button;
  }

  append(parent: Node, children: Child[]): void {
    for (const child of children) {
      if (child === false || child === null || child === undefined) {
        continue;
      }
      parent.appendChild(typeof child === 'string' ? this.doc.createTextNode(child) : child);
    }
  }

  /** Replaces all children (used for small, rarely changing parts such as the chip row). */
  replaceChildren(parent: Element, children: Child[]): void {
    parent.replaceChildren();
    this.append(parent, children);
  }
}

/** Narrows an event target to an element without the global `Element` (absent under plain Node). */
export function asElement(target: EventTarget | null): Element | null {
  return target !== null && typeof (target as Partial<Element>).closest === 'function' ? (target as Element) : null;
}
