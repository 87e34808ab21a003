/**
 * Context chips: the files and selections attached to a question. Removable
 * in the composer; read-only (and smaller) above a sent question.
 */
import type { ChipView } from '../../src/shared/webviewProtocol';
import type { Dom } from './dom';
import { icon } from './icons';

export function renderChip(dom: Dom, chip: ChipView, onRemove?: (chip: ChipView) => void): HTMLElement {
  const title = chip.excluded
    ? `${chip.detail}: not sent to the model (${chip.excluded})`
    : chip.implicit
      ? `${chip.detail} (current file, attached automatically)`
      : chip.detail;
  return dom.el(
    'span',
    {
      class: `chip chip-${chip.kind}${chip.implicit ? ' implicit' : ''}${chip.excluded ? ' excluded' : ''}`,
      testid: 'chip',
      title,
      attrs: { 'data-chip-id': chip.id },
    },
    [
      icon(dom, chip.excluded ? 'block' : chip.kind === 'selection' ? 'selection' : 'file'),
      dom.el('span', { class: 'chip-label', text: chip.label }),
      chip.excluded ? dom.el('span', { class: 'chip-note', text: 'not sent' }) : undefined,
      onRemove &&
        dom.button(`Remove ${chip.label} from the context`, {
          class: 'chip-remove icon-button',
          testid: 'chip-remove',
          onClick: () => onRemove(chip),
        }, [icon(dom, 'close')]),
    ],
  );
}

export function renderChips(dom: Dom, chips: readonly ChipView[], onRemove?: (chip: ChipView) => void): HTMLElement[] {
  return chips.map((chip) => renderChip(dom, chip, onRemove));
}
