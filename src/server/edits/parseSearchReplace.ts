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
import type { EditFailure } from '../../shared/edits';
import { findFences } from './fences';
import { toLines } from './lines';
import { unparseable } from './messages';
import { pathFromFenceInfo, pathFromLine } from './pathHints';
import type { FileOp, ParseResult } from './types';

const SEARCH = /^(?:<{5,9}|-{5,9}) ?SEARCH\s*$/;
const DIVIDER = /^={5,9}\s*$/;
const REPLACE = /^(?:>{5,9}|\+{5,9}) ?REPLACE\s*$/;
const START_LINE = /^:start_line:\s*(\d+)\s*$/;
const END_LINE = /^:end_line:\s*(\d+)\s*$/;
/** Roo's line between `:start_line:` and the search text; without those lines only its exact 7 dashes count. */
const ROO_SEPARATOR = /^-{3,}\s*$/;
const BARE_ROO_SEPARATOR = /^-{7}\s*$/;
/** Roo escapes marker-looking content lines with a backslash. */
const ESCAPED_MARKER = /^\\((?:<{5,9}|-{5,9}) ?SEARCH|={5,9}|(?:>{5,9}|\+{5,9}) ?REPLACE|:start_line:|:end_line:|-{3,}\s*$)/;

/** Whether text contains SEARCH/REPLACE blocks. */
export function looksLikeSearchReplace(text: string): boolean {
  const lines = toLines(text).map((line) => line.trim());
  return lines.some((line) => SEARCH.test(line)) && lines.some((line) => DIVIDER.test(line) || REPLACE.test(line));
}

interface Block {
  path: string | undefined;
  search: string[];
  replace: string[];
  startLine?: number;
  number: number;
}

function unescape(line: string): string {
  return ESCAPED_MARKER.test(line) ? line.slice(1) : line;
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

/** Parses SEARCH/REPLACE blocks into one update operation per file. */
export function parseSearchReplace(text: string, defaultPath: string | undefined, exists: (path: string) => boolean): ParseResult {
  const lines = toLines(text);
  const failures: EditFailure[] = [];
  const fenceInfo = new Map(findFences(lines).map((fence) => [fence.open, fence.info] as const));
  const blocks: Block[] = [];
  let currentPath: string | undefined;
  let number = 0;

  for (let i = 0; i < lines.length; i++) {
    if (!SEARCH.test((lines[i] ?? '').trim())) {
      continue;
    }
    number++;
    currentPath = pathBefore(lines, i, fenceInfo, exists) ?? currentPath;
    const block: Block = { path: currentPath ?? defaultPath, search: [], replace: [], number };
    let j = i + 1;
    // Roo: `:start_line:N` (and `:end_line:N`) then a `-------` line.
    let sawRooHeader = false;
    for (; j < lines.length; j++) {
      const line = (lines[j] ?? '').trim();
      const start = START_LINE.exec(line);
      if (start) {
        block.startLine = Number(start[1]);
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
    let divider = -1;
    let end = -1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (divider < 0 && DIVIDER.test(line.trim())) {
        divider = j;
      } else if (divider >= 0 && REPLACE.test(line.trim())) {
        end = j;
        break;
      } else if (SEARCH.test(line.trim())) {
        break;
      } else if (divider < 0) {
        block.search.push(unescape(line));
      } else {
        block.replace.push(unescape(line));
      }
    }
    if (divider < 0 || end < 0) {
      const missing = divider < 0 ? '“=======”' : '“>>>>>>> REPLACE”';
      failures.push(unparseable(`SEARCH/REPLACE block ${number}${block.path ? ` (${block.path})` : ''}: no ${missing} line after its SEARCH line.`, blockFields(block)));
      i = Math.max(i, j - 1);
      continue;
    }
    blocks.push(block);
    i = end;
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
