/**
 * Finds where one hunk goes in a file. Levels are tried strictest first (see
 * normalize.ts); at the first level with any match, exactly one place must
 * remain after the hunk's own narrowing (its `@@` lines, `*** End of File`, or
 * a stated line number that agrees exactly), or the hunk is refused as
 * ambiguous. If the lines are nowhere, they are tried again without copied
 * line numbers; if still nowhere, the refusal quotes the closest place.
 */
import { lineOps, type HunkLine } from '../../shared/diff';
import type { EditFailure } from '../../shared/edits';
import type { LineIndex } from './lineIndex';
import { stripLineNumbers } from './lineNumbers';
import { lineList, quoteLines } from './messages';
import { MATCH_LEVELS, type MatchLevel } from './normalize';
import { isPlaceholder } from './placeholders';
import { findClosest } from './similarity';
import type { PatchHunk } from './types';

export interface Located {
  /** 0-based first file line the hunk replaces. */
  start: number;
  /** Number of file lines it replaces (its old side). */
  length: number;
  level: MatchLevel;
  /** The hunk's lines as applied (copied line numbers stripped). */
  ops: HunkLine[];
}

export type LocateResult = { ok: true; located: Located } | { ok: false; failure: EditFailure };

interface Variant {
  ops: HunkLine[];
  old: string[];
  /** Line number the model's copied numbers give for the first old line. */
  numberedFrom?: number;
}

/** The hunk as written, and without copied line numbers when it has them. */
function variants(hunk: PatchHunk): Variant[] {
  const body = hunk.body;
  const oldOf = (ops: readonly HunkLine[]): string[] => ops.filter((line) => line.op !== '+').map((line) => line.text);
  const raw = body.kind === 'ops' ? body.ops : lineOps(body.search, body.replace);
  const result: Variant[] = [{ ops: raw, old: oldOf(raw) }];
  if (body.kind === 'pair') {
    const search = stripLineNumbers(body.search, true);
    if (search) {
      const replace = stripLineNumbers(body.replace, false, search.style);
      const ops = lineOps(search.lines, replace ? replace.lines : body.replace);
      result.push({ ops, old: oldOf(ops), numberedFrom: search.first });
    }
    return result;
  }
  const oldSide = raw.filter((line) => line.op !== '+');
  const added = raw.filter((line) => line.op === '+');
  const strippedOld = stripLineNumbers(
    oldSide.map((line) => line.text),
    true,
  );
  if (strippedOld) {
    const strippedAdded = stripLineNumbers(
      added.map((line) => line.text),
      false,
      strippedOld.style,
    );
    let o = 0;
    let a = 0;
    const ops = raw.map((line): HunkLine => {
      if (line.op === '+') {
        const text = strippedAdded ? (strippedAdded.lines[a] ?? '') : line.text;
        a++;
        return { op: '+', text };
      }
      return { op: line.op, text: strippedOld.lines[o++] ?? '' };
    });
    result.push({ ops, old: oldOf(ops), numberedFrom: strippedOld.first });
  }
  return result;
}

/** Positions of one line (an `@@` anchor) at the strictest level that finds it. */
function findLine(index: LineIndex, line: string): number[] {
  for (const level of MATCH_LEVELS) {
    const found = index.findAll([line], level);
    if (found.length > 0) {
      return found;
    }
  }
  return [];
}

/** Where the chain of anchors ends (each anchor after the previous one), or the first anchor not found. */
function anchorPositions(index: LineIndex, anchors: readonly string[]): { positions: number[] } | { missing: string } {
  let positions: number[] | undefined;
  for (const anchor of anchors) {
    const found = findLine(index, anchor);
    const next = positions === undefined ? found : unique(positions.map((p) => found.find((q) => q > p)));
    if (next.length === 0) {
      return { missing: anchor };
    }
    positions = next;
  }
  return { positions: positions ?? [] };
}

function unique(values: readonly (number | undefined)[]): number[] {
  return [...new Set(values.filter((v): v is number => v !== undefined))].sort((a, b) => a - b);
}

interface Context {
  index: LineIndex;
  hunk: PatchHunk;
  /** "src/a.ts, hunk 2". */
  where: string;
  path: string;
  /** Line numbers (Roo `:start_line:`, copied numbers) do not break ties. */
  ignoreLineHints: boolean;
}

/**
 * Picks the one candidate the hunk's own information allows, or says why not.
 * In order: required `@@` lines (apply_patch: the first match after each
 * occurrence of the chain), a stated line number that is exactly one of the
 * candidates, then optional `@@` headings (unified diff section headings).
 */
