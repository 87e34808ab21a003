/**
 * A fenced code block (or bare code) meant as the new content of a selection
 * or of a whole file. With several fences, the one naming the target file is
 * taken; without a target, fences that each name a different file are one
 * write each; otherwise the text is refused as unclear. Bare text that ends
 * with a path hint or a lead-in line (“Here is the file:”) was cut off before
 * its code, and is refused.
 */
import { fileLines } from '../../shared/diff';
import { findFences, type Fence } from './fences';
import { unparseable } from './messages';
import { isLeadInLine, isPathHintLine, pathFromFenceInfo, pathFromLine } from './pathHints';
import type { FileOp, ParseResult } from './types';

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

/** Parses a code block answer into whole-file or selection writes. */
export function parseCodeBlock(text: string, target: CodeBlockTarget, exists: (path: string) => boolean): ParseResult {
  const lines = fileLines(text);
  const fences = findFences(lines);
  if (fences.length === 0) {
    const first = lines.find((line) => line.trim() !== '') ?? '';
    if (startsLikeEdit(first)) {
      return { ops: [], failures: [unparseable(`The answer starts with “${first.trim()}”, like an edit in a patch, diff or SEARCH/REPLACE format, but it is not one (it may be cut off). Nothing was applied.`)] };
    }
    const last = [...lines].reverse().find((line) => line.trim() !== '') ?? '';
    if (isPathHintLine(last, target.defaultPath, exists) || isLeadInLine(last)) {
      return {
        ops: [],
        failures: [{ kind: 'truncation', message: `The answer ends with “${last.trim()}” and no code after it, so it looks cut off. Nothing was applied.` }],
      };
    }
    return write(lines, target.defaultPath, target, false);
  }
  const nested = fences.find((fence) => nestedFence(fence) >= 0);
  if (nested) {
    const at = nested.open + 2 + nestedFence(nested);
    return {
      ops: [],
      failures: [unparseable(`The code block opened at line ${nested.open + 1} contains the fence line “${(lines[at - 1] ?? '').trim()}” (line ${at}): a closing fence is probably missing or mangled. Nothing was applied.`)],
    };
  }
  if (fences.length === 1) {
    const only = fences[0] as Fence;
    return write(only.content, fencePath(lines, only, exists) ?? target.defaultPath, target, only.close >= lines.length);
  }
  const paths = fences.map((fence) => fencePath(lines, fence, exists));
  const named = fences.filter((_, i) => target.defaultPath !== undefined && paths[i] === target.defaultPath);
  if (named.length === 1) {
    const chosen = named[0] as Fence;
    return write(chosen.content, target.defaultPath, target, chosen.close >= lines.length);
  }
  if (target.defaultPath === undefined && paths.every((path) => path !== undefined) && new Set(paths).size === paths.length) {
    const ops: FileOp[] = fences.map((fence, i) => writeOp(fence.content, paths[i] ?? '', i + 1, undefined, fence.close >= lines.length));
    return { ops, failures: [] };
  }
  return {
    ops: [],
    failures: [unparseable(`The answer has ${fences.length} code blocks and none is marked as the one for ${target.defaultPath ?? 'the file'}; send a single code block.`)],
  };
}

/** The first lines of edit formats; a bare answer starting with (a piece of) one is a mangled or cut-off edit. */
const EDIT_STARTS = ['*** Begin Patch', '*** Update File:', '*** Add File:', '*** Delete File:', '<<<<<<< SEARCH', '------- SEARCH', 'diff --git ', '--- a/', '--- /dev/null', '@@ '];

function startsLikeEdit(line: string): boolean {
  const text = line.trim();
  return text.length >= 3 && EDIT_STARTS.some((start) => start.startsWith(text) || text.startsWith(start));
}

/** A line of the fence's own kind at least as long: a nested block, or this block's closing fence mangled and the next block's swallowed. */
function nestedFence(fence: Fence): number {
  const marker = /^\s{0,3}(`{3,}|~{3,})/;
  const own = marker.exec(fence.openLine)?.[1] ?? '```';
  return fence.content.findIndex((line) => {
    const run = marker.exec(line)?.[1];
    return run !== undefined && run[0] === own[0] && run.length >= own.length;
  });
}

function writeOp(content: string[], path: string, block: number, selection: CodeBlockTarget['selection'], unclosed: boolean): FileOp {
  return { kind: 'write', path, block, lines: content, ...(selection ? { selection } : {}), ...(unclosed ? { unclosed } : {}) };
}

function write(content: string[], path: string | undefined, target: CodeBlockTarget, unclosed: boolean): ParseResult {
  if (path === undefined) {
    return { ops: [], failures: [unparseable('The code block does not say which file it is for.')] };
  }
  const selection = path === target.defaultPath ? target.selection : undefined;
  return { ops: [writeOp(content, path, 1, selection, unclosed)], failures: [] };
}
