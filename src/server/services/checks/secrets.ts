/**
 * Secrets a proposal introduces, found by the data boundary's detector. A
 * secret whose value the file already had is not introduced (a moved or
 * re-indented line), and a finding says which kind of secret and where,
 * never its value.
 */
import type { CheckFinding } from '../../../shared/checks';
import { findSecrets } from '../redaction/scan';
import type { ProposedFile } from './addedLines';

export const SECRET_RULE = {
  id: 'secret-introduced',
  severity: 'high',
  why: 'The change writes a secret into the file: it would land in every copy, commit and log of it.',
  fix: 'Read it from the environment or a secret store at run time, and rotate this one: it has been seen.',
} as const;

export async function secretFindings(file: ProposedFile): Promise<CheckFinding[]> {
  if (file.added.length === 0) return [];
  const { text, origin } = addedRegions(file);
  const found = await findSecrets(text);
  if (found.length === 0) return [];
  const starts = lineStarts(text);
  const added = new Set(file.added);
  const before = withoutSpace(file.oldText);
  const findings: CheckFinding[] = [];
  const lines = new Set<number>();
  for (const secret of found) {
    // Re-indenting a key block or re-wrapping a line does not make its secret new.
    if (before.includes(withoutSpace(text.slice(secret.start, secret.end)))) continue;
    const first = lineAt(starts, secret.start);
    const last = lineAt(starts, Math.max(secret.start, secret.end - 1));
    let line: number | undefined;
    for (let i = first; i <= last && line === undefined; i++) {
      const index = origin[i] ?? -1;
      if (added.has(index)) line = index;
    }
    if (line === undefined || lines.has(line)) continue;
    lines.add(line);
    findings.push({
      rule: SECRET_RULE.id,
      severity: SECRET_RULE.severity,
      path: file.path,
      line: line + 1,
      why: SECRET_RULE.why.replace('a secret', `a secret (${secret.kind})`),
      fix: SECRET_RULE.fix,
    });
  }
  return findings;
}

/** Lines of context kept around each run of added lines: a key's name on the line above its value still counts. */
const CONTEXT = 2;

/**
 * The added lines with a little context, as one text to scan (a small edit
 * to a large file scans a few lines, not the file); runs that are apart are
 * separated by an empty line so no secret is read across a gap. `origin[i]`
 * is the proposed file's 0-based line of the text's line i (-1: separator).
 */
function addedRegions(file: ProposedFile): { text: string; origin: number[] } {
  const keep: number[] = [];
  let next = 0;
  for (const index of file.added) {
    for (let i = Math.max(next, index - CONTEXT); i <= Math.min(file.lines.length - 1, index + CONTEXT); i++) keep.push(i);
    next = Math.max(next, index + CONTEXT + 1);
  }
  const parts: string[] = [];
  const origin: number[] = [];
  let previous = -2;
  for (const index of keep) {
    if (index !== previous + 1 && parts.length > 0) {
      parts.push('');
      origin.push(-1);
    }
    parts.push(file.lines[index] ?? '');
    origin.push(index);
    previous = index;
  }
  return { text: parts.join('\n'), origin };
}

function withoutSpace(text: string): string {
  return text.replace(/\s+/g, '');
}

/** Offsets where each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) starts.push(i + 1);
  }
  return starts;
}

/** The 0-based line holding `offset`. */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
