/**
 * Re-indentation of added lines when a block was found with different
 * indentation than the model wrote (e.g. it dropped a class's indentation, or
 * used spaces where the file uses tabs): each added line keeps its indentation
 * relative to the matched lines, expressed in the file's own style.
 */
import { indentOf } from './normalize';

export interface IndentUnit {
  char: '\t' | ' ';
  /** Spaces per level (1 for tabs). */
  size: number;
}

const TAB_WIDTH = 4;

function columns(indent: string): number {
  let width = 0;
  for (const ch of indent) {
    width += ch === '\t' ? TAB_WIDTH : 1;
  }
  return width;
}

/** The most common positive step between consecutive indentation widths, at least 1. */
function commonStep(widths: readonly number[]): number | undefined {
  const steps = new Map<number, number>();
  for (let i = 1; i < widths.length; i++) {
    const step = Math.abs((widths[i] ?? 0) - (widths[i - 1] ?? 0));
    if (step > 0) {
      steps.set(step, (steps.get(step) ?? 0) + 1);
    }
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && best !== undefined && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}

/** How `lines` indent: tabs, or spaces with the most common step. Undefined when nothing is indented. */
export function detectIndentUnit(lines: readonly string[]): IndentUnit | undefined {
  let tabs = 0;
  let spaces = 0;
  const widths: number[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      continue;
    }
    const indent = indentOf(line);
    if (indent.startsWith('\t')) tabs++;
    else if (indent.startsWith(' ')) spaces++;
    widths.push(columns(indent));
  }
  if (tabs === 0 && spaces === 0) {
    return undefined;
  }
  if (tabs > spaces) {
    return { char: '\t', size: 1 };
  }
  return { char: ' ', size: commonStep(widths) ?? 4 };
}

/** A matched line: as the model wrote it, as the file has it, and (optionally) its position in the hunk. */
export type IndentPair = readonly [model: string, file: string, at?: number];

/**
 * A function re-indenting a line written in the model's indentation to the
 * file's. `pairs` are the lines that matched; `modelLines` are all lines of
 * the block (to learn the model's step). Given the line's position `at` in
 * the hunk, a line follows its nearest matched line (the one above first)
 * with the same model indentation, so in a file that mixes tabs and spaces an
 * inserted sibling takes its neighbours' indentation. Returns undefined when
 * the matched lines have the same indentation (nothing to do).
 */
export function createReindenter(
  pairs: readonly IndentPair[],
  modelLines: readonly string[],
  fileUnit: IndentUnit | undefined,
): ((line: string, at?: number) => string) | undefined {
  const matched: { from: string; to: string; at: number }[] = [];
  let differs = false;
  for (const [i, [modelLine, fileLine, at]] of pairs.entries()) {
    if (modelLine.trim() === '' || fileLine.trim() === '') {
      continue;
    }
    const from = indentOf(modelLine);
    const to = indentOf(fileLine);
    differs ||= from !== to;
    matched.push({ from, to, at: at ?? i });
  }
  if (!differs || matched.length === 0) {
    return undefined;
  }
  const modelUnit = detectIndentUnit(modelLines);
  const modelStep = modelUnit?.char === '\t' ? TAB_WIDTH : (modelUnit?.size ?? fileUnit?.size ?? TAB_WIDTH);
  const unit: IndentUnit = fileUnit ?? (modelUnit?.char === '\t' ? { char: '\t', size: 1 } : { char: ' ', size: modelStep });
  /** Extra levels in the style of the line they are added to (tabs after a tab-indented line, spaces after a space-indented one). */
  const levelsAfter = (base: string, levels: number): string => {
    const char = base.endsWith('\t') ? '\t' : base.endsWith(' ') ? ' ' : unit.char;
    return char === '\t' ? '\t'.repeat(levels) : ' '.repeat(levels * (unit.char === ' ' ? unit.size : modelStep));
  };
  /** The matched lines ordered by distance from `at`, the one above first on a tie. */
  const nearest = (at: number | undefined): typeof matched =>
    at === undefined ? matched : [...matched].sort((a, b) => Math.abs(a.at - at) - Math.abs(b.at - at) || a.at - b.at);
  const shallowest = matched.reduce((best, pair) => (pair.from.length < best.from.length ? pair : best));

  return (line: string, at?: number): string => {
    if (line.trim() === '') {
      return line;
    }
    const indent = indentOf(line);
    const text = line.slice(indent.length);
    const ordered = nearest(at);
    const exact = ordered.find((pair) => pair.from === indent);
    if (exact) {
      return exact.to + text;
    }
    // Deeper than a matched line: its indentation plus the extra levels; the deepest such line, nearest first.
    let base: (typeof matched)[number] | undefined;
    for (const pair of ordered) {
      if (indent.startsWith(pair.from) && (base === undefined || pair.from.length > base.from.length)) base = pair;
    }
    if (base) {
      const levels = Math.round(columns(indent.slice(base.from.length)) / modelStep);
      return base.to + levelsAfter(base.to, levels) + text;
    }
    // Shallower than every matched line: step out from the shallowest one.
    const levels = Math.round((columns(shallowest.from) - columns(indent)) / modelStep);
    const target = shallowest.to;
    const remove = target.endsWith('\t') ? levels : levels * (unit.char === ' ' ? unit.size : modelStep);
    return target.slice(0, Math.max(0, target.length - remove)) + text;
  };
}
