/**
 * Code blocks in rendered markdown: wraps each <pre> in a frame with a small
 * toolbar (language label, Copy, Insert, Apply). The buttons carry data-action and
 * are handled by one delegated listener (see `handleCodeAction`), so blocks
 * that are re-rendered while streaming need no listener bookkeeping.
 */
import { asElement, type Dom } from './dom';
import { icon } from './icons';
import { vscodeLanguageId } from './languages';
import type { FromWebview } from '../../src/shared/webviewProtocol';

const COPIED_FEEDBACK_MS = 1500;

export function decorateCodeBlocks(dom: Dom, root: DocumentFragment | Element): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    if (!code || pre.parentElement?.classList.contains('code-block')) {
      continue;
    }
    const lang = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1] ?? '';
    code.classList.add('hljs');
    const frame = dom.el('div', { class: 'code-block', testid: 'code-block', attrs: { 'data-lang': lang } });
    const toolbar = dom.el('div', { class: 'code-toolbar' }, [
      dom.el('span', { class: 'code-lang', text: lang || 'text' }),
      dom.el('span', { class: 'code-actions' }, [
        dom.button('Copy', { class: 'code-action', testid: 'copy-code', attrs: { 'data-action': 'copy-code' } }, [
          icon(dom, 'copy'),
          dom.el('span', { class: 'code-action-label', text: 'Copy' }),
        ]),
        dom.button('Insert at cursor', { class: 'code-action', testid: 'insert-code', attrs: { 'data-action': 'insert-code' } }, [
          icon(dom, 'insert'),
          dom.el('span', { class: 'code-action-label', text: 'Insert' }),
        ]),
        dom.button('Apply to the file as a reviewed change', { class: 'code-action', testid: 'apply-code', attrs: { 'data-action': 'apply-code' } }, [
          icon(dom, 'check'),
          dom.el('span', { class: 'code-action-label', text: 'Apply' }),
        ]),
      ]),
    ]);
    pre.replaceWith(frame);
    frame.append(toolbar, pre);
  }
}

/**
 * Handles a click inside rendered markdown if it hit a code button; returns
 * whether it did. The code is read from the DOM: highlighting only adds
 * spans, so textContent is exactly the code.
 */
export function handleCodeAction(target: EventTarget | null, post: (message: FromWebview) => void): boolean {
  const button = asElement(target)?.closest<HTMLElement>('[data-action="copy-code"], [data-action="insert-code"], [data-action="apply-code"]');
  const frame = button?.closest<HTMLElement>('.code-block');
  const code = frame?.querySelector('pre code')?.textContent;
  if (!button || !frame || code === undefined || code === null) {
    return false;
  }
  if (button.dataset.action === 'copy-code') {
    post({ type: 'copyCode', code });
    showCopied(button);
    return true;
  }
  const languageId = vscodeLanguageId(frame.dataset.lang ?? '');
  if (button.dataset.action === 'apply-code') {
    const messageId = frame.closest<HTMLElement>('[data-message-id]')?.dataset.messageId ?? '';
    post({ type: 'applyCode', code, messageId, ...(languageId ? { languageId } : {}) });
  } else {
    post({ type: 'insertCode', code, ...(languageId ? { languageId } : {}) });
  }
  return true;
}

function showCopied(button: HTMLElement): void {
  const label = button.querySelector('.code-action-label');
  if (!label) {
    return;
  }
  label.textContent = 'Copied';
  button.classList.add('copied');
  const win = button.ownerDocument.defaultView;
  win?.setTimeout(() => {
    label.textContent = 'Copy';
    button.classList.remove('copied');
  }, COPIED_FEEDBACK_MS);
}
