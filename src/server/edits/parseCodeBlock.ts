/**
 * A fenced code block (or bare code) meant as the new content of a selection
 * or of a whole file. With several fences, the one whose info string names
 * the target file is taken; otherwise the text is refused as unclear.
 */
import { findFences, type Fence } from './fences';
import { toLines } from './lines';
import { unparseable } from './messages';
import { pathFromFenceInfo, pathFromLine } from './pathHints';
import type { ParseResult } from './types';

export interface CodeBlockTarget {
  defaultPath?: string;
  selection?: { startLine: number; endLine: number };
}

function fencePath(lines: readonly string[], fence: Fence, exists: (path: string) => boolean): string | undefined {
  const fromInfo = pathFromFenceInfo(fence.info, exists);
  if (fromInfo !== undefined) return fromInfo;
  let i = fence.open - 1;
  while (i >= 0 && (lines[i] ?? '').trim() === '') i--;
  return i >= 0 ? pathFromLine(lines[i] ?? '', exists) : undefined;
}

/** Parses a code block answer into a whole-file or selection write. */
export function parseCodeBlock(text: string, target: CodeBlockTarget, exists: (path: string) => boolean): ParseResult {
  const lines = toLines(text);
  const fences = findFences(lines);
  let content: string[];
  let path: string | undefined;
  let unclosed = false;
  if (fences.length === 0) {
    content = lines;
  } else {
    let chosen: Fence | undefined;
    if (fences.length === 1) {
      chosen = fences[0];
    } else {
      const named = fences.filter((fence) => target.defaultPath !== undefined && fencePath(lines, fence, exists) === target.defaultPath);
      if (named.length === 1) chosen = named[0];
    }
    if (!chosen) {
      return {
        ops: [],
        failures: [unparseable(`The answer has ${fences.length} code blocks and none is marked as the one for ${target.defaultPath ?? 'the file'}; send a single code block.`)],
      };
    }
    content = chosen.content;
    path = fencePath(lines, chosen, exists);
    unclosed = chosen.close >= lines.length;
  }
  path ??= target.defaultPath;
  if (path === undefined) {
    return { ops: [], failures: [unparseable('The code block does not say which file it is for.')] };
  }
  const selection = path === target.defaultPath ? target.selection : undefined;
  return {
    ops: [{ kind: 'write', path, block: 1, lines: content, ...(selection ? { selection } : {}), ...(unclosed ? { unclosed } : {}) }],
    failures: [],
  };
}
