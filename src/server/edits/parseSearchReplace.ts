/**
 * Parses SEARCH/REPLACE blocks in the aider, Cline and Roo styles:
 *
 *   src/a.ts                      (or ```ts src/a.ts, File: src/a.ts, <path>…</path>)
 *   ```ts
 *   <<<<<<< SEARCH                (Cline: ------- SEARCH)
 *   :start_line:12                (Roo, optional, then a ------- line)
 *   -------
 *   old lines
 *   =======
 *   new lines
 *   >>>>>>> REPLACE               (Cline: +++++++ REPLACE)
 *   ```
 *
 * A block without a path of its own goes to the previous block's file, else
 * to `defaultPath`. Blocks of one file become one update whose blocks are
 * located against the original text (or, failing that, in sequence: see
 * sequential.ts).
 */
import { fileLines } from '../../shared/diff';
import type { EditFailure } from '../../shared/edits';
import { findFences } from './fences';
import { looksLikeSearchReplaceMarker, namesSearchReplaceMarker } from './markers';
import { unparseable } from './messages';
import { pathFromFenceInfo, pathFromLine } from './pathHints';
import type { FileOp, ParseResult } from './types';

/** The exact markers: runs of 5–9 (aider's `SEARCH>` too). Anything else that looks like one is refused, not guessed. */
const SEARCH = /^(?:<{5,9}|-{5,9}) ?SEARCH>?\s*$/;
const DIVIDER = /^={5,9}\s*$/;
const REPLACE = /^(?:>{5,9}|\+{5,9}) ?REPLACE\s*$/;
const START_LINE = /^:start_line:\s*(\d+)\s*$/;
const END_LINE = /^:end_line:\s*(\d+)\s*$/;
/** Roo's line between `:start_line:` and the search text; without those lines only its exact 7 dashes count. */
const ROO_SEPARATOR = /^-{3,}\s*$/;
const BARE_ROO_SEPARATOR = /^-{7}\s*$/;
/** A content line that looks like a marker, escaped with a backslash (Roo): every marker form, at the line start or after indentation. */
const ESCAPED_MARKER = /^([ \t]*)\\(?=<{3,}|>{3,}|={3,}|-{3,}|\+{3,}|:start_line:|:end_line:)/;

/** The marker lines as written, to recognise an answer cut within one. */
const MARKERS = ['<<<<<<< SEARCH', '------- SEARCH', '=======', '>>>>>>> REPLACE', '+++++++ REPLACE', ':start_line:', ':end_line:'];

/** Whether text contains SEARCH/REPLACE blocks, or lines meant as their markers (so a mangled one is refused, not taken as code). */
export function looksLikeSearchReplace(text: string): boolean {
  const lines = fileLines(text).map((line) => line.trim());
  if (lines.some((line) => SEARCH.test(line)) && lines.some((line) => DIVIDER.test(line) || REPLACE.test(line))) return true;
  return lines.some(namesSearchReplaceMarker);
}

interface Block {
  path: string | undefined;
  search: string[];
  replace: string[];
  startLine?: number;
  number: number;
}

function unescape(line: string): string {
  return line.replace(ESCAPED_MARKER, '$1');
}

/** How many non-blank lines above a SEARCH line may hold its path (a fence or `<diff>` line may come between). */
const PATH_LOOKBACK = 3;

/** The path written just above the SEARCH line at `at` (and below the previous block), if any. */
function pathBefore(lines: readonly string[], at: number, fenceInfo: ReadonlyMap<number, string>, exists: (path: string) => boolean): string | undefined {
  let seen = 0;
  for (let i = at - 1; i >= 0 && seen < PATH_LOOKBACK; i--) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    seen++;
    if (REPLACE.test(line) || DIVIDER.test(line) || SEARCH.test(line)) return undefined;
    const info = fenceInfo.get(i);
    const found = info !== undefined ? pathFromFenceInfo(info, exists) : pathFromLine(line, exists);
    if (found !== undefined) return found;
  }
  return undefined;
}

