import type { EditOutcome } from '../../shared/edits';
import type { ProposeEditParams, ProposeEditResult } from '../../shared/protocol';
import type { TandemSettings } from '../../shared/protocol';
import { applyEdits, detectFormat } from '../edits';
import { findFences } from '../edits/fences';
import { contextItem, recordProposal } from '../services/audit/events';
import type { OutgoingRequest } from '../services/dataBoundary';
import { readyPrompt, streamAnswer, type AnswerDeps } from '../services/modelAnswer';
import { guardOutcome, workspaceReader } from '../services/workspaceFiles';
import { buildEditPrompt, splitLines } from './prompts';
import { testFileCandidates } from './testFiles';
import { WorkspaceBoundary } from '../../shared/boundary/boundary';

/**
 * Runs one tandem/proposeEdit: asks the model for the change (streaming its
 * output as tandem/chatDelta), then turns the answer into a change set with
 * the edit engine. Nothing is written: the client reviews the change set.
 */
export async function runProposeEdit(params: ProposeEditParams, settings: TandemSettings, signal: AbortSignal, deps: AnswerDeps): Promise<ProposeEditResult> {
  const boundary = new WorkspaceBoundary(params.root);
  const target = boundary.decide(params.path, 'read');
  if (target.action === 'refuse') {
    // Nothing is sent: a secret, ignored or outside file never reaches the model, and the person hears why.
    return {
      text: '',
      finishReason: 'stop',
      model: params.model ?? settings.model,
      outcome: { ok: false, failures: [{ kind: 'badPath', path: params.path, message: `Not sent to the model: ${target.reason}` }] },
      boundary: { redactions: [], refused: [{ item: params.path, reason: target.reason }] },
    };
  }
  const readFile = workspaceReader(params.root, params.files, boundary);
  const text = readFile(params.path) ?? '';
  const related = params.task === 'tests' ? findTestFile(params.path, readFile) : [];
  const prompt = buildEditPrompt({
    task: params.task,
    instruction: params.instruction,
    path: params.path,
    languageId: params.languageId,
    text,
    ...(params.selection ? { selection: params.selection } : {}),
    ...(params.cursorLine !== undefined ? { cursorLine: params.cursorLine } : {}),
    diagnostics: params.diagnostics ?? [],
    related,
  });
  let outgoing: OutgoingRequest | undefined;
  const chat = await streamAnswer(
    {
      streamId: params.streamId,
      model: params.model,
      method: `tandem/proposeEdit ${params.task}`,
      purpose: 'edit',
      prompt: (opened) => {
        outgoing = opened;
        return readyPrompt(prompt.messages);
      },
      audit: {
        purpose: 'edit',
        context: (sent) => [
          contextItem('messages', '', JSON.stringify(sent.messages)),
          contextItem('file', params.path, text, params.selection ? [params.selection.startLine + 1, params.selection.endLine] : undefined),
          ...related.map((file) => contextItem('file', file.path, file.text)),
        ],
      },
    },
    settings,
    signal,
    deps,
  );
  // The model saw placeholders for the secrets in the file; its answer gets the real values back before it is
  // matched and applied here, so an edit never replaces a key with `[REDACTED:…]` (nothing is sent back out).
  const answer = outgoing ? outgoing.restore(chat.text) : chat.text;
  const result: ProposeEditResult = { text: chat.text, finishReason: chat.finishReason, model: chat.model, ...(chat.boundary ? { boundary: chat.boundary } : {}) };
  if (chat.error) {
    result.error = chat.error;
    return result;
  }
  if (chat.finishReason === 'cancelled') {
    return result;
  }
  if (chat.finishReason === 'length') {
    result.outcome = {
      ok: false,
      failures: [{ kind: 'truncation', path: params.path, message: 'The model’s answer was cut off (it reached its length limit), so it was not applied. Try a smaller selection.' }],
    };
    return result;
  }
  result.outcome = guardOutcome(decideOutcome(), boundary);
  if (result.outcome.ok && deps.audit) {
    recordProposal(deps.audit, result.outcome.changeSet, { actor: 'model', origin: params.task, request: params.streamId, title: `${params.task} ${params.path}` });
  }
  return result;

  function decideOutcome(): EditOutcome {
    if (prompt.shape === 'selection' && params.selection) {
      return applySelectionAnswer(answer, params.path, params.selection, readFile);
    }
    if (detectFormat(answer) === 'codeBlock' && !hasFence(answer)) {
      // Asked for edit blocks, the model answered in prose: that is not a new file content.
      return {
        ok: false,
        failures: [{ kind: 'unparseable', path: params.path, message: `The model answered without any change for ${params.path} (no SEARCH/REPLACE blocks or code), so there is nothing to apply.` }],
      };
    }
    return applyEdits({ text: answer, readFile, defaultPath: params.path });
  }
}

function hasFence(text: string): boolean {
  return text.split('\n').some((line) => /^(`{3,}|~{3,})/.test(line.trimStart()));
}

function findTestFile(source: string, readFile: (path: string) => string | undefined): { path: string; text: string }[] {
  for (const candidate of testFileCandidates(source)) {
    const text = readFile(candidate);
    if (text !== undefined) {
      return [{ path: candidate, text }];
    }
  }
  return [];
}

/**
 * The answer to a selection task is the selection's new text in a code
 * block. It is re-indented when the model dropped the selection's common
 * indentation (models often do), then handed to the engine as a code block.
 */
export function applySelectionAnswer(
  answer: string,
  path: string,
  selection: { startLine: number; endLine: number },
  readFile: (path: string) => string | undefined,
): EditOutcome {
  const code = extractCode(answer);
  if (code === undefined) {
    return { ok: false, failures: [{ kind: 'unparseable', path, message: `The model did not answer with a code block for ${path}, so there is nothing to apply.` }] };
  }
  const original = splitLines(readFile(path) ?? '').slice(selection.startLine, selection.endLine);
  const reindented = reindent(code, commonIndent(original));
  return applyEdits({ text: `\`\`\`\n${reindented}\n\`\`\``, readFile, defaultPath: path, selection });
}

/** The content of the (longest) fenced code block, or the whole answer when it has no fence but looks like code. */
export function extractCode(answer: string): string | undefined {
  // Closed fences only, found line by line (linear on any model text).
  const lines = answer.split('\n');
  const blocks = findFences(lines)
    .filter((fence) => fence.close < lines.length)
    .map((fence) => fence.content.join('\n'));
  if (blocks.length > 0) {
    return blocks.reduce((longest, block) => (block.length > longest.length ? block : longest));
  }
  const trimmed = answer.replace(/^(?:[ \t\r]*\n)+/, '').trimEnd();
  return trimmed === '' ? undefined : trimmed;
}

function commonIndent(lines: readonly string[]): string {
  let common: string | undefined;
  for (const line of lines) {
    if (line.trim() === '') {
      continue;
    }
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    common = common === undefined ? indent : sharedPrefix(common, indent);
  }
  return common ?? '';
}

function sharedPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) {
    i++;
  }
  return a.slice(0, i);
}

/** Adds `indent` to every line when the code has less common indentation than the selection had. */
function reindent(code: string, indent: string): string {
  const lines = code.split(/\r?\n/);
  const current = commonIndent(lines);
  if (current.length >= indent.length || !indent.startsWith(current)) {
    return code;
  }
  const extra = indent.slice(current.length);
  return lines.map((line) => (line.trim() === '' ? line : extra + line)).join('\n');
}
