/** A line diff with no dependencies: Myers hunks, applying them, finding them again in a changed text. */
export { detectEol, sameLines, splitLines, splitText, type Eol, type SplitText } from './text';
export { diffSequences, type ChangeRegion } from './myers';
export { applyHunks, applyReplacements, countChanges, diffLines, hunkReplacement, replacementsFor, type Hunk, type PlacedHunk, type Position, type TextReplacement } from './hunks';
export { CONTEXT_LINES, relocateHunk, withContext, type ContextHunk, type Relocation } from './relocate';
