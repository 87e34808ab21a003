/**
 * Agent mode data as the webview trusts it: steps arrive from the extension
 * but carry model-influenced text, so every field is checked and copied into
 * a fresh object before anything renders it (and then only as text). Also the
 * small computations the cards and the header show: per-file line counts of a
 * change set and the "12.3k tokens · $0.04" usage line.
 */
import type { TokenUsage } from '../../src/shared/protocol';
import type { StepApproval, StepView } from '../../src/shared/webviewProtocol';
import { CHECK_SEVERITIES, PROJECT_CHECK_KINDS, PROJECT_CHECK_STATUSES, type CheckFinding, type CheckSeverity, type ProjectCheckProblem, type ProjectCheckResult, type ProposalVerdict } from '../../src/shared/checks';
import type { ChangeSet, FileChange } from '../../src/shared/edits';
import { isRecord } from '../../src/shared/guards';
import { isApprovalKind, isStepStatus } from '../../src/shared/vocabulary';

/** Longest output a card keeps (the tail: for a command, the end is what matters). */
export const MAX_OUTPUT_CHARS = 64_000;
/** Longest title, why or prompt shown. */
const MAX_LINE_CHARS = 2_000;

function optionalString(value: unknown, max = MAX_LINE_CHARS): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
}

function sanitizeChange(value: unknown): FileChange | undefined {
  if (!isRecord(value) || typeof value.path !== 'string' || value.path === '') {
    return undefined;
  }
  const oldText = typeof value.oldText === 'string' ? value.oldText : '';
  const newText = typeof value.newText === 'string' ? value.newText : '';
  switch (value.kind) {
    case 'update':
      return { kind: 'update', path: value.path, oldText, newText, ...(typeof value.moveTo === 'string' && value.moveTo ? { moveTo: value.moveTo } : {}) };
    case 'add':
      return { kind: 'add', path: value.path, newText };
    case 'delete':
      return { kind: 'delete', path: value.path, oldText };
    default:
      return undefined;
  }
}

function sanitizeChangeSet(value: unknown): ChangeSet | undefined {
  if (!isRecord(value) || !Array.isArray(value.changes)) {
    return undefined;
  }
  const changes = value.changes.map(sanitizeChange).filter((change): change is FileChange => change !== undefined);
  const format = typeof value.format === 'string' ? (value.format as ChangeSet['format']) : 'applyPatch';
  return changes.length > 0 ? { format, changes } : undefined;
}

/** A `server/tool` name as the "Always allow" button shows it (each name is at most 128 characters). */
const MAX_ALWAYS_ALLOW_CHARS = 260;

function sanitizeApproval(value: unknown): StepApproval | undefined {
  if (!isRecord(value) || !isApprovalKind(value.kind) || typeof value.prompt !== 'string') {
    return undefined;
  }
  const alwaysAllow = value.kind === 'mcp' && typeof value.alwaysAllow === 'string' && value.alwaysAllow !== '' ? value.alwaysAllow.slice(0, MAX_ALWAYS_ALLOW_CHARS) : undefined;
  return { kind: value.kind, prompt: value.prompt.slice(0, MAX_LINE_CHARS), ...(alwaysAllow ? { alwaysAllow } : {}) };
}

/**
 * A clean copy of a step, or undefined when the essentials (id, title,
 * status) are missing. Unknown tools are kept (they get a generic icon);
 * malformed optional parts are dropped rather than failing the step.
 */
export function sanitizeStep(value: unknown): StepView | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || value.id === '' || typeof value.title !== 'string'
    || !isStepStatus(value.status)) {
    return undefined;
  }
  const step: StepView = {
    id: value.id,
    turn: typeof value.turn === 'number' && Number.isFinite(value.turn) ? value.turn : 0,
    tool: (typeof value.tool === 'string' ? value.tool : 'unknown') as StepView['tool'],
    title: value.title.slice(0, MAX_LINE_CHARS),
    status: value.status,
  };
  const why = optionalString(value.why);
  if (why) {
    step.why = why;
  }
  if (typeof value.output === 'string' && value.output !== '') {
    step.output = value.output.length > MAX_OUTPUT_CHARS ? `…\n${value.output.slice(-MAX_OUTPUT_CHARS)}` : value.output;
  }
  const changeSet = sanitizeChangeSet(value.changeSet);
  if (changeSet) {
    step.changeSet = changeSet;
  }
  if (value.checkpoint === true) {
    step.checkpoint = true;
  }
  const approval = sanitizeApproval(value.approval);
  if (approval) {
    step.approval = approval;
  }
  const verdict = sanitizeVerdict(value.verdict);
  if (verdict) {
    step.verdict = verdict;
  }
  return step;
}

/** Most findings and project checks a card keeps (the verdict's counts come from what is kept). */
const MAX_CHECK_ITEMS = 200;

function sanitizeFinding(value: unknown): CheckFinding | undefined {
  if (!isRecord(value) || typeof value.rule !== 'string' || typeof value.path !== 'string' || typeof value.line !== 'number' || !Number.isFinite(value.line)) {
    return undefined;
  }
  const severity = CHECK_SEVERITIES.find((known) => known === value.severity);
  if (!severity) {
    return undefined;
  }
  return { rule: value.rule.slice(0, 100), severity: severity as CheckSeverity, path: value.path.slice(0, MAX_LINE_CHARS), line: value.line, why: optionalString(value.why) ?? '', fix: optionalString(value.fix) ?? '' };
}

