/**
 * The agent's system prompt and tool schemas. Lean on purpose: every request
 * carries them (a one-line question must stay well under 4,000 tokens).
 */
import type { ApprovalPolicy } from '../../shared/agentProtocol';

export interface ToolSchema {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

const str = (description: string): Record<string, unknown> => ({ type: 'string', description });
const int = (description: string): Record<string, unknown> => ({ type: 'integer', description });

function tool(name: string, description: string, properties: Record<string, unknown>, required: string[]): ToolSchema {
  return { type: 'function', function: { name, description, parameters: { type: 'object', properties, required, additionalProperties: false } } };
}

export const AGENT_TOOLS: readonly ToolSchema[] = [
  tool('read_file', 'Read a file (with line numbers). Long files: ask for a line range.', { path: str('Relative to the workspace root'), start_line: int('1-based'), end_line: int('1-based, inclusive') }, ['path']),
  tool('list_dir', 'List a folder (folders end in /).', { path: str('Relative folder; "." for the root') }, ['path']),
  tool('find_files', 'Find files by glob, e.g. "**/*.test.js" or "src/*.ts".', { glob: str('Glob') }, ['glob']),
  tool('search_text', 'Search file contents with a regular expression; returns path:line: text.', { pattern: str('JavaScript regular expression'), glob: str('Only files matching this glob') }, ['pattern']),
  tool('search_codebase', 'Find the code that answers a question, in words or names ("where are retries backed off"); returns the best chunks as path:lines.', { query: str('What you are looking for'), path: str('Only under this folder'), limit: int('At most this many chunks (default 8)') }, ['query']),
  tool(
    'apply_patch',
    'Edit files with a patch: "*** Begin Patch", then per file "*** Update File: path" with @@ hunks (3 lines of context, " " keep, "-" remove, "+" add), "*** Add File: path" (every line "+") or "*** Delete File: path", then "*** End Patch".',
    { patch: str('The patch') },
    ['patch'],
  ),
  tool('create_file', 'Create a new file (or replace a whole file).', { path: str('Relative path'), content: str('Full content') }, ['path', 'content']),
  tool('get_diagnostics', 'Errors and warnings the editor reports.', { paths: { type: 'array', items: { type: 'string' }, description: 'Files; omit for all' } }, []),
  tool('run_command', 'Run a shell command in the workspace root (the person may have to approve).', { command: str('Shell command'), why: str('One short sentence for the person') }, ['command', 'why']),
  tool('ask_user', 'Ask the person a question when you cannot go on without an answer.', { question: str('The question') }, ['question']),
  tool('finish', 'End the task.', { summary: str('What was done, for the person'), verification: str('How it was checked (tests run, their result)') }, ['summary', 'verification']),
];

export interface SystemPromptInput {
  root: string;
  policy: ApprovalPolicy;
  testCommand: string;
  rules: string;
  activeFile?: string;
}

/** The system prompt: role, how to work, the project's test command and its AGENTS.md rules. */
export function agentSystemPrompt(input: SystemPromptInput): string {
  const lines = [
    'You are Tandem, a coding agent working in the person\'s workspace through tools. Work step by step: look at the relevant code, make small focused edits with apply_patch, then verify (run the tests, check diagnostics) and fix what fails. Before each tool call say in one short sentence why.',
    'Paths are relative to the workspace root. Read a file before patching it. Some files are off-limits (ignored or secret) and some actions need the person\'s approval: when a tool result says something was refused or NOT applied, take that as final and adapt; do not retry the same call.',
    'Every edit is checked: when a tool result lists security findings or failed project checks in your change, fix them with another edit before finish.',
    'When done, call finish with a summary and how you verified it; in it, say which checks passed (security checks, project checks, tests).',
  ];
  if (input.testCommand) lines.push(`Run the tests with: ${input.testCommand}`);
  if (input.activeFile) lines.push(`The person's active file: ${input.activeFile}`);
  if (input.rules) lines.push(`Project rules (AGENTS.md; deeper files take precedence):\n${input.rules}`);
  return lines.join('\n\n');
}
