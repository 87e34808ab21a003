/**
 * Which of a file's current lines came from changes Tandem applied: the
 * added lines of each recorded diff, found again in the current text by
 * their content and their neighbourhood (the lines around them when they
 * were written), never by line number alone. So edits elsewhere in the file
 * and moved blocks keep their claim, a line edited afterwards loses it, and
 * of two identical lines only the one in the right company is claimed.
 * Pure: no editor, no disk.
 */
import { parseRecordedDiff, type RecordedFileDiff } from '../../shared/auditDiff';
import type { AuditAppliedChange, AuditProvenanceResult } from '../../shared/auditProtocol';

/** Neighbours compared on each side. */
const NEIGHBOURHOOD = 2;

/** An added line, with the lines that were around it right after the change. */
export interface ClaimLine {
  text: string;
  /** Nearest first. */
  above: string[];
  below: string[];
  /** 0-based line in the text right after the change. */
  line: number;
}

export interface ProvenanceSource {
  diff: RecordedFileDiff;
  /** The review's change indices that were accepted; absent when all were. */
  acceptedHunks?: readonly number[];
}

/**
 * The lines a file diff added, in its accepted changes. Changes are counted
 * as the review counts them: runs of removed and added lines between
 * unchanged ones, across hunks.
 */
export function claimLines(source: ProvenanceSource): ClaimLine[] {
  const accepted = source.acceptedHunks ? new Set(source.acceptedHunks) : undefined;
  const claims: ClaimLine[] = [];
  let change = -1;
  for (const hunk of source.diff.hunks) {
    // The hunk as it read after the change, each line with the change it belongs to.
    const after: Array<{ text: string; change?: number }> = [];
    let inChange = false;
    for (const line of hunk.lines) {
      if (line.op === ' ') {
        inChange = false;
        after.push({ text: line.text });
        continue;
      }
      if (!inChange) change += 1;
      inChange = true;
      if (line.op === '+') after.push({ text: line.text, change });
    }
    after.forEach((entry, index) => {
      if (entry.change === undefined || (accepted && !accepted.has(entry.change))) return;
      claims.push({
        text: entry.text,
        above: after.slice(Math.max(0, index - NEIGHBOURHOOD), index).map((other) => other.text).reverse(),
        below: after.slice(index + 1, index + 1 + NEIGHBOURHOOD).map((other) => other.text),
        line: Math.max(hunk.newStart, 1) - 1 + index,
      });
    });
  }
  return claims;
}

/**
 * For each current line, the index in `sources` of the change that wrote it,
 * or -1. `sources` are oldest first; a line two changes wrote belongs to the
 * newer one.
 */
export function matchProvenance(current: readonly string[], sources: readonly ProvenanceSource[]): number[] {
  const owner = new Array<number>(current.length).fill(-1);
  const where = new Map<string, number[]>();
  current.forEach((text, index) => {
    const key = normalize(text);
    const list = where.get(key);
    if (list) list.push(index);
    else where.set(key, [index]);
  });
  for (let source = sources.length - 1; source >= 0; source--) {
    const claims = claimLines(sources[source] as ProvenanceSource);
    const claimCounts = new Map<string, number>();
    for (const claim of claims) claimCounts.set(normalize(claim.text), (claimCounts.get(normalize(claim.text)) ?? 0) + 1);
    const candidates: Array<{ claim: number; line: number; score: number; distance: number }> = [];
    claims.forEach((claim, claimIndex) => {
      const key = normalize(claim.text);
      const lines = where.get(key) ?? [];
      const unique = lines.length === 1 && claimCounts.get(key) === 1 && !trivial(claim.text);
      for (const line of lines) {
        if (owner[line] !== -1) continue;
        const score = neighbourScore(current, line, claim);
        // A common line needs one telling neighbour (or two common ones); any other line, any neighbour.
        if (score >= (trivial(claim.text) ? 1 : 0.5) || unique) candidates.push({ claim: claimIndex, line, score, distance: Math.abs(line - claim.line) });
      }
    });
    candidates.sort((a, b) => b.score - a.score || a.distance - b.distance);
    const used = new Set<number>();
    for (const candidate of candidates) {
      if (used.has(candidate.claim) || owner[candidate.line] !== -1) continue;
      used.add(candidate.claim);
      owner[candidate.line] = source;
    }
  }
  return owner;
}

/**
 * How many of the line's neighbours, each side, are still the ones it was
 * written with. A blank line or a lone brace next to it counts half: they
 * are everywhere, so they say little about where a line belongs.
 */
function neighbourScore(current: readonly string[], line: number, claim: ClaimLine): number {
  let score = 0;
  const compare = (text: string, at: number): void => {
    const here = current[at];
    if (here !== undefined && normalize(here) === normalize(text)) score += trivial(text) ? 0.5 : 1;
  };
  claim.above.forEach((text, k) => compare(text, line - 1 - k));
  claim.below.forEach((text, k) => compare(text, line + 1 + k));
  return score;
}

/** Line endings and trailing blanks are not content (a formatter may change them). */
function normalize(text: string): string {
  return text.replace(/\s+$/, '');
}

/** Lines too common to be claimed on content alone (blank lines, lone braces): they need a telling neighbour. */
function trivial(text: string): boolean {
  return text.trim().length <= 3;
}

/** A file's lines Tandem wrote: which change wrote each run of lines. */
export interface FileProvenance {
  changes: AuditAppliedChange[];
  /** Runs of consecutive lines (0-based, inclusive) one change wrote. */
  runs: Array<{ start: number; end: number; change: AuditAppliedChange }>;
  anchor?: string;
}

/** Matches the changes against a text; runs of lines per change. */
export function fileProvenance(text: string, result: AuditProvenanceResult): FileProvenance {
  const sources: ProvenanceSource[] = [];
  const changes: AuditAppliedChange[] = [];
  for (const change of result.changes) {
    const diff = parseRecordedDiff(change.diff)[0];
    if (!diff) continue;
    sources.push({ diff, ...(change.acceptedHunks ? { acceptedHunks: change.acceptedHunks } : {}) });
    changes.push(change);
  }
  const lines = text.split(/\r\n|\r|\n/);
  const owner = matchProvenance(lines, sources);
  const runs: FileProvenance['runs'] = [];
  owner.forEach((index, line) => {
    const change = changes[index];
    if (!change) return;
    const last = runs.at(-1);
    if (last && last.change === change && last.end === line - 1) last.end = line;
    else runs.push({ start: line, end: line, change });
  });
  return { changes, runs, ...(result.anchor ? { anchor: result.anchor } : {}) };
}
