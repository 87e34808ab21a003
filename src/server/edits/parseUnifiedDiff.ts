/**
 * Parses unified diffs: `git diff` output and plain `---`/`+++` diffs, with
 * several files, `/dev/null` for added and deleted files, `rename from/to`,
 * `\ No newline at end of file`, and hunk headers whose numbers may be wrong
 * or missing (`@@ ... @@`). Header numbers never place a hunk by themselves:
 * the hunk's lines do; a number only picks among several exact candidates
 * when one of them is exactly at that line (see locate.ts).
 *
 * Cut-off answers are refused (`truncation`): a code fence that is never
 * closed, or a last hunk that ends with the text before it has the lines its
 * header announces. Lines that look like hunk lines but belong to no hunk
 * (after a mangled header, between hunks) are refused rather than dropped.
 */
import { posix } from 'node:path';
import { fileLines, type HunkLine } from '../../shared/diff';
import type { EditFailure } from '../../shared/edits';
import { findFences } from './fences';
import { unparseable } from './messages';
import type { FileOp, ParseResult, PatchHunk } from './types';

const GIT_HEADER = /^diff --git (.+)$/;
const OLD_HEADER = /^--- (.+)$/;
const NEW_HEADER = /^\+\+\+ (.+)$/;
const HUNK_HEADER = /^@@+\s*-(\d+)(?:,(\d+))?\s+\+(\d+)(?:,(\d+))?\s*@@+\s?(.*)$/;
const LOOSE_HUNK_HEADER = /^@@(?:[^@]*@@\s?(.*))?.*$/;
const DEV_NULL = '/dev/null';

/** Whether text looks like a unified diff. */
export function looksLikeUnifiedDiff(text: string): boolean {
  return /^diff --git /m.test(text) || /^--- .+\r?\n\+\+\+ .+/m.test(text) || /^@@ .*@@/m.test(text);
}

interface FileRecord {
  gitOld?: string;
  gitNew?: string;
  oldPath?: string;
  newPath?: string;
  created: boolean;
  deleted: boolean;
  renameFrom?: string;
  renameTo?: string;
  binary: boolean;
  hunks: PatchHunk[];
  /** Block number for file-level operations. */
  block: number;
}

/** A path from a `---`/`+++` line: without a timestamp after a tab, quotes. */
function headerPath(raw: string): string {
  let text = raw.split('\t')[0] ?? raw;
  text = text.trim();
  if (text.length > 1 && text.startsWith('"') && text.endsWith('"')) {
    text = text.slice(1, -1);
  }
  return text;
}

function stripPrefix(pathText: string | undefined, prefix: 'a/' | 'b/'): string | undefined {
  return pathText !== undefined && pathText.startsWith(prefix) ? pathText.slice(2) : pathText;
}