function sanitizeProjectCheck(value: unknown): ProjectCheckResult | undefined {
  if (!isRecord(value) || typeof value.name !== 'string') {
    return undefined;
  }
  const kind = PROJECT_CHECK_KINDS.find((known) => known === value.kind) ?? 'custom';
  const status = PROJECT_CHECK_STATUSES.find((known) => known === value.status);
  if (!status) {
    return undefined;
  }
  // The card shows the verdict and counts errors: problems keep only what that needs.
  const problems: ProjectCheckProblem[] = Array.isArray(value.problems)
    ? value.problems.slice(0, MAX_CHECK_ITEMS).flatMap((problem): ProjectCheckProblem[] =>
      isRecord(problem) && (problem.severity === 'error' || problem.severity === 'warning') ? [{ path: '', line: 0, severity: problem.severity, message: '' }] : [])
    : [];
  return { name: value.name.slice(0, 100), kind, command: optionalString(value.command) ?? '', status, durationMs: typeof value.durationMs === 'number' ? value.durationMs : 0, problems };
}

/** The checks' verdict on an edit step, or undefined when malformed. */
export function sanitizeVerdict(value: unknown): ProposalVerdict | undefined {
  if (!isRecord(value) || !Array.isArray(value.findings) || !Array.isArray(value.project)) {
    return undefined;
  }
  const findings = value.findings.slice(0, MAX_CHECK_ITEMS).map(sanitizeFinding).filter((finding): finding is CheckFinding => finding !== undefined);
  const project = value.project.slice(0, MAX_CHECK_ITEMS).map(sanitizeProjectCheck).filter((check): check is ProjectCheckResult => check !== undefined);
  return { findings, project, running: value.running === true };
}

/** The valid steps of a list, first occurrence of each id kept; undefined when `value` is not a list. */
export function sanitizeSteps(value: unknown): StepView[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  const seen = new Set<string>();
  const steps: StepView[] = [];
  for (const item of value) {
    const step = sanitizeStep(item);
    if (step && !seen.has(step.id)) {
      seen.add(step.id);
      steps.push(step);
    }
  }
  return steps;
}

function lines(text: string): string[] {
  if (text === '') {
    return [];
  }
  const split = text.split(/\r?\n/);
  if (split[split.length - 1] === '') {
    split.pop();
  }
  return split;
}

export interface FileChangeSummary {
  /** "src/a.ts", or "src/a.ts → src/b.ts" for a rename. */
  label: string;
  kind: FileChange['kind'];
  added: number;
  removed: number;
}

/**
 * Lines added and removed per file. A multiset difference of lines, not a
 * real diff: a moved line counts as unchanged. Good enough for "+12 −3".
 */
export function summarizeChangeSet(changeSet: ChangeSet): FileChangeSummary[] {
  return changeSet.changes.map((change) => {
    if (change.kind === 'add') {
      return { label: change.path, kind: 'add', added: lines(change.newText).length, removed: 0 };
    }
    if (change.kind === 'delete') {
      return { label: change.path, kind: 'delete', added: 0, removed: lines(change.oldText).length };
    }
    const counts = new Map<string, number>();
    for (const line of lines(change.oldText)) {
      counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    let added = 0;
    for (const line of lines(change.newText)) {
      const left = counts.get(line) ?? 0;
      if (left > 0) {
        counts.set(line, left - 1);
      } else {
        added += 1;
      }
    }
    let removed = 0;
    for (const left of counts.values()) {
      removed += left;
    }
    const label = change.moveTo ? `${change.path} → ${change.moveTo}` : change.path;
    return { label, kind: 'update', added, removed };
  });
}

export function formatTokens(count: number): string {
  if (count < 1000) {
    return `${Math.round(count)}`;
  }
  if (count < 1_000_000) {
    return `${trimZero((count / 1000).toFixed(1))}k`;
  }
  return `${trimZero((count / 1_000_000).toFixed(1))}M`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

export function formatCost(usd: number): string {
  if (usd > 0 && usd < 0.01) {
    return '<$0.01';
  }
  return `$${usd.toFixed(2)}`;
}

function isUsage(value: unknown): value is TokenUsage {
  return isRecord(value) && typeof value.totalTokens === 'number' && Number.isFinite(value.totalTokens) && value.totalTokens >= 0;
}

/** "12.3k tokens · $0.04" and a fuller tooltip, or undefined when there is nothing to show. */
export function usageText(usage: unknown, costUsd: unknown): { text: string; detail: string } | undefined {
  const cost = typeof costUsd === 'number' && Number.isFinite(costUsd) && costUsd >= 0 ? costUsd : undefined;
  if (!isUsage(usage)) {
    return undefined;
  }
  const parts = [`${formatTokens(usage.totalTokens)} tokens`];
  const detail = [`${usage.totalTokens.toLocaleString('en-US')} tokens used by this task`];
  if (typeof usage.promptTokens === 'number' && typeof usage.completionTokens === 'number') {
    detail.push(`(${usage.promptTokens.toLocaleString('en-US')} prompt, ${usage.completionTokens.toLocaleString('en-US')} completion)`);
  }
  if (cost !== undefined) {
    parts.push(formatCost(cost));
    detail.push(`· estimated cost $${cost.toFixed(4)}`);
  }
  return { text: parts.join(' · '), detail: detail.join(' ') };
}
