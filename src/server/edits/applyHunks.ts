/**
 * Applies the hunks of one file update: each is located against the original
 * text (so their order in the model output does not matter), checked for
 * elision placeholders and overlaps, then all are spliced in one pass (see
 * splice.ts).
 */
import type { FileLines } from '../../shared/diff';
import type { EditFailure } from '../../shared/edits';
import { FileText } from './fileText';
import { LineIndex } from './lineIndex';
import { locateHunk } from './locate';
import { applySequentially } from './sequential';
import { hunkWhere, placeholderFailure, spliceHunks, type HunksResult, type Placed } from './splice';
import type { PatchHunk } from './types';

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

/**
 * Applies `hunks` to `text` (the file at `path`); all or nothing. When some
 * SEARCH/REPLACE blocks are not in the original text, they are tried again
 * in the text left by the earlier blocks (see sequential.ts). `split` reads
 * the text's lines: the indexed text, or (for the tests' oracle)
 * `splitFile`, whose line arrays give the same result the plain way.
 */
export function applyPatchHunks(path: string, text: string, hunks: readonly PatchHunk[], split: (text: string) => FileLines = (all) => new FileText(all)): HunksResult {
  const file = split(text);
  const index = new LineIndex(file instanceof FileText ? file : file.lines);
  const failures: EditFailure[] = [];
  const placed: Placed[] = [];
  /** Hunks not found in the original, with their refusal; undefined once another kind of failure occurs. */
  let missing: Map<PatchHunk, EditFailure> | undefined = new Map();
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
