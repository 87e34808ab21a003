import { isRecord } from '../../shared/guards';
import type { DiagnosticInfo, FileText, ParseEditParams, ProposeEditParams } from '../../shared/protocol';
import { EDIT_TASKS, isDiagnosticSeverity, isEditTask } from '../../shared/vocabulary';
import type { Parsed } from '../validate';

/** Checks tandem/proposeEdit params (untrusted JSON) and returns a clean copy. Pure. */
export function parseProposeEditParams(input: unknown): Parsed<ProposeEditParams> {
  if (!isRecord(input)) {
    return fail('params must be an object');
  }
  const { streamId, task, instruction, root, path, languageId, selection, cursorLine, diagnostics, files, model } = input;
  if (typeof streamId !== 'string' || streamId === '') {
    return fail('streamId must be a non-empty string');
  }
  if (!isEditTask(task)) {
    return fail(`task must be one of ${EDIT_TASKS.join(', ')}`);
  }
  if (typeof instruction !== 'string') {
    return fail('instruction must be a string');
  }
  if ((task === 'refactor' || task === 'inline') && instruction.trim() === '') {
    return fail(`a ${task} needs an instruction`);
  }
  if (typeof root !== 'string' || typeof path !== 'string' || path === '') {
    return fail('root and path must be strings');
  }
  const cleanFiles = parseFiles(files);
  if (!cleanFiles) {
    return fail('files must be an array of {path: string, text: string}');
  }
  const value: ProposeEditParams = {
    streamId,
    task,
    instruction,
    root,
    path,
    languageId: typeof languageId === 'string' ? languageId : '',
    files: cleanFiles,
  };
  if (selection !== undefined && selection !== null) {
    const clean = parseSelection(selection);
    if (!clean) {
      return fail('selection must be {startLine, endLine} with 0 <= startLine <= endLine');
    }
    value.selection = clean;
  }
  if (isLine(cursorLine)) {
    value.cursorLine = cursorLine;
  }
  if (Array.isArray(diagnostics)) {
    value.diagnostics = (diagnostics as unknown[]).flatMap((item) => {
      const clean = parseDiagnostic(item);
      return clean ? [clean] : [];
    });
  }
  if (typeof model === 'string' && model.trim() !== '') {
    value.model = model.trim();
  }
  return { ok: true, value };
}

/** Checks tandem/parseEdit params. Pure. */
export function parseParseEditParams(input: unknown): Parsed<ParseEditParams> {
  if (!isRecord(input)) {
    return fail('params must be an object');
  }
  const { text, root, defaultPath, selection, files } = input;
  if (typeof text !== 'string' || typeof root !== 'string') {
    return fail('text and root must be strings');
  }
  const cleanFiles = parseFiles(files ?? []);
  if (!cleanFiles) {
    return fail('files must be an array of {path: string, text: string}');
  }
  const value: ParseEditParams = { text, root, files: cleanFiles };
  if (typeof defaultPath === 'string' && defaultPath !== '') {
    value.defaultPath = defaultPath;
  }
  if (selection !== undefined && selection !== null) {
    const clean = parseSelection(selection);
    if (!clean) {
      return fail('selection must be {startLine, endLine} with 0 <= startLine <= endLine');
    }
    value.selection = clean;
  }
  return { ok: true, value };
}

function parseFiles(files: unknown): FileText[] | undefined {
  if (!Array.isArray(files)) {
    return undefined;
  }
  const clean: FileText[] = [];
  for (const file of files as unknown[]) {
    if (!isRecord(file) || typeof file.path !== 'string' || typeof file.text !== 'string') {
      return undefined;
    }
    clean.push({ path: file.path, text: file.text });
  }
  return clean;
}

function parseSelection(selection: unknown): { startLine: number; endLine: number } | undefined {
  if (!isRecord(selection) || !isLine(selection.startLine) || !isLine(selection.endLine) || selection.endLine < selection.startLine) {
    return undefined;
  }
  return { startLine: selection.startLine, endLine: selection.endLine };
}

function parseDiagnostic(item: unknown): DiagnosticInfo | undefined {
  if (!isRecord(item) || !isLine(item.startLine) || !isLine(item.endLine) || typeof item.message !== 'string') {
    return undefined;
  }
  const severity = isDiagnosticSeverity(item.severity) ? item.severity : 'error';
  const clean: DiagnosticInfo = { startLine: item.startLine, endLine: item.endLine, severity, message: item.message };
  if (typeof item.source === 'string' && item.source !== '') {
    clean.source = item.source;
  }
  if ((typeof item.code === 'string' || typeof item.code === 'number') && String(item.code) !== '') {
    clean.code = String(item.code);
  }
  return clean;
}

/** A 0-based line number. */
function isLine(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