type BlockEnd =
  /** The block is complete; `end` is its REPLACE line. */
  | { kind: 'complete'; end: number }
  /** The block is malformed at line `at`; parsing resumes after `resume`. */
  | { kind: 'malformed'; at: number; resume: number; message: string }
  /** The answer ends inside the block. */
  | { kind: 'unterminated' };

/** Reads the block whose SEARCH line is at `start` into `block`; `fenceClose`: the closing line of the code fence around it. */
function readBlock(lines: readonly string[], start: number, block: Block, fenceClose: number | undefined): BlockEnd {
  let j = start + 1;
  // Roo: `:start_line:N` (and `:end_line:N`) then a `-------` line.
  let sawRooHeader = false;
  for (; j < lines.length; j++) {
    const line = (lines[j] ?? '').trim();
    const startLine = START_LINE.exec(line);
    if (startLine) {
      block.startLine = Number(startLine[1]);
      sawRooHeader = true;
    } else if (END_LINE.test(line)) {
      sawRooHeader = true;
    } else {
      break;
    }
  }
  const afterHeader = (lines[j] ?? '').trim();
  if (sawRooHeader ? ROO_SEPARATOR.test(afterHeader) : BARE_ROO_SEPARATOR.test(afterHeader)) {
    j++;
  }
  const sawSeparator = j > start + 1;
  let inReplace = false;
  for (; j < lines.length; j++) {
    const raw = lines[j] ?? '';
    const line = raw.trim();
    const target = inReplace ? block.replace : block.search;
    if (j === fenceClose) {
      return { kind: 'malformed', at: j, resume: j, message: `its code block closes (line ${j + 1}) before its “>>>>>>> REPLACE” line` };
    }
    if (ESCAPED_MARKER.test(raw)) {
      target.push(unescape(raw));
      continue;
    }
    if (!inReplace && DIVIDER.test(line)) {
      inReplace = true;
      if (sawSeparator && ROO_SEPARATOR.test((lines[j + 1] ?? '').trim())) {
        return { kind: 'malformed', at: j + 1, resume: skipToReplace(lines, j + 1), message: `it has a “-------” separator line after its “=======” line (line ${j + 2}); only SEARCH has one` };
      }
      continue;
    }
    if (inReplace && REPLACE.test(line)) {
      return { kind: 'complete', end: j };
    }
    if (SEARCH.test(line)) {
      const missing = inReplace ? '“>>>>>>> REPLACE”' : '“=======” and “>>>>>>> REPLACE”';
      return { kind: 'malformed', at: j, resume: j - 1, message: `no ${missing} line before the next SEARCH line (line ${j + 1})` };
    }
    if (!inReplace && REPLACE.test(line)) {
      return { kind: 'malformed', at: j, resume: j, message: `its REPLACE line (line ${j + 1}) comes before any “=======” line` };
    }
    if (inReplace && DIVIDER.test(line)) {
      return {
        kind: 'malformed',
        at: j,
        resume: skipToReplace(lines, j),
        message: `it has a second “=======” line (line ${j + 1}), so it is unclear where SEARCH ends; a content line like that must be escaped as “\\=======”`,
      };
    }
    if (looksLikeSearchReplaceMarker(raw)) {
      return {
        kind: 'malformed',
        at: j,
        resume: skipToReplace(lines, j),
        message: `line ${j + 1} “${line}” looks like a marker but is not one this format knows; a content line like that must be escaped with a backslash`,
      };
    }
    target.push(raw);
  }
  return { kind: 'unterminated' };
}

/** Where parsing resumes after a malformed block: its REPLACE line, or the line before the next SEARCH. */
function skipToReplace(lines: readonly string[], from: number): number {
  for (let j = from + 1; j < lines.length; j++) {
    const line = (lines[j] ?? '').trim();
    if (REPLACE.test(line)) return j;
    if (SEARCH.test(line)) return j - 1;
  }
  return lines.length;
}

/**
 * Parses SEARCH/REPLACE blocks into one update operation per file. All or
 * nothing: a block with a missing, doubled or mangled marker, a marker-like
 * line outside any block, or an answer cut off inside a block or a code fence
 * is a failure, so no other block of the answer applies without it.
 */
