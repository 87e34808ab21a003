/**
 * Parses the Codex `apply_patch` format:
 *
 *   *** Begin Patch
 *   *** Update File: src/a.ts
 *   *** Move to: src/b.ts          (optional)
 *   @@ class Greeter               (optional line the hunk comes after)
 *    context
 *   -removed
 *   +added
 *   *** End of File                (optional: the hunk ends the file)
 *   *** Add File: src/new.ts       (every line '+')
 *   *** Delete File: src/old.ts
 *   *** End Patch
 *
 * Lenient about: a missing Begin line, a surrounding ``` fence or
 * `apply_patch <<'EOF'` heredoc, empty context lines without their leading
 * space, and blank lines between sections. Strict about structure: a patch
 * without `*** End Patch` is a cut-off answer (refused as `truncation`), and
 * a `***` line that is no known marker, a line outside any file section, or
 * a marker outside the patch is refused, so no part is silently dropped.
 * Several Begin…End patches in one answer are read as one.
 */
import { fileLines, type HunkLine } from '../../shared/diff';
import type { EditFailure } from '../../shared/edits';
import { heredocTerminator, isFenceLine } from './fences';
import { unparseable } from './messages';
import type { FileOp, ParseResult, PatchHunk } from './types';

const BEGIN = /^\*\*\* Begin Patch\s*$/;
const END = /^\*\*\* End Patch\s*$/;
const FILE_HEADER = /^\*\*\* (Update|Add|Delete) File:\s*(.+?)\s*$/;
const MOVE_TO = /^\*\*\* Move to:\s*(.+?)\s*$/;
const END_OF_FILE = /^\*\*\* End of File\s*$/;
/** `@@ -12,5 +12,6 @@ heading`: unified-diff style numbers some models put after @@. */
const CLOSING_FENCE = /^(`{3,}|~{3,})\s*$/;
const NUMBERED_AT = /^@@\s*-(\d+)(?:,\d+)?\s+\+\d+(?:,\d+)?\s*@@\s?(.*)$/;

/** Any line meant as an apply_patch marker, however mangled (case, spacing). */
const LOOSE_MARKER = /^\*{2,4}\s*(?:begin\s*patch|end\s*patch|(?:update|add|delete)\s*file\b|move\s*to\b|end\s*of\s*file)/i;

/** Whether text looks like an apply_patch patch (mangled markers included, so they are refused rather than taken as code). */
export function looksLikeApplyPatch(text: string): boolean {
  // Line by line: with the m flag, a leading \s* runs across every blank line after each line start (quadratic).
  return text.split('\n').some((line) => /^\*{2,4}\s*(?:begin\s*patch|(?:update|add|delete)\s*file\s*:)/i.test(line.trimStart()));
}

interface PendingHunk {
  hunk: PatchHunk;
  ops: HunkLine[];
  /** How many ops at the end came from bare empty lines (dropped if nothing follows). */
  trailingBare: number;
}

type Section =
  | { kind: 'update'; op: Extract<FileOp, { kind: 'update' }>; hunk?: PendingHunk }
  | { kind: 'add'; op: Extract<FileOp, { kind: 'add' }>; trailingBare: number }
  | { kind: 'delete' };

/** Parses an apply_patch patch into file operations. */
export function parseApplyPatch(text: string): ParseResult {
  const lines = fileLines(text);
  const ops: FileOp[] = [];
  const failures: EditFailure[] = [];
  let start = lines.findIndex((line) => BEGIN.test(line.trim()));
  if (start < 0) {
    start = lines.findIndex((line) => FILE_HEADER.test(line.trim()));
  }
  let terminator: string | undefined;
  let fenced = false;
  for (let i = 0; i < start; i++) {
    terminator = heredocTerminator(lines[i] ?? '') ?? terminator;
    fenced ||= isFenceLine(lines[i] ?? '');
  }
  let block = 0;
  let section: Section | undefined;

  const finishHunk = (): void => {
    if (section?.kind !== 'update' || !section.hunk) {
      return;
    }
    const pending = section.hunk;
    pending.ops.splice(pending.ops.length - pending.trailingBare);
    if (pending.ops.some((line) => line.op !== ' ')) {
      pending.hunk.body = { kind: 'ops', ops: pending.ops };
      section.op.hunks.push(pending.hunk);
    }
    section.hunk = undefined;
  };
  const finishSection = (): void => {
    finishHunk();
    if (section?.kind === 'update' && section.op.hunks.length === 0) {
      block = Math.max(block, section.op.block);
    }
    if (section?.kind === 'add') {
      section.op.lines.splice(section.op.lines.length - section.trailingBare);
    }
    section = undefined;
  };
  const newHunk = (anchors: string[], lineHint?: number): PendingHunk => {
    const hunk: PatchHunk = { block: ++block, label: 'hunk', body: { kind: 'ops', ops: [] } };
    if (anchors.length > 0) hunk.anchors = anchors;
    if (lineHint !== undefined) {
      hunk.lineHint = lineHint;
      hunk.anchorsOptional = true;
    }
    if (anchors.length === 0 && lineHint === undefined) hunk.appendWithoutContext = true;
    return { hunk, ops: [], trailingBare: 0 };
  };

  /** Inside a patch: after its Begin line (or, without one, its first file header) and before its End line. */
  let inPatch = false;
  let sawEnd = false;
  /** The last line reported as outside any section: the lines after it in the same run are not reported again. */
  let strayRun = -2;
  const malformed = (i: number, why: string): void => {
    const path = section?.kind === 'update' || section?.kind === 'add' ? section.op.path : undefined;
    failures.push(unparseable(`Patch line ${i + 1} “${(lines[i] ?? '').trim()}”: ${why}. Nothing was applied.`, path !== undefined ? { path } : {}));
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const marker = line.trim();
    if (!inPatch) {
      if (BEGIN.test(marker)) {
        inPatch = true;
      } else if (i === start && FILE_HEADER.test(marker)) {
        inPatch = true;
        i--;
      } else if (LOOSE_MARKER.test(marker)) {
        malformed(i, sawEnd ? 'a patch marker after “*** End Patch”' : 'a patch marker outside the patch, or a mangled one');
      }
      continue;
    }
    if (END.test(marker)) {
      finishSection();
      inPatch = false;
      sawEnd = true;
      continue;
    }
    if ((terminator !== undefined && line === terminator) || (fenced && CLOSING_FENCE.test(line))) break;
    if (BEGIN.test(marker)) {
      // The same line twice is harmless; a Begin after sections means the previous patch never ended.
      if (section !== undefined || ops.length > 0) malformed(i, 'a second “*** Begin Patch” before the first one ended');
      continue;
    }
    const header = FILE_HEADER.exec(marker);
    if (header && line.startsWith('***')) {
      finishSection();
      const path = header[2] ?? '';
      if (header[1] === 'Update') {
        const op: FileOp = { kind: 'update', path, block: block + 1, hunks: [] };
        ops.push(op);
        section = { kind: 'update', op };
      } else if (header[1] === 'Add') {
        const op: FileOp = { kind: 'add', path, block: ++block, lines: [], finalNewline: true };
        ops.push(op);
        section = { kind: 'add', op, trailingBare: 0 };
      } else {
        ops.push({ kind: 'delete', path, block: ++block });
        section = { kind: 'delete' };
      }
      continue;
    }
    const move = MOVE_TO.exec(marker);
    if (move && line.startsWith('***')) {
      if (section?.kind === 'update' && !section.hunk) {
        section.op.moveTo = move[1] ?? '';
      } else {
        malformed(i, '“*** Move to:” must directly follow an “*** Update File:” line');
      }
      continue;
    }
    if (END_OF_FILE.test(marker) && line.startsWith('***')) {
      if (section?.kind === 'update' && section.hunk) {
        section.hunk.hunk.atEnd = true;
        section.hunk.hunk.appendWithoutContext = false;
        finishHunk();
      } else {
        malformed(i, '“*** End of File” must end a hunk');
      }
      continue;
    }
    if (line.startsWith('**')) {
      // A context line keeps its leading space, so a line starting with ** is meant as a marker.
      malformed(i, 'not a marker this format knows (“*** Begin Patch”, “*** Update File:”, “*** Add File:”, “*** Delete File:”, “*** Move to:”, “*** End of File”, “*** End Patch”)');
      continue;
    }
    if (!section || section.kind === 'delete') {
      if (marker !== '' && strayRun !== i - 1) malformed(i, section ? 'a “*** Delete File” section has no lines' : 'the line belongs to no file section');
      if (marker !== '') strayRun = i;
      continue;
    }
    if (section.kind === 'add') {
      if (line.startsWith('+')) {
        section.op.lines.push(line.slice(1));
        section.trailingBare = 0;
      } else if (line.trim() === '') {
        section.op.lines.push('');
        section.trailingBare++;
      } else {
        failures.push(unparseable(`${section.op.path}: patch line ${i + 1} of an “*** Add File” section does not start with “+”:\n  ${line}`, { path: section.op.path }));
      }
      continue;
    }
    if (line.startsWith('@@')) {
      const numbered = NUMBERED_AT.exec(line);
      const anchor = numbered ? (numbered[2] ?? '').trim() : line.slice(2).trim();
      if (section.hunk && section.hunk.ops.length === 0) {
        // Stacked @@ lines: class, then method.
        if (anchor !== '') (section.hunk.hunk.anchors ??= []).push(anchor);
        if (anchor !== '') section.hunk.hunk.appendWithoutContext = false;
        continue;
      }
      finishHunk();
      section.hunk = newHunk(anchor === '' ? [] : [anchor], numbered ? Number(numbered[1]) : undefined);
      continue;
    }
    section.hunk ??= newHunk([]);
    const pending = section.hunk;
    if (line === '') {
      pending.ops.push({ op: ' ', text: '' });
      pending.trailingBare++;
      continue;
    }
    const first = line[0];
    if (first === ' ' || first === '-' || first === '+') {
      pending.ops.push({ op: first, text: line.slice(1) });
    } else {
      // A context line that lost its leading space.
      pending.ops.push({ op: ' ', text: line });
    }
    pending.trailingBare = 0;
  }
  if (inPatch) {
    failures.push({
      kind: 'truncation',
      message: 'The patch has no “*** End Patch” line, so the answer looks cut off. Nothing was applied; send the whole patch, ending with “*** End Patch”.',
    });
  }
  finishSection();
  for (const op of ops) {
    if (op.kind === 'update' && op.hunks.length === 0 && op.moveTo === undefined) {
      failures.push(unparseable(`${op.path}: the “*** Update File” section has no changes.`, { path: op.path, block: op.block }));
    }
  }
  if (ops.length === 0 && failures.length === 0) {
    failures.push(unparseable('The patch has no “*** Update File”, “*** Add File” or “*** Delete File” sections.'));
  }
  return { ops, failures };
}
