/**
 * Every secret in a text: secretlint's recommended rules (secretlint.ts)
 * plus the classes they miss (ownRules.ts), overlapping findings merged into
 * one (the more specific kind wins over a generic `secret-value`).
 */
import { findAnchors } from './anchors';
import { OWN_RULES } from './ownRules';
import { secretlintFindings } from './secretlint';
import type { Finding } from './types';

export type { Finding } from './types';

export async function findSecrets(text: string, options: { prefilter?: boolean } = {}): Promise<Finding[]> {
  if (text.length === 0) return [];
  const anchors = findAnchors(text);
  const found = [...(await secretlintFindings(text, { ...options, anchors })), ...OWN_RULES.flatMap((rule) => rule.find(text, anchors))];
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
