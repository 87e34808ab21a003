/**
 * Writing located hunks into a file, shared by the one-pass apply
 * (applyHunks.ts) and the sequential fallback (sequential.ts). Unchanged lines
 * keep the file's exact text and line endings; added lines take the ending of
 * the line they replace (or of the lines around them, else the file's
 * dominant one) and, when the block matched with other indentation, the
 * indentation of their nearest matched lines.
 *
 * Over a `FileText` (the one-pass apply) the new text is the original's
 * unchanged stretches, sliced, between the written lines; `spliceLines`, over
 * the file's line arrays, is the plain form (the sequential fallback, and the
 * oracle the property tests compare the sliced form with).
 */
import { changedEndings, joinLines, type FileLines } from '../../shared/diff';
import { FileText } from './fileText';
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

/** Line `i` of the file, without building a `FileText`'s line array. */
function lineOf(file: FileLines, i: number): string | undefined {
  return file instanceof FileText ? (i >= 0 && i < file.count ? file.line(i) : undefined) : file.lines[i];
}

/** The endings of the lines a hunk writes (see `changedEndings`), reading only the endings around it. */
function pieceEndings(placed: Placed, file: FileLines): (string | undefined)[] {
  const { ops, start, length } = placed.located;
  if (!(file instanceof FileText)) return changedEndings(ops, file.eols, start);
  // changedEndings reads the endings of lines start - 1 to start + length.
  const from = Math.max(0, start - 1);
  const near: string[] = [];
  for (let i = from; i <= start + length && i < file.count; i++) near.push(file.eolAt(i) ?? '');
  return changedEndings(ops, near, start - from);
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
        pairs.push([line.text, lineOf(file, start + t) ?? '', at]);
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
      lines.push(lineOf(file, start + t) ?? line.text);
      t++;
    } else if (line.op === '-') {
      t++;
    } else {
      lines.push(reindent ? reindent(line.text, at) : line.text);
    }
  }
  return { lines, eols: pieceEndings(placed, file) };
}

/** Writes the located hunks (sorted by start, not overlapping) into `file`. */
export function spliceHunks(file: FileLines, placed: readonly Placed[]): string {
  return file instanceof FileText ? spliceText(file, placed) : spliceLines(file, placed);
}

/**
 * `spliceLines` for a `FileText`, with the same result: the lines an edit
 * does not touch are copied as one slice per stretch, endings included.
 * Every ending is written, then the last line's is dropped when the new text
 * has no final newline (as `joinLines` decides it).
 */
function spliceText(file: FileText, placed: readonly Placed[]): string {
  let unit: IndentUnit | undefined | null = null;
  const fileUnit = (): IndentUnit | undefined => (unit === null ? (unit = detectIndentUnit(file.lines)) : unit);
  const parts: string[] = [];
  /** Index in `parts` of the ending of the last line written so far; -1 before any line. */
  let lastEnding = -1;
  let finalNewline = file.finalNewline || file.count === 0;
  const copy = (from: number, to: number): void => {
    if (from >= to) return;
    parts.push(file.stretch(from, to));
    // Only a file's last line can have no ending: a line written after it takes the file's.
    lastEnding = parts.push(file.eolAt(to - 1) || file.eol) - 1;
  };
  let cursor = 0;
  for (const entry of placed) {
    const { start, length } = entry.located;
    copy(cursor, start);
    const piece = replacement(entry, file, fileUnit);
    for (const [i, line] of piece.lines.entries()) {
      parts.push(line);
      lastEnding = parts.push(piece.eols[i] || file.eol) - 1;
    }
    cursor = start + length;
    if (cursor === file.count) {
      if (entry.hunk.newNoFinalNewline) finalNewline = false;
      else if (entry.hunk.oldNoFinalNewline) finalNewline = true;
    }
  }
  copy(cursor, file.count);
  if (lastEnding >= 0 && !finalNewline) parts[lastEnding] = '';
  return parts.join('');
}

/** Writes the located hunks into `file` line by line (see `spliceText`). */
export function spliceLines(file: FileLines, placed: readonly Placed[]): string {
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
