/**
 * The data boundary's line under an answer: "2 secrets redacted: 1 GitHub
 * token, 1 private key" and, for each file that was not sent, why. The
 * report is checked here (a malformed one shows nothing) and written as
 * text only.
 */
import { describeRedactions } from '../../src/shared/boundaryWording';
import { isRecord } from '../../src/shared/guards';
import type { DataBoundaryReport, Redaction, RefusedItem } from '../../src/shared/protocol';
import type { Dom } from './dom';
import { icon } from './icons';

/** At most this many refused items are listed; the rest are counted. */
const MAX_REFUSED_SHOWN = 5;

export function sanitizeBoundary(value: unknown): DataBoundaryReport | undefined {
  if (!isRecord(value) || !Array.isArray(value.redactions) || !Array.isArray(value.refused)) return undefined;
  const redactions = value.redactions.filter(
    (r): r is Redaction => isRecord(r) && typeof r.kind === 'string' && typeof r.count === 'number' && Number.isFinite(r.count) && r.count > 0,
  );
  const refused = value.refused.filter((r): r is RefusedItem => isRecord(r) && typeof r.item === 'string' && typeof r.reason === 'string');
  return redactions.length > 0 || refused.length > 0 ? { redactions, refused } : undefined;
}

export function renderBoundary(dom: Dom, report: DataBoundaryReport): HTMLElement {
  const redacted = describeRedactions(report.redactions);
  const shown = report.refused.slice(0, MAX_REFUSED_SHOWN);
  const more = report.refused.length - shown.length;
  return dom.el('div', { class: 'boundary muted', testid: 'boundary', attrs: { role: 'note' } }, [
    redacted && dom.el('div', { class: 'boundary-redacted', testid: 'boundary-redacted', title: 'Replaced by placeholders before the request left this machine. The values were not sent.' }, [icon(dom, 'shield'), dom.el('span', { text: redacted })]),
    ...shown.map((item) =>
      dom.el('div', { class: 'boundary-refused', testid: 'boundary-refused', title: item.reason }, [icon(dom, 'block'), dom.el('span', { text: `Not sent: ${item.item} — ${item.reason}` })]),
    ),
    more > 0 && dom.el('div', { class: 'boundary-refused', text: `and ${more} more not sent` }),
  ]);
}
