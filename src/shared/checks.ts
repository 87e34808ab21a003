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
