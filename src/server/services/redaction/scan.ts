/**
 * Every secret in a text: secretlint's recommended rules (secretlint.ts)
 * plus the classes they miss (ownRules.ts), overlapping findings merged into
 * one (the more specific kind wins over a generic `secret-value`).
 */
import { TimeSlice } from '../../util/timeSlice';
import { findAnchorsSliced } from './anchors';
import { OWN_RULES } from './ownRules';
import { secretlintFindings } from './secretlint';
import type { Finding } from './types';

export type { Finding } from './types';

/**
 * Text of any size: the event loop gets a turn between the steps (and
 * between secretlint's batches), so a megabyte of hostile text delays this
 * request, not every other one.
 */
const ANCHORS_PER_STEP = 2048;

export async function findSecrets(text: string, options: { prefilter?: boolean } = {}): Promise<Finding[]> {
  if (text.length === 0) return [];
  const slice = new TimeSlice();
  const anchors = await findAnchorsSliced(text, slice);
  const found = await secretlintFindings(text, { ...options, anchors, slice });
  for (const rule of OWN_RULES) {
    // Rules look at each anchor on its own: a few thousand at a time, then the event loop's turn if due.
    for (let from = 0; from < anchors.length || from === 0; from += ANCHORS_PER_STEP) {
      found.push(...rule.find(text, from === 0 && anchors.length <= ANCHORS_PER_STEP ? anchors : anchors.slice(from, from + ANCHORS_PER_STEP)));
      if (slice.due()) await slice.handBack();
    }
  }
  return mergeOverlaps(found.filter((finding) => finding.end > finding.start));
}

export function mergeOverlaps(findings: Finding[]): Finding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Finding[] = [];
  for (const finding of sorted) {
    const last = merged.at(-1);
    if (last && finding.start < last.end) {
      last.end = Math.max(last.end, finding.end);
      if (last.kind === 'secret-value') last.kind = finding.kind;
    } else {
      merged.push({ ...finding });
    }
  }
  return merged;
}
