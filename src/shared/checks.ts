/**
 * What the checks on a proposal report (docs/checks.md): declared once here
 * because the service finds them and the review shows them.
 */

export const CHECK_SEVERITIES = ['high', 'medium', 'low'] as const;
export type CheckSeverity = (typeof CHECK_SEVERITIES)[number];

/** One problem found in a proposal's added lines. Never carries a secret's value. */
export interface CheckFinding {
  /** The rule's id, as docs/checks.md lists it (`sql-injection`). */
  rule: string;
  severity: CheckSeverity;
  /** The file on the proposal side (its new path when the proposal renames it). */
  path: string;
  /** 1-based line in the proposed text. */
  line: number;
  /** One line: why this is a problem. */
  why: string;
  /** One line: how to fix it. */
  fix: string;
}

/** The project's own checks (`tandem.checks`), by what they check. */
export const PROJECT_CHECK_KINDS = ['typecheck', 'lint', 'test', 'custom'] as const;
export type ProjectCheckKind = (typeof PROJECT_CHECK_KINDS)[number];

/**
 * How one project check ended. `needsApproval`: the approval policy asks and
 * the person has not approved it (yet); `denied`: the deny list or the policy
 * refused it; `skipped`: not run (no temporary copy possible, disabled, …);
 * `error`: it could not be started.
 */
export const PROJECT_CHECK_STATUSES = ['passed', 'failed', 'timedOut', 'cancelled', 'needsApproval', 'denied', 'skipped', 'error'] as const;
export type ProjectCheckStatus = (typeof PROJECT_CHECK_STATUSES)[number];

/** A problem a project check reported, mapped back to the proposal side (workspace-relative path, 1-based line). */
export interface ProjectCheckProblem {
  path: string;
  line: number;
  column?: number;
  severity: 'error' | 'warning';
  message: string;
}

/** One project check run against the proposal applied in a temporary copy of the workspace. */
export interface ProjectCheckResult {
  /** Shown in the verdict: "typecheck", "lint", "test", or the name the person gave. */
  name: string;
  kind: ProjectCheckKind;
  command: string;
  status: ProjectCheckStatus;
  exitCode?: number;
  durationMs: number;
  /** Problems parsed from the output, only those in files the proposal changes (others are counted in `otherProblems`). */
  problems: ProjectCheckProblem[];
  /** Problems reported in files the proposal does not change. */
  otherProblems?: number;
  /** Plain words: why it was skipped, denied, needs approval, or failed without parsable problems. */
  reason?: string;
  /** The tail of the output (control sequences removed, secrets redacted), for a failed check. */
  output?: string;
}

/** Everything known about a proposal's checks so far; `running` until the project checks ended (or there are none). */
export interface ProposalVerdict {
  findings: CheckFinding[];
  project: ProjectCheckResult[];
  running: boolean;
}

/** The verdict in a few words, for a review's title, the Proposed Changes view and the agent's step card. */
export function verdictText(verdict: ProposalVerdict): string {
  const parts: string[] = [];
  const findings = verdict.findings.length;
  if (findings > 0) parts.push(`${findings} security finding${findings === 1 ? '' : 's'}`);
  for (const check of verdict.project) {
    if (check.status === 'failed') {
      const errors = check.problems.filter((problem) => problem.severity === 'error').length;
      parts.push(errors > 0 ? `${check.name} failed: ${errors} error${errors === 1 ? '' : 's'}` : `${check.name} failed`);
    } else if (check.status === 'timedOut') parts.push(`${check.name} timed out`);
    else if (check.status === 'needsApproval') parts.push(`${check.name} needs approval`);
    else if (check.status === 'denied') parts.push(`${check.name} refused`);
    else if (check.status === 'error') parts.push(`${check.name} could not run`);
  }
  const passed = verdict.project.filter((check) => check.status === 'passed').length + (findings === 0 ? 1 : 0);
  if (parts.length === 0) {
    const text = `${passed} check${passed === 1 ? '' : 's'} passed`;
    return verdict.running ? `${text}, checking…` : text;
  }
  return verdict.running ? `${parts.join(', ')}, checking…` : parts.join(', ');
}

/** The proposal has a finding that makes Accept ask once more. */
export function hasHighSeverity(verdict: ProposalVerdict): boolean {
  return verdict.findings.some((finding) => finding.severity === 'high');
}
