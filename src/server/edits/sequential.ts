/**
 * Fallback for SEARCH/REPLACE blocks that build on each other: aider and
 * Cline apply blocks one after another, so a block's SEARCH may contain text
 * an earlier block for the same file wrote. Tried only when every refusal of
 * the one-pass apply (each block located in the original) is a block not
 * found there. The blocks are then applied one after another, in answer
 * order, each located in the text the earlier ones left, with the same
 * levels and the same uniqueness rule, so the result is that of applying
 * them in sequence. A block that was found in the original must be found on
 * the very same lines, untouched by earlier blocks, at the same level; if
 * not, or if a block is not found either way, the one-pass refusals stand.
 */
import { splitFile } from '../../shared/diff';
import type { EditFailure } from '../../shared/edits';
import { LineIndex } from './lineIndex';
import { locateHunk, type Located } from './locate';
import { hunkWhere, placeholderFailure, spliceHunks, type HunksResult, type Placed } from './splice';
import type { PatchHunk } from './types';

const LATER_TEXT_NOTE =
  'These lines occur only once the earlier SEARCH/REPLACE blocks for this file are applied; the line numbers count in that text.';

function eligible(hunk: PatchHunk): boolean {
  return hunk.label === 'SEARCH/REPLACE block' && hunk.body.kind === 'pair' && hunk.body.search.some((line) => line.trim() !== '');
}

/** Whether `located` is exactly the original's `before`: same level, same lines, none of them written by an earlier block. */
function samePlace(located: Located, before: Located, origin: readonly number[]): boolean {
  if (located.level !== before.level || located.length !== before.length) return false;
  for (let t = 0; t < before.length; t++) {
    if (origin[located.start + t] !== before.start + t) return false;
  }
  return true;
}

/**
 * Applies `hunks` one after another (see above). `found`: the blocks located
 * in the original; `missing`: the others with their refusal; `failures`: the
 * one-pass refusals. Undefined when the fallback does not change them.
 */
export function applySequentially(
  path: string,
  text: string,
  hunks: readonly PatchHunk[],
  found: readonly Placed[],
  missing: ReadonlyMap<PatchHunk, EditFailure>,
  failures: readonly EditFailure[],
): HunksResult | undefined {
  if (missing.size === 0 || !hunks.every(eligible)) return undefined;
  const original = new Map(found.map((entry) => [entry.hunk, entry.located] as const));
  const resolved = new Set<EditFailure>();
  /** The one-pass refusals, without those of blocks found later, with `hunk`'s replaced by `failure`. */
  const refuse = (hunk: PatchHunk, failure: EditFailure): HunksResult => {
    const replaced = missing.get(hunk);
    return { ok: false, failures: failures.filter((f) => !resolved.has(f)).map((f) => (f === replaced ? failure : f)) };
  };
  let current = text;
  /** For each line of `current`: the original line it is, or -1 for a line written by a block. */
  let origin = splitFile(text).lines.map((_, i) => i);
  for (const [i, hunk] of hunks.entries()) {
    const file = splitFile(current);
    const where = hunkWhere(path, hunk, i + 1);
    const before = original.get(hunk);
    // Line numbers count in the original, not in this text: they break no tie for a block found only here.
    const result = locateHunk(new LineIndex(file.lines), hunk, where, path, before === undefined);
    if (!result.ok) {
      if (before === undefined && result.failure.kind === 'ambiguous') {
        return refuse(hunk, { ...result.failure, message: `${result.failure.message}\n${LATER_TEXT_NOTE}` });
      }
      return undefined;
    }
    if (before !== undefined && !samePlace(result.located, before, origin)) return undefined;
    const entry: Placed = { hunk, where, located: result.located };
    const placeholder = placeholderFailure(path, entry, file);
    if (placeholder) return before === undefined ? refuse(hunk, placeholder) : undefined;
    current = spliceHunks(file, [entry]);
    const { start, length, ops } = result.located;
    const written = ops.filter((line) => line.op !== '-').length;
    origin = [...origin.slice(0, start), ...new Array<number>(written).fill(-1), ...origin.slice(start + length)];
    const failure = missing.get(hunk);
    if (failure) resolved.add(failure);
  }
  return { ok: true, text: current };
}
