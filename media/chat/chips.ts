/**
 * Context chips: the files and selections attached to a question. Removable
 * in the composer; read-only (and smaller) above a sent question.
 */
import { formatTokens } from '../../src/shared/mentions';
import type { ChipView } from '../../src/shared/webviewProtocol';
import type { Dom } from './dom';
import { icon, type IconName } from './icons';

const KIND_ICONS: Record<ChipView['kind'], IconName> = {
  file: 'file',
  selection: 'selection',
  folder: 'folder',
  symbol: 'symbol',
  problems: 'warning',
  changes: 'diff',
  terminal: 'terminal',
  codebase: 'search',
  mcp: 'tool',
};

export function renderChip(dom: Dom, chip: ChipView, onRemove?: (chip: ChipView) => void): HTMLElement {
  const size = chip.tokens !== undefined && !chip.excluded ? `≈ ${formatTokens(chip.tokens)} tokens` : undefined;
  const title = [
    chip.excluded
      ? `${chip.detail}: not sent to the model (${chip.excluded})`
      : chip.implicit
        ? `${chip.detail} (current file, attached automatically)`
        : chip.detail,
    ...(size ? [`${size} (estimated: characters ÷ 4)`] : []),
    ...(Array.isArray(chip.notes) ? chip.notes.filter((note) => typeof note === 'string') : []),
  ].join('\n');
  return dom.el(
    'span',
    {
      class: `chip chip-${chip.kind}${chip.implicit ? ' implicit' : ''}${chip.excluded ? ' excluded' : ''}`,
      testid: 'chip',
      title,
      attrs: { 'data-chip-id': chip.id },
    },
    [
      icon(dom, chip.excluded ? 'block' : (KIND_ICONS[chip.kind] ?? 'file')),
      dom.el('span', { class: 'chip-label', text: chip.label }),
      chip.excluded ? dom.el('span', { class: 'chip-note', text: 'not sent' }) : undefined,
      size ? dom.el('span', { class: 'chip-tokens', testid: 'chip-tokens', text: formatTokens(chip.tokens ?? 0), attrs: { 'aria-label': size } }) : undefined,
      chip.notes?.length && !chip.excluded ? dom.el('span', { class: 'chip-note', text: 'partly sent' }) : undefined,
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