export function parseSearchReplace(text: string, defaultPath: string | undefined, exists: (path: string) => boolean): ParseResult {
  const lines = fileLines(text);
  const failures: EditFailure[] = [];
  const fences = findFences(lines);
  const fenceInfo = new Map(fences.map((fence) => [fence.open, fence.info] as const));
  const blocks: Block[] = [];
  let currentPath: string | undefined;
  let number = 0;
  /** Whether the previous marker-like line outside blocks was already reported (one report per broken block). */
  let strayReported = false;

  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!SEARCH.test(line)) {
      if (looksLikeSearchReplaceMarker(line) && !strayReported) {
        failures.push(unparseable(`Line ${i + 1} “${line}” looks like a SEARCH/REPLACE marker but belongs to no complete block (a SEARCH line is missing or mangled). Nothing was applied.`));
        strayReported = true;
      }
      continue;
    }
    strayReported = false;
    number++;
    currentPath = pathBefore(lines, i, fenceInfo, exists) ?? currentPath;
    const block: Block = { path: currentPath ?? defaultPath, search: [], replace: [], number };
    const around = fences.find((fence) => fence.open < i && i < fence.close && fence.close < lines.length);
    const end = readBlock(lines, i, block, around?.close);
    const name = `SEARCH/REPLACE block ${number}${block.path ? ` (${block.path})` : ''}`;
    if (end.kind === 'complete') {
      blocks.push(block);
      i = end.end;
    } else if (end.kind === 'malformed') {
      failures.push(unparseable(`${name}: ${end.message}. Nothing was applied.`, blockFields(block)));
      i = end.resume;
    } else {
      const fence = fences.find((candidate) => candidate.open < i && i < candidate.close);
      if (fence && fence.close < lines.length) {
        // Its code block closed, so the answer was not cut off: the marker is missing.
        failures.push(unparseable(`${name}: no “>>>>>>> REPLACE” line after its SEARCH line. Nothing was applied.`, blockFields(block)));
      } else {
        failures.push({
          kind: 'truncation',
          ...blockFields(block),
          message: `${name}: the answer ends inside it, before its “>>>>>>> REPLACE” line, so it looks cut off. Nothing was applied.`,
        });
      }
      i = lines.length;
    }
  }
  const last = [...lines].reverse().find((line) => line.trim() !== '')?.trim() ?? '';
  if (last.length >= 5 && MARKERS.some((marker) => marker !== last && marker.startsWith(last)) && failures.every((failure) => failure.kind !== 'truncation')) {
    failures.push({ kind: 'truncation', message: `The answer ends with “${last}”, part of a SEARCH/REPLACE marker, so it looks cut off. Nothing was applied.` });
  }
  const unclosed = fences.find((fence) => fence.close >= lines.length);
  if (unclosed && failures.every((failure) => failure.kind !== 'truncation')) {
    failures.push({
      kind: 'truncation',
      message: `The code block opened at line ${unclosed.open + 1} is never closed, so the answer looks cut off. Nothing was applied.`,
    });
  }

  const ops: FileOp[] = [];
  const byPath = new Map<string, Extract<FileOp, { kind: 'update' }>>();
  for (const block of blocks) {
    if (block.path === undefined) {
      failures.push(unparseable(`SEARCH/REPLACE block ${block.number}: no file path is given for it (write the path on the line before the block).`, { block: block.number }));
      continue;
    }
    let op = byPath.get(block.path);
    if (!op) {
      op = { kind: 'update', path: block.path, block: block.number, hunks: [], emptySearchCreates: true };
      byPath.set(block.path, op);
      ops.push(op);
    }
    op.hunks.push({
      block: block.number,
      label: 'SEARCH/REPLACE block',
      body: { kind: 'pair', search: block.search, replace: block.replace },
      ...(block.startLine !== undefined ? { lineHint: block.startLine } : {}),
    });
  }
  if (ops.length === 0 && failures.length === 0) {
    failures.push(unparseable('No complete SEARCH/REPLACE block was found.'));
  }
  return { ops, failures };
}

function blockFields(block: Block): Partial<EditFailure> {
  return block.path === undefined ? { block: block.number } : { block: block.number, path: block.path };
}
