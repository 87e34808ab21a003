/**
 * Where a line of the proposed text is now. Findings and project problems
 * name a line of the text the proposal proposed (`newText`); the proposal
 * document shows the person's current text with the pending changes
 * applied, which drifts as they type in the real file or decide changes.
 * Pure, so the mapping is tested without VS Code.
 */
import { diffSequences, splitLines, type DiffHunk } from '../../shared/diff';

/**
 * Maps 0-based lines of `from` to lines of `to`: a line in a stretch both
 * texts share keeps its place (shifted); a line `to` no longer has (the
 * person edited it, or the change holding it was rejected) maps to nothing.
 */
export class LineMap {
  private readonly regions: ReturnType<typeof diffSequences>;

  constructor(from: string, to: string) {
    this.regions = from === to ? [] : diffSequences(splitLines(from), splitLines(to));
  }

  map(line: number): number | undefined {
    let shift = 0;
    for (const region of this.regions) {
      if (line < region.aStart) break;
      if (line < region.aEnd) return undefined;
      shift = region.bEnd - region.aEnd;
    }
    return line + shift;
  }
}

/**
 * The hunk of a file's review that adds 0-based line `line` of the proposed
 * text (hunks in proposal order, `oldStart` in the old text); undefined
 * when the line is not one the proposal adds.
 */
export function hunkOfLine(hunks: ReadonlyArray<{ index: number; hunk: DiffHunk }>, line: number): number | undefined {
  let shift = 0;
  for (const { index, hunk } of hunks) {
    const newStart = hunk.oldStart + shift;
    if (line >= newStart && line < newStart + hunk.newLines.length) return index;
    shift += hunk.newLines.length - hunk.oldLines.length;
  }
  return undefined;
}
