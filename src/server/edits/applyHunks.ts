/**
 * Applies the hunks of one file update: each is located against the original
 * text (so their order in the model output does not matter), checked for
 * elision placeholders and overlaps, then all are spliced in one pass.
 * Unchanged lines keep the file's exact text and line endings; added lines
 * take the ending of the line they replace (or of the lines around them, else
 * the file's dominant one) and, when the block matched with other
 * indentation, the indentation of their nearest matched lines.
 */
import type { EditFailure } from '../../shared/edits';
import { changedEndings, joinLines, splitText, type TextLines } from './lines';
import { LineIndex } from './lineIndex';
import { locateHunk, type Located } from './locate';
import { where as describeWhere } from './messages';
import { elisionFailure } from './refusals';
import { findElision } from './placeholders';
import { createReindenter, detectIndentUnit, type IndentPair, type IndentUnit } from './reindent';
import { applySequentially } from './sequential';
import type { Hunk } from './types';

export type HunksResult = { ok: true; text: string } | { ok: false; failures: EditFailure[] };

export interface Placed {
  hunk: Hunk;
  where: string;
  located: Located;
}

/** "src/a.ts, hunk 2" (per-file hunk number) or "src/a.ts, SEARCH/REPLACE block 3" (number in the output). */
export function hunkWhere(path: string, hunk: Hunk, fileIndex: number): string {
  return describeWhere(path, hunk.label, hunk.label === 'hunk' ? fileIndex : hunk.block);
}

export function placeholderFailure(path: string, placed: Placed, file: TextLines): EditFailure | undefined {
  const elision = findElision(placed.located.ops);
  return elision ? elisionFailure(path, placed.where, placed.hunk.block, elision, file.lines, placed.located.start) : undefined;
}

function overlapFailure(path: string, earlier: Placed, later: Placed): EditFailure {
  const a = earlier.located;
  const b = later.located;
  return {
    kind: 'ambiguous',
    path,
    block: later.hunk.block,
    message:
      `${path}: ${earlier.where.slice(path.length + 2)} (lines ${a.start + 1}–${a.start + a.length}) and ` +
      `${later.where.slice(path.length + 2)} (lines ${b.start + 1}–${b.start + b.length}) change overlapping lines, so it is unclear which change wins. ` +
      'Merge them into one change.',
  };
}

function replacement(placed: Placed, file: TextLines, unit: () => IndentUnit | undefined): { lines: string[]; eols: (string | undefined)[] } {
  const { ops, start, level } = placed.located;
  const lines: string[] = [];
  let reindent: ((line: string, at?: number) => string) | undefined;
  if (level === 'trim' || level === 'unicode') {
    const pairs: IndentPair[] = [];
    let t = 0;
    for (const [at, line] of ops.entries()) {
      if (line.op !== '+') {
        pairs.push([line.text, file.lines[start + t] ?? '', at]);
        t++;
      }
    }
    reindent = createReindenter(
      pairs,
      ops.map((line) => line.text),
      unit(),
    );
  }
  let t = 0;
  for (const [at, line] of ops.entries()) {
    if (line.op === ' ') {
      lines.push(file.lines[start + t] ?? line.text);
      t++;
    } else if (line.op === '-') {
      t++;
    } else {
      lines.push(reindent ? reindent(line.text, at) : line.text);
    }
  }
  return { lines, eols: changedEndings(ops, file.eols, start) };
}

/** Writes the located hunks (sorted by start, not overlapping) into `file`. */
export function spliceHunks(file: TextLines, placed: readonly Placed[]): string {
  let unit: IndentUnit | undefined | null = null;
  const fileUnit = (): IndentUnit | undefined => (unit === null ? (unit = detectIndentUnit(file.lines)) : unit);
  const outLines: string[] = [];
  const outEols: (string | undefined)[] = [];
  let finalNewline = file.finalNewline || file.lines.length === 0;
  let cursor = 0;
  for (const entry of placed) {
    const { start, length } = entry.located;
    for (; cursor < start; cursor++) {
      outLines.push(file.lines[cursor] ?? '');
      outEols.push(file.eols[cursor]);
    }
    const piece = replacement(entry, file, fileUnit);
    outLines.push(...piece.lines);
    outEols.push(...piece.eols);
    cursor = start + length;
    if (cursor === file.lines.length) {
      if (entry.hunk.newNoFinalNewline) finalNewline = false;
      else if (entry.hunk.oldNoFinalNewline) finalNewline = true;
    }
  }
  for (; cursor < file.lines.length; cursor++) {
    outLines.push(file.lines[cursor] ?? '');
    outEols.push(file.eols[cursor]);
  }
  return joinLines(outLines, outEols, file.eol, finalNewline && outLines.length > 0);
}

/**
 * Applies `hunks` to `text` (the file at `path`); all or nothing. When some
 * SEARCH/REPLACE blocks are not in the original text, they are tried again
 * in the text left by the earlier blocks (see sequential.ts).
 */
export function applyHunks(path: string, text: string, hunks: readonly Hunk[]): HunksResult {
  const file = splitText(text);
  const index = new LineIndex(file.lines);
  const failures: EditFailure[] = [];
  const placed: Placed[] = [];
  /** Hunks not found in the original, with their refusal; undefined once another kind of failure occurs. */
  let missing: Map<Hunk, EditFailure> | undefined = new Map();
  for (const [i, hunk] of hunks.entries()) {
    const where = hunkWhere(path, hunk, i + 1);
    const result = locateHunk(index, hunk, where, path);
    if (!result.ok) {
      failures.push(result.failure);
      if (result.failure.kind === 'notFound') missing?.set(hunk, result.failure);
      else missing = undefined;
      continue;
    }
    const entry = { hunk, where, located: result.located };
    const placeholder = placeholderFailure(path, entry, file);
    if (placeholder) {
      failures.push(placeholder);
      missing = undefined;
    } else {
      placed.push(entry);
    }
  }
  if (failures.length > 0) {
    const sequential = missing ? applySequentially(path, text, hunks, placed, missing, failures) : undefined;
    return sequential ?? { ok: false, failures };
  }
  // Stable sort: insertions at the same place keep their order in the output.
  placed.sort((a, b) => a.located.start - b.located.start);
  for (let i = 1; i < placed.length; i++) {
    const previous = placed[i - 1];
    const current = placed[i];
    if (previous && current && current.located.start < previous.located.start + previous.located.length) {
      failures.push(overlapFailure(path, previous, current));
    }
  }
  if (failures.length > 0) {
    return { ok: false, failures };
  }
  return { ok: true, text: spliceHunks(file, placed) };
}