function choose(context: Context, variant: Variant, candidates: number[]): { start: number } | { failure: EditFailure } {
  const { hunk, index, where, path } = context;
  let remaining = candidates;
  const anchors = hunk.anchors && hunk.anchors.length > 0 ? anchorPositions(index, hunk.anchors) : undefined;
  const afterAnchors = (positions: readonly number[]): number[] => unique(positions.map((a) => remaining.find((c) => c >= a)));
  if (anchors && !hunk.anchorsOptional) {
    if ('missing' in anchors) {
      return { failure: anchorNotFound(context, anchors.missing) };
    }
    remaining = afterAnchors(anchors.positions);
    if (remaining.length === 0) {
      return {
        failure: {
          kind: 'notFound',
          path,
          block: hunk.block,
          lines: variant.old,
          message: `${where}: these lines were found (at ${lineList(candidates.map((c) => c + 1))}) but not after the @@ line “${hunk.anchors?.join(' / ')}”:\n${quoteLines(variant.old)}`,
        },
      };
    }
  }
  if (remaining.length === 1) {
    return { start: remaining[0] ?? 0 };
  }
  const hint = context.ignoreLineHints ? undefined : (hunk.lineHint ?? variant.numberedFrom);
  if (hint !== undefined && remaining.includes(hint - 1)) {
    return { start: hint - 1 };
  }
  if (anchors && hunk.anchorsOptional && !('missing' in anchors)) {
    const narrowed = afterAnchors(anchors.positions);
    if (narrowed.length === 1) {
      return { start: narrowed[0] ?? 0 };
    }
  }
  const lines = remaining.map((c) => c + 1);
  return {
    failure: {
      kind: 'ambiguous',
      path,
      block: hunk.block,
      lines: variant.old,
      candidates: lines,
      message:
        `${where}: these lines occur ${remaining.length} times (at ${lineList(lines)}), so the place to change is unclear:\n${quoteLines(variant.old)}\n` +
        (hunk.label === 'hunk'
          ? 'Include more unchanged lines around the change (or an @@ line naming the enclosing function) so that they match only once.'
          : 'Include more unchanged lines around the change in SEARCH so that it matches only once.'),
    },
  };
}

function anchorNotFound(context: Context, anchor: string): EditFailure {
  const { index, hunk, where, path } = context;
  const closest = findClosest(index.lines, [anchor]);
  const closestText = closest ? `\nClosest line (line ${closest.start + 1}):\n${quoteLines([index.lines[closest.start] ?? ''])}` : '';
  return {
    kind: 'notFound',
    path,
    block: hunk.block,
    lines: [anchor],
    ...(closest ? { closest: { line: closest.start + 1, text: index.lines[closest.start] ?? '' } } : {}),
    message: `${where}: could not find the line named after @@:\n${quoteLines([anchor])}${closestText}`,
  };
}

function notFound(context: Context, variant: Variant): EditFailure {
  const { index, hunk, where, path } = context;
  const closest = findClosest(index.lines, variant.old);
  const closestLines = closest ? index.lines.slice(closest.start, closest.start + closest.length) : [];
  const parts = [`${where}: could not find these lines${hunk.atEnd ? ' at the end of the file' : ''}:\n${quoteLines(variant.old)}`];
  if (closest) {
    parts.push(`Closest match at line ${closest.start + 1} (${Math.round(closest.score * 100)}% similar):\n${quoteLines(closestLines, closest.start + 1)}`);
  } else {
    parts.push(index.count === 0 ? 'The file is empty.' : 'Nothing in the file is similar.');
  }
  const placeholder = variant.old.find(isPlaceholder);
  if (placeholder !== undefined) {
    parts.push(`The lines include the placeholder “${placeholder.trim()}”; the lines to find must be copied from the file, not elided.`);
  }
  return {
    kind: 'notFound',
    path,
    block: hunk.block,
    lines: variant.old,
    ...(closest ? { closest: { line: closest.start + 1, text: closestLines.join('\n') } } : {}),
    message: parts.join('\n'),
  };
}

/** Where a hunk with no old lines goes: only where the format defines it. */
function locateInsertion(context: Context, variant: Variant): LocateResult {
  const { index, hunk, where, path } = context;
  const end = index.count;
  const at = (start: number): LocateResult => ({ ok: true, located: { start, length: 0, level: 'exact', ops: variant.ops } });
  if (end === 0 || hunk.atEnd) {
    return at(end);
  }
  if (hunk.anchors && hunk.anchors.length > 0 && !hunk.anchorsOptional) {
    const anchors = anchorPositions(index, hunk.anchors);
    if ('missing' in anchors) {
      return { ok: false, failure: anchorNotFound(context, anchors.missing) };
    }
    const chosen = choose(context, { ...variant, old: hunk.anchors.slice(-1) }, anchors.positions);
    return 'start' in chosen ? at(chosen.start + 1) : { ok: false, failure: chosen.failure };
  }
  if (hunk.appendWithoutContext) {
    // apply_patch: a hunk without context lines appends to the file.
    return at(end);
  }
  return {
    ok: false,
    failure: {
      kind: 'notFound',
      path,
      block: hunk.block,
      lines: [],
      message: `${where}: it has no unchanged lines around the change, so its place in the file cannot be checked. Include a few unchanged lines before and after the change.`,
    },
  };
}

/**
 * Locates a hunk in the file behind `index`. `ignoreLineHints`: the text is
 * not the one the hunk's line numbers count in, so they break no tie.
 */
export function locateHunk(index: LineIndex, hunk: PatchHunk, where: string, path: string, ignoreLineHints = false): LocateResult {
  const context: Context = { index, hunk, where, path, ignoreLineHints };
  const all = variants(hunk);
  for (const variant of all) {
    if (variant.old.length === 0) {
      return locateInsertion(context, variant);
    }
    for (const level of MATCH_LEVELS) {
      let candidates = index.findAll(variant.old, level);
      if (hunk.atEnd) {
        candidates = candidates.filter((c) => c + variant.old.length === index.count);
      }
      if (candidates.length === 0) {
        continue;
      }
      const chosen = choose(context, variant, candidates);
      if ('failure' in chosen) {
        return { ok: false, failure: chosen.failure };
      }
      return { ok: true, located: { start: chosen.start, length: variant.old.length, level, ops: variant.ops } };
    }
  }
  return { ok: false, failure: notFound(context, all[all.length - 1] ?? { ops: [], old: [] }) };
}
