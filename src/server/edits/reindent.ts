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

/**
 * A function re-indenting a line written in the model's indentation to the
 * file's. `pairs` are [model line, file line] for the lines that matched;
 * `modelLines` are all lines of the block (to learn the model's step).
 * Returns undefined when the matched lines have the same indentation (nothing to do).
 */
export function createReindenter(
  pairs: ReadonlyArray<readonly [string, string]>,
  modelLines: readonly string[],
  fileUnit: IndentUnit | undefined,
): ((line: string) => string) | undefined {
  const map = new Map<string, string>();
  let differs = false;
  for (const [modelLine, fileLine] of pairs) {
    if (modelLine.trim() === '' || fileLine.trim() === '') {
      continue;
    }
    const from = indentOf(modelLine);
    const to = indentOf(fileLine);
    differs ||= from !== to;
    if (!map.has(from)) {
      map.set(from, to);
    }
  }
  if (!differs || map.size === 0) {
    return undefined;
  }
  const modelUnit = detectIndentUnit(modelLines);
  const modelStep = modelUnit?.char === '\t' ? TAB_WIDTH : (modelUnit?.size ?? fileUnit?.size ?? TAB_WIDTH);
  const unit: IndentUnit = fileUnit ?? (modelUnit?.char === '\t' ? { char: '\t', size: 1 } : { char: ' ', size: modelStep });
  const levelsToIndent = (levels: number): string => (unit.char === '\t' ? '\t'.repeat(levels) : ' '.repeat(levels * unit.size));
  const keys = [...map.keys()].sort((a, b) => b.length - a.length);
  const shallowest = keys[keys.length - 1] ?? '';

  return (line: string): string => {
    if (line.trim() === '') {
      return line;
    }
    const indent = indentOf(line);
    const text = line.slice(indent.length);
    const exact = map.get(indent);
    if (exact !== undefined) {
      return exact + text;
    }
    const base = keys.find((key) => indent.startsWith(key));
    if (base !== undefined) {
      const levels = Math.round(columns(indent.slice(base.length)) / modelStep);
      return (map.get(base) ?? '') + levelsToIndent(levels) + text;
    }
    // Shallower than every matched line: step out from the shallowest one.
    const levels = Math.round((columns(shallowest) - columns(indent)) / modelStep);
    const target = map.get(shallowest) ?? '';
    const remove = unit.char === '\t' ? levels : levels * unit.size;
    return target.slice(0, Math.max(0, target.length - remove)) + text;
  };
}
