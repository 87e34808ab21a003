/**
 * The text toolkit both sides use: lines with their own breaks (lines.ts), the
 * line diff over jsdiff (lineDiff.ts), the review's diff hunks and applying
 * them (hunks.ts), and finding a hunk again in a changed text (relocate.ts).
 */
export {
  changedEndings,
  dominantEol,
  fileLines,
  firstEol,
  joinLines,
  sameLines,
  splitFile,
  splitLines,
  splitText,
  type Eol,
  type FileLines,
  type SplitText,
} from './lines';
export { alignLines, diffSequences, lineOps, MAX_EDIT_LENGTH, type ChangeRegion, type HunkLine } from './lineDiff';
export {
  applyDiffHunks,
  applyReplacements,
  countChanges,
  diffLines,
  hunkReplacement,
  replacementsFor,
  type DiffHunk,
  type PlacedHunk,
  type Position,
  type TextReplacement,
} from './hunks';
export { CONTEXT_LINES, relocateHunk, withContext, type ContextHunk, type Relocation } from './relocate';