/** The two paths of `diff --git a/x b/x` (symmetric split first, so paths may contain spaces). */
function gitPaths(rest: string): [string, string] | undefined {
  const unquoted = rest.replace(/"/g, '');
  const half = (unquoted.length - 1) / 2;
  if (Number.isInteger(half)) {
    const left = unquoted.slice(0, half);
    const right = unquoted.slice(half + 1);
    if (left.startsWith('a/') && right.startsWith('b/') && left.slice(2) === right.slice(2)) {
      return [left.slice(2), right.slice(2)];
    }
  }
  const match = /^a\/(.+?) b\/(.+)$/.exec(unquoted);
  return match ? [match[1] ?? '', match[2] ?? ''] : undefined;
}

/** Parses a unified diff into file operations. `defaultPath` is for hunks without file headers. */
export function parseUnifiedDiff(text: string, defaultPath: string | undefined, exists: (path: string) => boolean): ParseResult {
  const lines = fileLines(text);
  const records: FileRecord[] = [];
  const failures: EditFailure[] = [];
  let block = 0;
  let current: FileRecord | undefined;
  const startFile = (): FileRecord => {
    current = { created: false, deleted: false, binary: false, hunks: [], block: 0 };
    records.push(current);
    return current;
  };
  /** Lines that look like hunk lines but are in no hunk. */
  const stray: number[] = [];
  /** The last header or hunk line: stray lines before it are inside the diff, not prose after it. */
  let lastDiffLine = -1;
  let cutHunk: number | undefined;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const git = GIT_HEADER.exec(line);
    if (git) {
      lastDiffLine = i;
      const file = startFile();
      const paths = gitPaths(git[1] ?? '');
      if (paths) [file.gitOld, file.gitNew] = paths;
      continue;
    }
    const oldHeader = OLD_HEADER.exec(line);
    const newHeader = oldHeader ? NEW_HEADER.exec(lines[i + 1] ?? '') : null;
    if (oldHeader && newHeader) {
      lastDiffLine = i + 1;
      const file = current && current.oldPath === undefined && current.hunks.length === 0 ? current : startFile();
      file.oldPath = headerPath(oldHeader[1] ?? '');
      file.newPath = headerPath(newHeader[1] ?? '');
      i++;
      continue;
    }
    if (/^(?:---|\+\+\+) /.test(line) && !current) {
      // A file header without its partner (--- without +++): mangled, unless it is prose after the diff.
      stray.push(i);
      continue;
    }
    if (line.startsWith('@@')) {
      const file = current ?? startFile();
      const read = readHunk(lines, i, file, ++block);
      if (read.short && read.next >= lines.length) cutHunk = block;
      i = read.next - 1;
      lastDiffLine = i;
      continue;
    }
    if (!current) continue;
    if (/^new file mode /.test(line)) current.created = true;
    else if (/^deleted file mode /.test(line)) current.deleted = true;
    else if (/^rename from /.test(line)) current.renameFrom = line.slice('rename from '.length).trim();
    else if (/^rename to /.test(line)) current.renameTo = line.slice('rename to '.length).trim();
    else if (/^Binary files .* differ$/.test(line) || line === 'GIT binary patch') current.binary = true;
    else if (/^[-+ @]/.test(line) && line.trim() !== '') stray.push(i);
  }

  const fences = findFences(lines);
  const unclosed = fences.find((fence) => fence.close >= lines.length);
  if (unclosed) {
    failures.push({ kind: 'truncation', message: `The code block opened at line ${unclosed.open + 1} is never closed, so the answer looks cut off. Nothing was applied.` });
  } else if (cutHunk !== undefined) {
    failures.push({
      kind: 'truncation',
      block: cutHunk,
      message: `Hunk ${cutHunk} has fewer lines than its “@@” header announces and the answer ends there, so it looks cut off. Nothing was applied.`,
    });
  }
  const inFence = (i: number): boolean => fences.some((fence) => fence.open < i && i < fence.close);
  const misplaced = stray.find((i) => i < lastDiffLine || inFence(i));
  if (misplaced !== undefined) {
    failures.push(
      unparseable(
        `Diff line ${misplaced + 1} “${lines[misplaced] ?? ''}” belongs to no hunk (its “@@” or “---”/“+++” header is missing or mangled), so it would be dropped. Nothing was applied.`,
      ),
    );
  }

  const ops: FileOp[] = [];
  for (const file of records) {
    if (file.block === 0) file.block = file.hunks[0]?.block ?? ++block;
    const op = toOperation(file, defaultPath, exists, failures);
    if (op) ops.push(op);
  }
  if (ops.length === 0 && failures.length === 0) {
    failures.push(unparseable('The diff has no hunks (“@@ … @@” followed by lines starting with “ ”, “-” or “+”).'));
  }
  return { ops, failures };
}

/**
 * Reads the hunk whose header is at `start` into `file`: `next` is the index
 * after it; `short` when it has fewer old or new lines than its header says.
 */
function readHunk(lines: readonly string[], start: number, file: FileRecord, block: number): { next: number; short: boolean } {
  const header = lines[start] ?? '';
  const numbered = HUNK_HEADER.exec(header);
  const heading = (numbered ? numbered[5] : LOOSE_HUNK_HEADER.exec(header)?.[1])?.trim() ?? '';
  const hunk: PatchHunk = { block, label: 'hunk', body: { kind: 'ops', ops: [] } };
  if (numbered && numbered[2] !== '0') hunk.lineHint = Number(numbered[1]);
  if (heading !== '') {
    hunk.anchors = [heading];
    hunk.anchorsOptional = true;
  }
  const ops: HunkLine[] = [];
  let trailingBare = 0;
  let i = start + 1;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('@@') || GIT_HEADER.test(line) || (OLD_HEADER.test(line) && NEW_HEADER.test(lines[i + 1] ?? ''))) {
      break;
    }
    if (line.startsWith('\\ ')) {
      const previous = ops[ops.length - 1];
      if (previous?.op !== '+') hunk.oldNoFinalNewline = true;
      if (previous?.op !== '-') hunk.newNoFinalNewline = true;
      continue;
    }
    if (line === '') {
      ops.push({ op: ' ', text: '' });
      trailingBare++;
      continue;
    }
    const first = line[0];
    if (first !== ' ' && first !== '-' && first !== '+') {
      break;
    }
    ops.push({ op: first, text: line.slice(1) });
    trailingBare = 0;
  }
  // Counted before trailing empty lines are dropped: they may be the hunk's last context lines.
  const short = numbered !== null && (count(ops, '+') < declared(numbered[2]) || count(ops, '-') < declared(numbered[4]));
  ops.splice(ops.length - trailingBare);
  hunk.body = { kind: 'ops', ops };
  if (ops.some((line) => line.op !== ' ') || hunk.oldNoFinalNewline !== hunk.newNoFinalNewline) {
    file.hunks.push(hunk);
  }
  return { next: i, short };
}

