/**
 * Writing located hunks into a file, shared by the one-pass apply
 * (applyHunks.ts) and the sequential fallback (sequential.ts). Unchanged lines
 * keep the file's exact text and line endings; added lines take the ending of
 * the line they replace (or of the lines around them, else the file's
 * dominant one) and, when the block matched with other indentation, the
 * indentation of their nearest matched lines.
 */
import { changedEndings, joinLines, type FileLines } from '../../shared/diff';
import type { EditFailure } from '../../shared/edits';
import type { Located } from './locate';
import { where as describeWhere } from './messages';
import { findElision } from './placeholders';
import { createReindenter, detectIndentUnit, type IndentPair, type IndentUnit } from './reindent';
import { elisionFailure } from './refusals';
import type { PatchHunk } from './types';

export type HunksResult = { ok: true; text: string } | { ok: false; failures: EditFailure[] };

/** A hunk and where it goes. */
export interface Placed {
  hunk: PatchHunk;
  where: string;
  located: Located;
}

/** "src/a.ts, hunk 2" (per-file hunk number) or "src/a.ts, SEARCH/REPLACE block 3" (number in the output). */
export function hunkWhere(path: string, hunk: PatchHunk, fileIndex: number): string {
  return describeWhere(path, hunk.label, hunk.label === 'hunk' ? fileIndex : hunk.block);
}

export function placeholderFailure(path: string, placed: Placed, file: FileLines): EditFailure | undefined {
  const elision = findElision(placed.located.ops);
  return elision ? elisionFailure(path, placed.where, placed.hunk.block, elision, file.lines, placed.located.start) : undefined;
}

function replacement(placed: Placed, file: FileLines, unit: () => IndentUnit | undefined): { lines: string[]; eols: (string | undefined)[] } {
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
export function spliceHunks(file: FileLines, placed: readonly Placed[]): string {
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
