import { diffSequences } from './lineDiff';
import { firstEol, splitLines, splitText, type Eol, type SplitText } from './lines';

/**
 * One contiguous change of a diff between two texts (what the review shows,
 * accepts and rejects): the lines `oldLines` at 0-based line `oldStart` of
 * the old text become `newLines`. A pure insertion has no old lines and goes
 * before line `oldStart` (`oldStart` may be the line count: after the last
 * line). Lines carry no line breaks (see `splitText` in lines.ts for the
 * model). Not to be confused with the edit engine's PatchHunk, a piece of
 * model output still to be located.
 */
export interface DiffHunk {
  oldStart: number;
  oldLines: string[];
  newLines: string[];
}

/** The hunks that turn `oldText` into `newText`, in order, none touching another. */
export function diffLines(oldText: string, newText: string): DiffHunk[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  return diffSequences(a, b).map((region) => ({
    oldStart: region.aStart,
    oldLines: a.slice(region.aStart, region.aEnd),
    newLines: b.slice(region.bStart, region.bEnd),
  }));
}

export interface Position {
  line: number;
  character: number;
}

/** A hunk as a text replacement: both as offsets and as line/character positions. */
export interface TextReplacement {
  startOffset: number;
  endOffset: number;
  start: Position;
  end: Position;
  text: string;
}

/**
 * The replacement that applies `hunk` at line `start` of `text` (default: its
 * `oldStart`). Untouched lines keep their own line breaks; new lines get
 * `eol` (default: the text's first). Throws when the old lines are not there.
 */
export function hunkReplacement(text: string | SplitText, hunk: DiffHunk, start: number = hunk.oldStart, eol?: Eol): TextReplacement {
  const split = typeof text === 'string' ? splitText(text) : text;
  return replacementAt(split, lineOffsets(split), hunk, start, eol ?? firstEol(split));
}

/** A hunk placed at `start` (its line in the text it is applied to). */
export interface PlacedHunk {
  hunk: DiffHunk;
  start: number;
}

/**
 * Applies hunks to `text`: each at its `oldStart`, or at the given start for
 * placed hunks. They must be in order and must not overlap. Untouched lines
 * keep their line breaks; new lines get `eol` (default: the text's first).
 */
export function applyDiffHunks(text: string, hunks: ReadonlyArray<DiffHunk | PlacedHunk>, eol?: Eol): string {
  return applyReplacements(text, replacementsFor(text, hunks, eol));
}

/**
 * The replacements for hunks applied together, in order. Throws when a hunk
 * does not match the text where it is placed, or hunks are out of order or
 * overlap (two hunks whose lines touch can still overlap by a line break at
 * the end of the text).
 */
export function replacementsFor(text: string | SplitText, hunks: ReadonlyArray<DiffHunk | PlacedHunk>, eol?: Eol): TextReplacement[] {
  const split = typeof text === 'string' ? splitText(text) : text;
  const offsets = lineOffsets(split);
  const lineBreak = eol ?? firstEol(split);
  const replacements: TextReplacement[] = [];
  for (const item of hunks) {
    const { hunk, start } = 'hunk' in item ? item : { hunk: item, start: item.oldStart };
    const replacement = replacementAt(split, offsets, hunk, start, lineBreak);
    const previous = replacements[replacements.length - 1];
    if (previous && replacement.startOffset < previous.endOffset) {
      throw new Error(`hunks overlap or are out of order at line ${start + 1}`);
    }
    replacements.push(replacement);
  }
  return replacements;
}

/** Applies replacements that are in order and do not overlap (as replacementsFor gives them). */
export function applyReplacements(text: string, replacements: readonly TextReplacement[]): string {
  let result = '';
  let at = 0;
  for (const replacement of replacements) {
    if (replacement.startOffset < at) {
      throw new Error('replacements overlap or are out of order');
    }
    result += text.slice(at, replacement.startOffset) + replacement.text;
    at = replacement.endOffset;
  }
  return result + text.slice(at);
}

/** Lines added and removed by the hunks. */
export function countChanges(hunks: readonly DiffHunk[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const hunk of hunks) {
    added += hunk.newLines.length;
    removed += hunk.oldLines.length;
  }
  return { added, removed };
}

/** offsets[i]: where line i starts; offsets[lines.length]: the text's length. */
function lineOffsets(split: SplitText): number[] {
  let offset = 0;
  const offsets = [offset];
  const { lines, eols } = split;
  // An index loop: this runs over every line of the file, and entries() costs ~10% more here.
  for (let i = 0; i < lines.length; i++) {
    offset += (lines[i]?.length ?? 0) + (eols[i]?.length ?? 0);
    offsets.push(offset);
  }
  return offsets;
}

/** Where line `line` starts: `line` is one replacementAt has checked (0 to the line count). */
function offsetOf(offsets: readonly number[], line: number): number {
  const offset = offsets[line];
  if (offset === undefined) {
    throw new RangeError(`no line ${line + 1} in a text of ${offsets.length - 1} lines`);
  }
  return offset;
}

function replacementAt(split: SplitText, offsets: readonly number[], hunk: DiffHunk, start: number, eol: Eol): TextReplacement {
  const { lines } = split;
  const count = hunk.oldLines.length;
  const end = start + count;
  if (!Number.isInteger(start) || start < 0 || end > lines.length) {
    throw new RangeError(`hunk at line ${start + 1} (${count} lines) is outside the text (${lines.length} lines)`);
  }
  for (let i = 0; i < count; i++) {
    if (lines[start + i] !== hunk.oldLines[i]) {
      throw new Error(`hunk at line ${start + 1} does not match the text at line ${start + i + 1}`);
    }
  }
  // A SplitText has at least one line; '' stands in for it only if a caller broke that.
  const lastLine = lines.at(-1) ?? '';
  const textLength = offsetOf(offsets, lines.length);
  const textEnd: Position = { line: lines.length - 1, character: lastLine.length };
  const newLines = hunk.newLines;

  if (count === 0 && start === lines.length) {
    // Insertion after the last line: that line gains a break, the last new line becomes the last line.
    return { startOffset: textLength, endOffset: textLength, start: textEnd, end: textEnd, text: newLines.length ? eol + newLines.join(eol) : '' };
  }
  if (end < lines.length) {
    // Lines before the last: replace them with their breaks; every new line gets a break.
    return {
      startOffset: offsetOf(offsets, start),
      endOffset: offsetOf(offsets, end),
      start: { line: start, character: 0 },
      end: { line: end, character: 0 },
      text: newLines.map((line) => line + eol).join(''),
    };
  }
  // The hunk reaches the last line.
  if (newLines.length > 0 || start === 0) {
    return { startOffset: offsetOf(offsets, start), endOffset: textLength, start: { line: start, character: 0 }, end: textEnd, text: newLines.join(eol) };
  }
  // Deleting the last lines: the line before them (start > 0 here) loses its break.
  const before = start - 1;
  const beforeLength = lines[before]?.length ?? 0;
  return {
    startOffset: offsetOf(offsets, before) + beforeLength,
    endOffset: textLength,
    start: { line: before, character: beforeLength },
    end: textEnd,
    text: '',
  };
}