/** A header's line count (absent means 1). */
function declared(countText: string | undefined): number {
  return countText === undefined ? 1 : Number(countText);
}

/** Lines of a hunk's old side (`without` '+') or new side (`without` '-'). */
function count(ops: readonly HunkLine[], without: '+' | '-'): number {
  return ops.filter((line) => line.op !== without).length;
}

function toOperation(file: FileRecord, defaultPath: string | undefined, exists: (path: string) => boolean, failures: EditFailure[]): FileOp | undefined {
  const plainPrefixes =
    (file.oldPath === DEV_NULL || file.oldPath?.startsWith('a/')) && (file.newPath === DEV_NULL || file.newPath?.startsWith('b/'));
  const strip = file.gitOld !== undefined || plainPrefixes;
  const oldPath = strip ? stripPrefix(file.oldPath, 'a/') : file.oldPath;
  const newPath = strip ? stripPrefix(file.newPath, 'b/') : file.newPath;
  const created = file.created || oldPath === DEV_NULL;
  const deleted = file.deleted || newPath === DEV_NULL;
  const same = (a: string, b: string): boolean => posix.normalize(a.replace(/\\/g, '/')) === posix.normalize(b.replace(/\\/g, '/'));
  const disagrees = (header: string | undefined, git: string | undefined): boolean => header !== undefined && header !== DEV_NULL && git !== undefined && !same(header, git);
  if (file.renameFrom === undefined && (disagrees(oldPath, file.gitOld) || disagrees(newPath, file.gitNew))) {
    // git would refuse this too: the headers name different files, so one of them is mangled.
    const named = [file.gitOld, oldPath, newPath].filter((name, i, all) => name !== undefined && all.indexOf(name) === i).join('”, “');
    failures.push(unparseable(`The diff's “diff --git” and “---”/“+++” lines name different files (“${named}”), so it is unclear which file it changes. Nothing was applied.`, { block: file.block }));
    return undefined;
  }
  let source = file.renameFrom ?? (oldPath !== DEV_NULL ? oldPath : undefined) ?? file.gitOld;
  let target = file.renameTo ?? (newPath !== DEV_NULL ? newPath : undefined) ?? file.gitNew;
  if (file.gitOld === undefined && file.renameFrom === undefined && source !== undefined && target !== undefined && source !== target) {
    // A plain diff (`diff -u a.txt.orig a.txt`) names two versions of one file, not a rename: patch the one that exists.
    source = exists(source) || !exists(target) ? source : target;
    target = source;
  }
  const path = (created ? target : source) ?? defaultPath;
  if (path === undefined) {
    failures.push(unparseable('The diff has a hunk without a file name (no “--- a/file” / “+++ b/file” lines before it).', { block: file.block }));
    return undefined;
  }
  if (file.binary) {
    failures.push(unparseable(`${path}: binary diffs are not supported.`, { path, block: file.block }));
    return undefined;
  }
  if (file.oldPath !== undefined && file.hunks.length === 0 && file.renameFrom === undefined) {
    // A ---/+++ header names the file, but no hunk with a change follows: cut off, or its hunks were mangled.
    failures.push(unparseable(`${path}: its “---”/“+++” header is followed by no hunk with a change, so there is nothing to apply for it. Nothing was applied.`, { path, block: file.block }));
    return undefined;
  }
  if (created) {
    const added: string[] = [];
    for (const hunk of file.hunks) {
      if (hunk.body.kind === 'ops') added.push(...hunk.body.ops.filter((line) => line.op !== '-').map((line) => line.text));
    }
    const last = file.hunks[file.hunks.length - 1];
    return { kind: 'add', path, block: file.block, lines: added, finalNewline: !last?.newNoFinalNewline };
  }
  if (deleted) {
    return { kind: 'delete', path, block: file.block };
  }
  const op: FileOp = { kind: 'update', path, block: file.block, hunks: file.hunks };
  if (target !== undefined && target !== path) op.moveTo = target;
  if (file.hunks.length === 0 && op.moveTo === undefined) {
    return undefined;
  }
  return op;
}
