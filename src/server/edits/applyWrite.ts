/**
 * Applies a code block: as the new content of a selection (re-indented to the
 * selection's base indentation, refused if it elides code), or as the whole
 * file (refused by the truncation rule in truncation.ts). Line endings and the
 * final-newline state of the file are kept.
 */
import { alignLines, changedEndings, joinLines, lineOps, splitFile, type FileLines } from '../../shared/diff';
import type { EditFailure } from '../../shared/edits';
import { stripLineNumbers } from './lineNumbers';
import { indentOf } from './normalize';
import { findElision } from './placeholders';
import { elisionFailure, truncationFailure } from './refusals';
import { truncationReason } from './truncation';
import type { FileOp } from './types';

type WriteOp = Extract<FileOp, { kind: 'write' }>;

export type WriteResult = { ok: true; kind: 'add' | 'update'; text: string } | { ok: false; failure: EditFailure };

/** The code lines without copied line numbers, unless the file itself has such lines. */
function withoutLineNumbers(lines: readonly string[], fileLines: readonly string[]): string[] {
  const stripped = stripLineNumbers(lines, true);
  if (!stripped) {
    return [...lines];
  }
  const sample = fileLines.slice(0, Math.min(fileLines.length, lines.length, 5));
  return sample.length > 0 && stripLineNumbers(sample, false, stripped.style) ? [...lines] : stripped.lines;
}

/** The longest leading whitespace shared by all non-blank lines. */
function commonIndent(lines: readonly string[]): string {
  let common: string | undefined;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = indentOf(line);
    if (common === undefined) {
      common = indent;
    } else {
      let i = 0;
      while (i < common.length && i < indent.length && common[i] === indent[i]) i++;
      common = common.slice(0, i);
    }
  }
  return common ?? '';
}

/** Moves code written at its own base indentation to the selection's. */
function rebase(lines: readonly string[], selection: readonly string[]): string[] {
  const from = commonIndent(lines);
  const to = commonIndent(selection);
  if (from === to || selection.every((line) => line.trim() === '')) {
    return [...lines];
  }
  return lines.map((line) => (line.trim() === '' ? line : to + line.slice(from.length)));
}

/**
 * Line endings for a whole-file rewrite: in a file that mixes endings, lines
 * the rewrite keeps (and lines it replaces one for one) keep their own; in
 * any other file (or one too large to align) every line takes the file's.
 */
function wholeFileEndings(file: FileLines, lines: readonly string[]): (string | undefined)[] {
  const mixed = file.eols.some((eol) => eol !== '' && eol !== file.eol);
  const regions = mixed ? alignLines(file.lines, lines) : undefined;
  return regions ? changedEndings(lineOps(file.lines, lines, regions), file.eols, 0) : [];
}

/** Applies a code-block write to `text` (undefined: the file does not exist). */
export function applyWrite(op: WriteOp, text: string | undefined): WriteResult {
  const where = op.selection ? `${op.path}, selected lines ${op.selection.startLine + 1}–${op.selection.endLine}` : op.path;
  if (op.unclosed) {
    // Even for a new or empty file: the rest of the code never arrived.
    return { ok: false, failure: truncationFailure(op.path, op.block, 'its code block is never closed, so the answer was probably cut off') };
  }
  if (text === undefined) {
    if (op.selection) {
      return { ok: false, failure: { kind: 'missingFile', path: op.path, block: op.block, message: `${op.path}: the file does not exist, so its selection cannot be replaced.` } };
    }
    return { ok: true, kind: 'add', text: joinLines(op.lines, [], '\n', true) };
  }
  const file = splitFile(text);
  const lines = withoutLineNumbers(op.lines, file.lines);
  if (!op.selection) {
    const reason = truncationReason(file.lines, lines, false);
    if (reason !== undefined) {
      return { ok: false, failure: truncationFailure(op.path, op.block, reason) };
    }
    return { ok: true, kind: 'update', text: joinLines(lines, wholeFileEndings(file, lines), file.eol, file.lines.length === 0 || file.finalNewline) };
  }
  const { startLine, endLine } = op.selection;
  const n = file.lines.length;
  if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 0 || endLine < startLine || endLine > n) {
    return {
      ok: false,
      failure: { kind: 'notFound', path: op.path, block: op.block, message: `${where}: the selection is outside the file, which has ${n} line(s).` },
    };
  }
  const selected = file.lines.slice(startLine, endLine);
  const ops = lineOps(selected, rebase(lines, selected));
  const elision = findElision(ops);
  if (elision) {
    return { ok: false, failure: elisionFailure(op.path, where, op.block, elision, file.lines, startLine) };
  }
  const outLines = file.lines.slice(0, startLine);
  const outEols: (string | undefined)[] = [...file.eols.slice(0, startLine), ...changedEndings(ops, file.eols, startLine)];
  let t = startLine;
  for (const line of ops) {
    if (line.op === ' ') {
      outLines.push(file.lines[t] ?? line.text);
      t++;
    } else if (line.op === '-') {
      t++;
    } else {
      outLines.push(line.text);
    }
  }
  outLines.push(...file.lines.slice(endLine));
  outEols.push(...file.eols.slice(endLine));
  return { ok: true, kind: 'update', text: joinLines(outLines, outEols, file.eol, outLines.length > 0 && (n === 0 || file.finalNewline)) };
}
