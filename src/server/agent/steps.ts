/**
 * Step bookkeeping shared by the tools: the card the chat shows for each tool
 * call (`tandem/agentStep`), its title, and the context a tool runs in.
 */
import type { AgentSettings, AgentStep, AgentToolName, ClientToolCall, ClientToolResult, StepStatus } from '../../shared/agentProtocol';
import type { DiagnosticInfo } from '../../shared/protocol';
import type { AgentCommandEvent, McpCallEvent } from '../../shared/audit';
import type { CheckFinding } from '../../shared/checks';
import type { ChangeSet } from '../../shared/edits';
import type { CodebaseSearch } from '../services/codebase/codebaseIndex';
import type { AgentWorkspace } from './workspace';

/** What a tool needs: the workspace, the settings, the client, and its own step card. */
export interface ToolContext {
  ws: AgentWorkspace;
  /** The service's codebase index (absent when none is wired: a test, a benchmark). */
  codebase?: CodebaseSearch;
  settings: AgentSettings;
  /** Programs the person allowed "for this task". */
  allowedPrograms: Set<string>;
  /** Protected files the person allowed editing "for this task". */
  allowedProtected: Set<string>;
  step: StepCard;
  /** Calls a client-side tool for this step; time spent there is not the service's. */
  client(call: ClientToolCall): Promise<ClientToolResult>;
  /** A command ran: files may have changed on disk. */
  onCommandRan(): void;
  /** The project's test command ('' when none is known) and how its runs went in this task. */
  tests: TestRuns;
  /** The audit trail, for this step: the edits it proposes and the commands it asks for. */
  audit?: StepAudit;
}

/** What a step records in the audit trail (the task and step are filled in). */
export interface StepAudit {
  proposal(changeSet: ChangeSet): void;
  /** Runs the security checks on a proposal (after `proposal`, which gives it its id) and records them. */
  securityChecks(changeSet: ChangeSet): Promise<CheckFinding[]>;
  command(event: Omit<AgentCommandEvent, 'type' | 'task' | 'step' | 'request' | 'proposal'>): void;
  /** `argumentsText` and `resultText` are kept at contents `all` only. */
  mcpCall(event: Omit<McpCallEvent, 'type' | 'task' | 'step' | 'request' | 'proposal'>): void;
}

/** After this many failed test runs in one task the agent stops trying and reports. */
export const MAX_FAILED_TEST_RUNS = 3;

export interface TestRuns {
  command: string;
  failed: number;
}

/** Whether `command` runs the project's tests (it contains the test command). */
export function isTestRun(command: string, testCommand: string): boolean {
  const normalise = (text: string): string => text.trim().replace(/\s+/g, ' ');
  return testCommand !== '' && normalise(command).includes(normalise(testCommand));
}

/** One step's card: every change is sent to the client at once. */
export class StepCard {
  readonly step: AgentStep;

  constructor(
    init: Omit<AgentStep, 'status'>,
    private readonly send: (step: AgentStep) => void,
  ) {
    this.step = { ...init, status: 'running' };
    this.send({ ...this.step });
  }

  update(status: StepStatus, fields: Partial<Pick<AgentStep, 'output' | 'changeSet' | 'title' | 'verdict'>> = {}): void {
    Object.assign(this.step, fields, { status });
    this.send({ ...this.step });
  }
}

function clip(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** "Read src/a.ts (lines 1–40)", "Run npm test", "Edit src/a.ts". */
export function stepTitle(tool: AgentToolName, args: Record<string, unknown>): string {
  const s = (key: string): string => (typeof args[key] === 'string' ? (args[key] as string) : '');
  const n = (key: string): number | undefined => (typeof args[key] === 'number' ? (args[key] as number) : undefined);
  switch (tool) {
    case 'read_file': {
      const start = n('start_line');
      const end = n('end_line');
      const range = start !== undefined || end !== undefined ? ` (lines ${start ?? 1}–${end ?? 'end'})` : '';
      return `Read ${s('path')}${range}`;
    }
    case 'list_dir':
      return `List ${s('path') || '.'}`;
    case 'find_files':
      return `Find files ${clip(s('glob'))}`;
    case 'search_text':
      return `Search /${clip(s('pattern'), 40)}/${s('glob') ? ` in ${s('glob')}` : ''}`;
    case 'search_codebase':
      return `Search the codebase for "${clip(s('query'), 40)}"${s('path') ? ` in ${s('path')}` : ''}`;
    case 'apply_patch': {
      const files = patchPaths(s('patch'));
      return files.length > 0 ? `Edit ${clip(files.join(', '))}` : 'Edit files';
    }
    case 'create_file':
      return `Create ${s('path')}`;
    case 'get_diagnostics':
      return 'Check problems';
    case 'run_command':
      return `Run ${clip(s('command'))}`;
    case 'ask_user':
      return `Ask: ${clip(s('question'))}`;
    case 'finish':
      return 'Finish';
  }
}

/** The files an apply_patch patch names (Update/Add/Delete/Move to). */
export function patchPaths(patch: string): string[] {
  // Line by line: a multi-line pattern with \s* around a lazy group backtracks quadratically on model text.
  const paths = patch.split('\n').flatMap((line) => {
    const match = /^\*\*\* (?:(?:Update|Add|Delete) File|Move to):/.exec(line);
    return match ? [line.slice(match[0].length).trim()] : [];
  });
  return [...new Set(paths.filter(Boolean))];
}

/** Diagnostics as lines for the model: "src/a.ts:12: error: message". */
export function formatDiagnostics(groups: ReadonlyArray<{ path: string; items: DiagnosticInfo[] }>, max = 40): string {
  const lines: string[] = [];
  let total = 0;
  for (const group of groups) {
    for (const item of group.items) {
      if (item.severity === 'hint' || item.severity === 'info') continue;
      total += 1;
      if (lines.length < max) lines.push(`${group.path}:${item.startLine + 1}: ${item.severity}: ${item.message}${item.source ? ` (${item.source})` : ''}`);
    }
  }
  if (total > lines.length) lines.push(`[${total - lines.length} more not shown]`);
  return total === 0 ? 'No errors or warnings.' : lines.join('\n');
}
