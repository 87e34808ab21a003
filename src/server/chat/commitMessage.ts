/**
 * tandem/commitMessage: a commit message for the staged diff. Secret and
 * ignored files' diffs are refused (named in the result), the rest is
 * redacted like any prompt, and the repository's style is followed.
 */
import { isRecord } from '../../shared/guards';
import type { ChatResult, CommitFileDiff, CommitMessageParams, TandemSettings } from '../../shared/protocol';
import { estimateTokens } from '../../shared/mentions';
import { DEFAULT_BUDGET_TOKENS, type PromptMessage } from '../prompt/assemble';
import { contextItem } from '../services/audit/events';
import { readyPrompt, streamAnswer, type AnswerDeps } from '../services/modelAnswer';
import { withoutDiffMarks } from './chatRunner';

const CONVENTIONAL = /^(feat|fix|docs|style|refactor|perf|test|tests|build|ci|chore|revert)(\([^)]*\))?!?: \S/;
const MAX_FILES = 500;
const MAX_SUBJECTS = 50;
/** The diff gets what the instructions leave of the budget. */
const DIFF_BUDGET_TOKENS = DEFAULT_BUDGET_TOKENS - 1_000;

/** Whether most of the recent commits (at least 3 of them) are Conventional Commits. */
export function usesConventionalCommits(subjects: readonly string[]): boolean {
  const recent = subjects.slice(0, 20).filter((subject) => subject.trim());
  return recent.length >= 3 && recent.filter((subject) => CONVENTIONAL.test(subject)).length * 2 > recent.length;
}

export function commitInstructions(conventional: boolean): string {
  return [
    'You write git commit messages for the staged changes the user shows you.',
    'Reply with the commit message only, no code fences and no commentary:',
    'a subject line of at most 72 characters in the imperative mood ("Add", "Fix"), then, when the change needs explaining, a blank line and a short body wrapped at 72 characters saying what changed and why.',
    conventional
      ? 'This repository uses Conventional Commits: start the subject with a type (feat, fix, docs, refactor, test, build, ci, chore, perf), an optional scope in parentheses, and ": ".'
      : 'Follow the style of the recent subjects shown.',
  ].join(' ');
}

/** The user message: recent subjects, then each file's diff while the budget lasts (later files named only). */
export function commitPrompt(files: readonly CommitFileDiff[], subjects: readonly string[], refused: readonly string[]): PromptMessage[] {
  const conventional = usesConventionalCommits(subjects);
  const parts: string[] = [];
  if (subjects.length > 0) parts.push(`Recent commit subjects:\n${subjects.slice(0, 10).map((subject) => `- ${subject}`).join('\n')}`);
  let left = DIFF_BUDGET_TOKENS;
  const named: string[] = [];
  const diffs: string[] = [];
  for (const file of files) {
    const tokens = estimateTokens(file.diff);
    if (tokens > left) {
      named.push(file.path);
      continue;
    }
    left -= tokens;
    diffs.push(`diff of ${file.path}:\n${file.diff}`);
  }
  parts.push(`Staged changes:\n\n${diffs.join('\n\n') || '(no diff could be sent)'}`);
  if (named.length > 0) parts.push(`Also changed (diff left out for length): ${named.join(', ')}`);
  if (refused.length > 0) parts.push(`Also changed (not shown: secret or ignored files): ${refused.length} file${refused.length === 1 ? '' : 's'}`);
  return [
    { role: 'system', content: commitInstructions(conventional) },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

export function runCommitMessage(params: CommitMessageParams, settings: TandemSettings, signal: AbortSignal, deps: AnswerDeps): Promise<ChatResult> {
  let sent: CommitFileDiff[] = [];
  return streamAnswer(
    {
      streamId: params.streamId,
      model: params.model,
      method: 'tandem/commitMessage',
      purpose: 'chat',
      prompt: async (outgoing) => {
        const refused: string[] = [];
        sent = params.files.filter((file) => {
          if (outgoing.refusePath(file.path) === undefined) return true;
          refused.push(file.path);
          return false;
        });
        // The diff's +/- marks would hide assignments from the secret rules: scanned without them first.
        for (const file of sent) await outgoing.text(withoutDiffMarks(file.diff));
        return readyPrompt(commitPrompt(sent, params.recentSubjects, refused));
      },
      audit: {
        purpose: 'chat',
        context: (prompt) => [contextItem('messages', '', JSON.stringify(prompt.messages)), ...sent.map((file) => contextItem('changes', file.path, file.diff))],
      },
    },
    settings,
    signal,
    deps,
  );
}

/** Checks what a client sent (any LSP client may). */
export function parseCommitMessageParams(input: unknown): { ok: true; value: CommitMessageParams } | { ok: false; error: string } {
  if (!isRecord(input) || typeof input.streamId !== 'string' || !input.streamId) return { ok: false, error: 'streamId must be a non-empty string' };
  if (!Array.isArray(input.files) || input.files.length > MAX_FILES) return { ok: false, error: `files must be an array of at most ${MAX_FILES} {path, diff}` };
  const files: CommitFileDiff[] = [];
  for (const [index, file] of (input.files as unknown[]).entries()) {
    if (!isRecord(file) || typeof file.path !== 'string' || !file.path || typeof file.diff !== 'string') return { ok: false, error: `files[${index}] must be {path: string, diff: string}` };
    files.push({ path: file.path, diff: file.diff });
  }
  const subjects = input.recentSubjects ?? [];
  if (!Array.isArray(subjects) || !subjects.every((subject) => typeof subject === 'string')) return { ok: false, error: 'recentSubjects must be an array of strings' };
  if (input.model !== undefined && typeof input.model !== 'string') return { ok: false, error: 'model must be a string' };
  return {
    ok: true,
    value: { streamId: input.streamId, files, recentSubjects: (subjects as string[]).slice(0, MAX_SUBJECTS).map((subject) => subject.slice(0, 200)), ...(typeof input.model === 'string' ? { model: input.model } : {}) },
  };
}
