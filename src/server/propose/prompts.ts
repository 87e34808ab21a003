import type { DiagnosticInfo, EditTask } from '../../shared/protocol';
import type { PromptMessage } from '../prompt/assemble';

/** How the model is asked to answer, which decides how its output is read. */
export type AnswerShape = 'selection' | 'blocks';

export interface EditPromptInput {
  task: EditTask;
  instruction: string;
  path: string;
  languageId: string;
  text: string;
  selection?: { startLine: number; endLine: number };
  cursorLine?: number;
  diagnostics: readonly DiagnosticInfo[];
  /** Other files worth showing (an existing test file, for `tests`). */
  related: readonly { path: string; text: string }[];
}

export interface EditPrompt {
  messages: PromptMessage[];
  shape: AnswerShape;
}

const BASE = [
  'You are Tandem, a coding assistant that proposes precise code changes. The person reviews every change as a diff before it is applied.',
  'Never elide code with placeholders such as "// ... existing code ..." or "rest of the file unchanged": write every line you change in full.',
  'Keep the file’s indentation style, quotes and line endings. Change only what the task needs.',
].join(' ');

const SELECTION_RULES = [
  'Answer with the complete new text of the selected lines in exactly one fenced code block, and nothing else:',
  'no explanation before or after it. Keep the indentation the lines have in the file.',
].join(' ');

const BLOCK_RULES = [
  'Answer with one or more SEARCH/REPLACE blocks in exactly this form, each preceded by the file path on its own line:',
  '',
  'path/to/file.ext',
  '<<<<<<< SEARCH',
  'lines copied exactly from the current file, enough to be unique',
  '=======',
  'the lines that replace them',
  '>>>>>>> REPLACE',
  '',
  'Copy SEARCH lines character for character, without line numbers. Keep each block small: a few lines of context around the change.',
  'To create a new file, use the new path with an empty SEARCH section. A short sentence before the blocks is fine; nothing else.',
].join('\n');

const TASK_WORDS: Record<EditTask, string> = {
  refactor: 'Refactor the code as instructed, keeping its behaviour unless the instruction says otherwise.',
  fix: 'Fix the problems reported below. Make the smallest change that fixes them correctly.',
  tests: 'Write unit tests for the code: extend the existing test file if one is shown, otherwise create one next to the code using the project’s conventions.',
  docs: 'Add documentation comments (the language’s usual doc-comment style) to the code, without changing any code.',
  inline: 'Change the code as instructed.',
};

/** The messages for an edit task and the answer shape to expect. Pure. */
export function buildEditPrompt(input: EditPromptInput): EditPrompt {
  const shape: AnswerShape = input.selection && input.task !== 'tests' && input.selection.endLine > input.selection.startLine ? 'selection' : 'blocks';
  const parts: string[] = [TASK_WORDS[input.task]];
  if (input.instruction.trim()) {
    parts.push(`Instruction: ${input.instruction.trim()}`);
  }
  parts.push(fileBlock(input.path, input.languageId, input.text));
  if (shape === 'selection' && input.selection) {
    const lines = splitLines(input.text).slice(input.selection.startLine, input.selection.endLine);
    parts.push(`The selected lines (${input.selection.startLine + 1}–${input.selection.endLine} of ${input.path}):\n${fence(lines.join('\n'), input.languageId)}`);
  } else if (input.cursorLine !== undefined) {
    parts.push(`The cursor is on line ${input.cursorLine + 1}${input.selection ? `, the selection covers lines ${input.selection.startLine + 1}–${input.selection.endLine}` : ''}.`);
  }
  if (input.diagnostics.length > 0) {
    parts.push(`Problems reported by the editor:\n${input.diagnostics.map(describeDiagnostic).join('\n')}`);
  }
  for (const file of input.related) {
    parts.push(`Related file ${file.path}:\n${fence(file.text, '')}`);
  }
  const system = `${BASE}\n\n${shape === 'selection' ? SELECTION_RULES : BLOCK_RULES}`;
  return { shape, messages: [{ role: 'system', content: system }, { role: 'user', content: parts.join('\n\n') }] };
}

function fileBlock(path: string, languageId: string, text: string): string {
  return `File ${path}:\n${fence(text, languageId)}`;
}

function describeDiagnostic(diagnostic: DiagnosticInfo): string {
  const where = diagnostic.endLine > diagnostic.startLine ? `lines ${diagnostic.startLine + 1}–${diagnostic.endLine + 1}` : `line ${diagnostic.startLine + 1}`;
  const origin = [diagnostic.source, diagnostic.code].filter(Boolean).join(' ');
  return `- ${where}: ${diagnostic.severity}${origin ? ` (${origin})` : ''}: ${diagnostic.message}`;
}

/** A fence longer than any backtick run inside the text. */
export function fence(text: string, languageId: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${languageId}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${ticks}`;
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}
